package sqlite

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/terms"
)

// The full-text side of the in-memory index. Ranking every chunk that
// holds a query term with FTS5's bm25() costs a document-size lookup per
// matching row, which made it most of a search's time at 20,000 chunks;
// the same BM25 is computed here from postings loaded with the vectors.
// kb_fts stays the stored copy of each chunk's terms.

// BM25 parameters and column weights, as `bm25(kb_fts, 2.0, 1.0)` with
// FTS5's k1 and b.
const (
	bm25K1          = 1.2
	bm25B           = 0.75
	bm25TitleWeight = 2.0
	bm25BodyWeight  = 1.0
)

// posting is one chunk (by position in the index) holding a term, with
// the term's column-weighted frequency in it.
type posting struct {
	pos  int32
	freq float32
}

// textIndex holds the postings of every term and each chunk's length.
type textIndex struct {
	postings map[string][]posting
	docLen   []int32 // terms in the chunk's title and body
	total    int64   // sum of docLen
}

func newTextIndex() *textIndex { return &textIndex{postings: map[string][]posting{}} }

// add indexes the chunk at position pos (positions are added in order)
// from its kb_fts title and body: space-separated terms.
func (t *textIndex) add(pos int, title, body string) {
	freq := map[string]float32{}
	n := 0
	for _, w := range strings.Fields(title) {
		freq[w] += bm25TitleWeight
		n++
	}
	for _, w := range strings.Fields(body) {
		freq[w] += bm25BodyWeight
		n++
	}
	for w, f := range freq {
		t.postings[w] = append(t.postings[w], posting{pos: int32(pos), freq: f}) //nolint:gosec // positions fit: the index is in memory
	}
	t.docLen = append(t.docLen, int32(n)) //nolint:gosec // a chunk's term count
	t.total += int64(n)
}

// search returns the positions of the k best chunks by BM25 over the
// selective query terms (terms.Selective), best first, ties by position
// (rowid order, as the SQL query had it); only chunks passing f count.
func (idx *index) textSearch(qTerms []string, f kb.Filter, k int) []int {
	t := idx.text
	n := len(t.docLen)
	if n == 0 || k <= 0 {
		return nil
	}
	df := make(map[string]int, len(qTerms))
	for _, q := range qTerms {
		df[q] = len(t.postings[q])
	}
	sel := terms.Selective(qTerms, df, n)
	if len(sel) == 0 {
		return nil
	}
	avgdl := float64(t.total) / float64(n)
	scores := make([]float64, n)
	var touched []int32
	for _, q := range sel {
		ps := t.postings[q]
		hit := float64(len(ps))
		idf := math.Log((float64(n) - hit + 0.5) / (hit + 0.5))
		if idf <= 0 {
			idf = 1e-6
		}
		for _, p := range ps {
			if !idx.matches(int(p.pos), f) {
				continue
			}
			fr := float64(p.freq)
			d := float64(t.docLen[p.pos])
			if scores[p.pos] == 0 {
				touched = append(touched, p.pos)
			}
			scores[p.pos] += idf * (fr * (bm25K1 + 1)) / (fr + bm25K1*(1-bm25B+bm25B*d/avgdl))
		}
	}
	type ranked struct {
		pos   int32
		score float64
	}
	all := make([]ranked, len(touched))
	for i, p := range touched {
		all[i] = ranked{p, scores[p]}
	}
	better := func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	}
	slices.SortFunc(all, better)
	all = all[:min(k, len(all))]
	out := make([]int, len(all))
	for i, r := range all {
		out[i] = int(r.pos)
	}
	return out
}
