package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/heardhq/heard/internal/store"
)

// TestReportUnknownNotZero: a week without ratings, solves or decisions
// reports those metrics as unknown (null in JSON), never 0.
func TestReportUnknownNotZero(t *testing.T) {
	s := openSQLite(t)
	sd := &seeder{t: t, s: s}
	sd.entry("9", store.TimelineCreated, at(12, 1, 9, 0), "new") // no decision, no reply, no rating
	r, err := Build(t.Context(), s, Options{Week: w49, Now: now})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if r.Volume.Total != 1 {
		t.Fatalf("volume = %d, want 1", r.Volume.Total)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	get := func(path ...string) (any, bool) {
		var v any = m
		for _, p := range path {
			o, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = o[p]; !ok {
				return nil, false
			}
		}
		return v, true
	}
	for _, path := range [][]string{{"csat", "mean"}, {"csat", "satisfied_percent"}, {"nps", "score"}, {"first_response", "mean_seconds"},
		{"sla", "percent"}, {"resolution", "p95_seconds"}, {"first_contact_resolution", "percent"}, {"reopen", "percent"},
		{"automation", "percent"}, {"escalation", "percent"}, {"deflection", "percent"}, {"customers", "tickets_per_customer"}} {
		v, ok := get(path...)
		if !ok || v != nil {
			t.Errorf("%v = %v (present %v), want null", path, v, ok)
		}
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"unknown (no ratings given", "unknown (no NPS ratings",
		"automation (auto-replies sent)  unknown (heard recorded no decisions", "first-contact resolution  unknown"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "0.0%") {
		t.Errorf("text shows a 0.0%% for an unknown metric:\n%s", text.String())
	}
}

// TestReportFormats renders the hand-worked week in each format.
func TestReportFormats(t *testing.T) {
	s := openSQLite(t)
	seedWeek(t, s)
	r, err := Build(t.Context(), s, Options{Week: w49, Connector: "acme", Now: now})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	render := func(f func(*bytes.Buffer) error) string {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	text := render(func(b *bytes.Buffer) error { return r.WriteText(b) })
	for _, want := range []string{"Week 2026-W49", "mean 3h30m, p95 12h", "50.0% (met 2, breached 2", "75.0% (3 of 4)",
		"alice", "cancel_intent, competitor", "reporting 1 (+1)", "acme/5, created 2026-11-24 10:00:00, open 12d 14h"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	md := render(func(b *bytes.Buffer) error { return r.WriteMarkdown(b) })
	for _, want := range []string{"# Support report, 2026-W49", "## Voice of the customer", "| SLA compliance | 50.0% (met 2"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	page := render(func(b *bytes.Buffer) error { return r.WriteHTML(b) })
	for _, want := range []string{"<!DOCTYPE html>", `<svg id="chart-volume"`, `<svg id="chart-frt"`, `<svg id="chart-mix"`,
		"2026-W49 P1: 2", "P1 SLA 4h", "P1: 2</title>"} {
		if !strings.Contains(page, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	for _, banned := range []string{"http://", "https://", "<script", "src=", "@import", "url("} {
		if strings.Contains(page, banned) {
			t.Errorf("html contains %q: it must render without network access or scripts", banned)
		}
	}
	js := render(func(b *bytes.Buffer) error { return r.WriteJSON(b) })
	var back Report
	if err := json.Unmarshal([]byte(js), &back); err != nil {
		t.Fatalf("JSON does not decode: %v", err)
	}
	if back.Week != "2026-W49" || back.Volume.Total != 5 || !near(back.SLA.Percent, 50) {
		t.Errorf("JSON round trip = %s %d %v", back.Week, back.Volume.Total, back.SLA.Percent)
	}
}
