package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
)

// series gathers reg as "name{label=value,...}" → value, labels sorted,
// for the families whose names start with prefix.
func series(t *testing.T, reg *prometheus.Registry, prefix string) map[string]float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		if !strings.HasPrefix(f.GetName(), prefix) {
			continue
		}
		for _, m := range f.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, l.GetName()+"="+l.GetValue())
			}
			slices.Sort(ls)
			key := f.GetName() + "{" + strings.Join(ls, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out[key] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				out[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

// triageRun is one event through a pipeline whose decider returns changes,
// holds and, live, a public reply.
type triageRun struct {
	live      bool
	changes   bool // the decider has something to write
	reply     bool
	failFirst bool // the first write-back fails, the retry succeeds
}

func runTriage(t *testing.T, r triageRun) map[string]float64 {
	t.Helper()
	failed := false
	desk := fakeDesk{
		ticket: func(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
			return &sdk.Ticket{Ref: ref, Subject: "Charged twice"}, nil
		},
		apply: func(context.Context, sdk.TicketRef, sdk.Changes) error {
			if r.failFirst && !failed {
				failed = true
				return errors.New("vendor 503")
			}
			return nil
		},
	}
	cls := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{
			{Field: sdk.FieldPriority, Value: "P1", Confidence: 0.9},
			{Field: sdk.FieldPrimaryTag, Value: "billing", Confidence: 0.8},
			{Field: sdk.FieldPrimaryTag, Value: "some ticket's own words", Confidence: 0.3}, // not in the taxonomy
			{Field: sdk.FieldLanguage, Value: "en", Confidence: 0.99},                       // free text
			{Field: "vendor.custom", Value: "x", Confidence: 0.5},                           // not a configured field
		}}, nil
	})
	dec := deciderFunc(func(_ context.Context, req *DecideRequest) (*DecideResult[explained], error) {
		res := &DecideResult[explained]{Explanation: &explained{Mode: req.Mode},
			Held: []Hold{{Field: sdk.FieldPrimaryTag, Reason: HoldBelowThreshold}, {Field: "vendor.custom", Reason: HoldDisabled}}}
		if !req.Mode.Live() {
			res.Held = append(res.Held, Hold{Field: sdk.FieldPriority, Reason: HoldShadow})
		}
		if r.changes && req.Mode.Live() {
			p := sdk.P1
			res.Changes = sdk.Changes{Priority: &p, InternalNote: "note"}
			if r.reply {
				res.Changes.PublicReply = "Hi"
			}
		}
		return res, nil
	})
	mode := config.ModeShadow
	if r.live {
		mode = config.ModeLive
	}
	reg := prometheus.NewRegistry()
	p, err := New(Config[explained]{
		Recorder: newRec(), Targets: map[string]Target{"acme": {Desk: desk, Mode: mode}, "beta": {Desk: desk, Mode: mode}},
		Classifier: cls, Decider: dec, Metrics: reg,
		Fields: []sdk.FieldSpec{{Name: sdk.FieldPriority, Allowed: []string{"P0", "P1", "P2", "P3"}},
			{Name: sdk.FieldPrimaryTag, Allowed: []string{"billing", "bug"}}, {Name: sdk.FieldLanguage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	attempt := 1
	if r.failFirst {
		if err := p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err == nil {
			t.Fatal("the failed write-back did not fail the job")
		}
		attempt = 2
	}
	for range 2 { // the second is a redelivery: recorded already, counted once
		if err := p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: attempt, MaxAttempts: 5}); err != nil {
			t.Fatal(err)
		}
	}
	return series(t, reg, "heard_")
}

func TestTriageMetrics(t *testing.T) {
	// Every run predicts the same; what the gates held depends on the mode.
	predicted := map[string]float64{
		"heard_predictions_total{field=priority,value=P1}":                 1,
		"heard_predictions_total{field=priority,value=P0}":                 0,
		"heard_predictions_total{field=tag.primary,value=billing}":         1,
		"heard_predictions_total{field=tag.primary,value=other}":           1,
		"heard_predictions_total{field=language,value=other}":              1,
		"heard_predictions_total{field=other,value=other}":                 1,
		"heard_gate_holds_total{field=tag.primary,reason=below_threshold}": 1,
		"heard_gate_holds_total{field=other,reason=disabled}":              1,
	}
	tests := []struct {
		name string
		run  triageRun
		want map[string]float64
	}{
		{"live, written with a reply", triageRun{live: true, changes: true, reply: true}, map[string]float64{
			"heard_writebacks_total{connector=acme,result=written}": 1,
			"heard_writebacks_total{connector=beta,result=written}": 0,
			"heard_auto_replies_total{connector=acme}":              1,
			"heard_gate_holds_total{field=priority,reason=shadow}":  0,
			"heard_stage_duration_seconds{stage=writeback}":         1,
			"heard_stage_duration_seconds{stage=classify}":          1,
		}},
		{"live, a failed write-back retried", triageRun{live: true, changes: true, failFirst: true}, map[string]float64{
			"heard_writebacks_total{connector=acme,result=failed}":  1,
			"heard_writebacks_total{connector=acme,result=written}": 1,
			"heard_auto_replies_total{connector=acme}":              0,
			"heard_stage_duration_seconds{stage=decide}":            2, // both attempts decided
			"heard_stage_duration_seconds{stage=writeback}":         1,
		}},
		{"live, nothing passed the gates", triageRun{live: true}, map[string]float64{
			"heard_writebacks_total{connector=acme,result=nothing}": 1,
			"heard_writebacks_total{connector=acme,result=written}": 0,
			"heard_stage_duration_seconds{stage=writeback}":         0,
		}},
		{"shadow", triageRun{changes: true, reply: true}, map[string]float64{
			"heard_writebacks_total{connector=acme,result=shadow}":  1,
			"heard_writebacks_total{connector=acme,result=written}": 0,
			"heard_auto_replies_total{connector=acme}":              0,
			"heard_gate_holds_total{field=priority,reason=shadow}":  1,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runTriage(t, tt.run)
			for k, v := range predicted {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %v (exported %v); want %v", k, g, ok, v)
				}
			}
			for k, v := range tt.want {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %v (exported %v); want %v", k, g, ok, v)
				}
			}
			// Labels come only from closed sets: nothing a ticket said.
			for k := range got {
				if strings.Contains(k, "ticket") || strings.Contains(k, "custom") || strings.Contains(k, "value=en") {
					t.Errorf("series %s has a label value from a ticket", k)
				}
			}
		})
	}
}

func TestTriageMetricsSeriesAreBounded(t *testing.T) {
	tags := make([]string, 30)
	for i := range tags {
		tags[i] = fmt.Sprintf("tag%d", i)
	}
	m := newTriageMetrics([]sdk.FieldSpec{{Name: sdk.FieldPriority, Allowed: []string{"P0", "P1", "P2", "P3"}}, {Name: sdk.FieldPrimaryTag, Allowed: tags}}, []string{"acme"})
	reg := prometheus.NewRegistry()
	if err := m.register(reg); err != nil {
		t.Fatal(err)
	}
	before := len(series(t, reg, "heard_"))
	for i := range 1000 { // values never seen before do not add series
		v := fmt.Sprint(i)
		m.predicted([]sdk.Prediction{{Field: v, Value: v}, {Field: sdk.FieldPrimaryTag, Value: v}})
		m.held([]Hold{{Field: v, Reason: HoldInvalid}, {Field: sdk.FieldPriority, Reason: v}})
		m.wrote(v, WritebackWritten, true)
	}
	got := series(t, reg, "heard_")
	if len(got) != before {
		t.Errorf("%d series after 1000 unseen values; want the %d made at start", len(got), before)
	}
	// (4 + 1 + 30 + 1) predictions + 1 other, (2 fields + other) × 5 holds,
	// (acme + other) × 4 results, 2 reply counters, 5 stages.
	if want := 37 + 15 + 8 + 2 + 5; before != want {
		t.Errorf("%d series at start; want %d", before, want)
	}
	if got["heard_writebacks_total{connector=other,result=written}"] != 1000 || got["heard_gate_holds_total{field=other,reason=invalid}"] != 1000 ||
		got["heard_predictions_total{field=tag.primary,value=other}"] != 1000 {
		t.Errorf("unseen values not counted as other: %v", got)
	}
}

func BenchmarkTriageMetricsPerEvent(b *testing.B) {
	m := newTriageMetrics([]sdk.FieldSpec{{Name: sdk.FieldPriority, Allowed: []string{"P0", "P1", "P2", "P3"}},
		{Name: sdk.FieldPrimaryTag, Allowed: []string{"billing", "bug"}}}, []string{"acme"})
	d := &Detail[struct{}]{Predictions: []sdk.Prediction{{Field: sdk.FieldPriority, Value: "P1"}, {Field: sdk.FieldPrimaryTag, Value: "billing"},
		{Field: sdk.FieldLanguage, Value: "en"}}, held: []Hold{{Field: sdk.FieldPrimaryTag, Reason: HoldBelowThreshold}}, result: WritebackWritten}
	b.ReportAllocs()
	for b.Loop() {
		outcome(m, "acme", d)
	}
}
