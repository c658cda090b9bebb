package typescript_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/internal/wiretest"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// node is what the example's shebang names: heard starts plugins with an
// empty environment, so there is no PATH to search.
const node = "/usr/bin/node"

const vipSettings = `{"plans": {"enterprise": "P1", "business": "P2"}, "vip_domains": ["bigco.example"], "mrr_at_least": 5000}`

// build is the one tsc run of the test binary.
var build struct {
	once sync.Once
	err  error
	out  []byte
}

// needNode skips when node or the helper's npm dependencies are missing,
// except in CI, where that is a failure: scripts/node.sh installs them. It
// then compiles the helper, its tests and the examples to dist/ once.
func needNode(tb testing.TB) {
	tb.Helper()
	var missing error
	if _, err := os.Stat(node); err != nil {
		missing = err
	} else {
		for _, dep := range []string{"@grpc/grpc-js", "@grpc/proto-loader", "protobufjs", "typescript"} {
			if _, err := os.Stat(filepath.Join("node_modules", dep, "package.json")); err != nil {
				missing = err
				break
			}
		}
	}
	if missing != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s or sdk/typescript/node_modules is missing (%v); scripts/node.sh installs them", node, missing)
		}
		tb.Skipf("%s or sdk/typescript/node_modules is missing (%v); run scripts/node.sh", node, missing)
	}
	build.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, filepath.Join("node_modules", "typescript", "bin", "tsc"), "-p", ".")
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		tb.Fatalf("tsc: %v\n%s", build.err, build.out)
	}
}

// TestNodeTests runs the helper's own tests with node's test runner.
func TestNodeTests(t *testing.T) {
	needNode(t)
	files, err := filepath.Glob(filepath.Join("dist", "test", "*.test.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no compiled tests in dist/test (%v)", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"--test", "--test-reporter=spec"}, files...)...) //nolint:gosec // fixed program, files from a glob
	cmd.Env = []string{}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("node --test: %v\n%s", err, out.String())
	}
	t.Log(out.String())
}

func abs(tb testing.TB, parts ...string) string {
	tb.Helper()
	p, err := filepath.Abs(filepath.Join(parts...))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestVIPConformance launches the TypeScript example as heard does (gRPC,
// automatic mTLS, empty environment) and runs the classifier conformance
// suite on it.
func TestVIPConformance(t *testing.T) {
	needNode(t)
	c := sdktest.Launch(t, abs(t, "examples", "vip", "vip"), sdktest.WithSettings(json.RawMessage(vipSettings)))
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "vip-ts" || info.Version != "1.0.0" || info.Protocol != 2 || !info.Has("classifier") || info.Has("enricher") {
		t.Errorf("Info = %+v; want vip-ts 1.0.0, protocol 2, classifier only", info)
	}
	for _, want := range []string{
		abs(t, "dist", "examples", "vip", "vip.js"),
		abs(t, "dist", "src", "serve.js"),
		abs(t, "node_modules", "@grpc", "grpc-js", "build", "src", "server.js"),
		abs(t, "..", "proto", "heard", "plugin", "v1", "plugin.proto"),
	} {
		if !slices.Contains(info.Files, want) {
			t.Errorf("declared files lack %s", want)
		}
	}
	if slices.Contains(info.Files, abs(t, "examples", "vip", "vip")) {
		t.Error("declared files repeat the executable")
	}
	if err := c.CheckHealth(t.Context()); err != nil {
		t.Errorf("CheckHealth: %v", err)
	}
	sdktest.TestClassifier(t, c.Classifier())
}

// TestVIPAnswers checks the TypeScript example answers as the Go and
// Python ones do.
func TestVIPAnswers(t *testing.T) {
	needNode(t)
	c := sdktest.Launch(t, abs(t, "examples", "vip", "vip"), sdktest.WithSettings(json.RawMessage(vipSettings)))
	cases := []struct {
		name     string
		ticket   sdk.Ticket
		fields   []sdk.FieldSpec
		priority string
		tag      bool
		reason   string
	}{
		{name: "vip domain", ticket: sdk.Ticket{Priority: sdk.P3, Requester: sdk.Party{Email: "Ada@BigCo.example"}}, priority: "P1", tag: true,
			reason: "boosted: requester domain bigco.example is a VIP domain"},
		{name: "plan floor", ticket: sdk.Ticket{Priority: sdk.P3, Customer: map[string]string{"plan": "business"}}, priority: "P2",
			reason: `boosted: plan "business" gets at least P2`},
		{name: "mrr makes vip", ticket: sdk.Ticket{Customer: map[string]string{"mrr": "7200"}}, priority: "P1", tag: true,
			reason: "boosted: MRR 7200 is at least 5000"},
		{name: "mrr below", ticket: sdk.Ticket{Customer: map[string]string{"mrr": "4999.5"}}},
		{name: "never lowers", ticket: sdk.Ticket{Priority: sdk.P0, Requester: sdk.Party{Email: "x@bigco.example"}}, tag: true},
		{name: "already at the floor", ticket: sdk.Ticket{Priority: sdk.P2, Customer: map[string]string{"plan": "business"}}},
		{name: "nobody special", ticket: sdk.Ticket{Priority: sdk.P3, Requester: sdk.Party{Email: "x@small.example"}}},
		{name: "inherited key is no plan", ticket: sdk.Ticket{Priority: sdk.P3, Customer: map[string]string{"plan": "constructor"}}},
		{name: "tag not allowed", ticket: sdk.Ticket{Requester: sdk.Party{Email: "x@bigco.example"}}, priority: "P1",
			fields: []sdk.FieldSpec{{Name: sdk.FieldPriority}, {Name: sdk.FieldSecondaryTag, Allowed: []string{"billing"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &tc.ticket, Fields: tc.fields})
			if err != nil {
				t.Fatal(err)
			}
			var gotPriority, gotReason string
			var gotTag bool
			for _, p := range resp.Predictions {
				switch p.Field {
				case sdk.FieldPriority:
					gotPriority, gotReason = p.Value, p.Reason
				case sdk.FieldSecondaryTag:
					gotTag = p.Value == "vip"
				}
			}
			if gotPriority != tc.priority || gotTag != tc.tag {
				t.Errorf("priority %q, vip tag %t; want %q, %t (predictions %+v)", gotPriority, gotTag, tc.priority, tc.tag, resp.Predictions)
			}
			if tc.reason != "" && gotReason != tc.reason {
				t.Errorf("reason %q; want %q", gotReason, tc.reason)
			}
		})
	}
}

// TestErrorsOverTheWire checks that the helper's errors reach heard as
// the sdk errors they stand for, none of them mistaken for a broken
// connection (which would make heard restart the plugin).
func TestErrorsOverTheWire(t *testing.T) {
	needNode(t)
	c := sdktest.Launch(t, abs(t, "test", "fixtures", "errors_plugin"))
	wiretest.CheckErrors(t, c, append(slices.Clone(wiretest.Common),
		wiretest.ErrorCase{Subject: "bug", Message: "TypeError: plan is not a function"},
		wiretest.ErrorCase{Subject: "thrown_string", Message: "just a string"},
	))
	// The fixture is an enricher too: protocol 2 carries both kinds.
	info, err := c.Info(t.Context())
	if err != nil || !info.Has("enricher") || !info.Has("classifier") {
		t.Fatalf("Info = %+v, %v; want a classifier and an enricher", info, err)
	}
	resp, err := c.Enricher().Enrich(t.Context(), &sdk.EnrichRequest{Ticket: &sdk.Ticket{Subject: "hello"}})
	if err != nil || resp.Attrs["errors.subject"] != "hello" {
		t.Errorf("Enrich = %+v, %v; want errors.subject hello", resp, err)
	}
}

// TestBadSettings checks that settings the plugin refuses come back as
// sdk.ErrInvalid with the plugin's message, and that settings that are
// not a JSON object are refused the same way by the helper.
func TestBadSettings(t *testing.T) {
	needNode(t)
	c, stop, err := plugin.Launch(abs(t, "examples", "vip", "vip"), testLog{t}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, tc := range []struct{ settings, want string }{
		{`{"plans": {"gold": "urgent"}}`, "plans.gold: priority 'urgent'"},
		{`{"nope": 1}`, "unknown field 'nope'"},
		{`[1, 2]`, "vip-ts settings: want a JSON object"},
	} {
		err = c.Configure(t.Context(), &plugin.ConfigureRequest{Settings: json.RawMessage(tc.settings)})
		if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v; want sdk.ErrInvalid containing %q", tc.settings, err, tc.want)
		}
	}
}

type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
