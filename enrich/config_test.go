package enrich

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/internal/config"
)

// The triage section is decoded strictly all the way down, gates included
// (a gate has its own UnmarshalYAML, which once hid misspelled keys).
func TestTriageSectionUnknownKeys(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       string // "" for no error
	}{
		{"gate field typo", "triage:\n  gate:\n    fields:\n      priority:\n        treshold: 0.9\n", `:5: triage: unknown key "treshold" (did you mean "threshold"?)`},
		{"gate typo", "triage:\n  gate:\n    fileds: {}\n", `:3: triage: unknown key "fileds" (did you mean "fields"?)`},
		{"top-level typo", "triage:\n  signal_confidense: 0.4\n", `:2: triage: unknown key "signal_confidense"`},
		{"valid gate", "triage:\n  gate:\n    fields:\n      priority: {threshold: 0.9}\n", ""},
		{"regional holiday not a date", "triage:\n  sla:\n    calendar:\n      regional_holidays:\n        de: [\"2026-10-03\", \"2026-02-30\"]\n",
			`:5: triage: regional_holidays: de: holiday "2026-02-30": want YYYY-MM-DD`},
		{"regional holidays key typo", "triage:\n  sla:\n    calendar:\n      regional_holiday: {}\n", `:4: triage: unknown key "regional_holiday" (did you mean "regional_holidays"?)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "heard.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			tc2 := DefaultConfig()
			err = cfg.Triage.Decode("triage", &tc2)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if g := tc2.Gate.Fields["priority"]; !g.Enabled || g.Threshold != 0.9 {
					t.Errorf("priority gate = %+v; want enabled at 0.9", g)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), path+tc.want) {
				t.Errorf("Decode error = %v; want it to contain %q", err, path+tc.want)
			}
		})
	}
}
