package plugins_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/plugins"
)

// Fixture and example plugins, built once per test binary.
const (
	pkgVIP       = "github.com/heardhq/heard/sdk/examples/vip"
	pkgJSONDesk  = "github.com/heardhq/heard/sdk/examples/jsondesk"
	pkgMisbehave = "./testdata/misbehave"
	pkgV1        = "./testdata/v1plugin"
)

var builds struct {
	dir  string
	mu   sync.Mutex
	done map[string]string
}

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" { // a host process for TestHostDeathLeavesNoPluginBehind
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "heard-plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	builds.dir, builds.done = dir, map[string]string{}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// plugin returns a fresh copy of the plugin built from pkg (with extra go
// build flags), in the test's own directory, so tests may tamper with it.
func pluginBinary(tb testing.TB, pkg string, flags ...string) string {
	tb.Helper()
	key := pkg + " " + strings.Join(flags, " ")
	builds.mu.Lock()
	built, ok := builds.done[key]
	if !ok {
		built = filepath.Join(builds.dir, fmt.Sprintf("p%d-%s", len(builds.done), filepath.Base(pkg)))
		gobin, err := exec.LookPath("go") // go test puts its own go first on PATH
		if err != nil {
			builds.mu.Unlock()
			tb.Fatalf("building plugins: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		args := append(append([]string{"build", "-o", built}, flags...), pkg)
		out, err := exec.CommandContext(ctx, gobin, args...).CombinedOutput()
		cancel()
		if err != nil {
			builds.mu.Unlock()
			tb.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
		builds.done[key] = built
	}
	builds.mu.Unlock()
	dst := filepath.Join(tb.TempDir(), filepath.Base(pkg))
	copyFile(tb, built, dst)
	return dst
}

func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755) //nolint:gosec // G302: a plugin binary must be executable
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}

// logBuffer collects a test's logs and prints them when the test fails.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func testLogger(tb testing.TB) (*slog.Logger, *logBuffer) {
	tb.Helper()
	buf := &logBuffer{}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("host log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// section parses YAML whose top-level key is plugins into the Section the
// config package would hand over.
func section(tb testing.TB, doc string) config.Section {
	tb.Helper()
	var v struct {
		Plugins config.Section `yaml:"plugins"`
	}
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		tb.Fatalf("yaml: %v\n%s", err, doc)
	}
	return v.Plugins
}

// installed installs each binary into a fresh catalog and returns it.
func installed(tb testing.TB, log *slog.Logger, bins map[string]string) *plugins.Catalog {
	tb.Helper()
	cat, err := plugins.OpenCatalog(filepath.Join(tb.TempDir(), plugins.CatalogFile))
	if err != nil {
		tb.Fatal(err)
	}
	for name, bin := range bins {
		if _, _, err := plugins.Install(context.Background(), cat, bin, name, 30*time.Second, log); err != nil {
			tb.Fatalf("Install(%s): %v", bin, err)
		}
	}
	return cat
}

// load starts a host for the YAML plugins section and closes it at the end.
func load(tb testing.TB, catalogPath, doc string, log *slog.Logger) *plugins.Host {
	tb.Helper()
	h, err := plugins.Load(context.Background(), catalogPath, section(tb, doc), log)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	tb.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

// pidOf returns the running process of the plugin with the given ID.
func pidOf(tb testing.TB, h *plugins.Host, id string) int {
	tb.Helper()
	for _, s := range h.Status() {
		if s.ID == id {
			return s.PID
		}
	}
	tb.Fatalf("no plugin %q in %+v", id, h.Status())
	return 0
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
