package plugins_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/heardhq/heard/classify"       //nolint:depguard // e2e: a plugin joins the real ensemble beside the built-in rules classifier
	"github.com/heardhq/heard/classify/rules" //nolint:depguard // e2e: the built-in that must keep answering
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// ensemble is what cmd builds: the rules classifier plus every classifier
// plugin, with the outcomes recorded.
type ensemble struct {
	*classify.Ensemble
	mu       sync.Mutex
	outcomes map[string]classify.Outcome
}

func newEnsemble(t *testing.T, h *plugins.Host) *ensemble {
	t.Helper()
	rc, err := rules.New(rules.Config{})
	if err != nil {
		t.Fatal(err)
	}
	members := []classify.Named{{ID: "classify.rules", Impl: rc, Timeout: 2 * time.Second}}
	members = append(members, h.Classifiers("")...)
	e := &ensemble{outcomes: map[string]classify.Outcome{}}
	e.Ensemble = &classify.Ensemble{Classifiers: members, Merge: classify.DefaultMergeConfig(),
		OnOutcome: func(o classify.Outcome) {
			e.mu.Lock()
			e.outcomes[o.Source] = o
			e.mu.Unlock()
		}}
	return e
}

func (e *ensemble) outcome(src string) classify.Outcome {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.outcomes[src]
}

func ticket(connector, subject string) *sdk.Ticket {
	t := sdktest.Tickets()[3] // an enterprise customer's CEO at bigco.example, unhappy
	t.Ref.Connector = connector
	if subject != "" {
		t.Subject = subject
	}
	return t
}

func find(ps []sdk.Prediction, field, value string) *sdk.Prediction {
	for i, p := range ps {
		if p.Field == field && (value == "" || p.Value == value) {
			return &ps[i]
		}
	}
	return nil
}

const vipConfig = `
plugins:
  enabled:
    - name: vip
      connectors: [acme-zendesk]
      settings:
        plans: {enterprise: P1}
        vip_domains: [bigco.example]
`

// Install → classify a ticket through the plugin, next to the built-in
// rules classifier in the real ensemble → the plugin's predictions are in
// the merged result.
func TestInstallThenClassifyThroughEnsemble(t *testing.T) {
	log, _ := testLogger(t)
	bin := pluginBinary(t, pkgVIP)
	cat, err := plugins.OpenCatalog(t.TempDir() + "/plugins.json")
	if err != nil {
		t.Fatal(err)
	}
	e, prev, err := plugins.Install(t.Context(), cat, bin, "", 30*time.Second, log)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	sum, _ := plugins.Sum(bin)
	if prev != nil || e.Name != "vip" || e.Version != "1.0.0" || e.KindList() != "classifier" || e.Protocol != sdkplugin.ProtocolVersion ||
		e.SHA256 != sum || e.Path != bin || e.InstalledAt.IsZero() {
		t.Errorf("Install = %+v (replaced %v); want vip 1.0.0, a protocol-%d classifier at %s with its checksum", e, prev, sdkplugin.ProtocolVersion, bin)
	}
	reread, err := plugins.OpenCatalog(cat.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := reread.Get("vip"); !ok || got.SHA256 != sum {
		t.Fatalf("catalog on disk has %+v, %t", got, ok)
	}

	h := load(t, cat.Path(), vipConfig, log)
	ens := newEnsemble(t, h)
	req := &sdk.ClassifyRequest{Ticket: ticket("acme-zendesk", ""), Fields: sdktest.Fields()}
	resp, err := ens.Classify(t.Context(), req)
	if err != nil {
		t.Fatalf("ensemble: %v", err)
	}
	o := ens.outcome("plugin.vip")
	if o.Err != "" || find(o.Predictions, sdk.FieldPriority, "P1") == nil {
		t.Fatalf("plugin.vip outcome = %+v; want a P1 priority prediction", o)
	}
	if len(ens.outcome("classify.rules").Predictions) == 0 {
		t.Errorf("the rules classifier predicted nothing: %+v", ens.outcome("classify.rules"))
	}
	tag := find(resp.Predictions, sdk.FieldSecondaryTag, "vip")
	if tag == nil || tag.Source != "plugin.vip" || !strings.Contains(tag.Reason, "bigco.example") {
		t.Errorf("merged predictions %+v; want the plugin's vip tag with its reason", resp.Predictions)
	}

	// Another connector's ticket: the plugin is not enabled for it.
	if _, err := ens.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("other-desk", ""), Fields: sdktest.Fields()}); err != nil {
		t.Fatal(err)
	}
	if o := ens.outcome("plugin.vip"); o.Err != "" || len(o.Predictions) != 0 {
		t.Errorf("plugin.vip on another connector's ticket = %+v; want nothing", o)
	}
}

// A binary that changed since install is refused before it runs, with an
// error naming the plugin; heard itself keeps going.
func TestChecksumMismatchIsRefused(t *testing.T) {
	log, _ := testLogger(t)
	bin := pluginBinary(t, pkgMisbehave)
	cat := installed(t, log, map[string]string{"misbehave": bin})
	f, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("tampered")
	_ = f.Close()

	for _, r := range plugins.Verify(cat) {
		if !errors.Is(r.Err, plugins.ErrChecksum) || !strings.Contains(r.Err.Error(), `plugin "misbehave"`) {
			t.Errorf("Verify = %v; want a checksum error naming the plugin", r.Err)
		}
	}
	e, _ := cat.Get("misbehave")
	if _, err := plugins.Probe(t.Context(), e, 10*time.Second, log); !errors.Is(err, plugins.ErrChecksum) {
		t.Errorf("Probe = %v; want ErrChecksum", err)
	}

	cfg := plugins.DefaultConfig()
	cfg.Enabled = []plugins.Enabled{{Name: "misbehave"}}
	h, err := plugins.New(cat, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	err = h.Start(t.Context())
	if !errors.Is(err, plugins.ErrChecksum) || !errors.Is(err, sdk.ErrUnauthorized) || !strings.Contains(err.Error(), `plugin "misbehave"`) {
		t.Fatalf("Start = %v; want a checksum error naming the plugin", err)
	}
	if s := h.Status()[0]; s.PID != 0 || !strings.Contains(s.LastError, "sha256") {
		t.Errorf("Status = %+v; want no process and the checksum error", s)
	}
	ens := newEnsemble(t, h)
	resp, err := ens.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", ""), Fields: sdktest.Fields()})
	if err != nil || len(resp.Predictions) == 0 {
		t.Fatalf("ensemble = %+v, %v; want the built-ins' predictions", resp, err)
	}
	if o := ens.outcome("plugin.misbehave"); !strings.Contains(o.Err, "sha256") || !strings.Contains(o.Err, `plugin "misbehave"`) {
		t.Errorf("plugin outcome = %+v; want the checksum error", o)
	}
}

// Stray prints to stdout, before Serve and during calls, neither break the
// handshake nor the calls; they show up in the host's log.
func TestPluginThatPrintsToStdoutStillWorks(t *testing.T) {
	log, logs := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: misbehave}]\n", log)
	c := h.Classifiers("")[0].Impl
	for i := range 3 {
		resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
		if err != nil || find(resp.Predictions, sdk.FieldPriority, "P1") == nil {
			t.Fatalf("call %d = %+v, %v", i, resp, err)
		}
	}
	waitFor(t, 5*time.Second, "the stray output in the host log", func() bool {
		s := logs.String()
		return strings.Contains(s, "hello from main before Serve") && strings.Contains(s, "classifying 104") &&
			strings.Contains(s, "configuring with")
	})
}

// A panic mid-call is an error for that call only: the plugin is
// restarted, and the built-ins answered meanwhile.
func TestPanicYieldsErrorAndRestart(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: misbehave}]\n", log)
	first := pidOf(t, h, "plugin.misbehave")
	if first == 0 {
		t.Fatalf("plugin not running after Load: %+v", h.Status())
	}
	ens := newEnsemble(t, h)

	resp, err := ens.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "panic"), Fields: sdktest.Fields()})
	if err != nil || len(resp.Predictions) == 0 {
		t.Fatalf("ensemble = %+v, %v; want the built-ins' predictions", resp, err)
	}
	if o := ens.outcome("plugin.misbehave"); !strings.Contains(o.Err, "fixture asked to panic") {
		t.Errorf("plugin outcome = %+v; want the panic as its error", o)
	}
	if len(ens.outcome("classify.rules").Predictions) == 0 {
		t.Error("the rules classifier did not answer")
	}
	resp, err = ens.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", ""), Fields: sdktest.Fields()})
	if err != nil {
		t.Fatal(err)
	}
	o := ens.outcome("plugin.misbehave")
	if o.Err != "" || len(o.Predictions) == 0 {
		t.Fatalf("after the restart the plugin answered %+v", o)
	}
	second := pidOf(t, h, "plugin.misbehave")
	if second == 0 || second == first || !strings.Contains(o.Predictions[0].Reason, "pid "+strconv.Itoa(second)) {
		t.Errorf("pid before %d, after %d, reason %q; want a new process answering", first, second, o.Predictions[0].Reason)
	}
	if find(resp.Predictions, sdk.FieldPriority, "") == nil {
		t.Errorf("merged predictions lack a priority: %+v", resp.Predictions)
	}
	waitFor(t, 5*time.Second, "the panicked process to be gone", func() bool { return !alive(first) })

	_, err = h.Classifiers("")[0].Impl.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "panic")})
	if !errors.Is(err, sdkplugin.ErrPanicked) {
		t.Errorf("direct call = %v; want ErrPanicked", err)
	}
}

// A plugin process that dies mid-call is a transport error naming its exit
// status and last stderr lines; the next call runs on a new process.
func TestCrashMidCallRestarts(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: misbehave}]\n", log)
	c := h.Classifiers("")[0].Impl
	first := pidOf(t, h, "plugin.misbehave")
	wantMetrics(t, h, "plugin.misbehave", 0, 0, 1)
	_, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "crash")})
	if !errors.Is(err, sdkplugin.ErrTransport) || !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), `plugin "misbehave"`) {
		t.Fatalf("crashing call = %v; want a transport error naming the plugin", err)
	}
	// The error says how the process ended and what it wrote last.
	if msg := err.Error(); !strings.Contains(msg, "exit status 3") || !strings.Contains(msg, "last stderr:") ||
		!strings.Contains(msg, "fatal: fixture asked to crash") {
		t.Errorf("crashing call = %v; want its exit status and last stderr", err)
	}
	resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
	if err != nil || len(resp.Predictions) == 0 {
		t.Fatalf("call after the crash = %+v, %v", resp, err)
	}
	if second := pidOf(t, h, "plugin.misbehave"); second == first {
		t.Errorf("still pid %d after a crash", first)
	}
	wantMetrics(t, h, "plugin.misbehave", 1, 0, 1)
}

// A plugin that hangs hits the per-call timeout; one that keeps hanging is
// skipped by the circuit breaker, and tried again after the cooldown.
func TestHangHitsTimeoutThenCircuitOpens(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), `
plugins:
  failure_threshold: 2
  cooldown: 400ms
  enabled:
    - name: misbehave
      timeout: 300ms
`, log)
	c := h.Classifiers("")[0].Impl
	hang := &sdk.ClassifyRequest{Ticket: ticket("acme", "hang")}

	start := time.Now()
	_, err := c.Classify(t.Context(), hang)
	if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took < 300*time.Millisecond || took > 3*time.Second {
		t.Fatalf("hanging call = %v after %s; want a deadline error after about 300ms", err, took)
	}
	if !strings.Contains(err.Error(), `plugin "misbehave": no answer within 300ms`) {
		t.Errorf("error %q does not say what happened", err)
	}
	// One timeout does not stop the plugin; it still answers.
	resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
	if err != nil || len(resp.Predictions) == 0 {
		t.Fatalf("after one timeout = %+v, %v", resp, err)
	}
	if !strings.Contains(resp.Predictions[0].Reason, "deadline true") {
		t.Errorf("reason %q: the plugin did not see the caller's deadline", resp.Predictions[0].Reason)
	}
	for range 2 {
		_, _ = c.Classify(t.Context(), hang)
	}
	start = time.Now()
	_, err = c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
	if !errors.Is(err, plugins.ErrCircuitOpen) || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("call with the circuit open = %v after %s; want ErrCircuitOpen at once", err, time.Since(start))
	}
	if s := h.Status()[0]; s.SkippedUntil.IsZero() || s.PID != 0 {
		t.Errorf("Status = %+v; want the plugin skipped and its process stopped", s)
	}
	wantMetrics(t, h, "plugin.misbehave", 0, 1, 0) // timeouts open the circuit without a restart
	time.Sleep(500 * time.Millisecond)
	if resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")}); err != nil || len(resp.Predictions) == 0 {
		t.Errorf("after the cooldown = %+v, %v; want a fresh process answering", resp, err)
	}
	wantMetrics(t, h, "plugin.misbehave", 0, 0, 1)
}

// A plugin built against protocol N-1 still loads and classifies.
func TestProtocolNMinus1PluginLoads(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"": pluginBinary(t, pkgV1)})
	e, ok := cat.Get("oldie")
	if !ok || e.Protocol != sdkplugin.MinProtocolVersion || e.KindList() != "classifier" || e.Version != "0.9.0" {
		t.Fatalf("catalog entry %+v, %t; want oldie 0.9.0, a classifier at protocol %d", e, ok, sdkplugin.MinProtocolVersion)
	}
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: oldie}]\n", log)
	resp, err := h.Classifiers("")[0].Impl.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "old times")})
	if err != nil {
		t.Fatal(err)
	}
	p := find(resp.Predictions, sdk.FieldProductArea, "legacy")
	if p == nil || p.Source != "plugin.oldie" || !strings.Contains(p.Reason, "old times") {
		t.Errorf("predictions %+v; want the protocol-1 plugin's", resp.Predictions)
	}
	if err := h.CheckHealth(t.Context()); err != nil {
		t.Errorf("CheckHealth = %v", err)
	}
}

// Enricher plugins add facts; they may not overwrite the built-ins'.
func TestEnricherPlugin(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: misbehave, connectors: [acme]}]\n", log)
	es := h.Enrichers("acme")
	if len(es) != 1 || es[0].ID != "plugin.misbehave" || len(h.Enrichers("other")) != 0 {
		t.Fatalf("Enrichers = %+v", es)
	}
	resp, err := es[0].Impl.Enrich(t.Context(), &sdk.EnrichRequest{Ticket: ticket("acme", "abc"), Attrs: sdk.Attrs{"enrich.language": "en"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := resp.Attrs["fixture.pid"]; !ok || resp.Attrs["fixture.subject_len"] != float64(3) {
		t.Errorf("attrs %v; want the plugin's facts", resp.Attrs)
	}
	if _, ok := resp.Attrs["enrich.language"]; ok {
		t.Errorf("attrs %v: the plugin overwrote a built-in fact", resp.Attrs)
	}
}

// Health, and settings a plugin rejects.
func TestHealthAndRejectedSettings(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), `
plugins:
  enabled:
    - {name: misbehave, id: plugin.sick, settings: {unhealthy: true}}
    - {name: misbehave, id: plugin.picky, settings: {reject: true}}
    - {name: misbehave, id: plugin.fine}
`, log)
	err := h.CheckHealth(t.Context())
	if err == nil || !strings.Contains(err.Error(), "fixture told to be unhealthy") || !errors.Is(err, sdk.ErrUnavailable) ||
		!strings.Contains(err.Error(), "configure: fixture rejects these settings") {
		t.Errorf("CheckHealth = %v; want the sick one's error and the picky one's configure error", err)
	}
	for _, s := range h.Status() {
		if running := s.PID != 0; running != (s.ID != "plugin.picky") {
			t.Errorf("Status %+v: only plugin.picky should be down", s)
		}
	}
}

// Close kills every plugin process and refuses further calls.
func TestCloseKillsEveryPlugin(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave), "vip": pluginBinary(t, pkgVIP)})
	h, err := plugins.Load(t.Context(), cat.Path(), section(t, `
plugins:
  enabled: [{name: misbehave, id: plugin.a}, {name: misbehave, id: plugin.b}, {name: vip}]
`), log)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, s := range h.Status() {
		if s.PID == 0 {
			t.Fatalf("%s not running: %+v", s.ID, s)
		}
		pids = append(pids, s.PID)
	}
	if err := h.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("plugin process %d still alive after Close", pid)
		}
	}
	_, err = h.Classifiers("")[0].Impl.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
	if !errors.Is(err, plugins.ErrClosed) {
		t.Errorf("call after Close = %v; want ErrClosed", err)
	}
	if err := h.Close(t.Context()); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// Installing a newer build under the same name is an upgrade.
func TestUpgrade(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"vip": pluginBinary(t, pkgVIP)})
	newer := pluginBinary(t, pkgVIP, "-ldflags=-X main.version=1.1.0")
	e, prev, err := plugins.Install(t.Context(), cat, newer, "vip", 30*time.Second, log)
	if err != nil {
		t.Fatal(err)
	}
	if prev == nil || prev.Version != "1.0.0" || e.Version != "1.1.0" || e.Path != newer || e.SHA256 == prev.SHA256 {
		t.Errorf("upgrade = %+v replacing %+v", e, prev)
	}
	if n := len(cat.Entries()); n != 1 {
		t.Errorf("catalog has %d entries; want 1", n)
	}
}

func TestInstallRejects(t *testing.T) {
	log, _ := testLogger(t)
	cat, _ := plugins.OpenCatalog(t.TempDir() + "/plugins.json")
	notExec := t.TempDir() + "/script"
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notPlugin := t.TempDir() + "/true"
	copyFile(t, "/bin/true", notPlugin)
	cases := []struct {
		name, path, as string
		want           *regexp.Regexp
	}{
		{"missing file", "/nonexistent/plugin", "", regexp.MustCompile("no such file")},
		{"not executable", notExec, "", regexp.MustCompile("not an executable")},
		{"bad name", notExec, "Bad Name", regexp.MustCompile("not an executable|must match")},
		{"not a plugin", notPlugin, "x", regexp.MustCompile(`plugin "x": launching`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.path); tc.name == "not a plugin" && err != nil {
				t.Skip("no /bin/true here")
			}
			_, _, err := plugins.Install(t.Context(), cat, tc.path, tc.as, 5*time.Second, log)
			if err == nil || !tc.want.MatchString(err.Error()) {
				t.Errorf("Install(%s) = %v; want an error matching %s", tc.path, err, tc.want)
			}
		})
	}
	if len(cat.Entries()) != 0 {
		t.Errorf("failed installs left entries: %+v", cat.Entries())
	}
}

func TestLoadConfigErrors(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"jsondesk": pluginBinary(t, pkgJSONDesk)})
	for _, tc := range []struct{ doc, want string }{
		{"plugins:\n  enabled: [{name: ghost}]\n", `plugin "ghost" is not installed`},
		{"plugins:\n  enabled: [{name: jsondesk}]\n", "list the connectors it implements"},
		{"plugins:\n  enabled: [{name: jsondesk, conectors: [x]}]\n", `unknown key "conectors"`},
	} {
		_, err := plugins.Load(t.Context(), cat.Path(), section(t, tc.doc), log)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q) = %v; want %q", tc.doc, err, tc.want)
		}
	}
}

// The other direction: a host that speaks only protocol N-1 (the previous
// heard release) still gets a classifier from a plugin built with this SDK.
func TestNewPluginServesOldHost(t *testing.T) {
	bin := pluginBinary(t, pkgVIP)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  sdkplugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{1: sdkplugin.HostPlugins()[1]},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		Logger:           hclog.NewNullLogger(),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatal(err)
	}
	c, err := sdkplugin.Dispense(rpc)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(t.Context())
	if err != nil || info.Protocol != 1 || !info.Has(sdkplugin.KindClassifier) {
		t.Fatalf("Info = %+v, %v; want a classifier at protocol 1", info, err)
	}
	if err := c.Configure(t.Context(), &sdkplugin.ConfigureRequest{Settings: []byte(`{"vip_domains": ["bigco.example"]}`)}); err != nil {
		t.Fatal(err)
	}
	resp, err := c.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
	if err != nil || find(resp.Predictions, sdk.FieldSecondaryTag, "vip") == nil {
		t.Errorf("Classify at protocol 1 = %+v, %v", resp, err)
	}
}

// Plugins get none of heard's environment (keys stay out), and GOMAXPROCS
// from max_procs.
func TestPluginEnvironment(t *testing.T) {
	t.Setenv("HEARD_TEST_SECRET", "sk-live-do-not-leak")
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), `
plugins:
  enabled:
    - {name: misbehave, id: plugin.default}
    - {name: misbehave, id: plugin.all, max_procs: 0}
    - {name: misbehave, id: plugin.three, max_procs: 3}
`, log)
	want := map[string]string{"plugin.default": "procs 1 ", "plugin.all": fmt.Sprintf("procs %d ", runtime.NumCPU()), "plugin.three": "procs 3 "}
	for _, nc := range h.Classifiers("") {
		resp, err := nc.Impl.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")})
		if err != nil {
			t.Fatal(err)
		}
		reason := resp.Predictions[0].Reason
		if !strings.Contains(reason, want[nc.ID]) {
			t.Errorf("%s: reason %q; want %q", nc.ID, reason, want[nc.ID])
		}
		if !strings.HasSuffix(reason, `secret ""`) {
			t.Errorf("%s: reason %q: the plugin saw heard's environment", nc.ID, reason)
		}
	}
}
