package classify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Named is a classifier with the ID its predictions are attributed to
// (e.g. "classify.rules", "plugin.vip"); a zero Timeout means
// DefaultTimeout. Built-ins and plugins take the same shape.
type Named = component.Named[sdk.Classifier]

// DefaultTimeout bounds a classifier call that has no timeout of its own.
const DefaultTimeout = 5 * time.Second

// Outcome is what one classifier did with one ticket.
type Outcome struct {
	Source      string           `json:"source"`
	Predictions []sdk.Prediction `json:"predictions,omitempty"`
	Err         string           `json:"error,omitempty"`
	DurationMS  float64          `json:"duration_ms"`
}

// Run calls every classifier concurrently and returns one Outcome per
// classifier, in the order given. A classifier's error or timeout is
// recorded in its Outcome and does not affect the others.
func Run(ctx context.Context, cs []Named, req *sdk.ClassifyRequest, log *slog.Logger) []Outcome {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	out := make([]Outcome, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() {
			timeout := c.Timeout
			if timeout <= 0 {
				timeout = DefaultTimeout
			}
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			start := time.Now()
			preds, err := call(cctx, c.Impl, req)
			o := Outcome{Source: c.ID, DurationMS: float64(time.Since(start).Microseconds()) / 1000}
			if err != nil {
				o.Err = err.Error()
				log.WarnContext(ctx, "classifier failed; continuing without it", "classifier", c.ID, "err", err)
			}
			for _, p := range preds {
				if p.Source == "" {
					p.Source = c.ID
				}
				if p.Confidence < 0 || p.Confidence > 1 || p.Field == "" {
					log.WarnContext(ctx, "dropping malformed prediction", "classifier", c.ID, "field", p.Field, "confidence", p.Confidence)
					continue
				}
				o.Predictions = append(o.Predictions, p)
			}
			out[i] = o
		})
	}
	wg.Wait()
	return out
}

// call runs one classifier, turning a panic into an error and honouring
// ctx even if the classifier does not.
func call(ctx context.Context, c sdk.Classifier, req *sdk.ClassifyRequest) (preds []sdk.Prediction, err error) {
	type result struct {
		preds []sdk.Prediction
		err   error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("classifier panicked: %v", r)}
			}
		}()
		resp, err := c.Classify(ctx, req)
		if err != nil {
			done <- result{err: err}
			return
		}
		if resp == nil {
			done <- result{}
			return
		}
		done <- result{preds: resp.Predictions}
	}()
	select {
	case r := <-done:
		return r.preds, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("classifier timed out: %w", errors.Join(ctx.Err(), sdk.ErrUnavailable))
	}
}

// Policy names.
const (
	HighestConfidence = "highest_confidence"
	SourceOrder       = "source_order"
)

// Rule is a hard rule: when any prediction matches When, Set overrides the
// merged values with confidence 1.
type Rule struct {
	Name string `yaml:"name" json:"name"`
	// When matches a prediction: Field equal, and Value equal (or any value
	// when Value is empty).
	When struct {
		Field string `yaml:"field" json:"field"`
		Value string `yaml:"value" json:"value"`
	} `yaml:"when" json:"when"`
	// Set maps field → value.
	Set    map[string]string `yaml:"set" json:"set"`
	Reason string            `yaml:"reason" json:"reason"`
}

// MergeConfig is the combination policy.
type MergeConfig struct {
	// Policy is the default per-field policy: highest_confidence or
	// source_order.
	Policy string `yaml:"policy" json:"policy"`
	// Fields overrides Policy per field.
	Fields map[string]string `yaml:"fields" json:"fields"`
	// Sources orders the classifiers for source_order and for ties.
	Sources []string `yaml:"sources" json:"sources"`
	// Preferred are sources whose prediction, when they make one, decides
	// its field whatever the policy (the learned classifier, gated by its
	// own merge policy, is one). A field they leave alone is merged by the
	// policy as if they were absent; secondary tags and hard rules are not
	// affected.
	Preferred []string `yaml:"preferred" json:"preferred"`
	// MaxSecondary caps secondary tags; default 2.
	MaxSecondary int `yaml:"max_secondary" json:"max_secondary"`
	// Rules are the hard rules; nil means DefaultRules, an empty list none.
	Rules []Rule `yaml:"rules" json:"rules"`
}

// DefaultRules are the policy's security hard rule (policy.Security): a
// security signal or the security tag makes the ticket P0 with the primary
// tag security.
func DefaultRules() []Rule {
	sec := policy.Security()
	mk := func(name, field, value string) Rule {
		r := Rule{Name: name, Set: map[string]string{sdk.FieldPriority: string(sec.Priority), sdk.FieldPrimaryTag: sec.Tag},
			Reason: sec.Reason}
		r.When.Field, r.When.Value = field, value
		return r
	}
	return []Rule{
		mk(sec.Name+"-signal", sec.Signal, "true"),
		mk(sec.Name+"-tag", sdk.FieldPrimaryTag, sec.Tag),
	}
}

// DefaultMergeConfig returns the defaults documented on the package.
func DefaultMergeConfig() MergeConfig {
	return MergeConfig{Policy: HighestConfidence, Sources: []string{"classify.rules", "classify.llm"}, MaxSecondary: policy.MaxSecondaryTags, Rules: DefaultRules()}
}

// Validate checks policies and rules.
func (c MergeConfig) Validate() error {
	var errs []error
	check := func(where, p string) {
		if p != "" && p != HighestConfidence && p != SourceOrder {
			errs = append(errs, fmt.Errorf("%s: policy %q: want %s or %s", where, p, HighestConfidence, SourceOrder))
		}
	}
	check("policy", c.Policy)
	for f, p := range c.Fields {
		check("fields."+f, p)
	}
	for i, r := range c.Rules {
		if r.When.Field == "" || len(r.Set) == 0 {
			errs = append(errs, fmt.Errorf("rules[%d] %q: needs when.field and set", i, r.Name))
		}
		if v, ok := r.Set[sdk.FieldPriority]; ok {
			if _, err := sdk.ParsePriority(v); err != nil {
				errs = append(errs, fmt.Errorf("rules[%d] %q: %w", i, r.Name, err))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("classify merge config: %w", errors.Join(append(errs, sdk.ErrInvalid)...))
	}
	return nil
}

// Merge decides one prediction per field (several for secondary tags) from
// all outcomes. Each winning prediction's Reason says why it won.
func Merge(cfg MergeConfig, outcomes []Outcome) []sdk.Prediction {
	if cfg.Policy == "" {
		cfg.Policy = HighestConfidence
	}
	if cfg.MaxSecondary <= 0 {
		cfg.MaxSecondary = policy.MaxSecondaryTags
	}
	if cfg.Rules == nil {
		cfg.Rules = DefaultRules()
	}
	rank := func(src string) int {
		if i := slices.Index(cfg.Sources, src); i >= 0 {
			return i
		}
		return len(cfg.Sources)
	}
	var all []sdk.Prediction
	for _, o := range outcomes {
		all = append(all, o.Predictions...)
	}
	byField := map[string][]sdk.Prediction{}
	var fields []string
	for _, p := range all {
		if _, seen := byField[p.Field]; !seen {
			fields = append(fields, p.Field)
		}
		byField[p.Field] = append(byField[p.Field], p)
	}
	win := map[string]sdk.Prediction{}
	for _, f := range fields {
		if f == sdk.FieldSecondaryTag {
			continue
		}
		cands := byField[f]
		if pref := slices.DeleteFunc(slices.Clone(cands), func(p sdk.Prediction) bool { return !slices.Contains(cfg.Preferred, p.Source) }); len(pref) > 0 {
			cands = pref
		}
		policy := cfg.Policy
		if p, ok := cfg.Fields[f]; ok && p != "" {
			policy = p
		}
		sort.SliceStable(cands, func(i, j int) bool {
			a, b := cands[i], cands[j]
			if policy == SourceOrder && rank(a.Source) != rank(b.Source) {
				return rank(a.Source) < rank(b.Source)
			}
			if a.Confidence != b.Confidence {
				return a.Confidence > b.Confidence
			}
			return rank(a.Source) < rank(b.Source)
		})
		best := cands[0]
		if len(cands) > 1 {
			best.Reason = fmt.Sprintf("%s [%s over %d other prediction(s)]", best.Reason, policy, len(cands)-1)
		}
		win[f] = best
	}
	for _, r := range cfg.Rules {
		if !matches(r, all) {
			continue
		}
		for f, v := range r.Set {
			prev, had := win[f]
			reason := fmt.Sprintf("hard rule %q: %s", r.Name, r.Reason)
			if had && prev.Value != v {
				reason += fmt.Sprintf(" (overrides %s=%s from %s)", f, prev.Value, prev.Source)
			}
			win[f] = sdk.Prediction{Field: f, Value: v, Confidence: 1, Reason: reason, Source: "classify.rule." + r.Name}
		}
	}
	out := make([]sdk.Prediction, 0, len(win)+cfg.MaxSecondary)
	for _, f := range fields {
		if p, ok := win[f]; ok {
			out = append(out, p)
			delete(win, f)
		}
	}
	for _, f := range sortedKeys(win) { // fields only a hard rule set
		out = append(out, win[f])
	}
	return append(out, secondary(byField[sdk.FieldSecondaryTag], findValue(out, sdk.FieldPrimaryTag), cfg.MaxSecondary, rank)...)
}

func matches(r Rule, preds []sdk.Prediction) bool {
	for _, p := range preds {
		if p.Field == r.When.Field && (r.When.Value == "" || p.Value == r.When.Value) {
			return true
		}
	}
	return false
}

func findValue(ps []sdk.Prediction, field string) string {
	for _, p := range ps {
		if p.Field == field {
			return p.Value
		}
	}
	return ""
}

func secondary(cands []sdk.Prediction, primary string, n int, rank func(string) int) []sdk.Prediction {
	best := map[string]sdk.Prediction{}
	var order []string
	for _, p := range cands {
		if p.Value == primary || p.Value == "" {
			continue
		}
		cur, ok := best[p.Value]
		if !ok {
			order = append(order, p.Value)
		}
		if !ok || p.Confidence > cur.Confidence || (p.Confidence == cur.Confidence && rank(p.Source) < rank(cur.Source)) {
			best[p.Value] = p
		}
	}
	out := make([]sdk.Prediction, 0, len(order))
	for _, v := range order {
		out = append(out, best[v])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Confidence > out[j].Confidence })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func sortedKeys(m map[string]sdk.Prediction) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Ensemble runs several classifiers and merges their predictions. It is
// itself an sdk.Classifier, so the pipeline sees one classifier.
type Ensemble struct {
	Classifiers []Named
	Merge       MergeConfig
	Logger      *slog.Logger
	// OnOutcome, when set, is called with each classifier's outcome (for
	// metrics and the record).
	OnOutcome func(Outcome)
}

var _ sdk.Classifier = (*Ensemble)(nil)

// Classify implements sdk.Classifier. It fails only when every classifier
// failed; otherwise the merged predictions of those that answered are
// returned.
func (e *Ensemble) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	outs := Run(ctx, e.Classifiers, req, e.Logger)
	var errs []error
	for _, o := range outs {
		if e.OnOutcome != nil {
			e.OnOutcome(o)
		}
		if o.Err != "" {
			errs = append(errs, fmt.Errorf("%s: %s", o.Source, o.Err))
		}
	}
	if len(outs) > 0 && len(errs) == len(outs) {
		return nil, fmt.Errorf("every classifier failed: %w", errors.Join(errs...))
	}
	return &sdk.ClassifyResponse{Predictions: Merge(e.Merge, outs)}, nil
}
