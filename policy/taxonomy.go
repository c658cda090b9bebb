package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// Tag names of the default taxonomy.
const (
	TagBilling        = "billing"
	TagBug            = "bug"
	TagHowTo          = "how-to"
	TagFeatureRequest = "feature-request"
	TagAccount        = "account"
	TagIntegration    = "integration"
	TagPerformance    = "performance"
	TagSecurity       = "security"
	TagOnboarding     = "onboarding"
	TagChurnRisk      = "churn-risk"
)

// MaxSecondaryTags is how many secondary tags a ticket gets at most, next
// to its one primary tag.
const MaxSecondaryTags = 2

// Names of the built-in taxonomies, for Named.
const (
	TaxonomyDefault     = "default"
	TaxonomyAlternative = "alternative"
)

// Tag is one category of a taxonomy.
type Tag struct {
	// Name is the tag as written back, e.g. "billing". Lower case, unique
	// within its taxonomy.
	Name string `json:"name" yaml:"name"`
	// Description says what the tag covers, for people and for classifiers
	// that read it.
	Description string `json:"description" yaml:"description"`
}

// Taxonomy is an ordered set of tags: the values of the primary and
// secondary tag fields. The order is the documented one; classifiers list
// tags in it.
type Taxonomy []Tag

// Default returns the default taxonomy: ten tags, billing to churn-risk, in
// a new slice the caller may modify.
func Default() Taxonomy {
	return Taxonomy{
		{Name: TagBilling, Description: "payments, invoices, refunds, plan changes"},
		{Name: TagBug, Description: "broken feature, error messages, unexpected behaviour"},
		{Name: TagHowTo, Description: "usage questions, setup help, configuration"},
		{Name: TagFeatureRequest, Description: "asks for a capability that does not exist"},
		{Name: TagAccount, Description: "login, permissions, profile changes"},
		{Name: TagIntegration, Description: "third-party integrations, API, webhooks"},
		{Name: TagPerformance, Description: "slowness, latency, timeouts"},
		{Name: TagSecurity, Description: "security issues, data safety, compliance"},
		{Name: TagOnboarding, Description: "new-customer setup, data migration, first-use questions"},
		{Name: TagChurnRisk, Description: "cancellation requests, competitor mentions, strong dissatisfaction"},
	}
}

// Alternative returns the alternative taxonomy: nine topics that do not
// overlap and together cover every ticket, in a new slice the caller may
// modify. The embedded patterns of the rules classifier speak the default
// taxonomy, so using this one there also needs a patterns file written
// for it.
func Alternative() Taxonomy {
	return Taxonomy{
		{Name: "feature-request", Description: "wants something the product cannot do today"},
		{Name: "bug-report", Description: "something that should work does not"},
		{Name: "unaware", Description: "did not know the product already does this, or that a guide exists"},
		{Name: "confused", Description: "misunderstands how the product works"},
		{Name: "user-question", Description: "any other question about using the product"},
		{Name: "pricing-question", Description: "plans, prices, discounts, what a plan includes"},
		{Name: "positive-feedback", Description: "praise or thanks"},
		{Name: "churn-feedback", Description: "leaving, or says why they would"},
		{Name: "outage", Description: "the service is down or degraded"},
	}
}

// Named returns the built-in taxonomy called name (TaxonomyDefault or
// TaxonomyAlternative; "" is the default). Another name is an error
// wrapping sdk.ErrInvalid.
func Named(name string) (Taxonomy, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", TaxonomyDefault:
		return Default(), nil
	case TaxonomyAlternative:
		return Alternative(), nil
	}
	return nil, fmt.Errorf("taxonomy %q: want %s or %s: %w", name, TaxonomyDefault, TaxonomyAlternative, sdk.ErrInvalid)
}

// Validate reports every problem with t, wrapping sdk.ErrInvalid: each tag
// needs a non-empty, lower-case name without surrounding spaces, and no
// name may appear twice. An empty Taxonomy is valid: it stands for the
// default wherever a taxonomy is optional.
func (t Taxonomy) Validate() error {
	var errs []error
	seen := make(map[string]bool, len(t))
	for i, tag := range t {
		switch {
		case tag.Name == "" || strings.TrimSpace(tag.Name) != tag.Name || strings.ToLower(tag.Name) != tag.Name:
			errs = append(errs, fmt.Errorf("tag %d: name %q: want a non-empty lower-case name", i+1, tag.Name))
		case seen[tag.Name]:
			errs = append(errs, fmt.Errorf("tag %q listed twice", tag.Name))
		}
		seen[tag.Name] = true
	}
	if len(errs) > 0 {
		return fmt.Errorf("checking taxonomy: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// OrDefault returns t, or Default when t is empty.
func (t Taxonomy) OrDefault() Taxonomy {
	if len(t) == 0 {
		return Default()
	}
	return t
}

// Names returns the tag names in order, in a new slice.
func (t Taxonomy) Names() []string {
	out := make([]string, len(t))
	for i, tag := range t {
		out[i] = tag.Name
	}
	return out
}

// Contains reports whether t has a tag called name.
func (t Taxonomy) Contains(name string) bool {
	_, ok := t.Lookup(name)
	return ok
}

// Lookup returns the tag called name.
func (t Taxonomy) Lookup(name string) (Tag, bool) {
	for _, tag := range t {
		if tag.Name == name {
			return tag, true
		}
	}
	return Tag{}, false
}
