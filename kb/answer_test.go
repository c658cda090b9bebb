package kb_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/sdk"
)

// answerFolds is how many parts the fixture's questions are cut into for
// cross-validation.
const answerFolds = 5

// TestAnswerPrecisionOnFixture is the bar, on held-out data: the
// answer model is fitted on four fifths of the fixture's questions and
// predicts the fifth, for each fifth; at DefaultAnswerThreshold the
// held-out answers must be right at least 95% of the time while
// answering at least half the questions.
func TestAnswerPrecisionOnFixture(t *testing.T) {
	k, qs := loadFixture(t)
	samples, err := kb.AnswerSamples(t.Context(), k, qs)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) < len(qs)*9/10 {
		t.Fatalf("%d of %d questions have a top match", len(samples), len(qs))
	}
	held, err := kb.CrossValidate(samples, answerFolds, kb.DefaultAnswerLambda)
	if err != nil {
		t.Fatal(err)
	}
	answers, right := make([]float64, len(samples)), make([]bool, len(samples))
	var top1 int
	for i, s := range samples {
		answers[i], right[i] = held[i], s.Right
		if s.Right {
			top1++
		}
	}
	t.Logf("top match right for %d of %d questions", top1, len(samples))
	for _, th := range kb.CurveThresholds() {
		p := kb.AnswerAt(answers, right, th)
		t.Logf("held-out threshold %.2f: precision %.3f coverage %.3f", th, p.Precision, p.Coverage)
	}
	for th := 0.84; th < 0.91; th += 0.01 {
		p := kb.AnswerAt(answers, right, th)
		t.Logf("fine %.2f: precision %.3f coverage %.3f", th, p.Precision, p.Coverage)
	}
	at := kb.AnswerAt(answers, right, kb.DefaultAnswerThreshold)
	t.Logf("held-out at the default threshold %.2f: precision %.3f, coverage %.3f", kb.DefaultAnswerThreshold, at.Precision, at.Coverage)
	if at.Precision < 0.95 || at.Coverage < 0.5 {
		t.Errorf("held-out answer precision %.3f at coverage %.3f: want precision >= 0.95 at coverage >= 0.5", at.Precision, at.Coverage)
	}
	checkReliability(t, answers, right)
	// DefaultAnswerModel is this fit on every question: refitting must
	// give it back (a changed feature or search must refit the default).
	full, err := kb.FitAnswerModel(samples, kb.DefaultAnswerLambda)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fitted on every question: %s", fmt.Sprint(full))
	if d := kb.DefaultAnswerModel; math.Abs(full.Bias-d.Bias) > 0.01 {
		t.Errorf("refitted bias %v, DefaultAnswerModel has %v: update it", full.Bias, d.Bias)
	} else {
		for name, w := range full.Weights {
			if math.Abs(w-d.Weights[name]) > 0.01 {
				t.Errorf("refitted weight %s %v, DefaultAnswerModel has %v: update it", name, w, d.Weights[name])
			}
		}
	}
}

// checkReliability bins the held-out answers by predicted probability:
// the share of right top matches must not fall from bin to bin (beyond a
// little noise) and must stay within 0.15 of the bin's mean prediction,
// where a bin holds at least 20 questions.
func checkReliability(t *testing.T, answers []float64, right []bool) {
	t.Helper()
	edges := []float64{0, 0.5, 0.7, 0.85, 0.95, 1.01}
	prev := -1.0
	for b := 0; b+1 < len(edges); b++ {
		var n, ok int
		var sum float64
		for i, a := range answers {
			if a >= edges[b] && a < edges[b+1] {
				n++
				sum += a
				if right[i] {
					ok++
				}
			}
		}
		if n < 20 {
			t.Logf("bin [%.2f, %.2f): %d questions, too few to judge", edges[b], edges[b+1], n)
			continue
		}
		obs, mean := float64(ok)/float64(n), sum/float64(n)
		t.Logf("bin [%.2f, %.2f): %d questions, mean answer %.3f, right %.3f", edges[b], edges[b+1], n, mean, obs)
		if math.Abs(obs-mean) > 0.15 {
			t.Errorf("bin [%.2f, %.2f): right %.3f against a mean answer of %.3f: not calibrated", edges[b], edges[b+1], obs, mean)
		}
		if obs < prev-0.05 {
			t.Errorf("bin [%.2f, %.2f): right %.3f, below the lower bin's %.3f", edges[b], edges[b+1], obs, prev)
		}
		prev = obs
	}
}

// TestDefaultAnswerOnFixture checks what the shipped model and threshold
// give on the whole fixture through Evaluate (in-sample, as `heard kb
// eval` reports it).
func TestDefaultAnswerOnFixture(t *testing.T) {
	k, qs := loadFixture(t)
	m, err := kb.Evaluate(t.Context(), k, qs, kb.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("default model: answer precision %.3f coverage %.3f at %.2f; recall@1 %.3f recall@3 %.3f", m.AnswerPrecision, m.AnswerCoverage, m.AnswerThreshold, m.RecallAt1, m.RecallAt3)
	if m.AnswerThreshold != kb.DefaultAnswerThreshold || m.AnswerPrecision < 0.95 || m.AnswerCoverage < 0.5 {
		t.Errorf("at %.2f: precision %.3f coverage %.3f, want >= 0.95 at >= 0.5", m.AnswerThreshold, m.AnswerPrecision, m.AnswerCoverage)
	}
	if len(m.Curve) != 19 {
		t.Fatalf("curve has %d points, want 19", len(m.Curve))
	}
	for i := 1; i < len(m.Curve); i++ {
		if m.Curve[i].Coverage > m.Curve[i-1].Coverage {
			t.Errorf("coverage rises from %.2f to %.2f", m.Curve[i-1].Threshold, m.Curve[i].Threshold)
		}
	}
}

func TestAnswerModelValidate(t *testing.T) {
	cases := []struct {
		name string
		m    kb.AnswerModel
		ok   bool
	}{
		{name: "default", m: kb.DefaultAnswerModel, ok: true},
		{name: "no weights", m: kb.AnswerModel{Bias: 1}},
		{name: "unknown feature", m: kb.AnswerModel{Weights: map[string]float64{"colour": 1}}},
		{name: "not finite", m: kb.AnswerModel{Bias: math.Inf(1), Weights: map[string]float64{"score": 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			if tc.ok != (err == nil) {
				t.Fatalf("Validate: %v, want ok %v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("%v does not wrap sdk.ErrInvalid", err)
			}
		})
	}
}

func TestAnswerThresholdConfig(t *testing.T) {
	if k := newLocalKB(t, kb.Config{}); k.AnswerThreshold() != kb.DefaultAnswerThreshold {
		t.Errorf("default threshold %v, want %v", k.AnswerThreshold(), kb.DefaultAnswerThreshold)
	}
	if k := newLocalKB(t, kb.Config{AnswerThreshold: 0.6}); k.AnswerThreshold() != 0.6 {
		t.Errorf("threshold %v, want 0.6", k.AnswerThreshold())
	}
	h, err := embed.NewHashed(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		_, err := kb.New(kb.Config{Store: newLocalKB(t, kb.Config{}).Store(), Embedder: h, AnswerThreshold: bad})
		if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "answer_threshold") {
			t.Errorf("threshold %v: %v, want an answer_threshold error", bad, err)
		}
	}
}

// TestAnswerAt checks precision and coverage on a hand-checked set.
func TestAnswerAt(t *testing.T) {
	answers := []float64{0.9, 0.8, 0.6, 0.3, 0}
	right := []bool{true, false, true, true, false}
	for _, tc := range []struct{ th, prec, cov float64 }{
		{0.95, 1, 0}, {0.85, 1, 0.2}, {0.7, 0.5, 0.4}, {0.5, 0.6667, 0.6}, {0.1, 0.75, 0.8},
	} {
		got := kb.AnswerAt(answers, right, tc.th)
		if got.Precision != tc.prec || got.Coverage != tc.cov {
			t.Errorf("at %.2f: precision %v coverage %v, want %v %v", tc.th, got.Precision, got.Coverage, tc.prec, tc.cov)
		}
	}
}
