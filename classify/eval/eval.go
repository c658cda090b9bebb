package eval

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// NoPrediction is the confusion-matrix column for examples on which the
// classifier predicted no priority.
const NoPrediction = "none"

// priorities are the priority classes the metrics are computed over.
var priorities = policy.Priorities()

// DefaultTaxonomy returns the tag names of the default taxonomy
// (policy.Default), in its documented order.
func DefaultTaxonomy() []string {
	return policy.Default().Names()
}

// Options configures Run. The zero value is ready to use.
type Options struct {
	// Taxonomy is the list of allowed tags sent to the classifier in the
	// FieldSpecs of sdk.FieldPrimaryTag and sdk.FieldSecondaryTag.
	// Empty means DefaultTaxonomy().
	Taxonomy []string
	// Timeout bounds each Classify call. Zero means no per-call limit
	// beyond ctx.
	Timeout time.Duration
}

// ClassMetrics are one class's scores.
type ClassMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of labelled examples whose gold label includes
	// the class.
	Support int `json:"support"`
}

// PerClass holds per-class scores, keyed by class name.
type PerClass struct {
	Priority map[string]ClassMetrics `json:"priority"`
	Tags     map[string]ClassMetrics `json:"tags"`
}

// Report is the outcome of one evaluation. Ratios are in [0,1]; a ratio
// with nothing to measure (for example no labelled priorities) is 0.
type Report struct {
	// N is the number of examples classified.
	N int `json:"n"`
	// PriorityAccuracy is the share of priority-labelled examples whose
	// predicted priority equals the gold one; no prediction counts as wrong.
	PriorityAccuracy float64 `json:"priority_accuracy"`
	// PriorityMacroF1 is the unweighted mean F1 over the classes P0..P3
	// that occur in the gold labels or the predictions.
	PriorityMacroF1 float64 `json:"priority_macro_f1"`
	// PrimaryTagAccuracy is the share of tag-labelled examples whose
	// predicted sdk.FieldPrimaryTag equals the first gold tag.
	PrimaryTagAccuracy float64 `json:"primary_tag_accuracy"`
	// TagMacroF1 is multi-label: per example the predicted set is the
	// primary plus all secondary predictions and the gold set is all
	// labels; per-tag F1 is averaged over the tags that occur in either.
	TagMacroF1 float64 `json:"tag_macro_f1"`
	// PerClass has the scores behind the macro averages.
	PerClass PerClass `json:"per_class"`
	// Confusion counts priority-labelled examples as gold → predicted. All
	// of P0..P3 are present on both axes; NoPrediction and any value that
	// is not a priority appear as extra columns when they occur.
	Confusion map[string]map[string]int `json:"confusion"`
	// TicketsPerSecond is N divided by the wall time of the whole run.
	TicketsPerSecond float64 `json:"tickets_per_second"`
	// P50Ms and P99Ms are nearest-rank percentiles of the per-ticket
	// Classify latency, in milliseconds.
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	// ECE is the expected calibration error of the predictions'
	// confidences, per field.
	ECE ECE `json:"ece"`
}

// ECE holds expected calibration errors: over 10 equal-width confidence
// bins, the mean |accuracy − mean confidence| weighted by the bin's share
// of the labelled examples that got a prediction. 0 means calibrated (or
// nothing to measure).
type ECE struct {
	Priority   float64 `json:"priority"`
	PrimaryTag float64 `json:"primary_tag"`
}

// ece computes the expected calibration error over 10 equal-width bins.
func ece(conf []float64, correct []bool) float64 {
	const bins = 10
	var n, acc, sum [bins]float64
	for i, c := range conf {
		b := max(min(int(c*bins), bins-1), 0)
		n[b]++
		sum[b] += c
		if correct[i] {
			acc[b]++
		}
	}
	e := 0.0
	for b := range n {
		if n[b] > 0 {
			e += n[b] / float64(len(conf)) * math.Abs(acc[b]/n[b]-sum[b]/n[b])
		}
	}
	return e
}

// Run classifies every example with c, one at a time, and scores the
// predictions. Each example becomes an sdk.Ticket with the subject and one
// public customer message holding the body. When c returns several
// predictions for priority or primary tag, the one with the highest
// confidence counts (the first of equals); all secondary-tag predictions
// count. Predicted tags are compared trimmed and lower-cased.
//
// Run stops at the first Classify error and returns it wrapped with the
// example's line; it also stops when ctx is done.
func Run(ctx context.Context, c sdk.Classifier, examples []Example, opts Options) (*Report, error) {
	if len(examples) == 0 {
		return nil, fmt.Errorf("evaluating: no examples: %w", sdk.ErrInvalid)
	}
	taxonomy := opts.Taxonomy
	if len(taxonomy) == 0 {
		taxonomy = DefaultTaxonomy()
	}
	fields := fieldSpecs(taxonomy)

	preds := make([]predicted, len(examples))
	latencies := make([]time.Duration, len(examples))
	start := time.Now()
	for i, ex := range examples {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("evaluating line %d: %w", ex.Line, err)
		}
		req := &sdk.ClassifyRequest{Ticket: ticket(ex), Fields: fields}
		resp, d, err := classify(ctx, c, req, opts.Timeout)
		if err != nil {
			return nil, fmt.Errorf("classifying line %d: %w", ex.Line, err)
		}
		latencies[i] = d
		preds[i] = pick(resp)
	}
	wall := time.Since(start)

	r := score(examples, preds)
	if s := wall.Seconds(); s > 0 {
		r.TicketsPerSecond = float64(len(examples)) / s
	}
	r.P50Ms = percentileMs(latencies, 50)
	r.P99Ms = percentileMs(latencies, 99)
	return r, nil
}

func classify(ctx context.Context, c sdk.Classifier, req *sdk.ClassifyRequest, timeout time.Duration) (*sdk.ClassifyResponse, time.Duration, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	t0 := time.Now()
	resp, err := c.Classify(ctx, req)
	return resp, time.Since(t0), err
}

func fieldSpecs(taxonomy []string) []sdk.FieldSpec {
	return append([]sdk.FieldSpec{policy.PriorityField()}, policy.TagFields(taxonomy)...)
}

func ticket(ex Example) *sdk.Ticket {
	id := strconv.Itoa(ex.Line)
	return &sdk.Ticket{
		Ref:     sdk.TicketRef{Connector: "eval", ID: id},
		Subject: ex.Subject,
		Status:  sdk.StatusNew,
		Messages: []sdk.Message{{
			ID:        id,
			FromAgent: false,
			Public:    true,
			Body:      ex.Body,
		}},
	}
}

// predicted is what counts of one response.
type predicted struct {
	priority string // canonical "P0".."P3", the raw value if not a priority, "" if none
	primary  string // "" if none
	// confidences of the priority and primary tag predictions
	priorityConf, primaryConf float64
	tags                      []string
}

func pick(resp *sdk.ClassifyResponse) predicted {
	var out predicted
	if resp == nil {
		return out
	}
	best := map[string]sdk.Prediction{}
	for _, p := range resp.Predictions {
		switch p.Field {
		case sdk.FieldPriority, sdk.FieldPrimaryTag:
			if b, ok := best[p.Field]; !ok || p.Confidence > b.Confidence {
				best[p.Field] = p
			}
		}
	}
	if p, ok := best[sdk.FieldPriority]; ok {
		out.priority, out.priorityConf = strings.TrimSpace(p.Value), p.Confidence
		if pr, err := sdk.ParsePriority(p.Value); err == nil {
			out.priority = string(pr)
		}
	}
	if p, ok := best[sdk.FieldPrimaryTag]; ok {
		out.primary, out.primaryConf = normTag(p.Value), p.Confidence
	}
	add := func(t string) {
		if t != "" && !slices.Contains(out.tags, t) {
			out.tags = append(out.tags, t)
		}
	}
	add(out.primary)
	for _, p := range resp.Predictions {
		if p.Field == sdk.FieldSecondaryTag {
			add(normTag(p.Value))
		}
	}
	return out
}

// counts accumulates one class's confusion counts.
type counts struct{ tp, fp, fn, support int }

func (c counts) metrics() ClassMetrics {
	m := ClassMetrics{
		Precision: ratio(c.tp, c.tp+c.fp),
		Recall:    ratio(c.tp, c.tp+c.fn),
		Support:   c.support,
	}
	m.F1 = ratio(2*c.tp, 2*c.tp+c.fp+c.fn)
	return m
}

func score(examples []Example, preds []predicted) *Report {
	r := &Report{
		N:         len(examples),
		PerClass:  PerClass{Priority: map[string]ClassMetrics{}, Tags: map[string]ClassMetrics{}},
		Confusion: map[string]map[string]int{},
	}
	for _, g := range priorities {
		r.Confusion[string(g)] = map[string]int{}
		for _, p := range priorities {
			r.Confusion[string(g)][string(p)] = 0
		}
	}

	prio := map[string]*counts{}
	tags := map[string]*counts{}
	get := func(m map[string]*counts, k string) *counts {
		if m[k] == nil {
			m[k] = &counts{}
		}
		return m[k]
	}
	var prioN, prioOK, tagN, tagOK int
	var pConf, tConf []float64
	var pRight, tRight []bool
	for i, ex := range examples {
		p := preds[i]
		if ex.Priority != sdk.PriorityUnknown {
			gold := string(ex.Priority)
			if p.priority != "" {
				pConf, pRight = append(pConf, p.priorityConf), append(pRight, p.priority == gold)
			}
			col := cmp.Or(p.priority, NoPrediction)
			r.Confusion[gold][col]++
			prioN++
			get(prio, gold).support++
			if p.priority == gold {
				prioOK++
				get(prio, gold).tp++
			} else {
				get(prio, gold).fn++
				if isPriority(p.priority) {
					get(prio, p.priority).fp++
				}
			}
		}
		if len(ex.Tags) > 0 {
			tagN++
			if p.primary != "" {
				tConf, tRight = append(tConf, p.primaryConf), append(tRight, p.primary == ex.Tags[0])
			}
			if p.primary == ex.Tags[0] {
				tagOK++
			}
			for _, t := range ex.Tags {
				c := get(tags, t)
				c.support++
				if slices.Contains(p.tags, t) {
					c.tp++
				} else {
					c.fn++
				}
			}
			for _, t := range p.tags {
				if !slices.Contains(ex.Tags, t) {
					get(tags, t).fp++
				}
			}
		}
	}

	r.PriorityAccuracy = ratio(prioOK, prioN)
	r.PrimaryTagAccuracy = ratio(tagOK, tagN)
	r.PriorityMacroF1 = macro(prio, r.PerClass.Priority)
	r.TagMacroF1 = macro(tags, r.PerClass.Tags)
	r.ECE = ECE{Priority: ece(pConf, pRight), PrimaryTag: ece(tConf, tRight)}
	return r
}

// macro fills out with each class's metrics and returns the mean F1.
func macro(cs map[string]*counts, out map[string]ClassMetrics) float64 {
	if len(cs) == 0 {
		return 0
	}
	var sum float64
	for k, c := range cs {
		m := c.metrics()
		out[k] = m
		sum += m.F1
	}
	return sum / float64(len(cs))
}

func isPriority(s string) bool { return slices.Contains(priorities, sdk.Priority(s)) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// percentileMs is the nearest-rank p-th percentile of ds, in milliseconds.
func percentileMs(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = max(1, min(rank, len(s)))
	return float64(s[rank-1]) / float64(time.Millisecond)
}
