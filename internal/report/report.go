package report

import (
	"context"
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Options choose the report.
type Options struct {
	// Week is the week reported.
	Week Week
	// Connector limits the report to one connector; "" for all.
	Connector string
	// Weeks is how many weeks the trends show, the reported one included;
	// 0 means DefaultWeeks.
	Weeks int
	// Now is the time the report is built at; zero means time.Now().
	Now time.Time
}

// DefaultWeeks is the length of the trends.
const DefaultWeeks = 8

// Report is one week's metrics. Nil pointers are unknown.
type Report struct {
	Week        string    `json:"week"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Connector   string    `json:"connector,omitempty"`
	GeneratedAt time.Time `json:"generated_at"`

	// Volume counts the tickets created in the week.
	Volume Volume `json:"volume"`
	// FirstResponse is the wall time from creation to the first public
	// agent reply, of the week's tickets that have one.
	FirstResponse Durations `json:"first_response"`
	// SLA is first-response compliance against the due time heard
	// computed when it decided the ticket.
	SLA Compliance `json:"sla"`
	// FRTByPriority is the mean first response per priority next to the
	// SLA target (the due time less the creation time).
	FRTByPriority []PriorityFRT `json:"frt_by_priority"`
	// Resolution is the wall time from creation to the solve, of the
	// tickets solved in the week.
	Resolution Durations `json:"resolution"`
	// FirstContact is the share of the week's solved tickets solved with
	// at most one public agent reply and never reopened.
	FirstContact Ratio `json:"first_contact_resolution"`
	// Reopen is the share of the tickets solved or reopened in the week
	// that were reopened in it.
	Reopen Ratio `json:"reopen"`
	// Customers describes who wrote in.
	Customers Customers `json:"customers"`
	// CSAT and NPS are the ratings given in the week.
	CSAT CSAT `json:"csat"`
	NPS  NPS  `json:"nps"`
	// Automation is the share of the week's tickets heard sent an
	// auto-reply to.
	Automation Ratio `json:"automation"`
	// Deflection is self-service deflection: unknown, heard sees no
	// help-centre visits.
	Deflection Ratio `json:"deflection"`
	// Escalation is the share of the week's tickets an escalation trigger
	// fired on.
	Escalation Ratio `json:"escalation"`
	// Backlog is the tickets open at the end of the week (or now).
	Backlog Backlog `json:"backlog"`
	// Voice is the voice of the customer.
	Voice Voice `json:"voice"`
	// Trend is the reported week and the weeks before it, oldest first.
	Trend []WeekPoint `json:"trend"`
}

// Volume counts tickets.
type Volume struct {
	Total      int     `json:"total"`
	ByPriority []Count `json:"by_priority"`
	ByCategory []Count `json:"by_category"`
}

// Count is a labelled count, with the previous week's where a trend is
// shown.
type Count struct {
	Name     string `json:"name"`
	Count    int    `json:"count"`
	Previous *int   `json:"previous,omitempty"`
}

// Durations summarises measured durations. Mean and P95 are nil when
// nothing was measured.
type Durations struct {
	Count int `json:"count"`
	// Pending counts what could not be measured yet (no reply, not solved).
	Pending     int      `json:"pending"`
	MeanSeconds *float64 `json:"mean_seconds"`
	// P95Seconds is the nearest-rank 95th percentile.
	P95Seconds *float64 `json:"p95_seconds"`
}

// Compliance counts first responses against their due times.
type Compliance struct {
	Met      int `json:"met"`
	Breached int `json:"breached"`
	// Pending are tickets without a reply whose due time is still ahead.
	Pending int `json:"pending"`
	// NoSLA are tickets heard computed no due time for.
	NoSLA   int      `json:"no_sla"`
	Percent *float64 `json:"percent"`
	// Beyond2x counts replies (or waits) beyond twice the SLA target.
	Beyond2x int `json:"beyond_2x"`
}

// PriorityFRT is one priority's first response against its SLA target.
type PriorityFRT struct {
	Priority          string   `json:"priority"`
	Count             int      `json:"count"`
	MeanSeconds       *float64 `json:"mean_seconds"`
	TargetSeconds     *float64 `json:"target_seconds"`
	CompliancePercent *float64 `json:"compliance_percent"`
}

// Ratio is Count of Of as a percentage; Percent is nil and Unknown says
// why when it cannot be known.
type Ratio struct {
	Count   int      `json:"count"`
	Of      int      `json:"of"`
	Percent *float64 `json:"percent"`
	Unknown string   `json:"unknown,omitempty"`
}

// Customers describes the requesters of the week's tickets.
type Customers struct {
	// Known counts distinct requesters heard recorded.
	Known int `json:"known"`
	// TicketsPerCustomer is the week's tickets with a known requester
	// over Known.
	TicketsPerCustomer *float64 `json:"tickets_per_customer"`
	// Repeat are requesters with two or more tickets created in the week.
	Repeat []Count `json:"repeat"`
}

// CSAT summarises satisfaction ratings: the 1–5 scale and good/bad.
type CSAT struct {
	Count int `json:"count"`
	// Mean is the mean 1–5 score (nil without 1–5 ratings).
	Mean *float64 `json:"mean"`
	// SatisfiedPercent is the share of 4–5 and "good" ratings.
	SatisfiedPercent *float64 `json:"satisfied_percent"`
	Unknown          string   `json:"unknown,omitempty"`
}

// NPS summarises 0–10 ratings: promoters (9–10) less detractors (0–6).
type NPS struct {
	Count      int      `json:"count"`
	Promoters  int      `json:"promoters"`
	Passives   int      `json:"passives"`
	Detractors int      `json:"detractors"`
	Score      *float64 `json:"score"`
	Unknown    string   `json:"unknown,omitempty"`
}

// Backlog is the open tickets at a time.
type Backlog struct {
	At   time.Time `json:"at"`
	Open int       `json:"open"`
	// Oldest is the open ticket created first; nil with none open.
	Oldest *OpenTicket `json:"oldest"`
}

// OpenTicket is one open ticket.
type OpenTicket struct {
	Connector  string    `json:"connector"`
	TicketID   string    `json:"ticket_id"`
	CreatedAt  time.Time `json:"created_at"`
	AgeSeconds float64   `json:"age_seconds"`
}

// Voice is the voice of the customer.
type Voice struct {
	// Themes are the most common tags of the week's tickets, with the
	// previous week's counts.
	Themes []Count `json:"themes"`
	// FeatureRequests are the feature requests by their other tags, most
	// requested first, with the previous week's counts.
	FeatureRequests []Count `json:"feature_requests"`
	// AtRisk are the customers whose tickets in the week heard scored at
	// a high churn level or sent to the retention flow.
	AtRisk []Account `json:"at_risk"`
}

// Account is one at-risk customer.
type Account struct {
	Requester string   `json:"requester"`
	Level     string   `json:"level"`
	Score     int      `json:"score"`
	Signals   []string `json:"signals"`
	Tickets   []string `json:"tickets"`
}

// WeekPoint is one week of the trends.
type WeekPoint struct {
	Week            string   `json:"week"`
	Volume          int      `json:"volume"`
	FRTMeanSeconds  *float64 `json:"frt_mean_seconds"`
	FRTP95Seconds   *float64 `json:"frt_p95_seconds"`
	SLAPercent      *float64 `json:"sla_percent"`
	ByPriority      []Count  `json:"by_priority"`
	ReopenPercent   *float64 `json:"reopen_percent"`
	SolvedInWeek    int      `json:"solved"`
	CSATSatisfiedPc *float64 `json:"csat_satisfied_percent"`
}

// Build loads what src knows and computes the report of o.Week.
func Build(ctx context.Context, src Source, o Options) (*Report, error) {
	if o.Week.Year == 0 {
		return nil, fmt.Errorf("building the report: no week: %w", sdk.ErrInvalid)
	}
	if o.Weeks <= 0 {
		o.Weeks = DefaultWeeks
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC()
	first := o.Week
	for range o.Weeks - 1 {
		first = first.Prev()
	}
	to := o.Now
	if end := o.Week.End(); to.Before(end) {
		to = end
	}
	tickets, err := load(ctx, src, o.Connector, first.Start(), to)
	if err != nil {
		return nil, err
	}
	return compute(tickets, o, first), nil
}
