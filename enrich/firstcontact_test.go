package enrich

import (
	"strings"
	"testing"

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
