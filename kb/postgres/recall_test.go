package postgres_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/postgres"
)

// TestRecallOnFixture measures the fixture's recall on PostgreSQL (the
// kb package's test holds the bar on SQLite): HNSW and ts_rank instead of
// exact search and bm25. ts_rank has no inverse document frequency, so the
// text list is weaker here and hybrid recall@3 only matches vector-only;
// the test holds hybrid to beating both on MRR.
func TestRecallOnFixture(t *testing.T) {
	dir := filepath.Join("..", "testdata")
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
	hy, v, x := got[kb.ModeHybrid].MRR, got[kb.ModeVector].MRR, got[kb.ModeText].MRR
	if hy <= v || hy <= x {
		t.Errorf("MRR: hybrid %.3f does not beat vector %.3f and text %.3f", hy, v, x)
	}
}
