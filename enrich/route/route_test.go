package route

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

func flagNames(fs []Flag) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

func triggerNames(ns []Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Trigger)
	}
	return out
}

func TestDefaultConfigMatchesDomain(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v; want nil", err)
	}
	if c.DefaultRoute != "support" || c.ChurnTag != "churn-risk" || c.SecurityTag != "security" ||
		c.SimilarThreshold != 3 || c.NewCustomerDays != 30 {
		t.Errorf("defaults = %q/%q/%q/%d/%d; want support/churn-risk/security/3/30",
			c.DefaultRoute, c.ChurnTag, c.SecurityTag, c.SimilarThreshold, c.NewCustomerDays)
	}
	var got []string
	for _, tr := range c.Escalations {
		got = append(got, tr.Kind+": "+tr.Action)
	}
	want := []string{
		"p0_unresolved: escalate to on-call engineering",
		"legal: legal team + account manager",
		"refund_over: needs approval",
		"executive: notify account manager",
		"exchanges: senior support",
		"security: security team and CTO, at once",
		"cancel_mrr_over: retention flow first",
	}
	if !slices.Equal(got, want) {
		t.Errorf("escalations = %q; want %q", got, want)
	}
	e := c.Escalations
	if e[0].After != time.Hour || e[2].Amount != 500 || e[3].Plan != "enterprise" || e[4].Count != 3 || !e[5].Immediate || e[6].Amount != 1000 {
		t.Errorf("escalation thresholds = %s/%v/%q/%d/%v/%v; want 1h/500/enterprise/3/true/1000",
			e[0].After, e[2].Amount, e[3].Plan, e[4].Count, e[5].Immediate, e[6].Amount)
	}
}

func TestDecideRoutes(t *testing.T) {
	tests := []struct {
		name      string
		facts     Facts
		wantRoute string
		wantRule  string
		wantForce sdk.Priority
	}{
		{name: "billing enterprise", facts: Facts{Category: "billing", Plan: "enterprise"},
			wantRoute: "account-manager", wantRule: "billing-enterprise"},
		{name: "billing enterprise in any case", facts: Facts{Category: " Billing", Plan: "Enterprise"},
			wantRoute: "account-manager", wantRule: "billing-enterprise"},
		{name: "billing business goes to default", facts: Facts{Category: "billing", Plan: "business"},
			wantRoute: "support"},
		{name: "security forces P0", facts: Facts{Category: "security", Priority: sdk.P3},
			wantRoute: "security-team", wantRule: "security", wantForce: sdk.P0},
		{name: "bug and repeat issue", facts: Facts{Category: "bug", RepeatIssue: true},
			wantRoute: "senior-support", wantRule: "bug-repeat"},
		{name: "bug and repeat signal", facts: Facts{Category: "bug", Signals: map[string]string{sdk.FieldSignalRepeat: "true"}},
			wantRoute: "senior-support", wantRule: "bug-repeat"},
		{name: "bug not repeated", facts: Facts{Category: "bug", Signals: map[string]string{sdk.FieldSignalRepeat: "false"}},
			wantRoute: "support"},
		{name: "angry and LTV 1000.01", facts: Facts{Sentiment: "angry", LTV: ptr(1000.01)},
			wantRoute: "retention-specialist", wantRule: "angry-high-ltv"},
		{name: "angry and LTV exactly 1000", facts: Facts{Sentiment: "angry", LTV: ptr(1000.0)},
			wantRoute: "support"},
		{name: "angry and LTV unknown", facts: Facts{Sentiment: "angry"},
			wantRoute: "support"},
		{name: "negative and LTV 5000", facts: Facts{Sentiment: "negative", LTV: ptr(5000.0)},
			wantRoute: "support"},
		{name: "how-to first contact", facts: Facts{Category: "how-to", FirstContact: ptr(true)},
			wantRoute: "onboarding-team", wantRule: "howto-first-contact"},
		{name: "how-to as a secondary tag, first contact", facts: Facts{Category: "account", Tags: []string{"account", "how-to"}, FirstContact: ptr(true)},
			wantRoute: "onboarding-team", wantRule: "howto-first-contact"},
		{name: "how-to not first contact", facts: Facts{Category: "how-to", FirstContact: ptr(false)},
			wantRoute: "support"},
		{name: "how-to, first contact unknown", facts: Facts{Category: "how-to"},
			wantRoute: "support"},
		{name: "nothing matches", facts: Facts{Category: "feature-request", Plan: "free"},
			wantRoute: "support"},
		// First match wins: each ticket below matches two rules.
		{name: "billing enterprise beats angry high LTV",
			facts:     Facts{Category: "billing", Plan: "enterprise", Sentiment: "angry", LTV: ptr(5000.0)},
			wantRoute: "account-manager", wantRule: "billing-enterprise"},
		{name: "bug repeat beats angry high LTV",
			facts:     Facts{Category: "bug", RepeatIssue: true, Sentiment: "angry", LTV: ptr(5000.0)},
			wantRoute: "senior-support", wantRule: "bug-repeat"},
		{name: "angry high LTV beats how-to first contact",
			facts:     Facts{Category: "how-to", FirstContact: ptr(true), Sentiment: "angry", LTV: ptr(5000.0)},
			wantRoute: "retention-specialist", wantRule: "angry-high-ltv"},
	}
	c := DefaultConfig()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Decide(tc.facts)
			if got.Route != tc.wantRoute || got.Rule != tc.wantRule || got.ForcedPriority != tc.wantForce {
				t.Errorf("route, rule, forced = %q, %q, %q; want %q, %q, %q",
					got.Route, got.Rule, got.ForcedPriority, tc.wantRoute, tc.wantRule, tc.wantForce)
			}
		})
	}
}

func TestDecideOrderMatters(t *testing.T) {
	facts := Facts{Category: "billing", Plan: "enterprise", Sentiment: "angry", LTV: ptr(5000.0)}
	c := DefaultConfig()
	slices.Reverse(c.Rules)
	if got := c.Decide(facts).Route; got != "retention-specialist" {
		t.Errorf("route with rules reversed = %q; want retention-specialist", got)
	}
	if got := DefaultConfig().Decide(facts).Route; got != "account-manager" {
		t.Errorf("route with default order = %q; want account-manager", got)
	}
}

func TestDecideCatchAllRule(t *testing.T) {
	c := DefaultConfig()
	c.Rules = append(c.Rules, Rule{Name: "everything-else", Route: "tier-1"})
	if got := c.Decide(Facts{Category: "feature-request"}); got.Route != "tier-1" || got.Rule != "everything-else" {
		t.Errorf("route, rule = %q, %q; want tier-1, everything-else", got.Route, got.Rule)
	}
}

func TestDecideFlags(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name  string
		facts Facts
		want  []string
	}{
		{name: "nothing", facts: Facts{Priority: sdk.P2, Now: now}},
		{name: "P0 escalates and notifies on-call", facts: Facts{Priority: sdk.P0, Now: now},
			want: []string{FlagEscalateNow, FlagNotifyOnCall}},
		{name: "P1 does not", facts: Facts{Priority: sdk.P1, Now: now}},
		{name: "security category is forced P0 and never auto-resolved", facts: Facts{Category: "security", Priority: sdk.P2, Now: now},
			want: []string{FlagEscalateNow, FlagNotifyOnCall, FlagNeverAutoResolve}},
		{name: "security secondary tag", facts: Facts{Category: "bug", Tags: []string{"bug", "Security"}, Priority: sdk.P2, Now: now},
			want: []string{FlagEscalateNow, FlagNeverAutoResolve}},
		{name: "security signal", facts: Facts{Category: "account", Priority: sdk.P1, Signals: map[string]string{sdk.FieldSignalSecurity: "true"}, Now: now},
			want: []string{FlagEscalateNow, FlagNeverAutoResolve}},
		{name: "churn-risk tag starts retention", facts: Facts{Category: "billing", Tags: []string{"churn-risk"}, Now: now},
			want: []string{FlagRetentionFlow}},
		{name: "churn-risk category starts retention", facts: Facts{Category: "churn-risk", Now: now},
			want: []string{FlagRetentionFlow}},
		{name: "2 similar reports", facts: Facts{SimilarRecent: 2, Now: now}},
		{name: "3 similar reports", facts: Facts{SimilarRecent: 3, Now: now}, want: []string{FlagProductTeam}},
		{name: "signed up 29 days 23 hours ago", facts: Facts{SignupDate: ptr(now.Add(-30*day + time.Hour)), Now: now},
			want: []string{FlagExtraCare}},
		{name: "signed up 30 days ago", facts: Facts{SignupDate: ptr(now.Add(-30 * day)), Now: now}},
		{name: "signup date unknown", facts: Facts{Now: now}},
		{name: "no clock", facts: Facts{SignupDate: ptr(now)}},
	}
	c := DefaultConfig()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := flagNames(c.Decide(tc.facts).Flags); !slices.Equal(got, tc.want) {
				t.Errorf("flags = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestDecideFlagReasons(t *testing.T) {
	d := DefaultConfig().Decide(Facts{
		Category:      "security",
		Tags:          []string{"churn-risk"},
		SimilarRecent: 4,
		SignupDate:    ptr(now.Add(-5 * 24 * time.Hour)),
		Now:           now,
	})
	want := []Flag{
		{FlagEscalateNow, "priority P0; tagged security"},
		{FlagNotifyOnCall, "priority P0"},
		{FlagNeverAutoResolve, "tagged security"},
		{FlagRetentionFlow, "tagged churn-risk"},
		{FlagProductTeam, "same issue reported by 4 customers (3 or more)"},
		{FlagExtraCare, "customer signed up 5 days ago (first 30 days)"},
	}
	if !reflect.DeepEqual(d.Flags, want) {
		t.Errorf("flags = %+v;\nwant %+v", d.Flags, want)
	}
}

func TestDecideEscalations(t *testing.T) {
	sig := func(kv ...string) map[string]string {
		m := make(map[string]string)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name  string
		facts Facts
		want  []string
	}{
		{name: "quiet ticket", facts: Facts{Priority: sdk.P2}},
		{name: "P0 open 59m", facts: Facts{Priority: sdk.P0, OpenFor: 59 * time.Minute}},
		{name: "P0 open 60m", facts: Facts{Priority: sdk.P0, OpenFor: 60 * time.Minute}, want: []string{"p0-unresolved"}},
		{name: "P0 open 2h but resolved", facts: Facts{Priority: sdk.P0, OpenFor: 2 * time.Hour, Resolved: true}},
		{name: "P1 open 2h", facts: Facts{Priority: sdk.P1, OpenFor: 2 * time.Hour}},
		{name: "forced P0 open 60m", facts: Facts{Category: "security", Priority: sdk.P3, OpenFor: time.Hour}, want: []string{"p0-unresolved"}},
		{name: "legal", facts: Facts{Signals: sig(sdk.FieldSignalLegal, "true")}, want: []string{"legal"}},
		{name: "legal false", facts: Facts{Signals: sig(sdk.FieldSignalLegal, "false")}},
		{name: "refund 500", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "500")}},
		{name: "refund 500.00", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "500.00")}},
		{name: "refund 500.01", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "500.01")}, want: []string{"refund-approval"}},
		{name: "refund unparsable", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "a lot")}},
		{name: "refund 500.01 EUR", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "500.01 EUR")}, want: []string{"refund-approval"}},
		{name: "refund 400 EUR", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "400 EUR")}},
		{name: "refund with a bad currency code", facts: Facts{Signals: sig(sdk.FieldSignalRefundAmount, "900 euros")}},
		{name: "executive on enterprise", facts: Facts{Plan: "Enterprise", Signals: sig(sdk.FieldSignalExecutive, "true")},
			want: []string{"executive-enterprise"}},
		{name: "executive on business", facts: Facts{Plan: "business", Signals: sig(sdk.FieldSignalExecutive, "true")}},
		{name: "enterprise without executive", facts: Facts{Plan: "enterprise"}},
		{name: "2 exchanges", facts: Facts{Exchanges: 2}},
		{name: "3 exchanges", facts: Facts{Exchanges: 3}, want: []string{"exchanges"}},
		{name: "3 exchanges, resolved", facts: Facts{Exchanges: 3, Resolved: true}},
		{name: "security incident", facts: Facts{Signals: sig(sdk.FieldSignalSecurity, "true")}, want: []string{"security-incident"}},
		{name: "cancel with MRR 1000", facts: Facts{MRR: ptr(1000.0), Signals: sig(sdk.FieldSignalCancel, "true")}},
		{name: "cancel with MRR 1000.01", facts: Facts{MRR: ptr(1000.01), Signals: sig(sdk.FieldSignalCancel, "true")},
			want: []string{"cancel-high-mrr"}},
		{name: "cancel with MRR unknown", facts: Facts{Signals: sig(sdk.FieldSignalCancel, "true")}},
		{name: "MRR 5000 without cancel", facts: Facts{MRR: ptr(5000.0)}},
		{name: "several, in table order", facts: Facts{Exchanges: 4,
			Signals: sig(sdk.FieldSignalRefundAmount, "650", sdk.FieldSignalLegal, "true")},
			want: []string{"legal", "refund-approval", "exchanges"}},
	}
	c := DefaultConfig()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := triggerNames(c.Decide(tc.facts).Escalations); !slices.Equal(got, tc.want) {
				t.Errorf("escalations = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestNotice(t *testing.T) {
	deadline := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	d := DefaultConfig().Decide(Facts{
		TicketID:     "4711",
		CustomerName: "Acme GmbH",
		Plan:         "enterprise",
		MRR:          ptr(1250.0),
		Category:     "billing",
		Priority:     sdk.P1,
		Sentiment:    "angry",
		Signals:      map[string]string{sdk.FieldSignalRefundAmount: "1800.50", sdk.FieldSignalLegal: "true"},
		Exchanges:    2,
		Summary:      "  Customer was charged twice\n for March and wants a refund.  ",
		SLADeadline:  deadline,
		Now:          now,
	})
	if len(d.Escalations) != 2 {
		t.Fatalf("escalations = %v; want legal and refund-approval", triggerNames(d.Escalations))
	}
	got := d.Escalations[1]
	want := Notice{
		Trigger:       "refund-approval",
		Reason:        "refund of $1,800.50 requested, over $500",
		Action:        "needs approval",
		TicketID:      "4711",
		Customer:      "Acme GmbH — enterprise — $1,250",
		Summary:       "Customer was charged twice for March and wants a refund.",
		Priority:      sdk.P1,
		Attempts:      2,
		Sentiment:     SentimentThreatening,
		RevenueAtRisk: ptr(15000.0),
		Impact:        "$15,000 annual revenue at risk (MRR × 12)",
		Deadline:      deadline,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("notice =\n%+v\nwant\n%+v", got, want)
	}
	text := got.String()
	for _, line := range []string{
		"Escalation: needs approval\n",
		"Ticket: 4711\n",
		"Customer: Acme GmbH — enterprise — $1,250\n",
		"Summary: Customer was charged twice for March and wants a refund.\n",
		"Priority: P1\n",
		"Attempts so far: 2\n",
		"Sentiment: threatening\n",
		"Business impact: $15,000 annual revenue at risk (MRR × 12)\n",
		"Deadline: 2026-03-02T12:00:00Z\n",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("notice text lacks %q:\n%s", line, text)
		}
	}
}

func TestNoticeUnknowns(t *testing.T) {
	d := DefaultConfig().Decide(Facts{Signals: map[string]string{sdk.FieldSignalSecurity: "true"}})
	if len(d.Escalations) != 1 {
		t.Fatalf("escalations = %v; want security-incident", triggerNames(d.Escalations))
	}
	n := d.Escalations[0]
	if n.Customer != "unknown — unknown — unknown" || n.Summary != Unknown || n.Impact != Unknown || n.RevenueAtRisk != nil {
		t.Errorf("customer, summary, impact, risk = %q, %q, %q, %v; want unknowns",
			n.Customer, n.Summary, n.Impact, n.RevenueAtRisk)
	}
	if !n.Immediate {
		t.Errorf("immediate = false; want true for a security incident")
	}
	text := n.String()
	for _, line := range []string{"Escalation: security team and CTO, at once\nUrgency: at once\n", "Priority: unknown\n", "Deadline: unknown\n", "Ticket: unknown\n"} {
		if !strings.Contains(text, line) {
			t.Errorf("notice text lacks %q:\n%s", line, text)
		}
	}
}

func TestNoticeSentiment(t *testing.T) {
	tests := []struct {
		name      string
		sentiment string
		legal     string
		want      string
	}{
		{"legal is threatening", sdk.SentimentNeutral, "true", SentimentThreatening},
		{"legal beats angry", sdk.SentimentAngry, "true", SentimentThreatening},
		{"angry", sdk.SentimentAngry, "", SentimentAngry},
		{"negative is frustrated", sdk.SentimentNegative, "", SentimentFrustrated},
		{"neutral is calm", sdk.SentimentNeutral, "", SentimentCalm},
		{"positive is calm", sdk.SentimentPositive, "", SentimentCalm},
		{"unknown is calm", "", "false", SentimentCalm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := DefaultConfig().Decide(Facts{Sentiment: tc.sentiment, Exchanges: 3,
				Signals: map[string]string{sdk.FieldSignalLegal: tc.legal}})
			n := d.Escalations[len(d.Escalations)-1]
			if n.Sentiment != tc.want {
				t.Errorf("sentiment = %q; want %q", n.Sentiment, tc.want)
			}
		})
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "$0"},
		{7, "$7"},
		{999, "$999"},
		{1000, "$1,000"},
		{650.5, "$650.50"},
		{1234567.891, "$1,234,567.89"},
		{-1500, "-$1,500"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := money(tc.v); got != tc.want {
				t.Errorf("money(%v) = %q; want %q", tc.v, got, tc.want)
			}
		})
	}
}

// TestRefundNoticeQuotesTheCurrency checks that a refund asked for in
// euros is quoted in euros, not dollars.
func TestRefundNoticeQuotesTheCurrency(t *testing.T) {
	tests := []struct{ signal, want string }{
		{"1188.00 EUR", "refund of €1,188 requested, over €500"},
		{"1188.00 eur", "refund of €1,188 requested, over €500"},
		{"650.50 CHF", "refund of CHF 650.50 requested, over CHF 500"},
		{"700 GBP", "refund of £700 requested, over £500"},
		{"1188.00", "refund of $1,188 requested, over $500"},
	}
	for _, tc := range tests {
		t.Run(tc.signal, func(t *testing.T) {
			d := DefaultConfig().Decide(Facts{Signals: map[string]string{sdk.FieldSignalRefundAmount: tc.signal}})
			if len(d.Escalations) != 1 || d.Escalations[0].Reason != tc.want {
				t.Fatalf("escalations %+v; want one with reason %q", d.Escalations, tc.want)
			}
		})
	}
}

// defaultRulesYAML is DefaultConfig's rule table written as YAML.
const defaultRulesYAML = `
- name: billing-enterprise
  when: {category: billing, plan: enterprise}
  route: account-manager
- name: security
  when: {category: security}
  route: security-team
  force_priority: p0
- name: bug-repeat
  when: {category: bug, repeat_issue: true}
  route: senior-support
- name: angry-high-ltv
  when: {sentiment: angry, ltv_over: 1000}
  route: retention-specialist
- name: howto-first-contact
  when: {tag: how-to, first_contact: true}
  route: onboarding-team
`

func TestLoadRules(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		want    []Rule
		wantErr bool
	}{
		{name: "the default table", doc: defaultRulesYAML, want: DefaultConfig().Rules},
		{name: "every match field", doc: `
- name: all
  when: {category: bug, plan: pro, repeat_issue: false, sentiment: negative, ltv_over: 250.5, first_contact: false}
  route: x
  force_priority: P1
`, want: []Rule{{Name: "all", Route: "x", ForcePriority: sdk.P1, When: Match{Category: "bug", Plan: "pro",
			RepeatIssue: ptr(false), Sentiment: "negative", LTVOver: ptr(250.5), FirstContact: ptr(false)}}}},
		{name: "empty list", doc: "[]", want: []Rule{}},
		{name: "unknown rule key", doc: "- {name: a, route: b, routee: c}", wantErr: true},
		{name: "unknown match key", doc: "- {name: a, route: b, when: {categroy: bug}}", wantErr: true},
		{name: "bad priority", doc: "- {name: a, route: b, force_priority: P7}", wantErr: true},
		{name: "missing route", doc: "- {name: a}", wantErr: true},
		{name: "missing name", doc: "- {route: a}", wantErr: true},
		{name: "duplicate name", doc: "- {name: a, route: b}\n- {name: a, route: c}", wantErr: true},
		{name: "wrong type", doc: "- {name: a, route: b, when: {ltv_over: lots}}", wantErr: true},
		{name: "a mapping, not a list", doc: "rules: []", wantErr: true},
		{name: "empty document", doc: "", wantErr: true},
		{name: "two documents", doc: "- {name: a, route: b}\n---\n- {name: c, route: d}", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadRules([]byte(tc.doc))
			if tc.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Errorf("LoadRules error = %v; want one wrapping sdk.ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadRules: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rules = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
	}{
		{"rule without name", func(c *Config) { c.Rules[0].Name = "" }},
		{"rule without route", func(c *Config) { c.Rules[0].Route = "" }},
		{"duplicate rule", func(c *Config) { c.Rules[1].Name = c.Rules[0].Name }},
		{"bad forced priority", func(c *Config) { c.Rules[1].ForcePriority = "p0" }},
		{"no default route", func(c *Config) { c.DefaultRoute = " " }},
		{"no churn tag", func(c *Config) { c.ChurnTag = "" }},
		{"no security tag", func(c *Config) { c.SecurityTag = "" }},
		{"similar threshold 0", func(c *Config) { c.SimilarThreshold = 0 }},
		{"negative new-customer days", func(c *Config) { c.NewCustomerDays = -1 }},
		{"unknown trigger kind", func(c *Config) { c.Escalations[0].Kind = "vibes" }},
		{"trigger without action", func(c *Config) { c.Escalations[1].Action = "" }},
		{"duplicate trigger", func(c *Config) { c.Escalations[1].Name = c.Escalations[0].Name }},
		{"P0 trigger without after", func(c *Config) { c.Escalations[0].After = 0 }},
		{"amount on a legal trigger", func(c *Config) { c.Escalations[1].Amount = 5 }},
		{"negative refund amount", func(c *Config) { c.Escalations[2].Amount = -1 }},
		{"executive trigger without plan", func(c *Config) { c.Escalations[3].Plan = "" }},
		{"exchanges count 0", func(c *Config) { c.Escalations[4].Count = 0 }},
		{"after on an exchanges trigger", func(c *Config) { c.Escalations[4].After = time.Minute }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.change(&c)
			if err := c.Validate(); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Validate() = %v; want an error wrapping sdk.ErrInvalid", err)
			}
		})
	}
}
