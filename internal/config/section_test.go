package config

import (
	"strings"
	"testing"
	"time"
)

func TestSectionDecode(t *testing.T) {
	type policy struct {
		Window Duration `yaml:"window"`
		Gate   struct {
			Threshold float64 `yaml:"threshold"`
		} `yaml:"gate"`
		Keep string `yaml:"keep"`
	}
	cases := []struct {
		name    string
		yaml    string
		wantErr string
		check   func(t *testing.T, p policy)
	}{
		{"absent section keeps defaults", "listen: \":9\"\n", "", func(t *testing.T, p policy) {
			if p.Keep != "default" || p.Gate.Threshold != 0.7 {
				t.Errorf("policy = %+v; want defaults kept", p)
			}
		}},
		{"decodes and keeps absent keys", "triage:\n  window: 2h\n  gate:\n    threshold: 0.9\n", "", func(t *testing.T, p policy) {
			if p.Window != Duration(2*time.Hour) || p.Gate.Threshold != 0.9 || p.Keep != "default" {
				t.Errorf("policy = %+v", p)
			}
		}},
		{"unknown nested key names key and line", "triage:\n  gate:\n    treshold: 0.9\n", `heard.yaml:3: triage: unknown key "treshold"`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parse([]byte(tc.yaml), "heard.yaml", func(string) string { return "" })
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			p := policy{Keep: "default"}
			p.Gate.Threshold = 0.7
			err = c.Triage.Decode("triage", &p)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Decode error = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			tc.check(t, p)
		})
	}
}
