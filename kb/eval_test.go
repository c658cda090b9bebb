package kb_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/kbtest"
	"github.com/heardhq/heard/sdk"
)

func TestReadQueries(t *testing.T) {
	cases := []struct {
		name    string
		csv     string
		want    []kb.EvalQuery
		wantErr bool
	}{
		{name: "plain", csv: "query,article_id\nhow to export,cb-101\n\"refund, please\",cb-109\n",
			want: []kb.EvalQuery{{"how to export", "cb-101"}, {"refund, please", "cb-109"}}},
		{name: "columns in any order, extra ignored", csv: "\ufeffarticle_id,note,query\ncb-1,x,  spaced  \n",
			want: []kb.EvalQuery{{"spaced", "cb-1"}}},
		{name: "missing column", csv: "question,article\na,b\n", wantErr: true},
		{name: "empty value", csv: "query,article_id\n,cb-1\n", wantErr: true},
		{name: "no rows", csv: "query,article_id\n", wantErr: true},
		{name: "short row", csv: "query,article_id\nonly\n", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kb.ReadQueries(strings.NewReader(tc.csv))
			if tc.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Fatalf("ReadQueries: %v, want sdk.ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("row %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	vals := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]float64{50: 5, 99: 10, 10: 1, 0: 1, 100: 10} {
		if got := kb.Percentile(vals, p); got != want {
			t.Errorf("Percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if got := kb.Percentile(nil, 50); got != 0 {
		t.Errorf("Percentile(nil) = %v", got)
	}
}

func TestEvaluate(t *testing.T) {
	k := newLocalKB(t, kb.Config{})
	if _, err := k.Sync(t.Context(), kbtest.Source("other", kbtest.Articles["other"]...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	qs := []kb.EvalQuery{
		{Query: "refund a card payment", ArticleID: "refunds"},                 // rank 1
		{Query: "refund a card payment", ArticleID: "export"},                  // rank 2 at best, or absent
		{Query: "refund a card payment", ArticleID: "no-such-article"},         // never found
		{Query: "download payments as a CSV spreadsheet", ArticleID: "export"}, // rank 1
	}
	var calls int
	m, err := kb.Evaluate(t.Context(), k, qs, kb.EvalOptions{MinScore: -1, Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	// With both articles shown, "export" is second for the refund query.
	want := kb.Metrics{N: 4, RecallAt1: 0.5, RecallAt3: 0.75, RecallAt5: 0.75, RecallAt10: 0.75, MRR: 0.625}
	got := m
	got.P50Ms, got.P99Ms = 0, 0
	got.AnswerThreshold, got.AnswerPrecision, got.AnswerCoverage, got.Curve = 0, 0, 0, nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("metrics %+v, want %+v", got, want)
	}
	if m.P50Ms <= 0 || m.P99Ms < m.P50Ms {
		t.Errorf("latencies p50 %v p99 %v: want positive and ordered", m.P50Ms, m.P99Ms)
	}
	if calls != 4 {
		t.Errorf("progress called %d times, want 4", calls)
	}
}

// fixture paths: the demo's help center, sandbox/helpcenter (articles/
// and questions.csv), read from disk.
var (
	fixtureArticles  = filepath.Join("..", "sandbox", "helpcenter", "articles")
	fixtureQuestions = filepath.Join("..", "sandbox", "helpcenter", "questions.csv")
)

// loadFixture ingests the fixture into a fresh SQLite knowledge base.
func loadFixture(t *testing.T) (*kb.KB, []kb.EvalQuery) {
	t.Helper()
	for _, p := range []string{fixtureArticles, fixtureQuestions} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("the knowledge-base fixture is missing (%v): sandbox/helpcenter/articles/*.md and sandbox/helpcenter/questions.csv must exist", err)
		}
	}
	f, err := os.Open(fixtureQuestions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := kb.ReadQueries(f)
	if err != nil {
		t.Fatal(err)
	}
	k := newLocalKB(t, kb.Config{})
	res, err := k.Sync(t.Context(), kb.FromDir("fixture", fixtureArticles), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added < 60 || len(qs) < 200 {
		t.Fatalf("fixture has %d articles and %d questions, want at least 60 and 200", res.Added, len(qs))
	}
	return k, qs
}

// TestRecallOnFixture is the bar: on the team's knowledge base,
// hybrid search beats both vector-only and text-only search on recall@3.
// Ranking quality is measured without the threshold.
func TestRecallOnFixture(t *testing.T) {
	k, qs := loadFixture(t)
	got := map[kb.Mode]kb.Metrics{}
	for _, mode := range []kb.Mode{kb.ModeHybrid, kb.ModeVector, kb.ModeText} {
		m, err := kb.Evaluate(t.Context(), k, qs, kb.EvalOptions{Mode: mode, MinScore: -1})
		if err != nil {
			t.Fatal(err)
		}
		got[mode] = m
		t.Logf("%-6s n=%d recall@1 %.3f recall@3 %.3f recall@5 %.3f recall@10 %.3f MRR %.3f",
			mode, m.N, m.RecallAt1, m.RecallAt3, m.RecallAt5, m.RecallAt10, m.MRR)
	}
	h, v, x := got[kb.ModeHybrid].RecallAt3, got[kb.ModeVector].RecallAt3, got[kb.ModeText].RecallAt3
	t.Logf("recall@3: hybrid %.3f, vector %.3f, text %.3f", h, v, x)
	if h <= v || h <= x {
		t.Errorf("recall@3: hybrid %.3f does not beat vector %.3f and text %.3f", h, v, x)
	}
}

// offTopic are questions no help center of a time-tracking product
// answers.
var offTopic = []string{
	"what is the best sourdough bread recipe",
	"who won the football world cup in 2018",
	"how tall is mount everest",
	"recommend a good science fiction novel",
	"how do I change the oil in my car",
	"what's the weather going to be like tomorrow in paris",
	"can you help me with my chemistry homework",
	"best hiking trails near denver",
	"how to train a puppy to sit",
	"translate hello into japanese",
	"my washing machine makes a loud noise",
	"where can I buy cheap flights to lisbon",
}

// TestThresholdOnFixture checks DefaultMinScore: it keeps nearly every
// correct answer that ranks in the top 3 and hides what off-topic
// questions would match.
func TestThresholdOnFixture(t *testing.T) {
	k, qs := loadFixture(t)
	ctx := t.Context()
	kept, total := 0, 0
	for _, q := range qs {
		all, err := k.Search(ctx, kb.Query{Text: q.Query, K: 3, MinScore: -1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			if m.ArticleID != q.ArticleID {
				continue
			}
			total++
			if m.Score >= kb.DefaultMinScore {
				kept++
			}
		}
	}
	hidden := 0
	for _, q := range offTopic {
		ms, err := k.Search(ctx, kb.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			hidden++
		} else {
			t.Logf("off-topic %q still shows %q (score %.3f)", q, ms[0].Title, ms[0].Score)
		}
	}
	t.Logf("threshold %.2f keeps %d of %d correct top-3 answers and hides %d of %d off-topic questions", kb.DefaultMinScore, kept, total, hidden, len(offTopic))
	if float64(kept) < 0.97*float64(total) {
		t.Errorf("threshold hides %d of %d correct answers, want at most 3%%", total-kept, total)
	}
	if hidden < len(offTopic)*3/4 {
		t.Errorf("threshold hides only %d of %d off-topic questions, want at least 3/4", hidden, len(offTopic))
	}
}
