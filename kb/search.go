package kb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/heardhq/heard/kb/terms"
	"github.com/heardhq/heard/sdk"
)

// Mode selects which candidate lists a search ranks by.
type Mode string

// Search modes. Every mode scores matches the same way; only the ranking
// differs.
const (
	ModeHybrid Mode = "hybrid" // vector and full-text, fused (the default)
	ModeVector Mode = "vector" // vector similarity only
	ModeText   Mode = "text"   // full-text rank only
)

// ParseMode parses "hybrid", "vector" or "text" ("" is hybrid).
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(s)); m {
	case "", ModeHybrid:
		return ModeHybrid, nil
	case ModeVector, ModeText:
		return m, nil
	}
	return "", fmt.Errorf("search mode %q: want hybrid, vector or text: %w", s, sdk.ErrInvalid)
}

// Search limits.
const (
	DefaultK = 5
	MaxK     = 50
)

// RRFK is the k of reciprocal rank fusion: an article's fused rank score
// is the sum over lists of 1/(RRFK + rank).
const RRFK = 60

// Query is one search.
type Query struct {
	Text   string
	Locale string // "" for all; compared by primary language ("en" matches "en-us")
	Source string // "" for all; a connector or local source name
	K      int    // matches wanted; 0 means DefaultK, at most MaxK
	Mode   Mode   // "" means ModeHybrid
	// MinScore overrides the KB's threshold for this query: 0 keeps it, a
	// negative value shows every match.
	MinScore float64
	// AnyLocale searches again in every locale when nothing matches in
	// Locale: the same matches as a second Search without Locale, without
	// analysing and embedding the text again.
	AnyLocale bool
}

// Match is one article found for a query.
type Match struct {
	Source    string  `json:"source"`
	ArticleID string  `json:"article_id"`
	Title     string  `json:"title"`
	URL       string  `json:"url"`
	Section   string  `json:"section,omitempty"`
	Locale    string  `json:"locale,omitempty"`
	Heading   string  `json:"heading,omitempty"` // the best chunk's heading path
	Snippet   string  `json:"snippet"`           // the best chunk's text, trimmed
	Score     float64 `json:"score"`             // 0..1, see Score
	// Answer is the calibrated probability, in [0, 1], that this article
	// answers the question (see AnswerModel): a draft quotes the top
	// match's steps only when it is at least KB.AnswerThreshold.
	Answer float64 `json:"answer"`
}

// SnippetChars caps Match.Snippet, in bytes (cut at a word boundary).
const SnippetChars = 320

// Score weights: a match's Score is
//
//	ScoreVectorWeight·clamp01(cosine / ScoreCosineFull) + (1−ScoreVectorWeight)·coverage
//
// where cosine is the similarity of the query's and the chunk's vectors
// (computed from the same vectors by both stores) and coverage is the
// share of the query's distinct terms that occur in the chunk's title,
// heading and text (computed here, in Go, with package terms). Neither
// depends on a store's own full-text ranking (SQLite's bm25 and
// PostgreSQL's ts_rank are on different scales), so one threshold means
// the same on both stores. Ranks, not scores, decide the order: Score
// decides what is shown (the threshold) and which chunk of an article is
// its snippet (the best-scoring one).
const (
	ScoreVectorWeight = 0.5
	ScoreCosineFull   = 0.6
)

// Search finds the articles that best answer q: one Match per article,
// best first, at most q.K, none scoring below the threshold. The order is
// reciprocal rank fusion (k = RRFK) of the article's best rank in the
// vector list and in the full-text list; each match shows its best chunk.
//
// Each match's Answer is the answer model's probability that it answers
// the question; the first RerankDepth articles are re-ordered by the
// re-ranking score the model reads (AnswerFeatures.Rerank).
func (k *KB) Search(ctx context.Context, q Query) ([]Match, error) {
	ms, _, err := k.search(ctx, q)
	return ms, err
}

// search is Search returning each match's answer features too.
func (k *KB) search(ctx context.Context, q Query) ([]Match, []AnswerFeatures, error) {
	ms, fs, err := k.searchEach(ctx, []Query{q}, false)
	if err != nil {
		return nil, nil, err
	}
	return ms[0], fs[0], nil
}

// SearchEach runs Search for each query and returns their matches in the
// queries' order: the same matches as one Search per query, for less
// work. The query texts are embedded in one call to the embedder (one
// request to a remote one), and a store that implements BatchStore
// answers all of them at once (SQLite: from one snapshot of its index,
// with one read of the chunks found; PostgreSQL: in two or three round
// trips), then the AnyLocale queries that found nothing, again at once.
func (k *KB) SearchEach(ctx context.Context, qs []Query) ([][]Match, error) {
	ms, _, err := k.searchEach(ctx, qs, true)
	return ms, err
}

// planned is one query of searchEach, ready for the store.
type planned struct {
	i        int // the query's index
	text     string
	cq       CandidateQuery
	want     int
	minScore float64
	rerank   bool
}

// searchEach is SearchEach returning each match's answer features too;
// batch asks a BatchStore even for one query (see candidatesEach).
func (k *KB) searchEach(ctx context.Context, qs []Query, batch bool) ([][]Match, [][]AnswerFeatures, error) {
	ms, fs := make([][]Match, len(qs)), make([][]AnswerFeatures, len(qs))
	if len(qs) == 0 {
		return ms, fs, nil
	}
	if err := k.Check(ctx); err != nil {
		return nil, nil, err
	}
	var plans []planned
	for i, q := range qs {
		p, ok, err := k.plan(q)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			p.i = i
			plans = append(plans, p)
		}
	}
	if len(plans) == 0 {
		return ms, fs, nil
	}
	texts := make([]string, len(plans))
	for j, p := range plans {
		texts[j] = p.text
	}
	vs, err := k.embed(ctx, texts)
	if err != nil {
		return nil, nil, fmt.Errorf("search: embedding the query: %w", err)
	}
	cqs := make([]CandidateQuery, len(plans))
	for j := range plans {
		plans[j].cq.Vector = vs[j]
		cqs[j] = plans[j].cq
	}
	vecHits, textHits, err := candidatesEach(ctx, k.store, cqs, batch)
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	var again []planned
	for j, p := range plans {
		ms[p.i], fs[p.i] = fuse(p.cq.Terms, vecHits[j], textHits[j], p.want, p.minScore, k.model, p.rerank)
		if len(ms[p.i]) == 0 && qs[p.i].AnyLocale && p.cq.Filter.Lang != "" {
			p.cq.Filter.Lang = ""
			again = append(again, p)
		}
	}
	if len(again) == 0 {
		return ms, fs, nil
	}
	cqs = make([]CandidateQuery, len(again))
	for j, p := range again {
		cqs[j] = p.cq
	}
	if vecHits, textHits, err = candidatesEach(ctx, k.store, cqs, batch); err != nil {
		return nil, nil, fmt.Errorf("search in any locale: %w", err)
	}
	for j, p := range again {
		ms[p.i], fs[p.i] = fuse(p.cq.Terms, vecHits[j], textHits[j], p.want, p.minScore, k.model, p.rerank)
	}
	return ms, fs, nil
}

// plan validates q and prepares its candidate query (without the vector);
// false when there is nothing to search for.
func (k *KB) plan(q Query) (planned, bool, error) {
	mode, err := ParseMode(string(q.Mode))
	if err != nil {
		return planned{}, false, err
	}
	want := q.K
	if want <= 0 {
		want = DefaultK
	}
	if want > MaxK {
		return planned{}, false, fmt.Errorf("search: k %d: want at most %d: %w", want, MaxK, sdk.ErrInvalid)
	}
	minScore := k.cfg.MinScore
	if q.MinScore != 0 {
		minScore = q.MinScore
	}
	qTerms := uniqueTerms(q.Text)
	if len(qTerms) == 0 && strings.TrimSpace(q.Text) == "" {
		return planned{}, false, nil
	}
	cq := CandidateQuery{Terms: qTerms, Filter: Filter{Lang: Lang(q.Locale), Source: q.Source}}
	n := max(k.cfg.Candidates, 2*want)
	if mode != ModeText {
		cq.VectorK = n
	}
	if mode != ModeVector && len(qTerms) > 0 {
		cq.TextK = n
	}
	return planned{text: q.Text, cq: cq, want: want, minScore: minScore, rerank: mode == ModeHybrid}, true, nil
}

// candidatesEach answers each candidate query: in one call when st is a
// BatchStore and there are several or batch is set (SearchEach: a store
// may answer a batch for less work, and Candidates for less latency),
// else one Candidates call each.
func candidatesEach(ctx context.Context, st Store, qs []CandidateQuery, batch bool) (vector, text [][]Hit, err error) {
	if b, ok := st.(BatchStore); ok && (batch || len(qs) > 1) {
		vector, text, err = b.CandidatesEach(ctx, qs)
		if err == nil && (len(vector) != len(qs) || len(text) != len(qs)) {
			err = fmt.Errorf("the %s store answered %d and %d of %d queries: %w", st.Driver(), len(vector), len(text), len(qs), sdk.ErrInvalid)
		}
		return vector, text, err
	}
	vector, text = make([][]Hit, len(qs)), make([][]Hit, len(qs))
	for i, q := range qs {
		if vector[i], text[i], err = st.Candidates(ctx, q); err != nil {
			return nil, nil, err
		}
	}
	return vector, text, nil
}

// uniqueTerms returns the distinct terms of s, in order.
func uniqueTerms(s string) []string {
	var out []string
	for _, t := range terms.Analyze(s) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// articleKey identifies an article across sources.
type articleKey struct{ source, id string }

// fused is one article being ranked.
type fused struct {
	key       articleKey
	best      Hit
	bestScore float64
	rrf       float64
	// vecRank and textRank are the article's rank in each list (0 when
	// absent).
	vecRank, textRank int
	// headings are the heading paths of the article's chunks seen;
	// chunkTerms their indexed terms.
	headings   []string
	chunkTerms []string
	// support counts the article's chunks among the first supportDepth of
	// each list, slots those lists' chunks (the same for every article).
	support, slots int
}

// headTerms returns the article's title and seen headings, analysed.
func (f *fused) headTerms() string {
	return terms.Join(f.best.Title + "\n" + strings.Join(f.headings, "\n"))
}

// fuse ranks articles by reciprocal rank fusion of the lists, re-ranks
// the first RerankDepth (see answerFeatures), scores each by its best
// chunk, drops those under minScore and returns the top want with their
// answer features.
func fuse(qTerms []string, vecHits, textHits []Hit, want int, minScore float64, model AnswerModel, rerank bool) ([]Match, []AnswerFeatures) {
	byArticle := map[articleKey]*fused{}
	var order []articleKey
	scored := map[[3]string]float64{}
	var firstOf [2]articleKey
	slots := min(len(vecHits), supportDepth) + min(len(textHits), supportDepth)
	for li, list := range [][]Hit{vecHits, textHits} {
		rank := 0
		seen := map[articleKey]bool{}
		for hi, h := range list {
			key := articleKey{h.Source, h.ArticleID}
			ck := [3]string{h.Source, h.ArticleID, itoa(h.Chunk)}
			s, seenChunk := scored[ck]
			if !seenChunk {
				s = Score(qTerms, h)
				scored[ck] = s
			}
			f := byArticle[key]
			if f == nil {
				f = &fused{key: key, best: h, bestScore: s, slots: slots}
				byArticle[key] = f
				order = append(order, key)
			} else if s > f.bestScore {
				f.best, f.bestScore = h, s
			}
			if hi < supportDepth {
				f.support++
			}
			if !seenChunk {
				f.chunkTerms = append(f.chunkTerms, hitTerms(h))
				if h.Heading != "" && !slices.Contains(f.headings, h.Heading) {
					f.headings = append(f.headings, h.Heading)
				}
			}
			if !seen[key] {
				// An article's rank in a list is its best chunk's.
				seen[key] = true
				rank++
				f.rrf += 1 / float64(RRFK+rank)
				if li == 0 {
					f.vecRank = rank
				} else {
					f.textRank = rank
				}
				if rank == 1 {
					firstOf[li] = key
				}
			}
		}
	}
	return rank(qTerms, byArticle, order, firstOf, want, minScore, model, rerank)
}

// rank orders the fused articles, computes their answer features and
// returns the top want at or above minScore.
func rank(qTerms []string, byArticle map[articleKey]*fused, order []articleKey, firstOf [2]articleKey, want int, minScore float64, model AnswerModel, rerank bool) ([]Match, []AnswerFeatures) {
	all := make([]*fused, 0, len(order))
	for _, key := range order {
		all = append(all, byArticle[key])
	}
	slices.SortStableFunc(all, func(a, b *fused) int {
		if c := cmp.Compare(b.rrf, a.rrf); c != 0 {
			return c
		}
		if c := cmp.Compare(b.bestScore, a.bestScore); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.best.Source, b.best.Source), cmp.Compare(a.best.ArticleID, b.best.ArticleID))
	})
	cands := answerFeatures(qTerms, all, firstOf[0], firstOf[1], rerank)
	var matches []Match
	var feats []AnswerFeatures
	for _, c := range cands {
		if len(matches) == want {
			break
		}
		f := c.f
		if f.bestScore < minScore {
			continue
		}
		h := f.best
		matches = append(matches, Match{
			Source: h.Source, ArticleID: h.ArticleID, Title: h.Title, URL: h.URL, Section: h.Section,
			Locale: h.Locale, Heading: h.Heading, Snippet: Snippet(h.Text, SnippetChars), Score: round4(f.bestScore),
			// Rounded, and never certain: threshold 1 quotes nothing.
			Answer: min(round4(model.Predict(c.features)), 0.9999),
		})
		feats = append(feats, c.features)
	}
	return matches, feats
}

// Score is a chunk's relevance to a query's terms, in [0, 1]; see
// ScoreVectorWeight for the formula.
func Score(qTerms []string, h Hit) float64 {
	sim := h.Similarity / ScoreCosineFull
	sim = min(1, max(0, sim))
	return ScoreVectorWeight*sim + (1-ScoreVectorWeight)*coverage(qTerms, h)
}

// coverage is the share of qTerms found in the hit's title, heading and
// text (its indexed Terms; analysed here when a store left them out).
func coverage(qTerms []string, h Hit) float64 {
	if len(qTerms) == 0 {
		return 0
	}
	ts := hitTerms(h)
	n := 0
	for _, t := range qTerms {
		if hasTerm(ts, t) {
			n++
		}
	}
	return float64(n) / float64(len(qTerms))
}

// hitTerms returns the hit's indexed terms, analysing its title, heading
// and text when the store left them out.
func hitTerms(h Hit) string {
	if h.Terms != "" {
		return h.Terms
	}
	return terms.Join(h.Title + "\n" + h.Heading + "\n" + h.Text)
}

// hasTerm reports whether the space-separated list ts contains t.
func hasTerm(ts, t string) bool {
	for i := 0; ; {
		j := strings.Index(ts[i:], t)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(t)
		if (j == 0 || ts[j-1] == ' ') && (end == len(ts) || ts[end] == ' ') {
			return true
		}
		i = j + 1
	}
}

func round4(f float64) float64 {
	return float64(int64(f*10000+0.5)) / 10000
}

// Snippet trims text to at most n bytes, cutting at a word boundary and
// adding "…" when it cut.
func Snippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexByte(text[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && text[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], " ,;:") + "…"
}
