package typescript_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// BenchmarkClassify compares one classifier call to the same keyword
// classifier written in Go (plugins/testdata/keywords), Python
// (plugins/testdata/pykeywords with sdk/python) and TypeScript
// (test/fixtures/keywords with this helper), each launched the same way
// (plugin.Launch: a Unix socket, automatic mTLS, no host environment, so
// the Go plugin keeps Go's default GOMAXPROCS). It reports p50 and p99
// latency and calls/s from one caller.
//
//	go test -run '^$' -bench Classify -benchtime 5000x ./sdk/typescript/
func BenchmarkClassify(b *testing.B) {
	req := &sdk.ClassifyRequest{Ticket: sdktest.Tickets()[1], Fields: sdktest.Fields()}
	b.Run("go", func(b *testing.B) {
		measure(b, launch(b, sdktest.Build(b, "github.com/heardhq/heard/plugins/testdata/keywords")), req)
	})
	b.Run("python", func(b *testing.B) {
		if err := exec.Command("/usr/bin/python3", "-c", "import grpc, google.protobuf, cryptography").Run(); err != nil {
			b.Skipf("no Python helper packages (%v); run scripts/python.sh", err)
		}
		measure(b, launch(b, pythonKeywords(b)), req)
	})
	b.Run("typescript", func(b *testing.B) {
		needNode(b)
		measure(b, launch(b, abs(b, "test", "fixtures", "keywords")), req)
	})
}

func launch(b *testing.B, path string) sdk.Classifier {
	b.Helper()
	c, stop, err := plugin.Launch(path, testLogTB{b}, 30*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	if err := c.Configure(b.Context(), &plugin.ConfigureRequest{Settings: []byte(`{}`)}); err != nil {
		b.Fatal(err)
	}
	return c.Classifier()
}

// pythonKeywords lays out the Python keyword classifier beside a copy of
// the heard_plugin helper and the model.txt it declares.
func pythonKeywords(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	src := filepath.Join("..", "python", "heard_plugin")
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
		return copyFile(p, dst, 0o600)
	})
	if err != nil {
		b.Fatal(err)
	}
	script := filepath.Join(dir, "keywords.py")
	if err := copyFile(filepath.Join("..", "..", "plugins", "testdata", "pykeywords", "keywords.py"), script, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "model.txt"), []byte("outage down refund\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	return script
}

func copyFile(src, dst string, mode os.FileMode) error {
	data, err := os.ReadFile(src) //nolint:gosec // test files under the repository
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, mode)
}

// measure is sdktest.MeasureClassify after 200 warm-up calls.
func measure(b *testing.B, c sdk.Classifier, req *sdk.ClassifyRequest) {
	b.Helper()
	sdktest.MeasureClassify(b, c, req, 200)
}

type testLogTB struct{ tb testing.TB }

func (w testLogTB) Write(p []byte) (int, error) {
	w.tb.Log(string(p))
	return len(p), nil
}
