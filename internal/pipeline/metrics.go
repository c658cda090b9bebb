package pipeline

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/sdk"
)

// Hold is one prediction the gates kept off the ticket. Deciders report
// them in DecideResult.Held; the pipeline counts them.
type Hold struct {
	// Field is the prediction's field.
	Field string
	// Reason is one of the Hold* reasons.
	Reason string
}

// Reasons a prediction is held back: the values of heard_gate_holds_total's
// reason label.
const (
	// HoldShadow: it passed its gate, but the connector is in shadow mode.
	HoldShadow = "shadow"
	// HoldBelowThreshold: its confidence is under the gate's threshold.
	HoldBelowThreshold = "below_threshold"
	// HoldDisabled: its gate is disabled.
	HoldDisabled = "disabled"
	// HoldInvalid: the value is not a valid one for the field.
	HoldInvalid = "invalid"
	// HoldSuperseded: a more confident prediction took the field's place.
	HoldSuperseded = "superseded"
)

var holdReasons = [...]string{HoldShadow, HoldBelowThreshold, HoldDisabled, HoldInvalid, HoldSuperseded}

// Write-back results: the values of heard_writebacks_total's result label.
const (
	// WritebackWritten: the changes were written to the help desk.
	WritebackWritten = "written"
	// WritebackFailed: the help desk refused them or could not be reached
	// (the job is retried, and counted again).
	WritebackFailed = "failed"
	// WritebackNothing: live mode, but nothing passed the gates.
	WritebackNothing = "nothing"
	// WritebackShadow: the connector is in shadow mode; nothing was sent.
	WritebackShadow = "shadow"
)

// Pipeline stages: the values of heard_stage_duration_seconds's stage label.
const (
	StageFetch     = "fetch"
	StageEnrich    = "enrich"
	StageClassify  = "classify"
	StageDecide    = "decide"
	StageWriteback = "writeback"
)

// other is the label value of anything outside a closed set: a field the
// pipeline was not configured with, a value outside a field's allowed ones
// (free-text fields such as language always), an unknown connector.
const other = "other"

// triageMetrics are the triage-outcome metrics, every series resolved when
// the pipeline is built from closed sets (configured fields, their allowed
// values, configured connectors), so that counting an event neither
// allocates nor grows the label space.
type triageMetrics struct {
	predictions map[string]*fieldCounters
	predOther   prometheus.Counter // field and value other
	holds       map[string]*[len(holdReasons)]prometheus.Counter
	writebacks  map[string]*writebackCounters
	stages      map[string]prometheus.Observer
	cs          []prometheus.Collector
}

type fieldCounters struct {
	values map[string]prometheus.Counter
	other  prometheus.Counter
}

type writebackCounters struct {
	written, failed, nothing, shadow, autoReply prometheus.Counter
}

func newTriageMetrics(fields []sdk.FieldSpec, connectors []string) *triageMetrics {
	preds := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "heard_predictions_total",
		Help: "Merged classifier predictions by field and value; value is one of the field's allowed values, else other (free-text fields always).",
	}, []string{"field", "value"})
	holds := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "heard_gate_holds_total",
		Help: "Predictions the gates kept off the ticket, by field and reason (shadow, below_threshold, disabled, invalid, superseded).",
	}, []string{"field", "reason"})
	wbs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "heard_writebacks_total",
		Help: "Enriched events by connector and write-back result: written, failed (retried), nothing (nothing passed the gates), shadow (shadow mode).",
	}, []string{"connector", "result"})
	replies := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "heard_auto_replies_total",
		Help: "Public replies heard sent to customers without an agent, by connector.",
	}, []string{"connector"})
	stages := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "heard_stage_duration_seconds",
		Help:    "Time an enriched event spent in each pipeline stage: fetch, enrich, classify, decide, writeback.",
		Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"stage"})

	m := &triageMetrics{
		predictions: map[string]*fieldCounters{},
		predOther:   preds.WithLabelValues(other, other),
		holds:       map[string]*[len(holdReasons)]prometheus.Counter{},
		writebacks:  map[string]*writebackCounters{},
		stages:      map[string]prometheus.Observer{},
		cs:          []prometheus.Collector{preds, holds, wbs, replies, stages},
	}
	addHolds := func(field string) {
		var hs [len(holdReasons)]prometheus.Counter
		for i, r := range holdReasons {
			hs[i] = holds.WithLabelValues(field, r)
		}
		m.holds[field] = &hs
	}
	for _, f := range fields {
		fc := &fieldCounters{values: map[string]prometheus.Counter{}, other: preds.WithLabelValues(f.Name, other)}
		for _, v := range f.Allowed {
			fc.values[v] = preds.WithLabelValues(f.Name, v)
		}
		m.predictions[f.Name] = fc
		addHolds(f.Name)
	}
	addHolds(other)
	for _, c := range append(connectors, other) {
		m.writebacks[c] = &writebackCounters{
			written: wbs.WithLabelValues(c, WritebackWritten), failed: wbs.WithLabelValues(c, WritebackFailed),
			nothing: wbs.WithLabelValues(c, WritebackNothing), shadow: wbs.WithLabelValues(c, WritebackShadow),
			autoReply: replies.WithLabelValues(c),
		}
	}
	for _, s := range []string{StageFetch, StageEnrich, StageClassify, StageDecide, StageWriteback} {
		m.stages[s] = stages.WithLabelValues(s)
	}
	return m
}

func (m *triageMetrics) register(r prometheus.Registerer) error {
	for _, c := range m.cs {
		if err := r.Register(c); err != nil {
			return fmt.Errorf("registering pipeline metrics: %w", err)
		}
	}
	return nil
}

// outcome counts a recorded event's triage outcome: its predictions, the
// ones held back and its write-back. It is called once the record is
// saved, so a retried event counts once.
func outcome[E any](m *triageMetrics, connector string, d *Detail[E]) {
	if d.result == "" {
		return
	}
	m.predicted(d.Predictions)
	m.held(d.held)
	m.wrote(connector, d.result, d.Written != nil && d.Written.PublicReply != "")
}

// predicted counts an event's merged predictions.
func (m *triageMetrics) predicted(preds []sdk.Prediction) {
	for i := range preds {
		fc, ok := m.predictions[preds[i].Field]
		if !ok {
			m.predOther.Inc()
			continue
		}
		if c, ok := fc.values[preds[i].Value]; ok {
			c.Inc()
		} else {
			fc.other.Inc()
		}
	}
}

// held counts the predictions the gates held back.
func (m *triageMetrics) held(hs []Hold) {
	for _, h := range hs {
		cs, ok := m.holds[h.Field]
		if !ok {
			cs = m.holds[other]
		}
		for i, r := range holdReasons {
			if r == h.Reason {
				cs[i].Inc()
				break
			}
		}
	}
}

// wrote counts one event's write-back result for connector; reply says
// a public reply went out with it.
func (m *triageMetrics) wrote(connector, result string, reply bool) {
	wc, ok := m.writebacks[connector]
	if !ok {
		wc = m.writebacks[other]
	}
	switch result {
	case WritebackWritten:
		wc.written.Inc()
		if reply {
			wc.autoReply.Inc()
		}
	case WritebackFailed:
		wc.failed.Inc()
	case WritebackNothing:
		wc.nothing.Inc()
	case WritebackShadow:
		wc.shadow.Inc()
	}
}

// since records the time since start in stage and returns now, the next
// stage's start.
func (m *triageMetrics) since(stage string, start time.Time) time.Time {
	now := time.Now()
	m.stages[stage].Observe(now.Sub(start).Seconds())
	return now
}

// agreementSeries makes the series of the fields agreement.Compare
// compares, so that they show at 0 before the first agents' values.
func agreementSeries(agreement *prometheus.CounterVec) {
	for _, f := range []string{sdk.FieldPriority, sdk.FieldPrimaryTag, sdk.FieldSecondaryTag} {
		agreement.WithLabelValues(f, "true")
		agreement.WithLabelValues(f, "false")
	}
}
