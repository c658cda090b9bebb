package connectortest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden runs decode on every testdata/*.json payload (golden files
// excepted) in a subtest named after the file, marshals what it returns
// with indentation and compares it with testdata/<name>.golden.json; with
// update set it rewrites the golden files instead. It fails when fewer than
// min payloads are found, so a moved testdata folder cannot pass silently.
func Golden(t *testing.T, min int, update bool, decode func(t *testing.T, body []byte) any) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, p := range paths {
		if !strings.HasSuffix(p, ".golden.json") {
			inputs = append(inputs, p)
		}
	}
	if len(inputs) < min {
		t.Fatalf("found %d payloads in testdata, want at least %d", len(inputs), min)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(in) //nolint:gosec // a testdata path found by Glob
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(decode(t, body), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden.json")
			if update {
				if err := os.WriteFile(golden, got, 0o600); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden) //nolint:gosec // the testdata golden file next to it
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decoded %s:\ngot:\n%s\nwant:\n%s", in, got, want)
			}
		})
	}
}
