package llm

import (
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// ID is the component ID; it is also the Source of every prediction the
// model made.
const ID = "classify.llm"

// DefaultTimeout bounds one classification, retries included, when
// Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// maxTags bounds the taxonomy: every tag goes into every prompt.
const maxTags = 50

// Tag is one entry of the tag taxonomy.
type Tag struct {
	// Name is the tag as written back, e.g. "billing".
	Name string `json:"name"`
	// Covers says what the tag is for; the model reads it.
	Covers string `json:"covers"`
}

// DefaultTaxonomy returns the default tags (DOMAIN.md §2).
func DefaultTaxonomy() []Tag {
	return []Tag{
		{"billing", "payments, invoices, refunds, plan changes"},
		{"bug", "broken feature, error messages, unexpected behaviour"},
		{"how-to", "usage questions, setup help, configuration"},
		{"feature-request", "asks for a capability that does not exist"},
		{"account", "login, permissions, profile changes"},
		{"integration", "third-party integrations, API, webhooks"},
		{"performance", "slowness, latency, timeouts"},
		{"security", "security issues, data safety, compliance"},
		{"onboarding", "new-customer setup, data migration, first-use questions"},
		{"churn-risk", "cancellation requests, competitor mentions, strong dissatisfaction"},
	}
}

// Config configures the classifier.
type Config struct {
	// Taxonomy is the tag set for tag.primary and tag.secondary. Empty
	// means DefaultTaxonomy. A ClassifyRequest's FieldSpec.Allowed for a
	// tag field takes precedence; descriptions still come from here.
	Taxonomy []Tag `json:"taxonomy,omitempty"`
	// Timeout bounds the LLM call of one classification, the client's
	// retries included; past it the fallback answers. A caller's earlier
	// deadline shortens it. Zero means DefaultTimeout.
	Timeout time.Duration `json:"timeout,omitempty"`
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	var errs []error
	if len(c.Taxonomy) > maxTags {
		errs = append(errs, fmt.Errorf("taxonomy: %d tags; at most %d", len(c.Taxonomy), maxTags))
	}
	seen := make(map[string]bool, len(c.Taxonomy))
	for i, t := range c.Taxonomy {
		switch {
		case t.Name == "":
			errs = append(errs, fmt.Errorf("taxonomy[%d]: empty name", i))
		case seen[t.Name]:
			errs = append(errs, fmt.Errorf("taxonomy[%d]: duplicate tag %q", i, t.Name))
		}
		seen[t.Name] = true
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must not be negative", c.Timeout))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s config: %w: %w", ID, errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if len(c.Taxonomy) == 0 {
		c.Taxonomy = DefaultTaxonomy()
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}
