package kb

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// EvalQuery is one labelled question: the article that answers it.
type EvalQuery struct {
	Query     string
	ArticleID string
}

// ReadQueries reads a CSV with the header "query,article_id" (in any
// column order; other columns are ignored).
func ReadQueries(r io.Reader) ([]EvalQuery, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading queries: header: %w", errors.Join(err, sdk.ErrInvalid))
	}
	qi, ai := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "query":
			qi = i
		case "article_id":
			ai = i
		}
	}
	if qi < 0 || ai < 0 {
		return nil, fmt.Errorf("reading queries: header %q: want columns query and article_id: %w", strings.Join(header, ","), sdk.ErrInvalid)
	}
	var out []EvalQuery
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading queries: %w", errors.Join(err, sdk.ErrInvalid))
		}
		if len(rec) <= max(qi, ai) {
			return nil, fmt.Errorf("reading queries: line %d: want at least %d columns: %w", line, max(qi, ai)+1, sdk.ErrInvalid)
		}
		q := EvalQuery{Query: strings.TrimSpace(rec[qi]), ArticleID: strings.TrimSpace(rec[ai])}
		if q.Query == "" || q.ArticleID == "" {
			return nil, fmt.Errorf("reading queries: line %d: empty query or article_id: %w", line, sdk.ErrInvalid)
		}
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading queries: no rows: %w", sdk.ErrInvalid)
	}
	return out, nil
}

// Metrics are the retrieval quality and speed over a set of queries, and
// how well the answer confidence (Match.Answer) tells right top matches
// from wrong ones.
type Metrics struct {
	N          int     `json:"n"`
	RecallAt1  float64 `json:"recall_at_1"`
	RecallAt3  float64 `json:"recall_at_3"`
	RecallAt5  float64 `json:"recall_at_5"`
	RecallAt10 float64 `json:"recall_at_10"`
	MRR        float64 `json:"mrr"` // mean reciprocal rank of the answer within the top 10 (0 when absent)
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
	// AnswerThreshold is the KB's answer threshold; AnswerPrecision is the
	// share of the questions whose top match's Answer is at least it (the
	// answered ones, AnswerCoverage of all) whose top match is the
	// labelled article (1 when none is answered).
	AnswerThreshold float64 `json:"answer_threshold"`
	AnswerPrecision float64 `json:"answer_precision"`
	AnswerCoverage  float64 `json:"answer_coverage"`
	// Curve is answer precision and coverage at CurveThresholds.
	Curve []CurvePoint `json:"curve"`
}

// EvalOptions tune Evaluate.
type EvalOptions struct {
	Mode   Mode   // "" means hybrid
	Locale string // filter every query by this locale
	Source string // filter every query by this source
	// MinScore as in Query: 0 keeps the KB's threshold (what agents get),
	// negative disables it.
	MinScore float64
	// Progress, when not nil, is called after each query with the number
	// done.
	Progress func(done, total int)
}

// Evaluate runs every query (top 10) and measures how often, and how
// high, the labelled article comes back, how long searches take, and the
// answer precision and coverage of the top matches at the KB's answer
// threshold and along the curve.
func Evaluate(ctx context.Context, k *KB, qs []EvalQuery, opts EvalOptions) (Metrics, error) {
	m := Metrics{N: len(qs), AnswerThreshold: k.AnswerThreshold()}
	if len(qs) == 0 {
		return m, nil
	}
	lat := make([]float64, 0, len(qs))
	hits := map[int]int{}
	var rr float64
	answers, right := make([]float64, len(qs)), make([]bool, len(qs))
	for i, q := range qs {
		start := time.Now()
		matches, err := k.Search(ctx, Query{Text: q.Query, K: 10, Mode: opts.Mode, Locale: opts.Locale, Source: opts.Source, MinScore: opts.MinScore})
		if err != nil {
			return Metrics{}, fmt.Errorf("evaluating query %d %q: %w", i+1, q.Query, err)
		}
		lat = append(lat, float64(time.Since(start).Microseconds())/1000)
		if len(matches) > 0 {
			answers[i], right[i] = matches[0].Answer, matches[0].ArticleID == q.ArticleID
		}
		if r := rankOf(matches, q.ArticleID); r > 0 {
			rr += 1 / float64(r)
			for _, at := range []int{1, 3, 5, 10} {
				if r <= at {
					hits[at]++
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(qs))
		}
	}
	n := float64(len(qs))
	m.RecallAt1, m.RecallAt3 = ratio(hits[1], n), ratio(hits[3], n)
	m.RecallAt5, m.RecallAt10 = ratio(hits[5], n), ratio(hits[10], n)
	m.MRR = math.Round(rr/n*10000) / 10000
	slices.Sort(lat)
	m.P50Ms, m.P99Ms = Percentile(lat, 50), Percentile(lat, 99)
	at := AnswerAt(answers, right, m.AnswerThreshold)
	m.AnswerPrecision, m.AnswerCoverage = at.Precision, at.Coverage
	for _, t := range CurveThresholds() {
		m.Curve = append(m.Curve, AnswerAt(answers, right, t))
	}
	return m, nil
}

// AnswerSamples searches every query (every match shown, hybrid) and
// returns its top match's answer features and whether it is the labelled
// article: what FitAnswerModel fits. A query with no match is left out.
func AnswerSamples(ctx context.Context, k *KB, qs []EvalQuery) ([]AnswerSample, error) {
	out := make([]AnswerSample, 0, len(qs))
	for i, q := range qs {
		ms, fs, err := k.search(ctx, Query{Text: q.Query, K: 1, MinScore: -1})
		if err != nil {
			return nil, fmt.Errorf("query %d %q: %w", i+1, q.Query, err)
		}
		if len(ms) > 0 {
			out = append(out, AnswerSample{Features: fs[0], Right: ms[0].ArticleID == q.ArticleID})
		}
	}
	return out, nil
}

// CrossValidate fits the answer model on all but one of folds parts of
// samples (sample i is in part i mod folds) and predicts the left-out
// part, for each part: it returns every sample's held-out Answer, the
// honest measure of a model fitted on data like it.
func CrossValidate(samples []AnswerSample, folds int, lambda float64) ([]float64, error) {
	if folds < 2 || folds > len(samples) {
		return nil, fmt.Errorf("cross-validation: %d folds of %d samples: want 2 to the number of samples: %w", folds, len(samples), sdk.ErrInvalid)
	}
	out := make([]float64, len(samples))
	for f := range folds {
		var train []AnswerSample
		for i, s := range samples {
			if i%folds != f {
				train = append(train, s)
			}
		}
		m, err := FitAnswerModel(train, lambda)
		if err != nil {
			return nil, fmt.Errorf("cross-validation fold %d: %w", f+1, err)
		}
		for i := f; i < len(samples); i += folds {
			out[i] = m.Predict(samples[i].Features)
		}
	}
	return out, nil
}

func rankOf(ms []Match, id string) int {
	for i, m := range ms {
		if m.ArticleID == id {
			return i + 1
		}
	}
	return 0
}

func ratio(a int, n float64) float64 { return math.Round(float64(a)/n*10000) / 10000 }

// Percentile returns the p-th percentile (nearest rank) of sorted values,
// rounded to 0.001.
func Percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	i = min(max(i, 0), len(sorted)-1)
	return math.Round(sorted[i]*1000) / 1000
}
