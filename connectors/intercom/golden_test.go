package intercom

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
// events (or, for a rejected payload, {"error": message}), marshalled with
// indentation, with testdata/<name>.golden.json. The connector knows admin
// 991 as its own and filters no app_id.
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
	if len(inputs) < 6 {
		t.Fatalf("found %d payloads in testdata, want at least 6", len(inputs))
	}
	cfg := baseConfig()
	cfg.AdminID = "991"
	c := newTestConnector(t, cfg, mustTime(t, "2025-01-08T15:00:00Z"))
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var out any
			evs, err := c.DecodeWebhook(http.Header{}, body)
			switch {
			case err != nil:
				out = map[string]string{"error": err.Error()}
			case evs == nil:
				out = []sdk.Event{}
			default:
				out = evs
			}
			got, err := json.MarshalIndent(out, "", "  ")
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
