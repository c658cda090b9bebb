package route

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Rule is one routing rule: when Match holds, the ticket goes to Route.
type Rule struct {
	// Name identifies the rule in decisions and errors. Required, unique.
	Name string `yaml:"name"`
	// When is the condition; an empty Match holds for every ticket.
	When Match `yaml:"when"`
	// Route is the queue, team or group the ticket goes to. Required.
	Route string `yaml:"route"`
	// ForcePriority, when set, overrides the ticket's priority.
	ForcePriority sdk.Priority `yaml:"force_priority"`
}

// Match is a rule's condition. Every field is optional; all the fields set
// must hold. Text comparisons ignore case.
type Match struct {
	// Category is the ticket's primary tag, e.g. "billing".
	Category string `yaml:"category"`
	// Tag is any of the ticket's tags, primary or secondary, e.g.
	// "how-to".
	Tag string `yaml:"tag"`
	// Plan is the customer's plan, e.g. "enterprise".
	Plan string `yaml:"plan"`
	// RepeatIssue requires the ticket to be (or not be) a repeat issue.
	RepeatIssue *bool `yaml:"repeat_issue"`
	// Sentiment is the customer's sentiment, e.g. "angry".
	Sentiment string `yaml:"sentiment"`
	// LTVOver requires a known lifetime value strictly above it.
	LTVOver *float64 `yaml:"ltv_over"`
	// FirstContact requires the ticket to be (or not be) the customer's
	// first contact; an unknown first contact holds for neither.
	FirstContact *bool `yaml:"first_contact"`
	// VIP requires the customer to be (or not be) a VIP; an unknown VIP
	// status counts as not a VIP.
	VIP *bool `yaml:"vip"`
}

// Escalation trigger kinds. Each kind reads its own Trigger fields.
const (
	// KindP0Unresolved fires for an unresolved P0 open for After or longer.
	KindP0Unresolved = "p0_unresolved"
	// KindLegal fires when the customer mentions a lawyer or legal action.
	KindLegal = "legal"
	// KindRefundOver fires for a refund request strictly over Amount.
	KindRefundOver = "refund_over"
	// KindExecutive fires when an executive is involved on a Plan account.
	KindExecutive = "executive"
	// KindExchanges fires after Count or more exchanges without resolution.
	KindExchanges = "exchanges"
	// KindSecurity fires on a security incident or data leak.
	KindSecurity = "security"
	// KindCancelMRROver fires for a cancellation by an account whose MRR is
	// strictly over Amount.
	KindCancelMRROver = "cancel_mrr_over"
)

// Trigger is one row of the escalation table.
type Trigger struct {
	// Name identifies the trigger in notices. Required, unique.
	Name string `yaml:"name"`
	// Kind is one of the Kind* constants.
	Kind string `yaml:"kind"`
	// After is how long a ticket may stay open (KindP0Unresolved).
	After time.Duration `yaml:"after"`
	// Amount is the threshold, exclusive, in the account's currency
	// (KindRefundOver, KindCancelMRROver).
	Amount float64 `yaml:"amount"`
	// Count is the number of exchanges, inclusive (KindExchanges).
	Count int `yaml:"count"`
	// Plan is the account plan the trigger applies to (KindExecutive).
	Plan string `yaml:"plan"`
	// Action is the recommended action the notice carries. Required.
	Action string `yaml:"action"`
	// Immediate marks notices that must go out at once.
	Immediate bool `yaml:"immediate"`
}

// Config is the routing and escalation policy. DefaultConfig returns the
// documented tables; Validate checks a config decoded from configuration.
type Config struct {
	// Rules are the routing rules, first match wins.
	Rules []Rule `yaml:"rules"`
	// DefaultRoute is where tickets go when no rule matches. Default
	// "support".
	DefaultRoute string `yaml:"default_route"`
	// ChurnTag is the tag that starts the retention flow. Default
	// "churn-risk".
	ChurnTag string `yaml:"churn_tag"`
	// SecurityTag is the tag that escalates at once and forbids
	// auto-resolution. Default "security".
	SecurityTag string `yaml:"security_tag"`
	// SimilarThreshold is how many customers reporting the same issue
	// recently flags it for the product team. Default 3.
	SimilarThreshold int `yaml:"similar_threshold"`
	// NewCustomerDays is how many days after signup a customer gets extra
	// care. Default 30.
	NewCustomerDays int `yaml:"new_customer_days"`
	// Escalations are the escalation triggers, each producing a Notice.
	Escalations []Trigger `yaml:"escalations"`
}

// DefaultConfig returns the default routing and escalation tables
// (docs/policy.md, "Routing and escalation"). The security rule is the
// policy's hard rule, policy.Security.
func DefaultConfig() Config {
	yes := true
	ltv := 1000.0
	sec := policy.Security()
	return Config{
		Rules: []Rule{
			{Name: "billing-enterprise", When: Match{Category: policy.TagBilling, Plan: "enterprise"}, Route: "account-manager"},
			{Name: sec.Name, When: Match{Category: sec.Tag}, Route: sec.Route, ForcePriority: sec.Priority},
			{Name: "bug-repeat", When: Match{Category: policy.TagBug, RepeatIssue: &yes}, Route: "senior-support"},
			{Name: "angry-high-ltv", When: Match{Sentiment: sdk.SentimentAngry, LTVOver: &ltv}, Route: "retention-specialist"},
			{Name: "howto-first-contact", When: Match{Tag: policy.TagHowTo, FirstContact: &yes}, Route: "onboarding-team"},
		},
		DefaultRoute:     "support",
		ChurnTag:         policy.TagChurnRisk,
		SecurityTag:      sec.Tag,
		SimilarThreshold: 3,
		NewCustomerDays:  30,
		Escalations: []Trigger{
			{Name: "p0-unresolved", Kind: KindP0Unresolved, After: time.Hour, Action: "escalate to on-call engineering"},
			{Name: "legal", Kind: KindLegal, Action: "legal team + account manager"},
			{Name: "refund-approval", Kind: KindRefundOver, Amount: 500, Action: "needs approval"},
			{Name: "executive-enterprise", Kind: KindExecutive, Plan: "enterprise", Action: "notify account manager"},
			{Name: "exchanges", Kind: KindExchanges, Count: 3, Action: "senior support"},
			{Name: "security-incident", Kind: KindSecurity, Action: "security team and CTO, at once", Immediate: true},
			{Name: "cancel-high-mrr", Kind: KindCancelMRROver, Amount: 1000, Action: "retention flow first"},
		},
	}
}

// Validate reports the first problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("checking routing config: %w: %w", err, sdk.ErrInvalid)
	}
	return nil
}

func (c Config) validate() error {
	if err := validateRules(c.Rules); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(c.DefaultRoute) == "":
		return fmt.Errorf("default_route is required")
	case strings.TrimSpace(c.ChurnTag) == "":
		return fmt.Errorf("churn_tag is required")
	case strings.TrimSpace(c.SecurityTag) == "":
		return fmt.Errorf("security_tag is required")
	case c.SimilarThreshold < 1:
		return fmt.Errorf("similar_threshold is %d, must be at least 1", c.SimilarThreshold)
	case c.NewCustomerDays < 0:
		return fmt.Errorf("new_customer_days is %d, must not be negative", c.NewCustomerDays)
	}
	names := make(map[string]bool, len(c.Escalations))
	for i, t := range c.Escalations {
		if err := t.validate(); err != nil {
			return fmt.Errorf("escalations[%d] %q: %w", i, t.Name, err)
		}
		if names[t.Name] {
			return fmt.Errorf("escalations[%d]: name %q appears twice", i, t.Name)
		}
		names[t.Name] = true
	}
	return nil
}

func (t Trigger) validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return fmt.Errorf("name is required")
	}
	if strings.TrimSpace(t.Action) == "" {
		return fmt.Errorf("action is required")
	}
	// Each kind uses its own fields; the others must stay unset so a
	// misplaced threshold is not silently ignored.
	var after, amount, count, plan bool
	switch t.Kind {
	case KindP0Unresolved:
		after = true
	case KindRefundOver, KindCancelMRROver:
		amount = true
	case KindExchanges:
		count = true
	case KindExecutive:
		plan = true
	case KindLegal, KindSecurity:
	default:
		return fmt.Errorf("kind %q: want one of %s, %s, %s, %s, %s, %s, %s", t.Kind,
			KindP0Unresolved, KindLegal, KindRefundOver, KindExecutive, KindExchanges, KindSecurity, KindCancelMRROver)
	}
	switch {
	case after && t.After <= 0:
		return fmt.Errorf("after must be positive for kind %s", t.Kind)
	case !after && t.After != 0:
		return fmt.Errorf("after does not apply to kind %s", t.Kind)
	case amount && (math.IsNaN(t.Amount) || math.IsInf(t.Amount, 0) || t.Amount < 0):
		return fmt.Errorf("amount is %v, must be a non-negative number", t.Amount)
	case !amount && t.Amount != 0:
		return fmt.Errorf("amount does not apply to kind %s", t.Kind)
	case count && t.Count < 1:
		return fmt.Errorf("count is %d, must be at least 1", t.Count)
	case !count && t.Count != 0:
		return fmt.Errorf("count does not apply to kind %s", t.Kind)
	case plan && strings.TrimSpace(t.Plan) == "":
		return fmt.Errorf("plan is required for kind %s", t.Kind)
	case !plan && t.Plan != "":
		return fmt.Errorf("plan does not apply to kind %s", t.Kind)
	}
	return nil
}

func validateRules(rules []Rule) error {
	names := make(map[string]bool, len(rules))
	for i, r := range rules {
		switch {
		case strings.TrimSpace(r.Name) == "":
			return fmt.Errorf("rules[%d]: name is required", i)
		case names[r.Name]:
			return fmt.Errorf("rules[%d]: name %q appears twice", i, r.Name)
		case strings.TrimSpace(r.Route) == "":
			return fmt.Errorf("rules[%d] %q: route is required", i, r.Name)
		case r.ForcePriority != sdk.PriorityUnknown && !slices.Contains(policy.Priorities(), r.ForcePriority):
			return fmt.Errorf("rules[%d] %q: force_priority %q: want P0, P1, P2 or P3", i, r.Name, r.ForcePriority)
		case r.When.LTVOver != nil && (math.IsNaN(*r.When.LTVOver) || math.IsInf(*r.When.LTVOver, 0)):
			return fmt.Errorf("rules[%d] %q: ltv_over must be a number", i, r.Name)
		}
		names[r.Name] = true
	}
	return nil
}

// LoadRules decodes routing rules from a YAML list of rules, strictly: an
// unknown key, a second document or an invalid rule is an error wrapping
// sdk.ErrInvalid. Priorities are accepted in any case ("p0"). An empty
// document is an error: a config without rules says so with an empty list,
// "[]".
func LoadRules(b []byte) ([]Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var rules []Rule
	if err := dec.Decode(&rules); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("loading routing rules: the document is empty: %w", sdk.ErrInvalid)
		}
		return nil, fmt.Errorf("loading routing rules: %w: %w", err, sdk.ErrInvalid)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("loading routing rules: want one YAML document, found more: %w", sdk.ErrInvalid)
	}
	for i, r := range rules {
		if r.ForcePriority == sdk.PriorityUnknown {
			continue
		}
		p, err := sdk.ParsePriority(string(r.ForcePriority))
		if err != nil {
			return nil, fmt.Errorf("loading routing rules: rules[%d] %q: %w", i, r.Name, err)
		}
		rules[i].ForcePriority = p
	}
	if err := validateRules(rules); err != nil {
		return nil, fmt.Errorf("loading routing rules: %w: %w", err, sdk.ErrInvalid)
	}
	if rules == nil {
		rules = []Rule{}
	}
	return rules, nil
}
