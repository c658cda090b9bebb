package rules

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// ID is the component ID of this classifier and the Source of its
// predictions.
const ID = "classify.rules"

// embeddedName names the embedded patterns file in error messages.
const embeddedName = "patterns.yaml (embedded)"

// defaultPatterns is the embedded default patterns file. Copy it to start a
// replacement for Config.PatternsFile.
//
//go:embed patterns.yaml
var defaultPatterns []byte

// defaultModel compiles the embedded patterns against the default taxonomy
// once, on first use; every Classifier built with a zero Config shares it.
var defaultModel = sync.OnceValues(func() (*model, error) {
	return compile(defaultPatterns, embeddedName, policy.Default())
})

// Tag is one category of the taxonomy tags are predicted from.
type Tag = policy.Tag

// DefaultTaxonomy returns policy.Default(), the taxonomy a zero Config
// predicts from, in a new slice the caller may modify.
func DefaultTaxonomy() []Tag { return policy.Default() }

// Config configures a rules Classifier. The zero Config uses the embedded
// patterns and the default taxonomy.
type Config struct {
	// PatternsFile is the path of a patterns file that replaces the
	// embedded default entirely. Optional. Start from a copy of the
	// embedded patterns.yaml.
	PatternsFile string `json:"patterns_file,omitempty" yaml:"patterns_file"`
	// Taxonomy is the set of tags to predict from. Optional; empty means
	// policy.Default(). Every tag the patterns name must be in it, so a
	// custom taxonomy normally comes with its own PatternsFile.
	Taxonomy policy.Taxonomy `json:"taxonomy,omitempty" yaml:"taxonomy"`
	// Competitors adds competitor names to the patterns' list (help-desk
	// vendors by default), or with replace: true replaces it. Optional.
	Competitors Competitors `json:"competitors,omitzero" yaml:"competitors"`
	// ChurnPhrases are the team's extra phrases that mean the customer
	// wants to leave: each raises the cancellation signal and tags
	// churn-risk, like the built-in cancellation rule. Optional.
	ChurnPhrases Phrases `json:"churn_phrases,omitempty" yaml:"churn_phrases"`
	// PriorityPhrases are the team's extra phrases per priority, e.g.
	// P1: [payroll is blocked]; a ticket naming one is raised to at least
	// that priority like a built-in rule would. Optional.
	PriorityPhrases PriorityPhrases `json:"priority_phrases,omitempty" yaml:"priority_phrases"`
}

func (c Config) overlay() overlay {
	return overlay{competitors: c.Competitors, churnPhrases: c.ChurnPhrases, priorityPhrases: c.PriorityPhrases}
}

// Validate reports problems with c that need no file access, wrapping
// sdk.ErrInvalid.
func (c Config) Validate() error {
	if _, err := taxonomyIndex(c.Taxonomy); err != nil {
		return err
	}
	for i, n := range c.Competitors.Names {
		if strings.TrimSpace(n.Name) == "" {
			return fmt.Errorf("competitors.names[%d]: want a non-empty name: %w", i, sdk.ErrInvalid)
		}
		for _, ph := range n.Phrases {
			if err := checkPhrase(ph); err != nil {
				return fmt.Errorf("competitors.names[%d] %q: phrase %q: %w: %w", i, n.Name, ph, err, sdk.ErrInvalid)
			}
		}
	}
	for _, ph := range c.ChurnPhrases {
		if err := checkPhrase(ph); err != nil {
			return fmt.Errorf("churn_phrases: phrase %q: %w: %w", ph, err, sdk.ErrInvalid)
		}
	}
	for prio, phs := range c.PriorityPhrases {
		if _, err := sdk.ParsePriority(string(prio)); err != nil {
			return fmt.Errorf("priority_phrases: %q: want P0, P1, P2 or P3: %w", prio, sdk.ErrInvalid)
		}
		for _, ph := range phs {
			if err := checkPhrase(ph); err != nil {
				return fmt.Errorf("priority_phrases: %s: phrase %q: %w: %w", prio, ph, err, sdk.ErrInvalid)
			}
		}
	}
	return nil
}

// Classifier is the rules classifier. It is immutable after New and safe
// for concurrent use.
type Classifier struct {
	m    *model
	tax  []Tag
	pool sync.Pool // of *scratch
}

var _ sdk.Classifier = (*Classifier)(nil)

// New loads and compiles the patterns for cfg. Errors in the patterns file
// name the file and line and wrap sdk.ErrInvalid; a file that cannot be read
// yields the read error.
func New(cfg Config) (*Classifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var (
		m   *model
		err error
	)
	ov := cfg.overlay()
	switch {
	case cfg.PatternsFile == "" && len(cfg.Taxonomy) == 0 && ov.empty():
		m, err = defaultModel()
	case cfg.PatternsFile == "":
		m, err = compileWith(defaultPatterns, embeddedName, cfg.Taxonomy.OrDefault(), ov)
	default:
		data, rerr := os.ReadFile(cfg.PatternsFile) //nolint:gosec // the admin names the patterns file; reading it is the point
		if rerr != nil {
			return nil, fmt.Errorf("reading patterns: %w", rerr)
		}
		m, err = compileWith(data, cfg.PatternsFile, cfg.Taxonomy.OrDefault(), ov)
	}
	if err != nil {
		return nil, err
	}
	tax := cfg.Taxonomy
	if len(tax) == 0 {
		tax = DefaultTaxonomy()
	}
	return &Classifier{m: m, tax: tax}, nil
}

// Taxonomy is the tag set the classifier predicts from, with each tag's
// description. It implements classify.Taxonomist.
func (c *Classifier) Taxonomy() []classify.Tag {
	return slices.Clone(c.tax)
}

// Classify predicts the ticket's fields from its subject and the customer's
// messages. With req.Fields empty it predicts every field it knows;
// otherwise only the listed fields, and only their allowed values. It
// returns an error wrapping sdk.ErrInvalid when req has no ticket, and ctx's
// error when ctx is done.
func (c *Classifier) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if req == nil || req.Ticket == nil {
		return nil, fmt.Errorf("classifying: request has no ticket: %w", sdk.ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("classifying ticket %s: %w", req.Ticket.Ref, err)
	}
	s, _ := c.pool.Get().(*scratch)
	if s == nil {
		s = newScratch(c.m)
	}
	defer c.pool.Put(s)
	s.reset()
	c.m.analyze(s, req.Ticket)
	return &sdk.ClassifyResponse{Predictions: c.m.predict(s, req)}, nil
}
