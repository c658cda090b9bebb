package sdktest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

// TestServe runs the conformance suites on every capability opts sets:
// in-process, then over a real gRPC connection (plugin.TestClient) at each
// protocol version that can carry it. Settings given WithSettings are
// passed to opts.Configure first, directly and over the wire. When the
// classifier answers the same twice in-process, its answers over the wire
// must be identical too, which checks the conversions both ways.
func TestServe(t *testing.T, opts plugin.Options, suiteOpts ...Option) {
	s := newSuite(suiteOpts)
	if opts.Classifier == nil && opts.Enricher == nil && opts.Connector == nil {
		t.Fatal("sdktest.TestServe: Options sets no Classifier, Enricher or Connector")
	}
	cfg := &plugin.ConfigureRequest{Settings: s.settingsJSON(), Instance: "plugin.sdktest"}

	t.Run("in-process", func(t *testing.T) {
		if opts.Configure != nil {
			if err := opts.Configure(t.Context(), cfg); err != nil {
				t.Fatalf("Configure(%s): %v", cfg.Settings, err)
			}
		}
		if opts.Classifier != nil {
			t.Run("classifier", func(t *testing.T) { TestClassifier(t, opts.Classifier, suiteOpts...) })
		}
		if opts.Enricher != nil {
			t.Run("enricher", func(t *testing.T) { TestEnricher(t, opts.Enricher, suiteOpts...) })
		}
	})

	for v := plugin.MinProtocolVersion; v <= plugin.ProtocolVersion; v++ {
		t.Run(fmt.Sprintf("grpc protocol %d", v), func(t *testing.T) {
			classifier := opts.Classifier != nil && plugin.KindAllowed(v, plugin.KindClassifier)
			enricher := opts.Enricher != nil && plugin.KindAllowed(v, plugin.KindEnricher)
			connector := opts.Connector != nil && plugin.KindAllowed(v, plugin.KindConnector)
			if !classifier && !enricher && !connector {
				t.Skipf("protocol %d carries none of the capabilities set", v)
			}
			c := plugin.TestClient(t, opts, v)
			info, err := c.Info(t.Context())
			if err != nil {
				t.Fatalf("Info: %v", err)
			}
			if info.Protocol != v || info.Has(plugin.KindClassifier) != classifier ||
				info.Has(plugin.KindEnricher) != enricher || info.Has(plugin.KindConnector) != connector {
				t.Errorf("Info = %+v; want protocol %d, classifier %t, enricher %t, connector %t", info, v, classifier, enricher, connector)
			}
			if err := c.Configure(t.Context(), cfg); err != nil {
				t.Fatalf("Configure over gRPC: %v", err)
			}
			if err := c.CheckHealth(t.Context()); err != nil {
				t.Errorf("CheckHealth over gRPC: %v", err)
			}
			if classifier {
				t.Run("classifier", func(t *testing.T) { TestClassifier(t, c.Classifier(), suiteOpts...) })
				t.Run("same answers over the wire", func(t *testing.T) { sameAnswers(t, s, opts.Classifier, c.Classifier()) })
			}
			if enricher {
				t.Run("enricher", func(t *testing.T) { TestEnricher(t, c.Enricher(), suiteOpts...) })
			}
		})
	}
}

func (s *suite) settingsJSON() []byte {
	if len(s.settings) == 0 {
		return []byte("{}")
	}
	return s.settings
}

// sameAnswers compares remote predictions with local ones on every sample
// when local is deterministic. A classifier whose answers vary (map order,
// clocks) is compared against a few local answers, and skipped when it
// varies even between two local calls.
func sameAnswers(t *testing.T, s *suite, local, remote sdk.Classifier) {
	t.Helper()
	for _, tk := range s.tickets {
		req := func() *sdk.ClassifyRequest {
			return &sdk.ClassifyRequest{Ticket: cloneTicket(tk), Attrs: cloneAttrs(s.attrs), Fields: cloneFields(s.fields)}
		}
		a, errA := local.Classify(t.Context(), req())
		b, errB := local.Classify(t.Context(), req())
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Logf("ticket %s: the classifier is not deterministic in-process; skipping the comparison", tk.Ref.ID)
			continue
		}
		r, err := remote.Classify(t.Context(), req())
		if err != nil {
			t.Errorf("ticket %s over gRPC: %v", tk.Ref.ID, err)
			continue
		}
		same := func(l *sdk.ClassifyResponse) bool {
			return (len(l.Predictions) == 0 && len(r.Predictions) == 0) || reflect.DeepEqual(l.Predictions, r.Predictions)
		}
		ok := same(a)
		for i := 0; i < 3 && !ok; i++ {
			if l, err := local.Classify(t.Context(), req()); err == nil {
				ok = same(l)
			}
		}
		if !ok {
			t.Errorf("ticket %s: over gRPC got %+v; in-process %+v", tk.Ref.ID, r.Predictions, a.Predictions)
		}
	}
}

// Build compiles the Go main package pkg (an import path or a ./relative
// directory, as for `go build`) into a fresh temporary directory and
// returns the binary's path. flags are extra `go build` flags, such as
// "-ldflags=-X main.version=1.1.0". It needs the go command, which tests
// have.
func Build(tb testing.TB, pkg string, flags ...string) string {
	tb.Helper()
	name := filepath.Base(strings.TrimSuffix(pkg, "/"))
	if abs, err := filepath.Abs(pkg); err == nil && strings.HasPrefix(pkg, ".") {
		name = filepath.Base(abs)
	}
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	out := filepath.Join(tb.TempDir(), name)
	gobin, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		tb.Fatalf("sdktest.Build: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append(append([]string{"build", "-o", out}, flags...), pkg)
	cmd := exec.CommandContext(ctx, gobin, args...) //nolint:gosec // G204: go build of the package the test names
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, stderr.String())
	}
	return out
}

// Launch starts the plugin binary at path the way heard does (gRPC only,
// automatic mTLS, no inherited environment), passes it the settings given
// WithSettings, and returns its client. The plugin's logs go to the test
// log; the process is killed when the test ends.
func Launch(tb testing.TB, path string, opts ...Option) *plugin.Client {
	tb.Helper()
	s := newSuite(opts)
	tw := &testWriter{tb: tb}
	tb.Cleanup(tw.stop)
	c, stop, err := plugin.Launch(path, tw, 30*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Configure(ctx, &plugin.ConfigureRequest{Settings: s.settingsJSON(), Instance: "plugin.sdktest"}); err != nil {
		tb.Fatalf("plugin %s: Configure: %v", path, err)
	}
	return c
}

// testWriter sends lines to the test log until the test is over.
type testWriter struct {
	mu   sync.Mutex
	tb   testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.tb.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}
