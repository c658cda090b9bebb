package postgres_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/postgres"
)

// TestRecallOnFixture holds PostgreSQL to the kb package's bar on SQLite:
// on the fixture, hybrid search beats both vector-only and text-only
// search on recall@3, and on MRR too. Here the lists come from HNSW and
// from ts_rank weighted per term by inverse document frequency (kb_terms)
// instead of exact search and bm25. Ranking quality is measured without
// the threshold.
func TestRecallOnFixture(t *testing.T) {
	dir := filepath.Join("..", "..", "sandbox", "helpcenter") // the fixture: articles/ and questions.csv
	f, err := os.Open(filepath.Join(dir, "questions.csv"))
	if err != nil {
		t.Fatalf("the knowledge-base fixture is missing: %v", err)
	}
	qs, err := kb.ReadQueries(f)
	_ = f.Close()
	if err != nil {
		t.Fatal(err)
	}
	st := open(t, postgres.Options{})
	defer st.Close()
	h, _ := embed.NewHashed(0)
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sync(t.Context(), kb.FromDir("fixture", filepath.Join(dir, "articles")), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	got := map[kb.Mode]kb.Metrics{}
	for _, mode := range []kb.Mode{kb.ModeHybrid, kb.ModeVector, kb.ModeText} {
		m, err := kb.Evaluate(t.Context(), k, qs, kb.EvalOptions{Mode: mode, MinScore: -1})
		if err != nil {
			t.Fatal(err)
		}
		got[mode] = m
		t.Logf("%-6s recall@1 %.3f recall@3 %.3f recall@10 %.3f MRR %.3f", mode, m.RecallAt1, m.RecallAt3, m.RecallAt10, m.MRR)
	}
	hy, v, x := got[kb.ModeHybrid], got[kb.ModeVector], got[kb.ModeText]
	if hy.RecallAt3 <= v.RecallAt3 || hy.RecallAt3 <= x.RecallAt3 {
		t.Errorf("recall@3: hybrid %.3f does not beat vector %.3f and text %.3f", hy.RecallAt3, v.RecallAt3, x.RecallAt3)
	}
	if hy.MRR <= v.MRR || hy.MRR <= x.MRR {
		t.Errorf("MRR: hybrid %.3f does not beat vector %.3f and text %.3f", hy.MRR, v.MRR, x.MRR)
	}
}
