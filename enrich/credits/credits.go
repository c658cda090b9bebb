package credits

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AttrTimeZone is the customer attribute holding the account's IANA time
// zone, e.g. "Europe/Berlin"; its periods start at midnight there.
const AttrTimeZone = "time_zone"

// Counter counts tickets against credits; store.Credits implements it.
// CountTicket returns the ticket's position in its bucket (account, plan,
// period) and whether this call counted it; a ticket is counted once,
// whatever bucket a repeat names.
type Counter interface {
	CountTicket(ctx context.Context, account, plan, period, ticketKey string) (used int, isNew bool, err error)
}

// Policy is a compiled Config. It is safe for concurrent use.
type Policy struct {
	cfg    Config
	loc    *time.Location
	byName map[string]*plan
}

// New checks cfg and compiles it; loc is the zone of the period
// boundaries when cfg.TimeZone is empty (the SLA calendar's; nil is UTC).
// Errors wrap sdk.ErrInvalid.
func New(cfg Config, loc *time.Location) (*Policy, error) {
	return cfg.compile(loc)
}

// Enabled reports whether plans are on.
func (p *Policy) Enabled() bool { return p != nil && p.cfg.Enabled }

// Field is the ticket field the credit line is written to.
func (p *Policy) Field() string { return p.cfg.Field }

// ChargeableTag is the tag of a ticket beyond its credit.
func (p *Policy) ChargeableTag() string { return p.cfg.ChargeableTag }

// Selection is the plan that applies to a ticket, or why none does.
type Selection struct {
	// Plan is the plan's name, "" when none applies.
	Plan string `json:"plan,omitempty"`
	// SLA is the plan's SLA tier.
	SLA string `json:"sla,omitempty"`
	// Product is the ticket's product, "" when unknown.
	Product string `json:"product,omitempty"`
	// Held are the account's plan names as listed (lower case), the
	// default plan when it lists none.
	Held []string `json:"held,omitempty"`
	// Default reports that the account listed no plan and the default
	// plan applies.
	Default bool `json:"default,omitempty"`
}

// Select finds the plan of a ticket about product for an account with the
// customer facts customer (sdk.Attr* keys, the plan attribute among them).
// Among the plans the account holds that the configuration knows, a plan
// listing the product wins over a plan for every product; ties go to the
// order the account lists them in. Unknown plan names are ignored.
func (p *Policy) Select(customer map[string]string, product string) Selection {
	s := Selection{Product: strings.TrimSpace(product)}
	if !p.Enabled() {
		return s
	}
	for name := range strings.SplitSeq(customer[p.cfg.Attribute], ",") {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			s.Held = append(s.Held, name)
		}
	}
	if len(s.Held) == 0 {
		d := strings.ToLower(strings.TrimSpace(p.cfg.DefaultPlan))
		if d == "" {
			return s
		}
		s.Held, s.Default = []string{d}, true
	}
	prod := strings.ToLower(s.Product)
	var general *plan
	for _, name := range s.Held {
		pl := p.byName[name]
		switch {
		case pl == nil:
		case len(pl.Products) == 0:
			if general == nil {
				general = pl
			}
		case prod != "" && containsFold(pl.Products, prod):
			s.Plan, s.SLA = pl.Name, pl.SLA
			return s
		}
	}
	if general != nil {
		s.Plan, s.SLA = general.Name, general.SLA
	}
	return s
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// Result is a ticket counted against its plan's credit.
type Result struct {
	Plan    string `json:"plan"`
	Product string `json:"product,omitempty"`
	// Period is the credit period the ticket was created in; Unit is its
	// unit, "" for an unlimited plan, whose tickets are counted by month.
	Period Period `json:"period"`
	Unit   string `json:"unit,omitempty"`
	// Used is the ticket's position in the period: the tickets used once
	// it was counted, itself included.
	Used int `json:"used"`
	// Limit is the credit, 0 for unlimited.
	Limit int `json:"limit,omitempty"`
	// Remaining is Limit-Used, not below 0; unset when unlimited.
	Remaining int `json:"remaining"`
	// Chargeable reports a ticket beyond the credit.
	Chargeable bool `json:"chargeable,omitempty"`
	// Repeat reports that the ticket had been counted before (a
	// redelivered event); the numbers are those of its first count.
	Repeat bool `json:"repeat,omitempty"`
}

// Count counts the ticket key (connector and ticket ID) of account against
// the credit of the plan sel selected, in the period that contains created
// in the account's zone (customer's AttrTimeZone when valid) or else the
// policy's. It needs sel.Plan to be set.
func (p *Policy) Count(ctx context.Context, c Counter, account, key string, sel Selection, customer map[string]string, created time.Time) (*Result, error) {
	pl := p.byName[sel.Plan]
	if !p.Enabled() || pl == nil {
		return nil, fmt.Errorf("counting ticket %s: no plan selected", key)
	}
	loc := p.loc
	if tz := strings.TrimSpace(customer[AttrTimeZone]); tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	unit := pl.credit.Per
	if unit == "" {
		unit = Month // unlimited plans still report their monthly use
	}
	per, err := PeriodOf(unit, created, loc)
	if err != nil {
		return nil, err
	}
	used, isNew, err := c.CountTicket(ctx, account, pl.Name, per.Key, key)
	if err != nil {
		return nil, err
	}
	r := &Result{Plan: pl.Name, Product: sel.Product, Period: per, Unit: pl.credit.Per, Used: used, Limit: pl.credit.Tickets, Repeat: !isNew}
	if r.Limit > 0 {
		r.Remaining = max(r.Limit-used, 0)
		r.Chargeable = used > r.Limit
	}
	return r, nil
}

// Summary is the credit line without its label, e.g. "12 used, 13
// remaining (business, 2026-W49)"; an unlimited plan says "12 used,
// unlimited (enterprise, 2026-12)", and a ticket beyond the credit ends
// with "— beyond 25 a week: chargeable".
func (r *Result) Summary() string {
	where := r.Plan
	if r.Product != "" {
		where += " for " + r.Product
	}
	where += ", " + r.Period.Key
	if r.Limit == 0 {
		return fmt.Sprintf("%d used, unlimited (%s)", r.Used, where)
	}
	s := fmt.Sprintf("%d used, %d remaining (%s)", r.Used, r.Remaining, where)
	if r.Chargeable {
		s += fmt.Sprintf(" — beyond %d a %s: chargeable", r.Limit, r.Unit)
	}
	return s
}

// NoteLine is the internal note's credit line: "Credits: " and Summary.
func (r *Result) NoteLine() string { return "Credits: " + r.Summary() }
