package kb

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// Answer confidence: Match.Answer is the calibrated probability that an
// article answers the question. A small logistic model reads features
// that separate a right top match from a wrong one (AnswerFeatures),
// computed from what both stores return identically, so one threshold
// (Config.AnswerThreshold) means the same on either.

// RerankDepth is how many of the fused articles the re-ranking pass
// re-scores with the finer title, heading and phrase match.
const RerankDepth = 10

// DefaultAnswerThreshold is the Answer a top match needs for a draft to
// quote it. Chosen on held-out folds of the team's fixture
// (sandbox/helpcenter, offline embedder) as the lowest threshold whose
// answer precision is at least 0.95 while answering at least half the
// questions (see TestAnswerPrecisionOnFixture); with another embedder or
// help center, refit with `heard kb calibrate` and check with `heard kb
// eval`.
const DefaultAnswerThreshold = 0.88

// DefaultAnswerLambda is the L2 penalty FitAnswerModel is used with: it
// keeps the weights small on a few hundred labelled questions.
const DefaultAnswerLambda = 0.01

// AnswerFeatures describe one candidate article against the others for a
// query. Every feature is in [0, 1] or [-1, 1].
type AnswerFeatures struct {
	// Score is the article's Score (its best chunk's).
	Score float64 `json:"score"`
	// Margin is Rerank minus the best Rerank of the other candidates
	// (the article's lead over the runner-up; negative when behind).
	Margin float64 `json:"margin"`
	// Agree is 1 when the article is first in both the vector and the
	// full-text list.
	Agree float64 `json:"agree"`
	// VectorRank and TextRank are 1/rank of the article in each list (0
	// when absent).
	VectorRank float64 `json:"vector_rank"`
	TextRank   float64 `json:"text_rank"`
	// TitleCover is the weighted share of the question's key terms found
	// in the article's title and headings.
	TitleCover float64 `json:"title_cover"`
	// Phrase is the share of the question's adjacent key-term pairs found
	// next to each other in the article's title, headings or text.
	Phrase float64 `json:"phrase"`
	// Support is the share of the first supportDepth chunks of both lists
	// that belong to the article: an answer spread over several of an
	// article's sections.
	Support float64 `json:"support"`
	// Rerank is the re-ranking score the order of the top RerankDepth
	// articles follows.
	Rerank float64 `json:"rerank"`
}

// vector lists the features in the order of AnswerModel.Weights.
func (f AnswerFeatures) vector() []float64 {
	return []float64{f.Score, f.Margin, f.Agree, f.VectorRank, f.TextRank, f.TitleCover, f.Phrase, f.Support, f.Rerank}
}

// AnswerFeatureNames names AnswerModel.Weights, in order.
var AnswerFeatureNames = []string{"score", "margin", "agree", "vector_rank", "text_rank", "title_cover", "phrase", "support", "rerank"}

// AnswerModel is a logistic model: Answer = 1 / (1 + e^−(Bias + Σ
// Weights[i]·feature[i])), features in AnswerFeatureNames' order.
type AnswerModel struct {
	Bias    float64            `json:"bias"`
	Weights map[string]float64 `json:"weights"`
}

// DefaultAnswerModel was fitted by FitAnswerModel on the labelled
// questions of the team's fixture (sandbox/helpcenter, 302 questions, 93
// articles) with the offline embedder; its held-out (5-fold) figures are
// in TestAnswerPrecisionOnFixture. `heard kb calibrate` refits it on a
// team's own questions.
var DefaultAnswerModel = AnswerModel{
	Bias: -1.8199,
	Weights: map[string]float64{
		"score": 0.0743, "margin": 13.266, "agree": -0.4708, "vector_rank": -0.122, "text_rank": 0.3024,
		"title_cover": -0.9743, "phrase": 0.2548, "support": 4.3447, "rerank": -0.086,
	},
}

// Validate checks that the model names only known features with finite
// weights.
func (m AnswerModel) Validate() error {
	var errs []error
	if math.IsNaN(m.Bias) || math.IsInf(m.Bias, 0) {
		errs = append(errs, fmt.Errorf("bias %v: want a finite number", m.Bias))
	}
	if len(m.Weights) == 0 {
		errs = append(errs, errors.New("weights: none given"))
	}
	for name, w := range m.Weights {
		if !slices.Contains(AnswerFeatureNames, name) {
			errs = append(errs, fmt.Errorf("weight %q: want one of %s", name, strings.Join(AnswerFeatureNames, ", ")))
		} else if math.IsNaN(w) || math.IsInf(w, 0) {
			errs = append(errs, fmt.Errorf("weight %q %v: want a finite number", name, w))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("answer model: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// Predict returns the model's probability for f.
func (m AnswerModel) Predict(f AnswerFeatures) float64 {
	z := m.Bias
	for i, x := range f.vector() {
		z += m.Weights[AnswerFeatureNames[i]] * x
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// ReadAnswerModel reads a model written by `heard kb calibrate` (JSON).
func ReadAnswerModel(path string) (AnswerModel, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the operator's own file
	if err != nil {
		return AnswerModel{}, fmt.Errorf("reading the answer model: %w", err)
	}
	var m AnswerModel
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return AnswerModel{}, fmt.Errorf("reading the answer model %s: %w", path, errors.Join(err, sdk.ErrInvalid))
	}
	if err := m.Validate(); err != nil {
		return AnswerModel{}, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// AnswerSample is one labelled question's top match: its features and
// whether it is the labelled article.
type AnswerSample struct {
	Features AnswerFeatures
	Right    bool
}

// FitAnswerModel fits a logistic model to samples by Newton's method
// with an L2 penalty of lambda on the weights (not the bias). It needs
// both right and wrong samples.
func FitAnswerModel(samples []AnswerSample, lambda float64) (AnswerModel, error) {
	var right, wrong int
	for _, s := range samples {
		if s.Right {
			right++
		} else {
			wrong++
		}
	}
	if right == 0 || wrong == 0 {
		return AnswerModel{}, fmt.Errorf("fitting the answer model: %d right and %d wrong top matches: want some of each: %w", right, wrong, sdk.ErrInvalid)
	}
	d := len(AnswerFeatureNames) + 1
	xs := make([][]float64, len(samples))
	for i, s := range samples {
		xs[i] = append([]float64{1}, s.Features.vector()...)
	}
	w := make([]float64, d)
	for range 50 {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for i := range hess {
			hess[i] = make([]float64, d)
		}
		for i, x := range xs {
			z := 0.0
			for j := range x {
				z += w[j] * x[j]
			}
			p := sigmoid(z)
			y := 0.0
			if samples[i].Right {
				y = 1
			}
			r := p * (1 - p)
			for j := range x {
				grad[j] += (p - y) * x[j]
				for l := range x {
					hess[j][l] += r * x[j] * x[l]
				}
			}
		}
		for j := 1; j < d; j++ {
			grad[j] += lambda * w[j]
			hess[j][j] += lambda
		}
		hess[0][0] += 1e-9
		step, ok := solve(hess, grad)
		if !ok {
			return AnswerModel{}, fmt.Errorf("fitting the answer model: singular system: %w", sdk.ErrInvalid)
		}
		var moved float64
		for j := range w {
			w[j] -= step[j]
			moved = max(moved, math.Abs(step[j]))
		}
		if moved < 1e-9 {
			break
		}
	}
	m := AnswerModel{Bias: round4(w[0]), Weights: map[string]float64{}}
	for j, name := range AnswerFeatureNames {
		m.Weights[name] = round4(w[j+1])
	}
	return m, nil
}

// solve solves a·x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := m[i][n]
		for k := i + 1; k < n; k++ {
			s -= m[i][k] * x[k]
		}
		x[i] = s / m[i][i]
	}
	return x, true
}

// CurvePoint is answer precision and coverage at one threshold.
type CurvePoint struct {
	Threshold float64 `json:"threshold"`
	Precision float64 `json:"precision"` // of the answered questions, the share whose top match is the labelled article (1 when none)
	Coverage  float64 `json:"coverage"`  // share of questions whose top Answer is at least Threshold
}

// CurveThresholds are the thresholds `heard kb eval` reports: 0.05 to
// 0.95 by 0.05.
func CurveThresholds() []float64 {
	out := make([]float64, 0, 19)
	for i := 1; i <= 19; i++ {
		out = append(out, float64(i)*5/100)
	}
	return out
}

// AnswerAt returns precision and coverage at threshold t over the
// questions' top answers (answers[i] the top match's Answer, right[i]
// whether it is the labelled article; a question with no match has
// answer 0 and is never answered).
func AnswerAt(answers []float64, right []bool, t float64) CurvePoint {
	p := CurvePoint{Threshold: t, Precision: 1}
	if len(answers) == 0 {
		return p
	}
	var n, ok int
	for i, a := range answers {
		if a >= t {
			n++
			if right[i] {
				ok++
			}
		}
	}
	if n > 0 {
		p.Precision = ratio(ok, float64(n))
	}
	p.Coverage = ratio(n, float64(len(answers)))
	return p
}

// candidate is one fused article during re-ranking.
type candidate struct {
	f          *fused
	features   AnswerFeatures
	titleTerms string // the article's title and headings, analysed
}

// answerFeatures computes every candidate's features, re-ranks the first
// RerankDepth by Rerank (when rerank: hybrid searches) and fills the
// margins. cands is in fused order.
func answerFeatures(qTerms []string, cands []*fused, firstVec, firstText articleKey, rerank bool) []candidate {
	out := make([]candidate, len(cands))
	weights := keyTermWeights(qTerms, cands)
	pairs := termPairs(qTerms)
	for i, f := range cands {
		c := candidate{f: f}
		c.titleTerms = f.headTerms()
		ft := AnswerFeatures{Score: round4(f.bestScore)}
		if f.vecRank > 0 {
			ft.VectorRank = 1 / float64(f.vecRank)
		}
		if f.textRank > 0 {
			ft.TextRank = 1 / float64(f.textRank)
		}
		if f.key == firstVec && f.key == firstText {
			ft.Agree = 1
		}
		var have, total float64
		for j, t := range qTerms {
			total += weights[j]
			if hasTerm(c.titleTerms, t) {
				have += weights[j]
			}
		}
		if total > 0 {
			ft.TitleCover = have / total
		}
		if len(pairs) > 0 {
			found := 0
			for _, p := range pairs {
				if hasTerm(c.titleTerms, p) || slices.ContainsFunc(f.chunkTerms, func(ts string) bool { return hasTerm(ts, p) }) {
					found++
				}
			}
			ft.Phrase = float64(found) / float64(len(pairs))
		}
		if n := supportSlots(f); n > 0 {
			ft.Support = float64(f.support) / float64(n)
		}
		ft.Rerank = rerankScore(ft)
		c.features = ft
		out[i] = c
	}
	depth := min(RerankDepth, len(out))
	if !rerank {
		depth = 0
	}
	slices.SortStableFunc(out[:depth], func(a, b candidate) int { return cmp.Compare(b.features.Rerank, a.features.Rerank) })
	for i := range out {
		best := math.Inf(-1)
		for j := range out {
			if j != i && out[j].features.Rerank > best {
				best = out[j].features.Rerank
			}
		}
		if math.IsInf(best, -1) {
			best = 0
		}
		out[i].features.Margin = round4(out[i].features.Rerank - best)
	}
	return out
}

// Rerank weights: the finer score the top RerankDepth articles are
// re-ordered by. It adds to the article's Score its title-and-heading
// cover and phrase matches (what a question's topic words and word pairs
// say about the article as a whole) and its place in the full-text list:
// Score counts the question's terms found in a chunk all alike, the
// full-text rank weighs them by how rare they are, so a rare term that
// only the right article has still counts after fusion. Tuned on the
// fixture: title and phrase lift recall@1 from 0.74 to 0.77, the text
// rank recall@3 from 0.914 to 0.924 (without the threshold).
const (
	rerankTitle  = 0.2
	rerankPhrase = 0.1
	rerankText   = 0.1
)

func rerankScore(f AnswerFeatures) float64 {
	return round4(f.Score + rerankTitle*f.TitleCover + rerankPhrase*f.Phrase + rerankText*f.TextRank)
}

// supportDepth is how many of each list's first chunks Support counts.
const supportDepth = 10

// supportSlots is how many chunks Support is a share of.
func supportSlots(f *fused) int { return f.slots }

// keyTermWeights weighs each query term by how rare it is among the
// candidates' chunks (an inverse document frequency over what the stores
// returned): a term every candidate has says little about which one
// answers.
func keyTermWeights(qTerms []string, cands []*fused) []float64 {
	var n int
	df := make([]int, len(qTerms))
	for _, f := range cands {
		for _, ts := range f.chunkTerms {
			n++
			for j, t := range qTerms {
				if hasTerm(ts, t) {
					df[j]++
				}
			}
		}
	}
	w := make([]float64, len(qTerms))
	for j := range qTerms {
		w[j] = math.Log(1 + (float64(n)+1)/(float64(df[j])+1))
	}
	return w
}

// termPairs returns the query's adjacent term pairs, "a b".
func termPairs(qTerms []string) []string {
	var out []string
	for i := 0; i+1 < len(qTerms); i++ {
		out = append(out, qTerms[i]+" "+qTerms[i+1])
	}
	return out
}
