package enrich

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// triage.sla_clock decodes strictly, keeps its defaults for keys not set,
// and is validated with the rest of the triage section.
func TestSLAClockConfig(t *testing.T) {
	load := func(t *testing.T, yaml string) (Config, error) {
		t.Helper()
		path := filepath.Join(t.TempDir(), "heard.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		tc := DefaultConfig()
		return tc, cfg.Triage.Decode("triage", &tc)
	}
	tc, err := load(t, "triage:\n  sla_clock:\n    every: 2m\n    default_priority: P2\n")
	if err != nil {
		t.Fatal(err)
	}
	if c := tc.SLAClock; c.Every != 2*time.Minute || c.DefaultPriority != sdk.P2 || c.TagPrefix != "heard-sla-" {
		t.Errorf("sla_clock = %+v; want every 2m, P2, the default prefix", c)
	}
	if err := tc.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if _, err := load(t, "triage:\n  sla_clock:\n    evry: 2m\n"); err == nil || !strings.Contains(err.Error(), `:3: triage: unknown key "evry"`) {
		t.Errorf("typo: %v; want the key and its line", err)
	}
	for _, bad := range []string{"every: 1s", "every: -1m", "default_priority: P9", `tag_prefix: ""`} {
		tc, err := load(t, "triage:\n  sla_clock:\n    "+bad+"\n")
		if err != nil {
			t.Fatalf("%s: decode: %v", bad, err)
		}
		if err := tc.Validate(); err == nil || !strings.Contains(err.Error(), "sla_clock") {
			t.Errorf("%s: Validate = %v; want an sla_clock error", bad, err)
		}
	}
}
