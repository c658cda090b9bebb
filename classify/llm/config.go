package llm

import (
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/policy"
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

// Tag is one entry of the tag taxonomy; the model reads its Description.
type Tag = policy.Tag

// Config configures the classifier.
type Config struct {
	// Taxonomy is the tag set for tag.primary and tag.secondary. Empty
	// means policy.Default(). A ClassifyRequest's FieldSpec.Allowed for a
	// tag field takes precedence; descriptions still come from here.
	Taxonomy policy.Taxonomy `json:"taxonomy,omitempty"`
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
	if err := c.Taxonomy.Validate(); err != nil {
		errs = append(errs, err)
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
	c.Taxonomy = c.Taxonomy.OrDefault()
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}
