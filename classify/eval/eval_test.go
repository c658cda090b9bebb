package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/sdk"
)

// scripted answers each ticket with the predictions listed under its subject.
func scripted(by map[string][]sdk.Prediction) sdk.Classifier {
	return sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{Predictions: by[req.Ticket.Subject]}, nil
	})
}

func prio(v string, conf float64) sdk.Prediction {
	return sdk.Prediction{Field: sdk.FieldPriority, Value: v, Confidence: conf}
}

func primary(v string, conf float64) sdk.Prediction {
	return sdk.Prediction{Field: sdk.FieldPrimaryTag, Value: v, Confidence: conf}
}

func secondary(v string) sdk.Prediction {
	return sdk.Prediction{Field: sdk.FieldSecondaryTag, Value: v, Confidence: 0.5}
}

// row builds a labelled example; subject doubles as the script key.
func row(subject string, p sdk.Priority, tags ...string) eval.Example {
	return eval.Example{Subject: subject, Body: "body of " + subject, Priority: p, Tags: tags}
}

const eps = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) < eps }

func TestRunMetrics(t *testing.T) {
	type metrics struct {
		prioAcc, prioF1, tagAcc, tagF1 float64
	}
	cases := []struct {
		name      string
		examples  []eval.Example
		preds     map[string][]sdk.Prediction
		want      metrics
		perPrio   map[string]eval.ClassMetrics // checked when non-nil
		perTag    map[string]eval.ClassMetrics // checked when non-nil
		confusion map[string]map[string]int    // non-zero cells; checked when non-nil
	}{
		{
			name: "perfect classifier",
			examples: []eval.Example{
				row("a", sdk.P0, "security"), row("b", sdk.P1, "billing", "churn-risk"),
				row("c", sdk.P2, "bug"), row("d", sdk.P3, "how-to"),
			},
			preds: map[string][]sdk.Prediction{
				"a": {prio("P0", .9), primary("security", .9)},
				"b": {prio("P1", .9), primary("billing", .9), secondary("churn-risk")},
				"c": {prio("P2", .9), primary("bug", .9)},
				"d": {prio("P3", .9), primary("how-to", .9)},
			},
			want: metrics{1, 1, 1, 1},
			perPrio: map[string]eval.ClassMetrics{
				"P0": {1, 1, 1, 1}, "P1": {1, 1, 1, 1}, "P2": {1, 1, 1, 1}, "P3": {1, 1, 1, 1},
			},
			confusion: map[string]map[string]int{"P0": {"P0": 1}, "P1": {"P1": 1}, "P2": {"P2": 1}, "P3": {"P3": 1}},
		},
		{
			name: "always wrong",
			examples: []eval.Example{
				row("a", sdk.P0, "security"), row("b", sdk.P1, "billing"),
			},
			preds: map[string][]sdk.Prediction{
				"a": {prio("P3", .9), primary("how-to", .9)},
				"b": {prio("P3", .9), primary("how-to", .9)},
			},
			want: metrics{0, 0, 0, 0},
			perPrio: map[string]eval.ClassMetrics{
				"P0": {0, 0, 0, 1}, "P1": {0, 0, 0, 1}, "P3": {0, 0, 0, 0},
			},
			perTag: map[string]eval.ClassMetrics{
				"security": {0, 0, 0, 1}, "billing": {0, 0, 0, 1}, "how-to": {0, 0, 0, 0},
			},
			confusion: map[string]map[string]int{"P0": {"P3": 1}, "P1": {"P3": 1}},
		},
		{
			// gold P0 P0 P1 P1 P2 P3, predicted P0 P1 P1 P1 P3 P3:
			// P0 tp1 fn1 → p 1, r .5, f1 2/3; P1 tp2 fp1 → p 2/3, r 1, f1 .8;
			// P2 fn1 → 0; P3 tp1 fp1 → p .5, r 1, f1 2/3.
			// macro = (2/3 + .8 + 0 + 2/3) / 4 = 8/15; accuracy 4/6.
			name: "known confusion",
			examples: []eval.Example{
				row("a", sdk.P0), row("b", sdk.P0), row("c", sdk.P1),
				row("d", sdk.P1), row("e", sdk.P2), row("f", sdk.P3),
			},
			preds: map[string][]sdk.Prediction{
				"a": {prio("P0", .9)}, "b": {prio("P1", .9)}, "c": {prio("P1", .9)},
				"d": {prio("P1", .9)}, "e": {prio("P3", .9)}, "f": {prio("P3", .9)},
			},
			want: metrics{prioAcc: 4.0 / 6, prioF1: 8.0 / 15},
			perPrio: map[string]eval.ClassMetrics{
				"P0": {1, 0.5, 2.0 / 3, 2},
				"P1": {2.0 / 3, 1, 0.8, 2},
				"P2": {0, 0, 0, 1},
				"P3": {0.5, 1, 2.0 / 3, 1},
			},
			confusion: map[string]map[string]int{
				"P0": {"P0": 1, "P1": 1}, "P1": {"P1": 2}, "P2": {"P3": 1}, "P3": {"P3": 1},
			},
		},
		{
			// gold {billing, churn-risk}, {bug}, {how-to};
			// predicted {billing, bug}, {bug}, {account, how-to}.
			// billing tp1 → 1; churn-risk fn1 → 0; bug tp1 fp1 → p .5 r 1 f1 2/3;
			// how-to tp1 → 1; account fp1 → 0. macro = (1+0+2/3+1+0)/5 = 8/15.
			// primary: billing ✓, bug ✓, account ✗ → 2/3.
			name: "multi-label tags",
			examples: []eval.Example{
				row("a", "", "billing", "churn-risk"), row("b", "", "bug"), row("c", "", "how-to"),
			},
			preds: map[string][]sdk.Prediction{
				"a": {primary("billing", .8), secondary("bug")},
				"b": {primary("bug", .8)},
				"c": {primary("account", .8), secondary("how-to")},
			},
			want: metrics{tagAcc: 2.0 / 3, tagF1: 8.0 / 15},
			perTag: map[string]eval.ClassMetrics{
				"billing":    {1, 1, 1, 1},
				"churn-risk": {0, 0, 0, 1},
				"bug":        {0.5, 1, 2.0 / 3, 1},
				"how-to":     {1, 1, 1, 1},
				"account":    {0, 0, 0, 0},
			},
		},
		{
			// The predicted set equals the gold set, but the primary
			// prediction is the gold secondary: primary accuracy is 0.
			name:     "primary tag compared with the first label only",
			examples: []eval.Example{row("a", "", "billing", "churn-risk")},
			preds: map[string][]sdk.Prediction{
				"a": {primary("churn-risk", .9), secondary("billing")},
			},
			want: metrics{tagAcc: 0, tagF1: 1},
			perTag: map[string]eval.ClassMetrics{
				"billing": {1, 1, 1, 1}, "churn-risk": {1, 1, 1, 1},
			},
		},
		{
			// a has no tag label and b no priority label: their wrong
			// predictions for the unlabelled field must not count.
			name: "unlabelled rows skipped per field",
			examples: []eval.Example{
				row("a", sdk.P1), row("b", "", "bug"), row("c", sdk.P2, "billing"), row("d", ""),
			},
			preds: map[string][]sdk.Prediction{
				"a": {prio("P1", .9), primary("security", .9)},
				"b": {prio("P0", .9), primary("bug", .9)},
				"c": {prio("P2", .9), primary("billing", .9)},
				"d": {prio("P0", .9), primary("security", .9)},
			},
			want:      metrics{1, 1, 1, 1},
			perPrio:   map[string]eval.ClassMetrics{"P1": {1, 1, 1, 1}, "P2": {1, 1, 1, 1}},
			perTag:    map[string]eval.ClassMetrics{"bug": {1, 1, 1, 1}, "billing": {1, 1, 1, 1}},
			confusion: map[string]map[string]int{"P1": {"P1": 1}, "P2": {"P2": 1}},
		},
		{
			name:     "several predictions: highest confidence wins, first of equals",
			examples: []eval.Example{row("a", sdk.P1, "bug"), row("b", sdk.P2, "integration")},
			preds: map[string][]sdk.Prediction{
				"a": {prio("P3", .4), prio("P1", .9), prio("P2", .9), primary("how-to", .2), primary("bug", .7)},
				"b": {primary("integration", .6), prio("P0", .1), prio("p2", .55), primary("bug", .3)},
			},
			want:      metrics{1, 1, 1, 1},
			confusion: map[string]map[string]int{"P1": {"P1": 1}, "P2": {"P2": 1}},
		},
		{
			name:     "no prediction counts as wrong in the none column",
			examples: []eval.Example{row("a", sdk.P0, "bug"), row("b", sdk.P0, "bug")},
			preds: map[string][]sdk.Prediction{
				"b": {prio("P0", .9), primary("bug", .9)},
			},
			want:      metrics{0.5, 2.0 / 3, 0.5, 2.0 / 3},
			perPrio:   map[string]eval.ClassMetrics{"P0": {1, 0.5, 2.0 / 3, 2}},
			confusion: map[string]map[string]int{"P0": {"P0": 1, eval.NoPrediction: 1}},
		},
		{
			name:     "value that is not a priority is wrong and shows as its own column",
			examples: []eval.Example{row("a", sdk.P0)},
			preds:    map[string][]sdk.Prediction{"a": {prio("urgent", .9)}},
			want:     metrics{0, 0, 0, 0},
			perPrio:  map[string]eval.ClassMetrics{"P0": {0, 0, 0, 1}},
			confusion: map[string]map[string]int{
				"P0": {"urgent": 1},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := eval.Run(t.Context(), scripted(tc.preds), tc.examples, eval.Options{})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if r.N != len(tc.examples) {
				t.Errorf("N = %d; want %d", r.N, len(tc.examples))
			}
			got := metrics{r.PriorityAccuracy, r.PriorityMacroF1, r.PrimaryTagAccuracy, r.TagMacroF1}
			if !near(got.prioAcc, tc.want.prioAcc) || !near(got.prioF1, tc.want.prioF1) ||
				!near(got.tagAcc, tc.want.tagAcc) || !near(got.tagF1, tc.want.tagF1) {
				t.Errorf("metrics = %+v; want %+v", got, tc.want)
			}
			checkClasses(t, "priority", r.PerClass.Priority, tc.perPrio)
			checkClasses(t, "tags", r.PerClass.Tags, tc.perTag)
			if tc.confusion != nil {
				checkConfusion(t, r.Confusion, tc.confusion)
			}
		})
	}
}

func checkClasses(t *testing.T, what string, got, want map[string]eval.ClassMetrics) {
	t.Helper()
	if want == nil {
		return
	}
	if len(got) != len(want) {
		t.Errorf("per_class.%s has classes %v; want %v", what, keys(got), keys(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("per_class.%s[%s] missing", what, k)
			continue
		}
		if !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) || !near(g.F1, w.F1) || g.Support != w.Support {
			t.Errorf("per_class.%s[%s] = %+v; want %+v", what, k, g, w)
		}
	}
}

// checkConfusion wants every cell of P0..P3 × P0..P3 present and the
// non-zero cells to be exactly want.
func checkConfusion(t *testing.T, got, want map[string]map[string]int) {
	t.Helper()
	for _, g := range []string{"P0", "P1", "P2", "P3"} {
		for _, p := range []string{"P0", "P1", "P2", "P3"} {
			if _, ok := got[g][p]; !ok {
				t.Errorf("confusion[%s][%s] missing", g, p)
			}
		}
	}
	for g, row := range got {
		for p, n := range row {
			if n != want[g][p] {
				t.Errorf("confusion[%s][%s] = %d; want %d", g, p, n, want[g][p])
			}
		}
	}
	for g, row := range want {
		for p, n := range row {
			if got[g][p] != n {
				t.Errorf("confusion[%s][%s] = %d; want %d", g, p, got[g][p], n)
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestRunRequest(t *testing.T) {
	ex := []eval.Example{{Line: 7, Subject: "Site down", Body: "502 on every page", Priority: sdk.P0, Tags: []string{"bug"}}}
	var got *sdk.ClassifyRequest
	c := sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		got = req
		return nil, nil // a nil response is no prediction
	})
	taxonomy := []string{"bug", "billing"}
	if _, err := eval.Run(t.Context(), c, ex, eval.Options{Taxonomy: taxonomy}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	tk := got.Ticket
	if tk.Subject != "Site down" {
		t.Errorf("Subject = %q; want %q", tk.Subject, "Site down")
	}
	if len(tk.Messages) != 1 {
		t.Fatalf("got %d messages; want 1", len(tk.Messages))
	}
	if m := tk.Messages[0]; m.Body != "502 on every page" || m.FromAgent || !m.Public {
		t.Errorf("message = %+v; want the body, FromAgent false, Public true", m)
	}
	if tk.Priority != "" || len(tk.Tags) != 0 {
		t.Errorf("ticket leaks the gold labels: priority %q, tags %v", tk.Priority, tk.Tags)
	}
	want := map[string][]string{
		sdk.FieldPriority:     {"P0", "P1", "P2", "P3"},
		sdk.FieldPrimaryTag:   taxonomy,
		sdk.FieldSecondaryTag: taxonomy,
	}
	if len(got.Fields) != len(want) {
		t.Errorf("Fields = %+v; want %d fields", got.Fields, len(want))
	}
	for _, f := range got.Fields {
		if w, ok := want[f.Name]; !ok || !slices.Equal(f.Allowed, w) {
			t.Errorf("field %q allows %v; want %v", f.Name, f.Allowed, w)
		}
	}
}

func TestRunErrors(t *testing.T) {
	ex := []eval.Example{row("a", sdk.P1, "bug"), {Line: 9, Subject: "b", Priority: sdk.P2}}
	boom := errors.New("boom")
	cases := []struct {
		name    string
		c       sdk.Classifier
		ex      []eval.Example
		ctx     func() context.Context
		opts    eval.Options
		wantIs  error
		wantMsg string
	}{
		{
			name: "classifier error names the line",
			c: sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
				if req.Ticket.Subject == "b" {
					return nil, boom
				}
				return nil, nil
			}),
			ex: ex, wantIs: boom, wantMsg: "line 9",
		},
		{
			name:   "no examples",
			c:      scripted(nil),
			wantIs: sdk.ErrInvalid,
		},
		{
			name: "cancelled context",
			c:    scripted(nil),
			ex:   ex,
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			wantIs: context.Canceled,
		},
		{
			name: "per-call timeout reaches the classifier",
			c: sdk.ClassifierFunc(func(ctx context.Context, _ *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
				<-ctx.Done()
				return nil, fmt.Errorf("classifying: %w", ctx.Err())
			}),
			ex:     ex,
			opts:   eval.Options{Timeout: time.Millisecond},
			wantIs: context.DeadlineExceeded,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			r, err := eval.Run(ctx, tc.c, tc.ex, tc.opts)
			if err == nil {
				t.Fatalf("Run = %+v, nil; want an error", r)
			}
			if !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v; want one wrapping %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tc.wantMsg)
			}
		})
	}
}

func TestRunLatency(t *testing.T) {
	const n = 5
	var ex []eval.Example
	for i := range n {
		ex = append(ex, row(fmt.Sprint(i), sdk.P2))
	}
	c := sdk.ClassifierFunc(func(_ context.Context, _ *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		time.Sleep(2 * time.Millisecond)
		return nil, nil
	})
	r, err := eval.Run(t.Context(), c, ex, eval.Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if r.P50Ms < 2 || r.P99Ms < r.P50Ms {
		t.Errorf("p50 = %.3f ms, p99 = %.3f ms; want 2 <= p50 <= p99", r.P50Ms, r.P99Ms)
	}
	// n tickets of at least 2 ms each cannot run faster than 500/s.
	if r.TicketsPerSecond <= 0 || r.TicketsPerSecond > 500 {
		t.Errorf("tickets_per_second = %.1f; want in (0, 500]", r.TicketsPerSecond)
	}
}

func TestReportJSON(t *testing.T) {
	r, err := eval.Run(t.Context(), scripted(map[string][]sdk.Prediction{"a": {prio("P1", 1), primary("bug", 1)}}),
		[]eval.Example{row("a", sdk.P1, "bug")}, eval.Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	want := []string{"confusion", "ece", "n", "p50_ms", "p99_ms", "per_class", "primary_tag_accuracy",
		"priority_accuracy", "priority_macro_f1", "tag_macro_f1", "tickets_per_second"}
	if got := keys(top); !slices.Equal(got, want) {
		t.Errorf("JSON keys = %v; want %v", got, want)
	}
	var pc map[string]map[string]map[string]json.RawMessage
	if err := json.Unmarshal(top["per_class"], &pc); err != nil {
		t.Fatalf("per_class: %v", err)
	}
	if got := keys(pc); !slices.Equal(got, []string{"priority", "tags"}) {
		t.Errorf("per_class keys = %v; want [priority tags]", got)
	}
	if got := keys(pc["tags"]["bug"]); !slices.Equal(got, []string{"f1", "precision", "recall", "support"}) {
		t.Errorf("per_class.tags.bug keys = %v; want [f1 precision recall support]", got)
	}
	var conf map[string]map[string]int
	if err := json.Unmarshal(top["confusion"], &conf); err != nil || conf["P1"]["P1"] != 1 {
		t.Errorf("confusion = %s (err %v); want P1→P1 = 1", top["confusion"], err)
	}
}

func TestWriteText(t *testing.T) {
	r, err := eval.Run(t.Context(), scripted(map[string][]sdk.Prediction{
		"a": {prio("P1", 1), primary("bug", 1), secondary("churn-risk")},
	}), []eval.Example{row("a", sdk.P1, "bug"), row("b", sdk.P0, "security")}, eval.Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	out := buf.String()
	for _, want := range []string{
		"examples              2",
		"priority accuracy     0.500  (2 labelled)",
		"priority  precision  recall  f1     support",
		"P1        1.000      1.000   1.000  1",
		"churn-risk  0.000      0.000   0.000  0",
		"gold \\ pred  P0  P1  P2  P3  none",
		"P0           0   0   0   0   1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextError(t *testing.T) {
	r := &eval.Report{N: 1}
	if err := r.WriteText(failWriter{}); err == nil {
		t.Error("WriteText to a failing writer = nil; want an error")
	}
}
