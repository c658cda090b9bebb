package credits

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Unlimited is the credit of a plan without a ticket limit.
const Unlimited = "unlimited"

// Plan is one support plan.
type Plan struct {
	// Name is the plan's name as the account's plan attribute lists it;
	// compared ignoring case.
	Name string `yaml:"name"`
	// SLA is the SLA tier the plan's tickets get: a key of the SLA
	// policy's tier_multipliers. Default: the plan's name.
	SLA string `yaml:"sla"`
	// Credit is Unlimited or "N/unit": N tickets (at least 1) per week,
	// month, quarter or year, e.g. "50/month".
	Credit string `yaml:"credit"`
	// Products limits the plan to tickets about these products (compared
	// ignoring case); empty covers every product.
	Products []string `yaml:"products"`
}

// Config is the support-plan policy.
type Config struct {
	// Enabled turns plans and credits on. Default true.
	Enabled bool `yaml:"enabled"`
	// Attribute is the customer attribute listing the account's plan
	// names, comma-separated (e.g. "business" or "business, api-gold"):
	// a connector maps it from a user or organization field, or an
	// enricher sets "customer.<attribute>". Default "plan".
	Attribute string `yaml:"attribute"`
	// DefaultPlan is the plan of an account that lists none; "" counts
	// nothing for such accounts. Default "".
	DefaultPlan string `yaml:"default_plan"`
	// ProductField is the ticket field (sdk.Ticket.Fields) naming the
	// ticket's product. Default "product".
	ProductField string `yaml:"product_field"`
	// TimeZone is the IANA zone of the period boundaries when the account
	// has no time_zone attribute. Default "": the SLA calendar's zone.
	TimeZone string `yaml:"time_zone"`
	// Field is the ticket field the credit line is written to (gated like
	// every field). Default "credits".
	Field string `yaml:"field"`
	// ChargeableTag is the tag of a ticket beyond its credit (gated by the
	// tags gate). Default "chargeable".
	ChargeableTag string `yaml:"chargeable_tag"`
	// Plans are the plans, names unique.
	Plans []Plan `yaml:"plans"`
}

// DefaultConfig returns the default plans (docs/policy.md, "Support plans
// and credits"): enterprise unlimited; business 25 tickets a week; pro
// and professional 50 a month; starter 60 a quarter; free 12 a year; each
// with the SLA tier of its name, for every product.
func DefaultConfig() Config {
	return Config{
		Enabled: true, Attribute: sdk.AttrPlan, ProductField: "product", Field: "credits", ChargeableTag: "chargeable",
		Plans: []Plan{
			{Name: "enterprise", Credit: Unlimited},
			{Name: "business", Credit: "25/week"},
			{Name: "pro", Credit: "50/month"},
			{Name: "professional", Credit: "50/month"},
			{Name: "starter", Credit: "60/quarter"},
			{Name: "free", Credit: "12/year"},
		},
	}
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	if _, err := c.compile(nil); err != nil {
		return err
	}
	return nil
}

// credit is a parsed Plan.Credit; Tickets 0 is unlimited.
type credit struct {
	Tickets int
	Per     string
}

// parseCredit reads "unlimited" or "N/unit".
func parseCredit(s string) (credit, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == Unlimited {
		return credit{}, nil
	}
	n, unit, ok := strings.Cut(s, "/")
	if !ok {
		return credit{}, fmt.Errorf("credit %q: want %q or N/week, N/month, N/quarter or N/year", s, Unlimited)
	}
	tickets, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || tickets < 1 {
		return credit{}, fmt.Errorf("credit %q: the number of tickets must be a whole number of at least 1", s)
	}
	unit = strings.TrimSpace(unit)
	if !slices.Contains([]string{Week, Month, Quarter, Year}, unit) {
		return credit{}, fmt.Errorf("credit %q: period %q: want week, month, quarter or year", s, unit)
	}
	return credit{Tickets: tickets, Per: unit}, nil
}

// plan is a compiled Plan.
type plan struct {
	Plan
	credit credit
}

// compile checks c and resolves its zone; fallback is the zone used when
// TimeZone is empty (nil: UTC).
func (c Config) compile(fallback *time.Location) (*Policy, error) {
	fail := func(format string, args ...any) (*Policy, error) {
		return nil, fmt.Errorf("checking support plans: "+format+": %w", append(args, sdk.ErrInvalid)...)
	}
	p := &Policy{cfg: c, loc: fallback, byName: map[string]*plan{}}
	if !c.Enabled {
		return p, nil
	}
	switch {
	case strings.TrimSpace(c.Attribute) == "":
		return fail("attribute is empty")
	case strings.TrimSpace(c.ProductField) == "":
		return fail("product_field is empty")
	case strings.TrimSpace(c.Field) == "":
		return fail("field is empty")
	case strings.TrimSpace(c.ChargeableTag) == "":
		return fail("chargeable_tag is empty")
	}
	if c.TimeZone != "" {
		loc, err := time.LoadLocation(c.TimeZone)
		if err != nil {
			return fail("time_zone %q: %v", c.TimeZone, err)
		}
		p.loc = loc
	}
	for i, pl := range c.Plans {
		name := strings.ToLower(strings.TrimSpace(pl.Name))
		switch {
		case name == "":
			return fail("plans[%d]: name is empty", i)
		case strings.Contains(name, ","):
			return fail("plans[%d] %q: a name cannot contain a comma", i, pl.Name)
		case p.byName[name] != nil:
			return fail("plans[%d]: name %q appears twice", i, pl.Name)
		}
		cr, err := parseCredit(pl.Credit)
		if err != nil {
			return fail("plans[%d] %q: %v", i, pl.Name, err)
		}
		cp := &plan{Plan: pl, credit: cr}
		cp.Name = name
		cp.SLA = strings.ToLower(strings.TrimSpace(pl.SLA))
		if cp.SLA == "" {
			cp.SLA = name
		}
		cp.Products = nil
		for _, prod := range pl.Products {
			if prod = strings.ToLower(strings.TrimSpace(prod)); prod == "" {
				return fail("plans[%d] %q: an empty product", i, pl.Name)
			}
			cp.Products = append(cp.Products, prod)
		}
		p.byName[name] = cp
	}
	if d := strings.ToLower(strings.TrimSpace(c.DefaultPlan)); d != "" && p.byName[d] == nil {
		return fail("default_plan %q is not one of the plans", c.DefaultPlan)
	}
	return p, nil
}
