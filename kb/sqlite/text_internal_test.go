package sqlite

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/terms"
)

// TestTextSearchMatchesFTS5 checks the in-memory BM25 against FTS5's own
// bm25(kb_fts, 2.0, 1.0) over the fixture's help center, for every
// fixture question: the same chunks in the same order.
func TestTextSearchMatchesFTS5(t *testing.T) {
	ctx := t.Context()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "kb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := embed.NewHashed(0)
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	fixture := filepath.Join("..", "..", "sandbox", "helpcenter")
	if _, err := k.Sync(ctx, kb.FromDir("fixture", filepath.Join(fixture, "articles")), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(fixture, "questions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := st.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const depth = 50
	var compared, same int
	for _, rec := range recs[1:] {
		var qs []string
		for _, w := range terms.Analyze(rec[0]) {
			if !slices.Contains(qs, w) {
				qs = append(qs, w)
			}
		}
		var got []int64
		for _, p := range idx.textSearch(qs, kb.Filter{}, depth) {
			got = append(got, idx.ids[p])
		}
		want := ftsTop(t, st, qs, len(idx.ids), depth)
		compared++
		if slices.Equal(got, want) {
			same++
			continue
		}
		if !slices.Equal(got[:min(10, len(got))], want[:min(10, len(want))]) {
			t.Errorf("%q: top 10 %v, FTS5 %v", rec[0], got[:min(10, len(got))], want[:min(10, len(want))])
		}
	}
	t.Logf("%d of %d questions rank the same %d chunks in the same order as FTS5", same, compared, depth)
	if same < compared*95/100 {
		t.Errorf("only %d of %d questions match FTS5's ranking exactly", same, compared)
	}
}

// ftsTop is the full-text ranking as SQL computed it before the
// in-memory index: FTS5 bm25 over the selective terms.
func ftsTop(t *testing.T, st *Store, qs []string, n, k int) []int64 {
	t.Helper()
	ctx := t.Context()
	df := map[string]int{}
	for _, q := range qs {
		var d int
		err := st.rdb.QueryRowContext(ctx, `SELECT coalesce(max(doc), 0) FROM kb_fts_vocab WHERE term = ?`, q).Scan(&d)
		if err != nil {
			t.Fatal(err)
		}
		df[q] = d
	}
	sel := terms.Selective(qs, df, n)
	if len(sel) == 0 {
		return nil
	}
	parts := make([]string, len(sel))
	for i, s := range sel {
		parts[i] = `"` + s + `"`
	}
	rows, err := st.rdb.QueryContext(ctx, `SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY bm25(kb_fts, 2.0, 1.0), rowid LIMIT ?`, strings.Join(parts, " OR "), k)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
