package all_test

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/connectors"
	_ "github.com/heardhq/heard/connectors/all"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sandbox/desks"
	"github.com/heardhq/heard/sdk"
)

// sandboxConnectors starts the emulated help desks and builds heard's
// connectors for them from the config block the sandbox prints, after
// edit rewrites it.
func sandboxConnectors(t *testing.T, readOnly bool, rate int, edit func(string) string) (*desks.Env, map[string]sdk.Connector) {
	t.Helper()
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: "http://127.0.0.1:1", Account: "acme", ReadOnly: readOnly,
		RatePerMinute: rate, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	path := filepath.Join(t.TempDir(), "heard.yaml")
	if err := os.WriteFile(path, []byte(edit(env.ConnectorsYAML("shadow"))), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	built, err := connectors.Default.FromConfig(t.Context(), cfg.Connectors, connectors.FromConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sdk.Connector{}
	for _, c := range built {
		out[c.Config.Type] = c.Connector
	}
	return env, out
}

func TestProbeAgainstSandbox(t *testing.T) {
	same := func(s string) string { return s }
	tests := []struct {
		name     string
		readOnly bool
		edit     func(string) string
		// per vendor: the error wanted (nil: a probe), and for a probe
		// whether it may update and note.
		wantErr    map[string]error
		wantUpdate map[string]bool
		wantNote   map[string]bool
	}{
		{name: "good credentials", edit: same,
			wantUpdate: map[string]bool{"zendesk": true, "freshdesk": true, "intercom": true},
			wantNote:   map[string]bool{"zendesk": true, "freshdesk": true, "intercom": true}},
		{name: "read-only credentials", readOnly: true, edit: same,
			wantUpdate: map[string]bool{"zendesk": false, "freshdesk": false, "intercom": true},
			wantNote:   map[string]bool{"zendesk": false, "freshdesk": false, "intercom": false}},
		{name: "bad token", edit: func(s string) string { return strings.ReplaceAll(s, "sandbox-token-", "wrong-token-") },
			wantErr: map[string]error{"zendesk": sdk.ErrUnauthorized, "freshdesk": sdk.ErrUnauthorized, "intercom": sdk.ErrUnauthorized}},
		{name: "unknown account", edit: func(s string) string { return strings.ReplaceAll(s, "/acme\"", "/acne\"") },
			// Intercom has one API host for every workspace: it only
			// sees a token it does not know.
			wantErr: map[string]error{"zendesk": sdk.ErrNotFound, "freshdesk": sdk.ErrNotFound, "intercom": sdk.ErrUnauthorized}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, conns := sandboxConnectors(t, tc.readOnly, 0, tc.edit)
			for _, vendor := range desks.Vendors {
				p, ok := conns[vendor].(connectors.Prober)
				if !ok {
					t.Fatalf("%s connector does not implement connectors.Prober", vendor)
				}
				got, err := p.Probe(t.Context())
				if want := tc.wantErr[vendor]; want != nil {
					if !errors.Is(err, want) {
						t.Errorf("%s: Probe error = %v, want %v", vendor, err, want)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: Probe: %v", vendor, err)
				}
				if !strings.Contains(got.Identity, "heard-bot@acme.example") {
					t.Errorf("%s: Identity = %q, want the bot's email", vendor, got.Identity)
				}
				if got.CanUpdate != tc.wantUpdate[vendor] || got.CanNote != tc.wantNote[vendor] {
					t.Errorf("%s: CanUpdate, CanNote = %v, %v; want %v, %v (why: %q)", vendor, got.CanUpdate, got.CanNote, tc.wantUpdate[vendor], tc.wantNote[vendor], got.Why)
				}
				if (got.CanUpdate && got.CanNote) != (got.Why == "") {
					t.Errorf("%s: Why = %q with CanUpdate %v, CanNote %v: want a reason exactly when something is missing", vendor, got.Why, got.CanUpdate, got.CanNote)
				}
			}
			if tc.name != "unknown account" {
				if v := env.Server.Violations(); len(v) > 0 {
					t.Errorf("contract violations: %v", v)
				}
			}
		})
	}
}

// TestProbeRateHeaders: each vendor's rate-limit headers reach the probe
// (the budget of the window and what this request left of it), and are
// reported as unknown (-1) when the vendor sends none.
func TestProbeRateHeaders(t *testing.T) {
	for _, rate := range []int{0, 600} {
		_, conns := sandboxConnectors(t, false, rate, func(s string) string { return s })
		for _, vendor := range desks.Vendors {
			p, ok := conns[vendor].(connectors.Prober)
			if !ok {
				t.Fatalf("%s: the connector is not a connectors.Prober", vendor)
			}
			got, err := p.Probe(t.Context())
			if err != nil {
				t.Fatalf("%s: %v", vendor, err)
			}
			switch {
			case rate == 0 && (got.RateLimit != -1 || got.RateRemaining != -1):
				t.Errorf("%s without a limit: RateLimit, RateRemaining = %d, %d; want -1, -1", vendor, got.RateLimit, got.RateRemaining)
			case rate > 0 && (got.RateLimit <= 0 || got.RateLimit > rate || got.RateRemaining != got.RateLimit-1):
				// Intercom states its budget per 10-second window.
				t.Errorf("%s at %d/min: RateLimit, RateRemaining = %d, %d; want a budget up to %d with one request used", vendor, rate, got.RateLimit, got.RateRemaining, rate)
			}
		}
	}
}

func TestCheckSecret(t *testing.T) {
	tests := []struct {
		name   string
		secret sdk.Secret
		want   string // "" for no problem
	}{
		{name: "long enough", secret: "0123456789abcdef", want: ""},
		{name: "empty", secret: "", want: "is not set"},
		{name: "short", secret: "hunter2", want: "7 characters long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := connectors.CheckSecret("webhook_secret", tc.secret)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("CheckSecret = %q, want none", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Errorf("CheckSecret = %q, want one problem containing %q", got, tc.want)
			}
			if tc.secret != "" && strings.Contains(got[0], tc.secret.Reveal()) {
				t.Errorf("CheckSecret printed the secret: %q", got[0])
			}
		})
	}
}
