package enrich

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// TestFirstContactIsAFact checks that a how-to goes to onboarding only when
// the facts say the requester is new, and that text alone never decides.
func TestFirstContactIsAFact(t *testing.T) {
	day := func(d int) string { return monday10.AddDate(0, 0, d).Format("2006-01-02") }
	tests := []struct {
		name      string
		signup    string
		recent    int
		wantRoute string
		wantWhy   string
	}{
		{name: "signed up 5 days ago, no history", signup: day(-5), wantRoute: "onboarding-team", wantWhy: "signed up 5 days ago"},
		{name: "signed up 5 days ago but other tickets listed", signup: day(-5), recent: 2, wantRoute: "support", wantWhy: "2 other ticket(s)"},
		{name: "customer for a year", signup: day(-365), wantRoute: "support", wantWhy: "existing customer"},
		{name: "nothing known", wantRoute: "support", wantWhy: "first contact unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := newDecider(t, nil)
			tk := ticket("business", "420")
			tk.Subject = "We just signed up: how do I invite my team?"
			if tc.signup != "" {
				tk.Customer[sdk.AttrSignupDate] = tc.signup
			}
			for i := range tc.recent {
				tk.Recent = append(tk.Recent, sdk.TicketRef{Connector: "acme", ID: string(rune('a' + i))})
			}
			preds := []sdk.Prediction{p(sdk.FieldPriority, "P3", 0.8), p(sdk.FieldPrimaryTag, "account", 0.9), p(sdk.FieldSecondaryTag, "how-to", 0.8)}
			d, ch := tr.decide(t.Context(), tk, nil, preds, config.ModeLive)
			if d.Route.Route != tc.wantRoute {
				t.Errorf("route %s (rule %q); want %s", d.Route.Route, d.Route.Rule, tc.wantRoute)
			}
			if !strings.Contains(d.FirstContact, tc.wantWhy) || !strings.Contains(ch.InternalNote, tc.wantWhy) {
				t.Errorf("first contact %q, note:\n%s\nwant %q in both", d.FirstContact, ch.InternalNote, tc.wantWhy)
			}
		})
	}
}

// TestNoteSaysWhatTheGatesHeldBack checks the note's "Not written" lines for
// each gate reason.
func TestNoteSaysWhatTheGatesHeldBack(t *testing.T) {
	tests := []struct {
		name  string
		mode  config.Mode
		gates func(*Config)
		preds []sdk.Prediction
		want  []string
		never []string
	}{
		{name: "below threshold", mode: config.ModeLive,
			preds: []sdk.Prediction{p(sdk.FieldPriority, "P2", 0.6), p(sdk.FieldPrimaryTag, "billing", 0.9)},
			want:  []string{"- priority P2 not written: confidence 0.60 < threshold 0.70"}, never: []string{"billing not written"}},
		{name: "disabled gate", mode: config.ModeLive,
			gates: func(c *Config) { g := c.Gate.Fields["tags"]; g.Enabled = false; c.Gate.Fields["tags"] = g },
			preds: []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.9), p(sdk.FieldPrimaryTag, "billing", 0.9)},
			want:  []string{"- primary tag billing not written: the tags gate is disabled"}, never: []string{"priority P1 not written"}},
		{name: "superseded", mode: config.ModeLive,
			preds: []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.9), p(sdk.FieldPriority, "P2", 0.8)},
			want:  []string{"- priority P2 not written: a more confident prediction took its place"}, never: []string{"priority P1 not written"}},
		{name: "shadow mode", mode: config.ModeShadow,
			preds: []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.9), p(sdk.FieldPriority, "P3", 0.5)},
			want: []string{`- priority P1 not written: shadow mode (connector mode "shadow"); live mode would write it`,
				"- priority P3 not written: confidence 0.50 < threshold 0.70"}},
		{name: "everything written", mode: config.ModeLive,
			preds: []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.9)}, never: []string{"Not written to the ticket"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Gate.Fields = maps.Clone(cfg.Gate.Fields)
			if tc.gates != nil {
				tc.gates(&cfg)
			}
			tr, err := New(cfg, Deps{})
			if err != nil {
				t.Fatal(err)
			}
			tr.now = func() time.Time { return monday10 }
			d, _ := tr.decide(t.Context(), ticket("business", "300"), nil, tc.preds, tc.mode)
			for _, w := range tc.want {
				if !strings.Contains(d.Note, w) {
					t.Errorf("note lacks %q:\n%s", w, d.Note)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(d.Note, n) {
					t.Errorf("note has %q:\n%s", n, d.Note)
				}
			}
		})
	}
}

// TestRegionHolidaysInTheDecision checks that the customer's region
// attribute brings its holidays to the SLA clock and the note says so.
func TestRegionHolidaysInTheDecision(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SLA.Calendar.RegionalHolidays = map[string]sla.Dates{"de": {"2026-11-24"}} // the Tuesday after monday10
	tr, err := New(cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	preds := []sdk.Prediction{p(sdk.FieldPriority, "P3", 0.9)}
	plain, _ := tr.decide(t.Context(), ticket("business", "300"), nil, preds, config.ModeLive)
	tk := ticket("business", "300")
	tk.Customer["region"] = "de"
	de, _ := tr.decide(t.Context(), tk, nil, preds, config.ModeLive)
	if plain.SLA == nil || de.SLA == nil {
		t.Fatal("no SLA")
	}
	// P3: 24 business hours at 8 a day; a closed Tuesday adds one day.
	if got := de.SLA.FirstResponseDue.Sub(plain.SLA.FirstResponseDue); got != 24*time.Hour {
		t.Errorf("region de moved the first response by %v; want 24h (%v vs %v)", got, de.SLA.FirstResponseDue, plain.SLA.FirstResponseDue)
	}
	if !strings.Contains(de.Note, "business hours, de holidays") || strings.Contains(plain.Note, "holidays") {
		t.Errorf("notes do not say which holidays applied:\n%s\n---\n%s", de.Note, plain.Note)
	}
}
