package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

// TestReportCommand: heard report reads the configured store and prints
// the week in each format; --connector filters.
func TestReportCommand(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		path := testConfig(t, dbURL, "")
		cfg, err := config.Load(path, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		st, err := openStore(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		c := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		if _, err := st.AddTimeline(t.Context(),
			store.TimelineEntry{Connector: "acme", TicketID: "1", Key: "created", Kind: store.TimelineCreated, At: c, Value: "new"},
			store.TimelineEntry{Connector: "acme", TicketID: "1", Key: "reply", Kind: store.TimelineAgentReply, At: c.Add(2 * time.Hour), Value: "m"},
			store.TimelineEntry{Connector: "acme", TicketID: "1", Key: "rating", Kind: store.TimelineRating, At: c.Add(3 * time.Hour), Value: "csat:4"},
			store.TimelineEntry{Connector: "beta", TicketID: "1", Key: "created", Kind: store.TimelineCreated, At: c, Value: "new"},
		); err != nil {
			t.Fatal(err)
		}
		_ = st.Close()

		var out, errb bytes.Buffer
		if code := run(t.Context(), []string{"report", "--config", path, "--week", "2026-W49", "--format", "json", "--connector", "acme"}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var r struct {
			Week   string `json:"week"`
			Volume struct {
				Total int `json:"total"`
			} `json:"volume"`
			FirstResponse struct {
				Mean *float64 `json:"mean_seconds"`
			} `json:"first_response"`
			CSAT struct {
				Mean *float64 `json:"mean"`
			} `json:"csat"`
			NPS struct {
				Score *float64 `json:"score"`
			} `json:"nps"`
		}
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("report --format json: %v\n%s", err, out.String())
		}
		if r.Week != "2026-W49" || r.Volume.Total != 1 || r.FirstResponse.Mean == nil || *r.FirstResponse.Mean != 7200 ||
			r.CSAT.Mean == nil || *r.CSAT.Mean != 4 || r.NPS.Score != nil {
			t.Errorf("report = %+v, want W49, 1 ticket, FRT 2h, CSAT 4, NPS unknown", r)
		}
		out.Reset()
		if code := run(t.Context(), []string{"report", "--config", path, "--week", "2026-W49"}, &out, &errb); code != 0 {
			t.Fatalf("text exit %d: %s", code, errb.String())
		}
		if !strings.Contains(out.String(), "Week 2026-W49") || !strings.Contains(out.String(), "2026-W49  2 tickets, FRT mean 2h") {
			t.Errorf("text report of all connectors:\n%s", out.String())
		}
		out.Reset()
		if code := run(t.Context(), []string{"report", "--config", path, "--week", "2026-W49", "--format", "html"}, &out, &errb); code != 0 {
			t.Fatalf("html exit %d: %s", code, errb.String())
		}
		if !strings.HasPrefix(out.String(), "<!DOCTYPE html>") || strings.Count(out.String(), "<svg") != 3 {
			t.Errorf("html report: want a page with 3 SVG charts:\n%.300s", out.String())
		}
	})
}

// TestReportCommandFlags: help goes to stdout, mistakes fail with a message.
func TestReportCommandFlags(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"report", "--help"}, 0, "--week 2026-W49", ""},
		{"bad week", []string{"report", "--week", "2026-49"}, 1, "", "want an ISO week like 2026-W49"},
		{"no such week", []string{"report", "--week", "2025-W53"}, 1, "", "has no week 53"},
		{"bad format", []string{"report", "--week", "2026-W49", "--format", "pdf"}, 1, "", `--format "pdf"`},
		{"unknown flag", []string{"report", "--since", "30d"}, 2, "", "unknown flag: --since"},
		{"extra argument", []string{"report", "acme"}, 2, "", "Usage: heard report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(t.Context(), tt.args, &out, &errb)
			if code != tt.code || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q", code, out.String(), errb.String(),
					tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}
