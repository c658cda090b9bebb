package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/llm/llmtest"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sandbox/desks"
	"github.com/heardhq/heard/sdk/sdktest"
)

// checkEnv is a config file for heard check pointing at the emulated
// help desks, with the store migrated.
type checkEnv struct {
	env  *desks.Env
	dir  string // the config file's directory (and its plugin catalog's)
	path string
}

// newCheckEnv starts the sandbox (readOnly: credentials that cannot
// write), writes a config whose connectors block edit may rewrite and
// whose extra lines are appended, and migrates the store.
func newCheckEnv(t *testing.T, readOnly bool, edit func(string) string, extra string) *checkEnv {
	t.Helper()
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: "http://127.0.0.1:1", Account: "acme", ReadOnly: readOnly, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	dir := t.TempDir()
	conns := env.ConnectorsYAML("shadow")
	if edit != nil {
		conns = edit(conns)
	}
	yaml := "data_dir: " + filepath.Join(dir, "data") + "\n" + conns + extra
	path := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := run(t.Context(), []string{"migrate", "--config", path}, &out, &out); code != 0 {
		t.Fatalf("heard migrate: exit %d\n%s", code, out.String())
	}
	return &checkEnv{env: env, dir: dir, path: path}
}

type checkResult struct {
	Check, Status, Detail, Fix string
}

// check runs heard check --json and returns the exit code and results.
func (e *checkEnv) check(t *testing.T, args ...string) (int, map[string]checkResult, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), append([]string{"check", "--config", e.path, "--json", "--timeout", "5s"}, args...), &out, &errOut)
	var rs []checkResult
	if err := json.Unmarshal(out.Bytes(), &rs); err != nil {
		t.Fatalf("heard check --json output does not decode: %v\n%s\nstderr: %s", err, out.String(), errOut.String())
	}
	m := map[string]checkResult{}
	for _, r := range rs {
		m[r.Check] = r
	}
	return code, m, out.String() + errOut.String()
}

func TestCheckAllGreen(t *testing.T) {
	llm := llmtest.New(t)
	e := newCheckEnv(t, false, nil, "llm: {base_url: \""+llm.URL()+"\", api_key: "+llmtest.APIKey+", models: {chat: "+llmtest.AnswerModel+"}}\n")
	code, rs, out := e.check(t)
	if code != 0 {
		t.Errorf("exit %d, want 0\n%s", code, out)
	}
	for _, r := range rs {
		if r.Status != "ok" {
			t.Errorf("%s: %s %q (fix %q), want ok", r.Check, r.Status, r.Detail, r.Fix)
		}
	}
	var want []string
	for _, v := range desks.Vendors {
		for _, c := range []string{"credentials", "write access", "rate limit", "webhook secret"} {
			want = append(want, "connector "+desks.ConnectorName(v)+": "+c)
		}
	}
	want = append(want, "config", "store (sqlite)", "plugins", "llm chat")
	for _, c := range want {
		if _, ok := rs[c]; !ok {
			t.Errorf("no result for %q; got %v", c, rs)
		}
	}
	if len(rs) != len(want) {
		t.Errorf("got %d results, want %d", len(rs), len(want))
	}
	if !strings.Contains(rs["connector sandbox-zendesk: credentials"].Detail, "heard-bot@acme.example") {
		t.Errorf("zendesk credentials detail %q does not say who heard acts as", rs["connector sandbox-zendesk: credentials"].Detail)
	}
	if v := e.env.Server.Violations(); len(v) > 0 {
		t.Errorf("heard check broke the vendors' contracts: %v", v)
	}
	// The table form says the same.
	var table bytes.Buffer
	if code := run(t.Context(), []string{"check", "--config", e.path}, &table, &table); code != 0 || !strings.Contains(table.String(), "0 warnings, 0 errors") {
		t.Errorf("table: exit %d\n%s", code, table.String())
	}
}

func TestCheckFailures(t *testing.T) {
	tests := []struct {
		name     string
		readOnly bool
		edit     func(string) string
		extra    string
		only     string
		// want: check → status and a word of its fix.
		want   map[string][2]string
		hidden string // must not appear in the output
	}{
		{name: "bad token", only: "sandbox-zendesk",
			edit: func(s string) string { return strings.Replace(s, "sandbox-token-zendesk", "stale-token-zendesk", 1) },
			want: map[string][2]string{"connector sandbox-zendesk: credentials": {"error", "api_token"}}, hidden: "stale-token-zendesk"},
		{name: "token without write access", readOnly: true,
			want: map[string][2]string{
				"connector sandbox-zendesk: write access":   {"error", "agent or admin"},
				"connector sandbox-freshdesk: write access": {"error", "global ticket access"},
				"connector sandbox-intercom: write access":  {"error", "Inbox seat"},
			}},
		{name: "unknown subdomain",
			edit: func(s string) string { return strings.ReplaceAll(s, "/acme\"", "/acne\"") },
			want: map[string][2]string{
				"connector sandbox-zendesk: credentials":   {"error", "subdomain"},
				"connector sandbox-freshdesk: credentials": {"error", "domain"},
				"connector sandbox-intercom: credentials":  {"error", "access_token"},
			}},
		{name: "host that does not answer", only: "sandbox-freshdesk",
			edit: func(s string) string {
				i := strings.Index(s, "type: freshdesk")
				j := strings.Index(s[i:], "base_url: \"") + i + len("base_url: \"")
				k := strings.Index(s[j:], "\"") + j
				return s[:j] + "http://127.0.0.1:1/freshdesk/acme" + s[k:]
			},
			want: map[string][2]string{"connector sandbox-freshdesk: credentials": {"error", "reach"}}},
		{name: "unreachable store", only: "sandbox-zendesk",
			extra:  "database_url: postgres://heard:pw-hidden-123@127.0.0.1:1/heard?connect_timeout=2\n",
			want:   map[string][2]string{"store (postgres)": {"error", "database_url"}, "connector sandbox-zendesk: credentials": {"ok", ""}},
			hidden: "pw-hidden-123"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newCheckEnvNoMigrate(t, tc.readOnly, tc.edit, tc.extra)
			var args []string
			if tc.only != "" {
				args = []string{"--connector", tc.only}
			}
			code, rs, out := e.check(t, args...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (an error)\n%s", code, out)
			}
			for c, w := range tc.want {
				r, ok := rs[c]
				if !ok {
					t.Errorf("no result for %q:\n%s", c, out)
					continue
				}
				if r.Status != w[0] || !strings.Contains(r.Fix, w[1]) {
					t.Errorf("%s: %s %q fix %q; want %s with a fix mentioning %q", c, r.Status, r.Detail, r.Fix, w[0], w[1])
				}
			}
			if tc.hidden != "" && strings.Contains(out, tc.hidden) {
				t.Errorf("output shows a secret %q:\n%s", tc.hidden, out)
			}
			if tc.only != "" {
				for c := range rs {
					if strings.HasPrefix(c, "connector ") && !strings.HasPrefix(c, "connector "+tc.only+":") {
						t.Errorf("--connector %s also checked %q", tc.only, c)
					}
				}
			}
		})
	}
}

// newCheckEnvNoMigrate is newCheckEnv for configs whose store is not
// reachable: migrating first is skipped when the config names a database.
func newCheckEnvNoMigrate(t *testing.T, readOnly bool, edit func(string) string, extra string) *checkEnv {
	t.Helper()
	if strings.Contains(extra, "database_url") {
		env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: "http://127.0.0.1:1", Account: "acme", ReadOnly: readOnly, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = env.Close() })
		dir := t.TempDir()
		path := filepath.Join(dir, "heard.yaml")
		if err := os.WriteFile(path, []byte(env.ConnectorsYAML("shadow")+extra), 0o600); err != nil {
			t.Fatal(err)
		}
		return &checkEnv{env: env, dir: dir, path: path}
	}
	return newCheckEnv(t, readOnly, edit, extra)
}

func TestCheckPluginChecksumChanged(t *testing.T) {
	e := newCheckEnv(t, false, nil, "")
	bin := sdktest.Build(t, "github.com/heardhq/heard/sdk/examples/vip")
	exe := filepath.Join(e.dir, "vip")
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o700); err != nil { //nolint:gosec // a plugin binary must be executable
		t.Fatal(err)
	}
	cat, err := plugins.OpenCatalog(plugins.CatalogPath(e.path, ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := plugins.Install(t.Context(), cat, exe, "vip", 10*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	if code, rs, out := e.check(t); code != 0 || rs["plugin vip"].Status != "ok" {
		t.Fatalf("installed plugin: exit %d, plugin vip %+v\n%s", code, rs["plugin vip"], out)
	}
	if err := os.WriteFile(exe, append(b, "changed"...), 0o700); err != nil { //nolint:gosec // as above
		t.Fatal(err)
	}
	code, rs, out := e.check(t)
	r := rs["plugin vip"]
	if code != 1 || r.Status != "error" || !strings.Contains(r.Detail, "sha256") || !strings.Contains(r.Fix, "heard plugin install "+exe+" --name vip") {
		t.Errorf("changed plugin: exit %d, plugin vip %+v; want exit 1 and an error with the reinstall command\n%s", code, r, out)
	}
}

func TestCheckWarningsExitZero(t *testing.T) {
	// A store that was never migrated is a warning (heard serve migrates
	// it), not an error.
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: "http://127.0.0.1:1", Account: "acme", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	dir := t.TempDir()
	path := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(path, []byte("data_dir: "+filepath.Join(dir, "data")+"\n"+env.ConnectorsYAML("shadow")), 0o600); err != nil {
		t.Fatal(err)
	}
	e := &checkEnv{env: env, dir: dir, path: path}
	code, rs, out := e.check(t)
	if code != 0 || rs["store (sqlite)"].Status != "warning" || !strings.Contains(rs["store (sqlite)"].Fix, "heard migrate") {
		t.Errorf("exit %d, store %+v; want exit 0 with a warning to migrate\n%s", code, rs["store (sqlite)"], out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("heard check created the data directory (stat: %v); it must change nothing", err)
	}
}

func TestCheckUsage(t *testing.T) {
	e := newCheckEnv(t, false, nil, "")
	var out bytes.Buffer
	if code := run(t.Context(), []string{"check", "--config", e.path, "--connector", "nonesuch"}, &out, &out); code != 2 || !strings.Contains(out.String(), "nonesuch") {
		t.Errorf("unknown connector: exit %d\n%s", code, out.String())
	}
	bad := filepath.Join(e.dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("listen: :8080\nsubdomian: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	code := run(t.Context(), []string{"check", "--config", bad, "--json"}, &out, &bytes.Buffer{})
	var rs []checkResult
	if err := json.Unmarshal(out.Bytes(), &rs); err != nil {
		t.Fatalf("bad config: %v\n%s", err, out.String())
	}
	if code != 1 || len(rs) != 1 || rs[0].Check != "config" || rs[0].Status != "error" || !strings.Contains(rs[0].Detail, "subdomian") {
		t.Errorf("bad config: exit %d, %+v; want exit 1 and one config error naming the key", code, rs)
	}
}
