package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/sdk"
)

func p(field, value string, conf float64) sdk.Prediction {
	return sdk.Prediction{Field: field, Value: value, Confidence: conf, Reason: "test: " + value, Source: "classify.rules"}
}

// monday10 is a business-hours moment in the default (UTC) calendar.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newDecider(t *testing.T, similar SimilarCounter) *Decider {
	t.Helper()
	tr, err := New(DefaultConfig(), Deps{Similar: similar})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	return tr
}

func ticket(plan, mrr string) *sdk.Ticket {
	return &sdk.Ticket{
		Ref: sdk.TicketRef{Connector: "acme", ID: "77"}, Subject: "Question about <b>exports</b>", CreatedAt: monday10,
		Requester: sdk.Party{ID: "u1", Name: "Ana"}, Organization: sdk.Party{Name: "Northwind"},
		Customer: map[string]string{sdk.AttrPlan: plan, sdk.AttrMRR: mrr},
		Messages: []sdk.Message{{Body: "hello"}},
	}
}

func hasFlag(d *Explanation, name string) bool {
	return slices.ContainsFunc(d.Route.Flags, func(f route.Flag) bool { return f.Name == name })
}

func hasEscalation(d *Explanation, trigger string) bool {
	return slices.ContainsFunc(d.Route.Escalations, func(n route.Notice) bool { return n.Trigger == trigger })
}

func TestSecurityReportIsForcedToP0AndEscalated(t *testing.T) {
	tr := newDecider(t, nil)
	preds := []sdk.Prediction{p(sdk.FieldPriority, "P2", 0.8), p(sdk.FieldPrimaryTag, "security", 0.9), p(sdk.FieldSignalSecurity, "true", 0.9)}
	d, ch := tr.decide(t.Context(), ticket("business", "300"), nil, preds, config.ModeLive)
	if d.Priority != sdk.P0 || d.Route.Route != "security-team" || !strings.Contains(d.PriorityReason, "forces P0") {
		t.Errorf("priority %s route %s (%s); want P0 via the security routing rule", d.Priority, d.Route.Route, d.PriorityReason)
	}
	if ch.Priority == nil || *ch.Priority != sdk.P0 {
		t.Errorf("write-back priority = %v; want P0", ch.Priority)
	}
	if d.SLA == nil || d.SLA.BusinessHours || !d.SLA.FirstResponseDue.Equal(monday10.Add(15*time.Minute)) {
		t.Errorf("SLA = %+v; want 24/7 with first response in 15 min", d.SLA)
	}
	if !hasFlag(d, route.FlagEscalateNow) || !hasFlag(d, route.FlagNeverAutoResolve) || !hasEscalation(d, "security-incident") {
		t.Errorf("flags %+v escalations %+v; want escalate-now, never-auto-resolve and a security escalation", d.Route.Flags, d.Route.Escalations)
	}
	if !strings.Contains(ch.InternalNote, "security-team") || !strings.Contains(ch.InternalNote, "Escalation") {
		t.Errorf("note lacks the route or the escalation:\n%s", ch.InternalNote)
	}
}

func TestCancellationWithCompetitorFromHighMRR(t *testing.T) {
	tr := newDecider(t, nil)
	preds := []sdk.Prediction{p(sdk.FieldPriority, "P2", 0.7), p(sdk.FieldPrimaryTag, "churn-risk", 0.9),
		p(sdk.FieldSignalCancel, "true", 0.9), p(sdk.FieldSignalCompetitor, "Freshdesk", 0.8), p(sdk.FieldSentiment, "negative", 0.7)}
	d, _ := tr.decide(t.Context(), ticket("business", "1500"), nil, preds, config.ModeShadow)
	if d.Churn.Score != 60 || d.Churn.Level != "high" || !d.Churn.RetentionFlow {
		t.Errorf("churn = %+v; want 60 (cancel 40 + competitor 20), high, retention flow", d.Churn)
	}
	if !slices.Contains(d.Churn.Unknown, "usage_drop") || !slices.Contains(d.Churn.Unknown, "no_login") {
		t.Errorf("unknown attributes not reported: %+v", d.Churn.Unknown)
	}
	if !strings.Contains(d.Churn.Offer, "3 months free") {
		t.Errorf("offer = %q; want the $500–2000 band's offer", d.Churn.Offer)
	}
	if !hasEscalation(d, "cancel-high-mrr") || !hasFlag(d, route.FlagRetentionFlow) {
		t.Errorf("escalations %+v flags %+v; want the MRR>1000 cancellation escalation and the retention flow", d.Route.Escalations, d.Route.Flags)
	}
}

func TestShadowWritesNothingButShowsWhatLiveWould(t *testing.T) {
	tr := newDecider(t, nil)
	preds := []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.9), p(sdk.FieldPrimaryTag, "billing", 0.9)}
	d, ch := tr.decide(t.Context(), ticket("pro", "90"), nil, preds, config.ModeShadow)
	if !ch.Empty() {
		t.Errorf("shadow changes = %+v; want none", ch)
	}
	would := 0
	for _, g := range d.Gate {
		if g.Written {
			t.Errorf("gate decision %+v written in shadow mode", g)
		}
		if g.WouldWrite {
			would++
		}
	}
	if would < 2 {
		t.Errorf("gate %+v; want priority and tag marked would-write", d.Gate)
	}
	_, live := tr.decide(t.Context(), ticket("pro", "90"), nil, preds, config.ModeLive)
	if live.Priority == nil || *live.Priority != sdk.P1 || !slices.Contains(live.AddTags, "billing") || live.InternalNote == "" {
		t.Errorf("live changes = %+v; want P1, billing and the note", live)
	}
}

func TestLowConfidenceIsNotWritten(t *testing.T) {
	tr := newDecider(t, nil)
	_, ch := tr.decide(t.Context(), ticket("pro", "90"), nil, []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.3), p(sdk.FieldPrimaryTag, "billing", 0.2)}, config.ModeLive)
	if ch.Priority != nil || len(ch.AddTags) != 0 {
		t.Errorf("changes %+v; want nothing below the thresholds written (only the note)", ch)
	}
}

func TestSameIssueFromSeveralCustomers(t *testing.T) {
	var gotCategory, gotRequester string
	tr := newDecider(t, func(_ context.Context, connector, category, requester string, since time.Time) (int, error) {
		gotCategory, gotRequester = category, requester
		if connector != "acme" || !since.Equal(monday10.Add(-24*time.Hour)) {
			t.Errorf("similar(%s, since %v); want acme and 24h back", connector, since)
		}
		return 2, nil
	})
	d, _ := tr.decide(t.Context(), ticket("pro", "90"), nil, []sdk.Prediction{p(sdk.FieldPrimaryTag, "bug", 0.8)}, config.ModeShadow)
	if d.SimilarRecent != 3 || !hasFlag(d, route.FlagProductTeam) || gotCategory != "bug" || gotRequester != "u1" {
		t.Errorf("similar=%d flags=%+v (asked %s/%s); want 3 customers and the product-team flag", d.SimilarRecent, d.Route.Flags, gotCategory, gotRequester)
	}
}

func TestDecideResultIsRecordedTyped(t *testing.T) {
	tr := newDecider(t, nil)
	tk := ticket("enterprise", "5000")
	tk.Subject = `<script>alert(1)</script> lawyer`
	res, err := tr.Decide(t.Context(), &pipeline.DecideRequest{Ticket: tk, Mode: config.ModeLive,
		Predictions: []sdk.Prediction{p(sdk.FieldSignalLegal, "true", 0.9), p(sdk.FieldPrimaryTag, "performance", 0.3), p(sdk.FieldPrimaryTag, "billing", 0.9)}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Category != "billing" || res.Requester != "u1" {
		t.Errorf("category %q requester %q; want the most confident primary tag billing and requester u1", res.Category, res.Requester)
	}
	if !strings.Contains(res.Changes.InternalNote, "Escalation — legal team + account manager") {
		t.Errorf("note lacks the legal escalation:\n%s", res.Changes.InternalNote)
	}
	// The record holds the explanation typed: one decode reads it back.
	raw, err := json.Marshal(pipeline.Detail[Explanation]{Decision: res.Explanation})
	if err != nil {
		t.Fatal(err)
	}
	var rec pipeline.Detail[Explanation]
	if err := json.Unmarshal(raw, &rec); err != nil || rec.Decision == nil {
		t.Fatalf("record %s (%v); want the decision back", raw, err)
	}
	d := rec.Decision
	if d.Priority != sdk.P2 || d.Note == "" || d.Note != res.Changes.InternalNote {
		t.Errorf("decision priority %s note %q; want default P2 and the note written", d.Priority, d.Note)
	}
	if d.Route.Route != "account-manager" || !hasEscalation(d, "legal") {
		t.Errorf("route %+v; want enterprise billing → account-manager with the legal escalation", d.Route)
	}
	if !strings.Contains(string(raw), `"decision":{"priority":"P2"`) {
		t.Errorf("record JSON %s; want the decision as a nested object with snake_case keys", raw)
	}
	if _, err := tr.Decide(t.Context(), &pipeline.DecideRequest{}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Decide without a ticket: %v; want sdk.ErrInvalid", err)
	}
}

func TestDraftAndMatchesInTheNote(t *testing.T) {
	tmpl, err := draft.NewTemplate(draft.TemplateConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var asked string
	tr, err := New(DefaultConfig(), Deps{Drafter: tmpl, Search: func(_ context.Context, text, locale, source string) ([]draft.Article, error) {
		asked = locale + "|" + source + "|" + text
		return []draft.Article{{Title: "Refunds and double charges", URL: "https://help.example/refunds", Snippet: "Open Billing, pick the charge, click Refund.", Score: 0.8, Answer: 0.8}}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	tk := ticket("business", "300")
	tk.Requester.Name = "Ana Silva"
	tk.Subject = "Charged twice"
	tk.Messages = []sdk.Message{{Body: "We were charged twice for March ($49). Can you refund one?"}}
	d, ch := tr.decide(t.Context(), tk, nil, []sdk.Prediction{p(sdk.FieldPrimaryTag, "billing", 0.9), p(sdk.FieldPriority, "P1", 0.9), p(sdk.FieldLanguage, "en", 0.9)}, config.ModeLive)
	if !strings.HasPrefix(asked, "en|acme|Charged twice") {
		t.Errorf("search asked %q; want the language, the connector and the subject plus the customer's message", asked)
	}
	if d.Draft == nil || d.Draft.Rubric.Total < 8 || !strings.Contains(d.Draft.Text, "Ana") || len(d.KBMatches) != 1 {
		t.Fatalf("draft %+v matches %+v; want a passing draft for Ana and the match", d.Draft, d.KBMatches)
	}
	for _, want := range []string{"Matching articles:", "https://help.example/refunds", "Suggested reply · HEARD"} {
		if !strings.Contains(ch.InternalNote, want) {
			t.Errorf("note lacks %q:\n%s", want, ch.InternalNote)
		}
	}
	if d.AutoReply == nil || d.AutoReply.Allowed {
		t.Errorf("auto-reply %+v; want a decision, refused (auto-reply is off by default)", d.AutoReply)
	}
}

// TestAutoReplyIsSentOnlyWhenLive checks that an enabled auto-reply that
// the policy allows becomes the write-back's public reply in live mode,
// ending with the offer of a human, and that shadow mode and a refused
// case send nothing.
func TestAutoReplyIsSentOnlyWhenLive(t *testing.T) {
	tmpl, err := draft.NewTemplate(draft.TemplateConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.AutoReply.Enabled = true
	tr, err := New(cfg, Deps{Drafter: tmpl, Search: func(context.Context, string, string, string) ([]draft.Article, error) {
		return []draft.Article{{Title: "Reset your password", URL: "https://help.example/reset", Snippet: "Click Forgot password on the sign-in page.", Score: 0.7, Answer: 0.9}}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	reset := func() *sdk.Ticket {
		tk := ticket("business", "300")
		tk.Requester.Name = "Ana Silva"
		tk.Subject = "Forgot my password"
		tk.Messages = []sdk.Message{{Body: "Hi, I forgot my password and cannot sign in. How do I reset my password?"}}
		return tk
	}
	preds := []sdk.Prediction{p(sdk.FieldPrimaryTag, "account", 0.95), p(sdk.FieldPriority, "P2", 0.9), p(sdk.FieldLanguage, "en", 0.9)}

	d, ch := tr.decide(t.Context(), reset(), nil, preds, config.ModeLive)
	if d.AutoReply == nil || !d.AutoReply.Allowed || !d.AutoReply.Sent || d.AutoReply.Case != draft.CasePassword {
		t.Fatalf("auto-reply %+v; want allowed and sent as a password reset (draft %+v)", d.AutoReply, d.Draft)
	}
	if ch.PublicReply == "" || ch.PublicReply != d.AutoReply.Text {
		t.Fatalf("public reply %q; want the decision's text %q", ch.PublicReply, d.AutoReply.Text)
	}
	if !strings.Contains(ch.PublicReply, "Ana") || !strings.Contains(ch.PublicReply, "https://help.example/reset") {
		t.Errorf("reply lacks the name or the article link:\n%s", ch.PublicReply)
	}
	if !strings.Contains(ch.InternalNote, "Auto-reply: SENT to the customer") {
		t.Errorf("note does not say the reply was sent:\n%s", ch.InternalNote)
	}

	d, ch = tr.decide(t.Context(), reset(), nil, preds, config.ModeShadow)
	if ch.PublicReply != "" || d.AutoReply == nil || !d.AutoReply.Allowed || d.AutoReply.Sent {
		t.Errorf("shadow mode: public reply %q, decision %+v; want allowed, not sent, nothing written", ch.PublicReply, d.AutoReply)
	}

	lowConf := []sdk.Prediction{p(sdk.FieldPrimaryTag, "account", 0.8), p(sdk.FieldPriority, "P2", 0.9)}
	if d, ch = tr.decide(t.Context(), reset(), nil, lowConf, config.ModeLive); ch.PublicReply != "" || d.AutoReply.Allowed {
		t.Errorf("confidence 0.8: public reply %q, decision %+v; want refused (threshold 0.9)", ch.PublicReply, d.AutoReply)
	}
}

// TestEnricherAttrsDriveChurnSLAAndRouting checks that facts a context
// plugin supplies as attrs reach churn, SLA and routing, taking precedence
// over the connector's customer fields and filling their gaps.
func TestEnricherAttrsDriveChurnSLAAndRouting(t *testing.T) {
	billing := []sdk.Prediction{p(sdk.FieldPrimaryTag, "billing", 0.9), p(sdk.FieldPriority, "P2", 0.9)}
	howTo := []sdk.Prediction{p(sdk.FieldPrimaryTag, "how-to", 0.9), p(sdk.FieldPriority, "P2", 0.9)}
	tests := []struct {
		name   string
		plan   string // the connector's Ticket.Customer plan
		attrs  sdk.Attrs
		preds  []sdk.Prediction
		vipCfg bool // add a rule routing VIPs to vip-desk
		check  func(t *testing.T, without, with *Explanation)
	}{
		{name: "churn signals from attrs", plan: "pro", preds: billing,
			attrs: sdk.Attrs{"customer.payment_status": "failed", "customer.usage_trend": float64(-60),
				"customer.last_login": monday10.AddDate(0, 0, -20).Format(time.RFC3339)},
			check: func(t *testing.T, without, with *Explanation) {
				if without.Churn.Score != 0 || with.Churn.Score != 35 {
					t.Errorf("churn score %d → %d; want 0 → 35 (failed payment 10, usage drop 15, no login 10)", without.Churn.Score, with.Churn.Score)
				}
			}},
		{name: "attrs take precedence for the SLA tier", plan: "pro", preds: billing,
			attrs: sdk.Attrs{"customer.plan": "Enterprise"},
			check: func(t *testing.T, without, with *Explanation) {
				if without.SLA == nil || with.SLA == nil || without.SLA.Multiplier != 1.5 || with.SLA.Multiplier != 0.5 {
					t.Fatalf("SLA %+v → %+v; want multiplier 1.5 (pro) → 0.5 (enterprise)", without.SLA, with.SLA)
				}
				if !with.SLA.FirstResponseDue.Before(without.SLA.FirstResponseDue) {
					t.Errorf("first response due %v → %v; want earlier for enterprise", without.SLA.FirstResponseDue, with.SLA.FirstResponseDue)
				}
			}},
		{name: "attrs fill the plan for routing", plan: "", preds: billing,
			attrs: sdk.Attrs{"customer.plan": "enterprise", "customer.mrr": 2500},
			check: func(t *testing.T, without, with *Explanation) {
				if without.Route.Route == "account-manager" || with.Route.Route != "account-manager" {
					t.Errorf("route %q → %q; want enterprise billing → account-manager only with the attrs", without.Route.Route, with.Route.Route)
				}
				if !strings.Contains(with.Churn.Offer, "executive call") {
					t.Errorf("offer %q; want the >$2000 MRR band's offer from customer.mrr", with.Churn.Offer)
				}
			}},
		{name: "account age stands for the signup date", plan: "pro", preds: howTo,
			attrs: sdk.Attrs{"account.age_days": 5},
			check: func(t *testing.T, without, with *Explanation) {
				if hasFlag(without, route.FlagExtraCare) || !hasFlag(with, route.FlagExtraCare) {
					t.Errorf("flags %+v → %+v; want extra care for a 5-day-old account", without.Route.Flags, with.Route.Flags)
				}
			}},
		{name: "vip routing", plan: "pro", preds: howTo, vipCfg: true,
			attrs: sdk.Attrs{"customer.vip": true},
			check: func(t *testing.T, without, with *Explanation) {
				if without.Route.Route == "vip-desk" || with.Route.Route != "vip-desk" {
					t.Errorf("route %q → %q; want vip-desk only for a VIP", without.Route.Route, with.Route.Route)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tc.vipCfg {
				yes := true
				cfg.Route.Rules = append([]route.Rule{{Name: "vip", When: route.Match{VIP: &yes}, Route: "vip-desk"}}, cfg.Route.Rules...)
			}
			tr, err := New(cfg, Deps{})
			if err != nil {
				t.Fatal(err)
			}
			tr.now = func() time.Time { return monday10 }
			tk := ticket(tc.plan, "")
			without, _ := tr.decide(t.Context(), tk, nil, tc.preds, config.ModeShadow)
			with, _ := tr.decide(t.Context(), tk, tc.attrs, tc.preds, config.ModeShadow)
			tc.check(t, without, with)
			if tk.Customer[sdk.AttrPlan] != tc.plan {
				t.Errorf("ticket's customer plan changed to %q; want the ticket left alone", tk.Customer[sdk.AttrPlan])
			}
		})
	}
}

// TestSimilarSolvedTicketsInNoteAndDraft checks that the three most similar
// solved tickets are listed in the note with their final values and links,
// and that their agents' steps ground a how-to draft when no article
// matched, without any link to the other tickets reaching the customer.
func TestSimilarSolvedTicketsInNoteAndDraft(t *testing.T) {
	tmpl, err := draft.NewTemplate(draft.TemplateConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var asked *sdk.Ticket
	solved := []SimilarSolved{
		{ID: "11", Subject: "Export to CSV", Priority: "P3", Tags: []string{"how-to"}, URL: "https://desk.example/tickets/11", Score: 0.82,
			Reply: "Hi Jo,\n\n1. Open Reports and choose the report.\n2. Click Export and pick CSV.\n3. The file arrives by e-mail within a minute.\n\nBest, Sam"},
		{ID: "12", Subject: "CSV export missing columns", Priority: "P2", Tags: []string{"bug"}, URL: "https://desk.example/tickets/12", Score: 0.61},
		{ID: "13", Subject: "Download report", Priority: "P3", URL: "https://desk.example/tickets/13", Score: 0.55},
		{ID: "14", Subject: "Fourth, not shown", URL: "https://desk.example/tickets/14", Score: 0.40},
	}
	tr, err := New(DefaultConfig(), Deps{Drafter: tmpl, Solved: func(_ context.Context, tk *sdk.Ticket) ([]SimilarSolved, error) {
		asked = tk
		return solved, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	tk := ticket("business", "300")
	tk.Subject = "How do I export a report as CSV?"
	tk.Messages = []sdk.Message{{Body: "How do I export the monthly report as a CSV file?"}}
	d, ch := tr.decide(t.Context(), tk, nil, []sdk.Prediction{p(sdk.FieldPrimaryTag, "how-to", 0.9), p(sdk.FieldPriority, "P3", 0.9), p(sdk.FieldLanguage, "en", 0.9)}, config.ModeLive)
	if asked != tk {
		t.Fatalf("solved search asked about %v; want the ticket", asked)
	}
	if len(d.SimilarSolved) != 3 {
		t.Fatalf("similar solved = %d; want the top 3", len(d.SimilarSolved))
	}
	for _, want := range []string{"Similar solved tickets:", "Export to CSV [P3, how-to] — https://desk.example/tickets/11 (similarity 0.82)", "https://desk.example/tickets/13"} {
		if !strings.Contains(ch.InternalNote, want) {
			t.Errorf("note lacks %q:\n%s", want, ch.InternalNote)
		}
	}
	if strings.Contains(ch.InternalNote, "Fourth") {
		t.Errorf("note lists a fourth similar ticket:\n%s", ch.InternalNote)
	}
	if d.Draft == nil {
		t.Fatal("no draft")
	}
	for _, want := range []string{"Open Reports and choose the report.", "Click Export and pick CSV."} {
		if !strings.Contains(d.Draft.Text, want) {
			t.Errorf("draft lacks the agents' step %q:\n%s", want, d.Draft.Text)
		}
	}
	for _, leak := range []string{"desk.example", "Hi Jo", "Sam"} {
		if strings.Contains(d.Draft.Text, leak) {
			t.Errorf("draft leaks %q from another ticket:\n%s", leak, d.Draft.Text)
		}
	}
}
