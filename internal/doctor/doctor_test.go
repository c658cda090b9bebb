package doctor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/doctor"
	"github.com/heardhq/heard/internal/llm/llmtest"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

// fakeConn is a connector that can probe and check its secret; the
// function fields script it.
type fakeConn struct {
	probe   func(ctx context.Context) (*connectors.Probe, error)
	secrets []string
}

func (f fakeConn) Probe(ctx context.Context) (*connectors.Probe, error) { return f.probe(ctx) }
func (f fakeConn) CheckSecrets() []string                               { return f.secrets }

var (
	_ connectors.Prober        = fakeConn{}
	_ connectors.SecretChecker = fakeConn{}
)

func probed(p connectors.Probe) func(context.Context) (*connectors.Probe, error) {
	return func(context.Context) (*connectors.Probe, error) { return &p, nil }
}

func failing(err error) func(context.Context) (*connectors.Probe, error) {
	return func(context.Context) (*connectors.Probe, error) { return nil, err }
}

// byCheck indexes results by their check name.
func byCheck(t *testing.T, rs []doctor.Result) map[string]doctor.Result {
	t.Helper()
	m := map[string]doctor.Result{}
	for _, r := range rs {
		if _, dup := m[r.Check]; dup {
			t.Fatalf("two results for %q: %v", r.Check, rs)
		}
		m[r.Check] = r
	}
	return m
}

func TestConnector(t *testing.T) {
	good := connectors.Probe{Identity: "heard <bot@acme.test> (admin)", CanUpdate: true, CanNote: true, RateLimit: 700, RateRemaining: 650}
	tests := []struct {
		name     string
		conn     any
		buildErr error
		want     map[string]doctor.Status // check suffix → status
		wantFix  string                   // in the failing result's fix
	}{
		{name: "all good", conn: fakeConn{probe: probed(good)},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.OK, "write access": doctor.OK, "rate limit": doctor.OK}},
		{name: "settings do not build", buildErr: errors.New("checking zendesk settings: subdomain is required"),
			want: map[string]doctor.Status{"settings": doctor.Error}, wantFix: "docs/connect.md"},
		{name: "bad token", conn: fakeConn{probe: failing(fmt.Errorf("HTTP 401: %w", sdk.ErrUnauthorized))},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.Error}, wantFix: "api_token"},
		{name: "unknown account", conn: fakeConn{probe: failing(fmt.Errorf("HTTP 404: %w", sdk.ErrNotFound))},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.Error}, wantFix: "subdomain"},
		{name: "host does not resolve", conn: fakeConn{probe: failing(fmt.Errorf("GET: %w", &net.DNSError{Err: "no such host", Name: "acne.zendesk.com", IsNotFound: true}))},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.Error}, wantFix: "subdomain"},
		{name: "no answer", conn: fakeConn{probe: failing(fmt.Errorf("GET: %w", errors.Join(errors.New("connection refused"), sdk.ErrUnavailable)))},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.Error}, wantFix: "reach"},
		{name: "no API credentials", conn: fakeConn{probe: failing(fmt.Errorf("no api_token: %w", errors.ErrUnsupported))},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.Warning}},
		{name: "light agent", conn: fakeConn{probe: probed(connectors.Probe{Identity: "x", CanNote: true, Why: "light agent", RateLimit: -1, RateRemaining: -1})},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.OK, "write access": doctor.Error, "rate limit": doctor.OK}, wantFix: "agent or admin"},
		{name: "rate budget nearly used", conn: fakeConn{probe: probed(connectors.Probe{Identity: "x", CanUpdate: true, CanNote: true, RateLimit: 700, RateRemaining: 12})},
			want: map[string]doctor.Status{"webhook secret": doctor.OK, "credentials": doctor.OK, "write access": doctor.OK, "rate limit": doctor.Warning}},
		{name: "short secret", conn: fakeConn{probe: probed(good), secrets: []string{"webhook_secret is 7 characters long"}},
			want: map[string]doctor.Status{"webhook secret": doctor.Warning, "credentials": doctor.OK, "write access": doctor.OK, "rate limit": doctor.OK}},
		{name: "no secret", conn: fakeConn{probe: probed(good), secrets: []string{"webhook_secret is not set"}},
			want: map[string]doctor.Status{"webhook secret": doctor.Error, "credentials": doctor.OK, "write access": doctor.OK, "rate limit": doctor.OK}},
		{name: "cannot probe", conn: struct{}{},
			want: map[string]doctor.Status{"credentials": doctor.Warning}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := doctor.Run(t.Context(), time.Second, doctor.Connector("acme", "zendesk", tc.conn, tc.buildErr))
			got := byCheck(t, rs)
			if len(got) != len(tc.want) {
				t.Errorf("got %d results %v, want %d", len(got), rs, len(tc.want))
			}
			for suffix, want := range tc.want {
				r, ok := got["connector acme: "+suffix]
				if !ok {
					t.Errorf("no result for %q in %v", suffix, rs)
					continue
				}
				if r.Status != want {
					t.Errorf("%s: status %s, want %s (%s)", suffix, r.Status, want, r.Detail)
				}
				if (r.Status == doctor.OK) != (r.Fix == "") {
					t.Errorf("%s: status %s with fix %q: want a fix exactly for warnings and errors", suffix, r.Status, r.Fix)
				}
				if r.Status == doctor.Error && tc.wantFix != "" && !strings.Contains(r.Fix, tc.wantFix) {
					t.Errorf("%s: fix %q, want it to mention %q", suffix, r.Fix, tc.wantFix)
				}
			}
		})
	}
}

func TestStore(t *testing.T) {
	tests := []struct {
		name       string
		pending    []store.Migration
		err        error
		want       doctor.Status
		wantDetail string
	}{
		{name: "up to date", want: doctor.OK, wantDetail: "up to date"},
		{name: "pending", pending: []store.Migration{{Schema: store.SchemaHeard, Version: 12}, {Schema: store.SchemaQueue, Version: 6}},
			want: doctor.Warning, wantDetail: "2 migration(s) not applied yet: heard 12, queue 6"},
		{name: "pending runs", pending: []store.Migration{{Schema: store.SchemaHeard, Version: 3}, {Schema: store.SchemaHeard, Version: 4},
			{Schema: store.SchemaHeard, Version: 5}, {Schema: store.SchemaHeard, Version: 7}, {Schema: store.SchemaQueue, Version: 1}, {Schema: store.SchemaQueue, Version: 2}},
			want: doctor.Warning, wantDetail: "heard 3-5, heard 7, queue 1-2"},
		{name: "unreachable", err: errors.New("dial tcp 127.0.0.1:1: connection refused"), want: doctor.Error, wantDetail: "connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := doctor.Run(t.Context(), time.Second, doctor.Store("postgres", "db.internal", func(context.Context) ([]store.Migration, error) {
				return tc.pending, tc.err
			}))
			if len(rs) != 1 {
				t.Fatalf("got %v, want one result", rs)
			}
			if rs[0].Status != tc.want || !strings.Contains(rs[0].Detail, tc.wantDetail) {
				t.Errorf("got %s %q, want %s containing %q", rs[0].Status, rs[0].Detail, tc.want, tc.wantDetail)
			}
		})
	}
}

func TestRunBoundsEachCheck(t *testing.T) {
	slow := func(ctx context.Context) []doctor.Result {
		<-ctx.Done()
		return []doctor.Result{{Check: "slow", Status: doctor.Error, Detail: ctx.Err().Error()}}
	}
	quick := func(ctx context.Context) []doctor.Result {
		if ctx.Err() != nil {
			return []doctor.Result{{Check: "quick", Status: doctor.Error, Detail: "started with a spent context"}}
		}
		return []doctor.Result{{Check: "quick", Status: doctor.OK}}
	}
	rs := doctor.Run(t.Context(), 20*time.Millisecond, slow, quick)
	if len(rs) != 2 || rs[0].Status != doctor.Error || rs[1].Status != doctor.OK {
		t.Fatalf("got %v; want the slow check to time out and the next one to run with a fresh timeout", rs)
	}
	if !doctor.Failed(rs) || doctor.Failed(rs[1:]) {
		t.Errorf("Failed: want true with an error, false without")
	}
	if doctor.Failed([]doctor.Result{{Status: doctor.Warning}}) {
		t.Errorf("Failed with only a warning = true; warnings do not fail")
	}
}

func TestMaskAndRender(t *testing.T) {
	rs := doctor.Mask([]doctor.Result{
		{Check: "connector a: credentials", Status: doctor.Error, Detail: "token tok-SECRET-1 rejected", Fix: "replace tok-SECRET-1"},
		{Check: "store (sqlite)", Status: doctor.OK, Detail: "fine"},
		{Check: "llm chat", Status: doctor.Warning, Detail: "x", Fix: "y"},
	}, "tok-SECRET-1", "", "ab")
	var table, js bytes.Buffer
	if err := doctor.WriteTable(&table, rs); err != nil {
		t.Fatal(err)
	}
	if err := doctor.WriteJSON(&js, rs); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"table": table.String(), "json": js.String()} {
		if strings.Contains(out, "tok-SECRET-1") {
			t.Errorf("%s shows the secret:\n%s", name, out)
		}
	}
	for _, want := range []string{"ERROR", "connector a: credentials", "token **** rejected", "fix:", "replace ****", "1 ok, 1 warnings, 1 errors"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	var got []map[string]string
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("JSON output does not decode: %v\n%s", err, js.String())
	}
	if len(got) != 3 || got[0]["check"] != "connector a: credentials" || got[0]["status"] != "error" ||
		got[0]["detail"] != "token **** rejected" || got[0]["fix"] != "replace ****" || got[1]["fix"] != "" {
		t.Errorf("JSON = %v", got)
	}
	if _, ok := got[1]["fix"]; !ok {
		t.Errorf("JSON result without a fix key: %v; want every result to have check, status, detail and fix", got[1])
	}
}

func TestLLM(t *testing.T) {
	srv := llmtest.New(t)
	tests := []struct {
		name    string
		ep      doctor.LLMEndpoint
		respond func() llmtest.Response
		want    doctor.Status
		wantIn  string
	}{
		{name: "model offered", ep: doctor.LLMEndpoint{Use: "chat", BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: llmtest.AnswerModel}, want: doctor.OK},
		{name: "model not offered", ep: doctor.LLMEndpoint{Use: "chat", BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: "gpt-nonesuch"}, want: doctor.Error, wantIn: "does not offer"},
		{name: "key rejected", ep: doctor.LLMEndpoint{Use: "embedding", BaseURL: srv.URL(), APIKey: "sk-wrong-key-123", Model: "m"},
			respond: func() llmtest.Response {
				return llmtest.Error(401, "invalid_request_error", "Incorrect API key provided")
			}, want: doctor.Error, wantIn: "rejected the API key"},
		{name: "unreachable", ep: doctor.LLMEndpoint{Use: "chat", BaseURL: "http://127.0.0.1:1/v1", APIKey: "sk-x-unreachable", Model: "m"}, want: doctor.Error, wantIn: "calling"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv.RespondModels = tc.respond
			rs := doctor.Run(t.Context(), 5*time.Second, doctor.LLM(nil, tc.ep))
			if len(rs) != 1 {
				t.Fatalf("got %v, want one result", rs)
			}
			r := rs[0]
			if r.Status != tc.want || !strings.Contains(r.Detail, tc.wantIn) {
				t.Errorf("got %s %q, want %s containing %q", r.Status, r.Detail, tc.want, tc.wantIn)
			}
			if strings.Contains(r.Detail+r.Fix, tc.ep.APIKey.Reveal()) {
				t.Errorf("result shows the API key: %v", r)
			}
		})
	}
}

func TestPlugins(t *testing.T) {
	bin := sdktest.Build(t, "github.com/heardhq/heard/sdk/examples/vip")
	dir := t.TempDir()
	exe := filepath.Join(dir, "vip")
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o700); err != nil { //nolint:gosec // a test plugin binary must be executable
		t.Fatal(err)
	}
	catPath := filepath.Join(dir, "plugins.json")
	if rs := doctor.Run(t.Context(), 0, doctor.Plugins(catPath, 10*time.Second, nil)); len(rs) != 1 || rs[0].Status != doctor.OK || !strings.Contains(rs[0].Detail, "none installed") {
		t.Fatalf("empty catalog: got %v, want one ok result saying none are installed", rs)
	}
	cat, err := plugins.OpenCatalog(catPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := plugins.Install(t.Context(), cat, exe, "vip", 10*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	rs := doctor.Run(t.Context(), 0, doctor.Plugins(catPath, 10*time.Second, nil))
	if len(rs) != 1 || rs[0].Status != doctor.OK || rs[0].Check != "plugin vip" || !strings.Contains(rs[0].Detail, "handshake") {
		t.Fatalf("installed plugin: got %v, want ok after a launch and handshake", rs)
	}
	// The binary changes after install: an error whose fix says how to
	// record the new one, and no launch.
	f, err := os.OpenFile(exe, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("tampered")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	rs = doctor.Run(t.Context(), 0, doctor.Plugins(catPath, 10*time.Second, nil))
	if len(rs) != 1 || rs[0].Status != doctor.Error || !strings.Contains(rs[0].Detail, "sha256") ||
		!strings.Contains(rs[0].Fix, "heard plugin install "+exe+" --name vip") {
		t.Fatalf("changed binary: got %v, want an error about the checksum with the reinstall command", rs)
	}
}
