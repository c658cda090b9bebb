package plugins_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

func TestCatalogPath(t *testing.T) {
	cases := []struct{ name, file, data, want string }{
		{"next to the config file", "/etc/heard/heard.yaml", "/var/lib/heard", "/etc/heard/plugins.json"},
		{"data dir without a config file", "", "/var/lib/heard", "/var/lib/heard/plugins.json"},
		{"relative config file", "heard.yaml", "./heard-data", "plugins.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := plugins.CatalogPath(tc.file, tc.data); got != tc.want {
				t.Errorf("CatalogPath(%q, %q) = %q; want %q", tc.file, tc.data, got, tc.want)
			}
		})
	}
}

func TestCatalogRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "conf", "plugins.json")
	cat, err := plugins.OpenCatalog(path)
	if err != nil || len(cat.Entries()) != 0 {
		t.Fatalf("OpenCatalog(missing) = %v, %v; want an empty catalog", cat, err)
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, n := range []string{"zeta", "alpha"} {
		cat.Put(plugins.Entry{Name: n, Kinds: []sdkplugin.Kind{sdkplugin.KindClassifier}, Version: "1.0.0", Protocol: 2,
			Path: "/opt/" + n, SHA256: strings.Repeat("ab", 32), InstalledAt: at})
	}
	if prev := cat.Put(plugins.Entry{Name: "zeta", Version: "2.0.0", Path: "/opt/zeta2", SHA256: strings.Repeat("cd", 32)}); prev == nil || prev.Version != "1.0.0" {
		t.Errorf("Put over zeta returned %+v; want the 1.0.0 entry", prev)
	}
	if err := cat.Save(); err != nil {
		t.Fatal(err)
	}
	again, err := plugins.OpenCatalog(path)
	if err != nil {
		t.Fatal(err)
	}
	es := again.Entries()
	if len(es) != 2 || es[0].Name != "alpha" || es[1].Version != "2.0.0" || !es[0].InstalledAt.Equal(at) {
		t.Errorf("entries after a round trip: %+v", es)
	}
	data, _ := os.ReadFile(path)
	for _, key := range []string{`"name"`, `"kinds"`, `"version"`, `"path"`, `"sha256"`, `"installed_at"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("catalog file lacks %s:\n%s", key, data)
		}
	}
	if _, err := again.Remove("alpha"); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Remove("alpha"); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Remove(twice) = %v; want ErrNotFound", err)
	}
}

func TestOpenCatalogRejectsBadFiles(t *testing.T) {
	for name, content := range map[string]string{
		"not json":      "{",
		"wrong version": `{"version": 2, "plugins": []}`,
		"unknown key":   `{"version": 1, "plugins": [{"name": "x", "colour": "red"}]}`,
		"bad name":      `{"version": 1, "plugins": [{"name": "X Y"}]}`,
		"duplicate":     `{"version": 1, "plugins": [{"name": "x"}, {"name": "x"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "plugins.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := plugins.OpenCatalog(path); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("OpenCatalog = %v; want ErrInvalid", err)
			}
		})
	}
}

func TestEntryVerify(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "p")
	if err := os.WriteFile(bin, []byte("binary"), 0o700); err != nil {
		t.Fatal(err)
	}
	sum, err := plugins.Sum(bin)
	if err != nil {
		t.Fatal(err)
	}
	e := plugins.Entry{Name: "p", Path: bin, SHA256: sum}
	if err := e.Verify(); err != nil {
		t.Errorf("Verify(unchanged) = %v", err)
	}
	if err := os.WriteFile(bin, []byte("changed"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(); !errors.Is(err, plugins.ErrChecksum) || !strings.Contains(err.Error(), `plugin "p"`) {
		t.Errorf("Verify(changed) = %v; want ErrChecksum naming the plugin", err)
	}
	e.Path += ".gone"
	if err := e.Verify(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Verify(missing) = %v; want fs.ErrNotExist", err)
	}
	e.SHA256 = "xyz"
	if err := e.Verify(); !errors.Is(err, plugins.ErrChecksum) {
		t.Errorf("Verify(bad recorded sum) = %v; want ErrChecksum", err)
	}
}

// Verify covers the files a plugin declared, not only its executable.
func TestVerifyCoversDeclaredFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	exe, mod := write("plugin.py", "#!/usr/bin/python3\n"), write("rules.py", "RULES = ()\n")
	sum := func(p string) string {
		s, err := plugins.Sum(p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	e := plugins.Entry{Name: "py", Path: exe, SHA256: sum(exe), Files: []plugins.FileSum{{Path: mod, SHA256: sum(mod)}}}
	if err := e.Verify(); err != nil {
		t.Fatalf("Verify of unchanged files: %v", err)
	}
	write("rules.py", "RULES = ('evil',)\n")
	err := e.Verify()
	if !errors.Is(err, plugins.ErrChecksum) || !strings.Contains(err.Error(), mod) {
		t.Errorf("Verify after a declared file changed = %v; want ErrChecksum naming %s", err, mod)
	}
	if err := os.Remove(mod); err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Verify after a declared file vanished = %v; want fs.ErrNotExist", err)
	}
}
