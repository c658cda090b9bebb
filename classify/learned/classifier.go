package learned

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/sdk"
)

// maxSecondary is the most secondary tags predicted (DOMAIN §2).
const maxSecondary = 2

// Classifier answers sdk.Classifier requests from a Model. It is safe for
// concurrent use.
type Classifier struct {
	m *Model
}

var _ sdk.Classifier = (*Classifier)(nil)

// NewClassifier returns a Classifier over m.
func NewClassifier(m *Model) (*Classifier, error) {
	if m == nil {
		return nil, fmt.Errorf("learned classifier: no model: %w", sdk.ErrInvalid)
	}
	return &Classifier{m: m}, nil
}

// Model returns the model the classifier uses.
func (c *Classifier) Model() *Model { return c.m }

// Support returns how many training examples the model saw labelled value
// for field; the merge policy uses it.
func (c *Classifier) Support(field, value string) int { return c.m.Support(field, value) }

// Classify predicts the fields the request asks for (all the model knows
// when req.Fields is empty) from the subject and the customer's messages.
// A field's value is the most probable allowed class; the secondary tags
// are the (at most two) most probable allowed tags other than the primary
// whose probability reaches the tag's threshold, fitted on the holdout to
// maximise the tag's F1. Confidence is the calibrated probability; Reason names the
// model and the class's training support.
func (c *Classifier) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("classifying: %w", errors.Join(err, sdk.ErrUnavailable))
	}
	if req == nil || req.Ticket == nil {
		return nil, fmt.Errorf("classifying: no ticket: %w", sdk.ErrInvalid)
	}
	subject, body := ticketText(req.Ticket)
	scores := c.m.Predict(subject, body)
	want := func(field string) ([]string, bool) {
		if len(req.Fields) == 0 {
			return nil, true
		}
		for _, fs := range req.Fields {
			if fs.Name == field {
				return fs.Allowed, true
			}
		}
		return nil, false
	}
	allowed := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	var out []sdk.Prediction
	primary := ""
	for _, s := range scores {
		if s.MultiLabel {
			continue
		}
		al, ok := want(s.Field)
		if !ok {
			continue
		}
		best := -1
		for k, v := range s.Classes {
			if allowed(al, v) && (best < 0 || s.Probs[k] > s.Probs[best]) {
				best = k
			}
		}
		if best < 0 {
			continue
		}
		if s.Field == sdk.FieldPrimaryTag {
			primary = s.Classes[best]
		}
		out = append(out, c.pred(s.Field, s.Classes[best], s.Probs[best]))
	}
	for _, s := range scores {
		al, ok := want(s.Field)
		if !s.MultiLabel || !ok {
			continue
		}
		var picked []int
		for k, v := range s.Classes {
			if v != primary && s.Probs[k] >= s.Threshold(k) && allowed(al, v) {
				picked = append(picked, k)
			}
		}
		slices.SortStableFunc(picked, func(a, b int) int {
			switch {
			case s.Probs[a] > s.Probs[b]:
				return -1
			case s.Probs[a] < s.Probs[b]:
				return 1
			}
			return 0
		})
		for _, k := range picked[:min(len(picked), maxSecondary)] {
			out = append(out, c.pred(s.Field, s.Classes[k], s.Probs[k]))
		}
	}
	return &sdk.ClassifyResponse{Predictions: out}, nil
}

func (c *Classifier) pred(field, value string, p float64) sdk.Prediction {
	p = min(max(p, 0), 1)
	return sdk.Prediction{Field: field, Value: value, Confidence: p, Source: ID,
		Reason: fmt.Sprintf("learned model v%d (%s): p=%.2f, %d training examples of %s",
			c.m.meta.FormatVersion, c.m.meta.CreatedAt.Format("2006-01-02"), p, c.m.Support(field, value), value)}
}

// ticketText is the subject and the customer's public messages, oldest
// first, as one body.
func ticketText(t *sdk.Ticket) (string, string) {
	var b strings.Builder
	for _, m := range t.Messages {
		if m.FromAgent || strings.TrimSpace(m.Body) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.Body)
		if b.Len() > maxTextBytes {
			break
		}
	}
	return t.Subject, b.String()
}

// MergePolicy decides when the model's prediction replaces the rules'.
//
// The model decides a field only when the predicted class had at least
// MinClassExamples training examples and the calibrated confidence is at
// least MinConfidence; otherwise its prediction is withheld and the rules'
// value stays. Forethought asks for 250 examples per value before it
// trusts a value; heard's default is 50 because the model's confidence is
// calibrated on held-out tickets and a desk with a few thousand labelled
// tickets would otherwise never use the model for its rarer classes.
// A secondary tag needs the training support only: the classifier already
// predicts it only above the tag's own threshold, fitted on the holdout.
type MergePolicy struct {
	// MinClassExamples is the training support the predicted class needs;
	// 0 means 50.
	MinClassExamples int `json:"min_class_examples" yaml:"min_class_examples"`
	// MinConfidence is the calibrated probability the prediction needs; 0
	// means 0.5.
	MinConfidence float64 `json:"min_confidence" yaml:"min_confidence"`
}

// DefaultMergePolicy returns the documented defaults.
func DefaultMergePolicy() MergePolicy { return MergePolicy{MinClassExamples: 50, MinConfidence: 0.5} }

// Validate checks the policy.
func (p MergePolicy) Validate() error {
	if p.MinClassExamples < 0 || p.MinConfidence < 0 || p.MinConfidence > 1 {
		return fmt.Errorf("learned merge policy: min_class_examples %d must be ≥ 0 and min_confidence %g in [0,1]: %w",
			p.MinClassExamples, p.MinConfidence, sdk.ErrInvalid)
	}
	return nil
}

func (p MergePolicy) withDefaults() MergePolicy {
	d := DefaultMergePolicy()
	if p.MinClassExamples == 0 {
		p.MinClassExamples = d.MinClassExamples
	}
	if p.MinConfidence == 0 {
		p.MinConfidence = d.MinConfidence
	}
	return p
}

// Gated is the model's side of the merge: it passes on only the
// predictions that MergePolicy lets decide. Put it in a classify.Ensemble
// beside the rules with EnsembleMerge, so a passed prediction wins its
// field and the rules' value stays otherwise.
type Gated struct {
	c      *Classifier
	policy MergePolicy
}

var _ sdk.Classifier = (*Gated)(nil)

// NewGated returns c gated by policy (zero fields take the defaults).
func NewGated(c *Classifier, policy MergePolicy) (*Gated, error) {
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("learned gate: no classifier: %w", sdk.ErrInvalid)
	}
	return &Gated{c: c, policy: policy.withDefaults()}, nil
}

// Classify implements sdk.Classifier.
func (g *Gated) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	resp, err := g.c.Classify(ctx, req)
	if err != nil {
		return nil, err
	}
	keep := resp.Predictions[:0]
	for _, p := range resp.Predictions {
		// A secondary tag has passed its own threshold, fitted for F1 on
		// the holdout; it stands in for MinConfidence.
		confident := p.Field == sdk.FieldSecondaryTag || p.Confidence >= g.policy.MinConfidence
		if g.c.Support(p.Field, p.Value) >= g.policy.MinClassExamples && confident {
			keep = append(keep, p)
		}
	}
	resp.Predictions = keep
	return resp, nil
}

// EnsembleMerge returns base with classify.learned preferred: a
// prediction the gate let through decides its field, and a field it left
// alone is merged exactly as base says, so with no model (or a model that
// is unsure) the ensemble behaves as without it. The hard rules in base
// (security → P0) still apply after.
func EnsembleMerge(base classify.MergeConfig) classify.MergeConfig {
	out := base
	out.Preferred = append([]string{ID}, slices.DeleteFunc(slices.Clone(base.Preferred), func(s string) bool { return s == ID })...)
	return out
}
