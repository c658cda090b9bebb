package plugins_test

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

// needPython skips when /usr/bin/python3 lacks the Python helper's Debian
// packages, except in CI, where that is a failure (scripts/python.sh
// installs them).
func needPython(tb testing.TB) {
	tb.Helper()
	err := exec.Command("/usr/bin/python3", "-c", "import grpc, google.protobuf, cryptography").Run()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("/usr/bin/python3 cannot import grpc, google.protobuf and cryptography (%v); scripts/python.sh installs them", err)
	}
	tb.Skipf("/usr/bin/python3 lacks the Python helper's packages (%v); run scripts/python.sh", err)
}

// pythonPlugin lays out the Python keyword classifier in a fresh
// directory: the script, a copy of the heard_plugin helper and model.txt,
// a data file it declares. It returns the script's path.
func pythonPlugin(tb testing.TB) string {
	tb.Helper()
	needPython(tb)
	dir := tb.TempDir()
	src := filepath.Join("..", "sdk", "python", "heard_plugin")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, "heard_plugin", rel)
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return os.MkdirAll(dst, 0o750)
		}
		copyFile(tb, p, dst)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	script := filepath.Join(dir, "keywords.py")
	copyFile(tb, filepath.Join("testdata", "pykeywords", "keywords.py"), script)
	if err := os.WriteFile(filepath.Join(dir, "model.txt"), []byte("outage down refund\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	return script
}

// A Python plugin installs, its declared files are hashed, it classifies
// through the host, and a change to any declared file is refused.
func TestPythonPluginThroughHost(t *testing.T) {
	script := pythonPlugin(t)
	dir := filepath.Dir(script)
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"pykw": script})
	e, ok := cat.Get("pykw")
	if !ok {
		t.Fatal("not in the catalog")
	}
	var paths []string
	for _, f := range e.Files {
		paths = append(paths, f.Path)
	}
	for _, want := range []string{filepath.Join(dir, "model.txt"), filepath.Join(dir, "heard_plugin", "_serve.py"),
		filepath.Join(dir, "heard_plugin", "_pb", "heard", "plugin", "v1", "plugin_pb2.py")} {
		if !slices.Contains(paths, want) {
			t.Errorf("declared files %v lack %s", paths, want)
		}
	}
	if slices.Contains(paths, script) {
		t.Errorf("declared files %v repeat the executable", paths)
	}

	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: pykw}]\n", log)
	cs := h.Classifiers("")
	if len(cs) != 1 {
		t.Fatalf("classifiers %+v; want the Python plugin", cs)
	}
	resp, err := cs[0].Impl.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: "Total outage", Messages: []sdk.Message{{Body: "need a refund"}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range resp.Predictions {
		got[p.Field] = p.Value
	}
	if got[sdk.FieldPriority] != "P0" || got[sdk.FieldProductArea] != "billing" || len(got) != 2 {
		t.Errorf("predictions %+v; want priority P0 and product_area billing", resp.Predictions)
	}
	sdktest.TestClassifier(t, cs[0].Impl)

	for _, changed := range []string{"model.txt", filepath.Join("heard_plugin", "errors.py")} {
		t.Run("changed "+changed, func(t *testing.T) {
			p := filepath.Join(dir, changed)
			orig, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.WriteFile(p, orig, 0o600) })
			if err := os.WriteFile(p, append(orig, '\n'), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := e.Verify(); !errors.Is(err, plugins.ErrChecksum) {
				t.Errorf("Verify after changing %s = %v; want ErrChecksum", changed, err)
			}
			if _, err := plugins.Probe(t.Context(), e, 0, log); !errors.Is(err, plugins.ErrChecksum) {
				t.Errorf("launching after changing %s = %v; want ErrChecksum", changed, err)
			}
		})
	}
}
