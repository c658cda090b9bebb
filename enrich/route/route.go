package route

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Facts are what routing and escalation decide from. Pointers and zero
// times mean unknown.
type Facts struct {
	// TicketID is the vendor's ticket ID, for notices.
	TicketID string
	// CustomerName is the customer's (or organization's) name.
	CustomerName string
	// Plan is the customer's plan, e.g. "enterprise".
	Plan string
	// MRR is the customer's monthly recurring revenue.
	MRR *float64
	// LTV is the customer's lifetime value.
	LTV *float64
	// Category is the ticket's primary tag.
	Category string
	// Tags are all the ticket's tags, primary and secondary included.
	Tags []string
	// Priority is the ticket's priority before any rule forces one.
	Priority sdk.Priority
	// Sentiment is one of the sdk.Sentiment* values.
	Sentiment string
	// Signals are text signals keyed by sdk.FieldSignal* names. A value
	// fires when it is a true boolean or, if not a boolean, not empty.
	Signals map[string]string
	// RepeatIssue reports a repeat issue. A firing sdk.FieldSignalRepeat
	// counts as one too.
	RepeatIssue bool
	// FirstContact reports whether this is the customer's first contact
	// with support, as a fact (the requester's ticket history, the
	// customer's signup date); nil when nothing tells, and then no rule
	// that asks about first contact holds.
	FirstContact *bool
	// VIP reports a VIP customer.
	VIP bool
	// SignupDate is when the customer signed up.
	SignupDate *time.Time
	// Exchanges is how many exchanges (attempts) the ticket has had.
	Exchanges int
	// OpenFor is how long the ticket has been open.
	OpenFor time.Duration
	// Resolved reports whether the ticket is resolved.
	Resolved bool
	// SimilarRecent is how many customers, this one included, recently
	// reported the same issue.
	SimilarRecent int
	// Summary is the one-sentence summary of the issue.
	Summary string
	// SLADeadline is when the ticket's current SLA target expires.
	SLADeadline time.Time
	// Now is the time of the decision.
	Now time.Time
}

// Flag names, set by the always-rules.
const (
	FlagEscalateNow      = "escalate-now"       // escalate at once (P0, security)
	FlagNotifyOnCall     = "notify-on-call"     // notify on-call (P0)
	FlagRetentionFlow    = "retention-flow"     // start the retention flow (churn-risk)
	FlagNeverAutoResolve = "never-auto-resolve" // never resolve without an agent (security)
	FlagProductTeam      = "product-team"       // flag for the product team (same issue, many customers)
	FlagExtraCare        = "extra-care"         // extra care, friendlier tone (new customer)
)

// Customer sentiment as escalation notices report it.
const (
	SentimentCalm        = "calm"
	SentimentFrustrated  = "frustrated"
	SentimentAngry       = "angry"
	SentimentThreatening = "threatening"
)

// Unknown is how notices show a value that is not known.
const Unknown = "unknown"

// Flag is an always-rule that applies to the ticket.
type Flag struct {
	// Name is one of the Flag* constants.
	Name string `json:"name"`
	// Reason says why it applies; several reasons are joined by "; ".
	Reason string `json:"reason"`
}

// Notice is an escalation notice, with everything the policy asks for
// (docs/policy.md, "Routing and escalation").
type Notice struct {
	// Trigger is the name of the trigger that fired.
	Trigger string `json:"trigger"`
	// Reason says why it fired.
	Reason string `json:"reason"`
	// Action is the recommended action.
	Action string `json:"action"`
	// Immediate marks notices that must go out at once.
	Immediate bool `json:"immediate"`
	// TicketID is the ticket's ID.
	TicketID string `json:"ticket_id"`
	// Customer is "name — plan — $MRR", each part "unknown" when unknown.
	Customer string `json:"customer"`
	// Summary is the one-sentence summary, on one line, or "unknown".
	Summary string `json:"summary"`
	// Priority is the ticket's priority after routing.
	Priority sdk.Priority `json:"priority"`
	// Attempts is the number of exchanges so far.
	Attempts int `json:"attempts"`
	// Sentiment is calm, frustrated, angry or threatening.
	Sentiment string `json:"sentiment"`
	// RevenueAtRisk is MRR × 12, nil when the MRR is unknown.
	RevenueAtRisk *float64 `json:"revenue_at_risk,omitempty"`
	// Impact is the business impact in words: the revenue at risk, or
	// "unknown".
	Impact string `json:"impact"`
	// Deadline is the SLA expiry; zero when unknown.
	Deadline time.Time `json:"deadline"`
}

// String renders the notice as plain text, one field a line.
func (n Notice) String() string {
	deadline := Unknown
	if !n.Deadline.IsZero() {
		deadline = n.Deadline.Format(time.RFC3339)
	}
	prio := string(n.Priority)
	if prio == "" {
		prio = Unknown
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Escalation: %s\n", n.Action)
	if n.Immediate {
		b.WriteString("Urgency: at once\n")
	}
	fmt.Fprintf(&b, "Why: %s\nTicket: %s\nCustomer: %s\nSummary: %s\nPriority: %s\nAttempts so far: %d\nSentiment: %s\nBusiness impact: %s\nDeadline: %s\n",
		n.Reason, orUnknown(n.TicketID), n.Customer, n.Summary, prio, n.Attempts, n.Sentiment, n.Impact, deadline)
	return b.String()
}

// Decision is where a ticket goes and what else happens.
type Decision struct {
	// Route is the chosen route.
	Route string `json:"route"`
	// Rule is the name of the rule that matched; empty when none did and
	// DefaultRoute applied.
	Rule string `json:"rule,omitempty"`
	// ForcedPriority is the priority the rule forces, or empty.
	ForcedPriority sdk.Priority `json:"forced_priority,omitempty"`
	// Flags are the always-rules that apply, in a fixed order.
	Flags []Flag `json:"flags,omitempty"`
	// Escalations are the notices of the triggers that fired, in trigger
	// order.
	Escalations []Notice `json:"escalations,omitempty"`
}

// Decide routes f under c, which must be valid.
func (c Config) Decide(f Facts) Decision {
	d := Decision{Route: c.DefaultRoute}
	for _, r := range c.Rules {
		if r.When.holds(f) {
			d.Route, d.Rule, d.ForcedPriority = r.Route, r.Name, r.ForcePriority
			break
		}
	}
	prio := f.Priority
	if d.ForcedPriority != sdk.PriorityUnknown {
		prio = d.ForcedPriority
	}
	d.Flags = c.flags(f, prio)
	for _, t := range c.Escalations {
		if reason, ok := t.fires(f, prio); ok {
			d.Escalations = append(d.Escalations, notice(t, reason, f, prio))
		}
	}
	return d
}

// holds reports whether every condition set in m holds for f.
func (m Match) holds(f Facts) bool {
	switch {
	case m.Category != "" && !same(m.Category, f.Category),
		m.Plan != "" && !same(m.Plan, f.Plan),
		m.RepeatIssue != nil && *m.RepeatIssue != repeatIssue(f),
		m.Sentiment != "" && !same(m.Sentiment, f.Sentiment),
		m.LTVOver != nil && (f.LTV == nil || !(*f.LTV > *m.LTVOver)),
		m.Tag != "" && !hasTag(f, m.Tag),
		m.FirstContact != nil && (f.FirstContact == nil || *m.FirstContact != *f.FirstContact),
		m.VIP != nil && *m.VIP != f.VIP:
		return false
	}
	return true
}

func repeatIssue(f Facts) bool { return f.RepeatIssue || fired(f.Signals[sdk.FieldSignalRepeat]) }

// flags applies the always-rules.
func (c Config) flags(f Facts, prio sdk.Priority) []Flag {
	var flags []Flag
	add := func(name, reason string) {
		for i := range flags {
			if flags[i].Name == name {
				flags[i].Reason += "; " + reason
				return
			}
		}
		flags = append(flags, Flag{Name: name, Reason: reason})
	}
	if prio == sdk.P0 {
		add(FlagEscalateNow, "priority P0")
		add(FlagNotifyOnCall, "priority P0")
	}
	if reason, ok := c.security(f); ok {
		add(FlagEscalateNow, reason)
		add(FlagNeverAutoResolve, reason)
	}
	if hasTag(f, c.ChurnTag) {
		add(FlagRetentionFlow, "tagged "+c.ChurnTag)
	}
	if f.SimilarRecent >= c.SimilarThreshold {
		add(FlagProductTeam, fmt.Sprintf("same issue reported by %d customers (%d or more)", f.SimilarRecent, c.SimilarThreshold))
	}
	if f.SignupDate != nil && !f.Now.IsZero() {
		if tenure := f.Now.Sub(*f.SignupDate); tenure < time.Duration(c.NewCustomerDays)*24*time.Hour {
			add(FlagExtraCare, fmt.Sprintf("customer signed up %d days ago (first %d days)",
				max(0, int(tenure/(24*time.Hour))), c.NewCustomerDays))
		}
	}
	return flags
}

// security reports whether the ticket is a security ticket: tagged with
// the security tag or carrying the security signal.
func (c Config) security(f Facts) (string, bool) {
	switch {
	case hasTag(f, c.SecurityTag):
		return "tagged " + c.SecurityTag, true
	case fired(f.Signals[sdk.FieldSignalSecurity]):
		return "security signal", true
	}
	return "", false
}

// hasTag reports whether tag is f's category or one of its tags.
func hasTag(f Facts, tag string) bool {
	return same(f.Category, tag) || slices.ContainsFunc(f.Tags, func(t string) bool { return same(t, tag) })
}

// fires evaluates t against f, returning why it fired.
func (t Trigger) fires(f Facts, prio sdk.Priority) (string, bool) {
	switch t.Kind {
	case KindP0Unresolved:
		if prio == sdk.P0 && !f.Resolved && f.OpenFor >= t.After {
			return fmt.Sprintf("P0 unresolved after %s (limit %s)", f.OpenFor, t.After), true
		}
	case KindLegal:
		if fired(f.Signals[sdk.FieldSignalLegal]) {
			return "customer mentions a lawyer or legal action", true
		}
	case KindRefundOver:
		if amount, cur, ok := parseMoney(f.Signals[sdk.FieldSignalRefundAmount]); ok && amount > t.Amount {
			return fmt.Sprintf("refund of %s requested, over %s", moneyIn(amount, cur), moneyIn(t.Amount, cur)), true
		}
	case KindExecutive:
		if fired(f.Signals[sdk.FieldSignalExecutive]) && same(f.Plan, t.Plan) {
			return "executive involvement on a " + strings.ToLower(strings.TrimSpace(t.Plan)) + " account", true
		}
	case KindExchanges:
		if !f.Resolved && f.Exchanges >= t.Count {
			return fmt.Sprintf("%d exchanges without resolution (%d or more)", f.Exchanges, t.Count), true
		}
	case KindSecurity:
		if fired(f.Signals[sdk.FieldSignalSecurity]) {
			return "security incident or data leak", true
		}
	case KindCancelMRROver:
		if fired(f.Signals[sdk.FieldSignalCancel]) && f.MRR != nil && *f.MRR > t.Amount {
			return fmt.Sprintf("cancellation by an account with MRR %s, over %s", money(*f.MRR), money(t.Amount)), true
		}
	}
	return "", false
}

// notice builds the notice of trigger t.
func notice(t Trigger, reason string, f Facts, prio sdk.Priority) Notice {
	n := Notice{
		Trigger:   t.Name,
		Reason:    reason,
		Action:    t.Action,
		Immediate: t.Immediate,
		TicketID:  f.TicketID,
		Customer:  customer(f),
		Summary:   summary(f.Summary),
		Priority:  prio,
		Attempts:  f.Exchanges,
		Sentiment: sentiment(f),
		Impact:    Unknown,
		Deadline:  f.SLADeadline,
	}
	if f.MRR != nil {
		risk := *f.MRR * 12
		n.RevenueAtRisk = &risk
		n.Impact = money(risk) + " annual revenue at risk (MRR × 12)"
	}
	return n
}

// customer renders "name — plan — $MRR".
func customer(f Facts) string {
	mrr := Unknown
	if f.MRR != nil {
		mrr = money(*f.MRR)
	}
	return orUnknown(strings.TrimSpace(f.CustomerName)) + " — " + orUnknown(strings.TrimSpace(f.Plan)) + " — " + mrr
}

// sentiment maps f to a notice sentiment: a legal signal is threatening,
// then angry stays angry, negative is frustrated, and anything else calm.
func sentiment(f Facts) string {
	switch {
	case fired(f.Signals[sdk.FieldSignalLegal]):
		return SentimentThreatening
	case same(f.Sentiment, sdk.SentimentAngry):
		return SentimentAngry
	case same(f.Sentiment, sdk.SentimentNegative):
		return SentimentFrustrated
	}
	return SentimentCalm
}

// summary puts s on one line.
func summary(s string) string { return orUnknown(strings.Join(strings.Fields(s), " ")) }

// money renders an amount in dollars with thousands separators, and cents
// only when there are any: "$1,250", "$650.50".
func money(v float64) string { return moneyIn(v, "") }

// currencySigns are the signs amounts are written with, by ISO 4217 code.
var currencySigns = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "TRY": "₺"}

// moneyIn renders an amount in currency code (ISO 4217, "" for the
// account's default, shown as dollars) with thousands separators and cents
// only when there are any: "€1,188", "CHF 650.50". A code without a sign
// goes before the number.
func moneyIn(v float64, code string) string {
	cents := int64(math.Round(math.Abs(v) * 100))
	neg := v < 0 && cents != 0
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch sign, ok := currencySigns[code]; {
	case code == "":
		b.WriteByte('$')
	case ok:
		b.WriteString(sign)
	default:
		b.WriteString(code + " ")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if c := cents % 100; c != 0 {
		fmt.Fprintf(&b, ".%02d", c)
	}
	return b.String()
}

// parseMoney parses a refund amount signal: a decimal, optionally followed
// by the ISO 4217 code of the currency it was written in ("1188.00 EUR").
func parseMoney(s string) (float64, string, bool) {
	num, code, _ := strings.Cut(strings.TrimSpace(s), " ")
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 0 && (len(code) != 3 || strings.IndexFunc(code, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0) {
		return 0, "", false
	}
	v, ok := parseAmount(num)
	return v, code, ok
}

// parseAmount parses a finite decimal amount.
func parseAmount(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// fired reports whether a signal value means the signal is present.
func fired(v string) bool {
	v = strings.TrimSpace(v)
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	return v != ""
}

func same(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}
