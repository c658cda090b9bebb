package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"90s", 90 * time.Second, false},
		{"1m30s", 90 * time.Second, false},
		{"30d", 30 * 24 * time.Hour, false},
		{"2w", 14 * 24 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"1.5d", 36 * time.Hour, false},
		{"1w2d3h", (9*24 + 3) * time.Hour, false},
		{"-2d", -48 * time.Hour, false},
		{"250ms", 250 * time.Millisecond, false},
		{"0", 0, false},
		{"d", 0, true},
		{"30", 0, true},
		{"3x", 0, true},
		{"1..5d", 0, true},
		{"", 0, true},
	}
	for _, tc := range cases {
		got, err := ParseDuration(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// Duration is a pflag.Value: Set, String and Type.
func TestDurationFlagValue(t *testing.T) {
	var d Duration
	if err := d.Set("7d"); err != nil || d.Std() != 7*24*time.Hour {
		t.Fatalf("Set(7d) = %v, %v", d, err)
	}
	if d.String() != "168h0m0s" || d.Type() != "duration" {
		t.Errorf("String %q, Type %q", d.String(), d.Type())
	}
	if err := d.Set("7 days"); err == nil || !strings.Contains(err.Error(), "invalid duration") {
		t.Errorf("Set(7 days) = %v; want an invalid duration error", err)
	}
}

// Days and weeks work in the config file for Duration fields and for
// plain time.Duration fields of sections other packages decode.
func TestConfigDurationsInDays(t *testing.T) {
	c, err := parse([]byte("queue:\n  retry_max: 1d\ntriage:\n  window: 2w\n  every: 1d12h\n  bad: 3x\n"), "heard.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if c.Queue.RetryMax != Duration(24*time.Hour) {
		t.Errorf("queue.retry_max = %v; want 24h", c.Queue.RetryMax)
	}
	var p struct {
		Window time.Duration `yaml:"window"`
		Every  Duration      `yaml:"every"`
		Bad    time.Duration `yaml:"bad"`
	}
	err = c.Triage.Decode("triage", &p)
	if err == nil || !strings.Contains(err.Error(), "3x") {
		t.Errorf("decoding bad: 3x = %v; want an error naming it", err)
	}
	p.Bad = 0
	c, err = parse([]byte("triage:\n  window: 2w\n  every: 1d12h\n"), "heard.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := c.Triage.Decode("triage", &p); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if p.Window != 14*24*time.Hour || p.Every != Duration(36*time.Hour) {
		t.Errorf("window %v, every %v; want 336h and 36h", p.Window, p.Every)
	}
}
