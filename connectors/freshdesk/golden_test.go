package freshdesk

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current decoder")

// TestDecodeGolden decodes every testdata/*.json payload and compares the
// events, marshalled with indentation, with testdata/<name>.golden.json.
// Bodies without updated_at get the body-hash ID and the clock's time.
func TestDecodeGolden(t *testing.T) {
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
	if len(inputs) < 3 {
		t.Fatalf("found %d payloads in testdata, want at least 3", len(inputs))
	}
	c := newTestConnector(t, baseConfig(), mustTime(t, "2025-01-08T15:00:00Z"))
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.VerifyWebhook(secretHeader(testSecret), body); err != nil {
				t.Fatalf("VerifyWebhook() = %v, want nil", err)
			}
			evs, err := c.DecodeWebhook(http.Header{}, body)
			if err != nil {
				t.Fatalf("DecodeWebhook() error = %v, want nil", err)
			}
			if evs == nil {
				evs = []sdk.Event{}
			}
			got, err := json.MarshalIndent(evs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decoded %s:\ngot:\n%s\nwant:\n%s", in, got, want)
			}
		})
	}
}
