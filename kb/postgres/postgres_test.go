package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/kbtest"
	"github.com/heardhq/heard/kb/postgres"
	"github.com/heardhq/heard/sdk"
)

func open(t *testing.T, opts postgres.Options) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), storetest.PostgresURL(t), opts)
	if err != nil {
		t.Fatalf("opening: %v", err)
	}
	return st
}

func TestConformance(t *testing.T) {
	kbtest.Run(t, func(t *testing.T) kb.Store { return open(t, postgres.Options{}) })
}

func TestOptions(t *testing.T) {
	cases := []struct {
		name string
		opts postgres.Options
	}{
		{"ef_search too high", postgres.Options{EFSearch: 5000}},
		{"ef_construction below 2m", postgres.Options{M: 32, EFConstruction: 40}},
		{"bad work mem", postgres.Options{MaintenanceWorkMem: "lots; DROP TABLE x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := postgres.Open(t.Context(), "postgres://127.0.0.1:1/x", tc.opts)
			if !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Open: %v, want sdk.ErrInvalid before any connection", err)
			}
		})
	}
}

// TestTemporary checks that a Temporary store lives in a schema of its
// own, which Close drops, and that two stores on one database coexist.
func TestTemporary(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := t.Context()
	tmp, err := postgres.Open(ctx, url, postgres.Options{Temporary: true})
	if err != nil {
		t.Fatal(err)
	}
	main, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer main.Close()
	h, _ := embed.NewHashed(0)
	k, err := kb.New(kb.Config{Store: tmp, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sync(ctx, kbtest.Source("other", kbtest.Articles["other"]...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if st, err := main.Stats(ctx); err != nil || st.Articles != 0 {
		t.Fatalf("main store sees %d articles (%v), want 0: the temporary store must be separate", st.Articles, err)
	}
	var schema string
	if err := main.Pool().QueryRow(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'kb_tmp_%'`).Scan(&schema); err != nil {
		t.Fatalf("temporary schema: %v", err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := main.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&n); err != nil || n != 0 {
		t.Errorf("schema %s still there after Close (%d, %v)", schema, n, err)
	}
}

// TestDeferIndexAndFilteredSearch builds the index after loading and
// checks that a filter matching few rows still returns full lists (the
// iterative scan).
func TestDeferIndexAndFilteredSearch(t *testing.T) {
	st := open(t, postgres.Options{DeferIndex: true, EFSearch: 10})
	defer st.Close()
	ctx := t.Context()
	h, _ := embed.NewHashed(64)
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	var arts []kb.Article
	for i := range 300 {
		locale := "en-us"
		if i%50 == 0 {
			locale = "de-de"
		}
		arts = append(arts, kb.Article{ID: itoa(i), Title: "Article " + itoa(i), Locale: locale, Format: kb.FormatText,
			Body: "Topic number " + itoa(i) + " explains settings, billing, exports and reports in detail."})
	}
	if _, err := k.Sync(ctx, kbtest.Source("bulk", arts...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.BuildIndex(ctx); err != nil {
		t.Fatalf("BuildIndex: %v", err)
	}
	var indexed bool
	if err := st.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'kb_chunks_embedding')`).Scan(&indexed); err != nil || !indexed {
		t.Fatalf("HNSW index missing after BuildIndex (%v)", err)
	}
	vs, _ := h.Embed(ctx, []string{"settings billing exports"})
	vec, _, err := st.Candidates(ctx, kb.CandidateQuery{Vector: vs[0], Filter: kb.Filter{Lang: "de"}, VectorK: 6})
	if err != nil {
		t.Fatal(err)
	}
	if len(vec) != 6 {
		t.Fatalf("filtered HNSW search returned %d hits, want all 6 German articles (iterative scan)", len(vec))
	}
	for _, h := range vec {
		if h.Locale != "de-de" {
			t.Errorf("hit %s has locale %s, want de-de", h.ArticleID, h.Locale)
		}
	}
	if err := st.Pool().Ping(context.WithoutCancel(ctx)); err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// TestTermFrequencies checks that kb_terms and kb_text_stats, which weigh
// query terms, match the chunks after adds, updates and deletes.
func TestTermFrequencies(t *testing.T) {
	st := open(t, postgres.Options{})
	defer st.Close()
	ctx := t.Context()
	h, _ := embed.NewHashed(64)
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T) {
		t.Helper()
		var diff, chunks, counted int
		err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM (
				(SELECT term, df FROM kb_terms EXCEPT SELECT w, count(*) FROM kb_chunks, unnest(tsvector_to_array(tsv)) w GROUP BY w)
				UNION ALL
				(SELECT w, count(*) FROM kb_chunks, unnest(tsvector_to_array(tsv)) w GROUP BY w EXCEPT SELECT term, df FROM kb_terms)) d`).Scan(&diff)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Pool().QueryRow(ctx, `SELECT (SELECT chunks FROM kb_text_stats), (SELECT count(*) FROM kb_chunks)`).Scan(&counted, &chunks); err != nil {
			t.Fatal(err)
		}
		if diff != 0 || counted != chunks {
			t.Errorf("%d terms with a wrong document frequency; %d chunks counted, %d stored", diff, counted, chunks)
		}
	}
	arts := kbtest.Articles["helpdesk"]
	if _, err := k.Sync(ctx, kbtest.Source("helpdesk", arts...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	check(t)
	changed := append([]kb.Article(nil), arts[1:]...) // pw-reset deleted
	changed[0].Body += "<p>Exports also include credit notes.</p>"
	if _, err := k.Sync(ctx, kbtest.Source("helpdesk", changed...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if stats, err := st.Stats(ctx); err != nil || stats.Articles != len(changed) {
		t.Fatalf("%d articles after the second sync (%v), want %d", stats.Articles, err, len(changed))
	}
	check(t)
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM kb_terms WHERE df <= 0`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d terms with no chunk left in kb_terms (%v)", n, err)
	}
}

// TestSessionSettings checks that every pooled connection searches with
// the store's ef_search, which plain searches no longer set themselves.
func TestSessionSettings(t *testing.T) {
	st := open(t, postgres.Options{EFSearch: 37})
	defer st.Close()
	ctx := t.Context()
	for range 3 {
		var ef, workers string
		err := st.Pool().QueryRow(ctx, `SELECT current_setting('hnsw.ef_search'), current_setting('max_parallel_workers_per_gather')
			FROM (SELECT '[1,0]'::vector <=> '[0,1]'::vector) x`).Scan(&ef, &workers)
		if err != nil {
			t.Fatal(err)
		}
		if ef != "37" || workers != "0" {
			t.Errorf("hnsw.ef_search = %s, max_parallel_workers_per_gather = %s; want 37 and 0", ef, workers)
		}
	}
}

// TestFullTextIndexHasNoPendingList checks migration 3: new full-text
// entries go straight into the GIN index instead of a pending list every
// search would read.
func TestFullTextIndexHasNoPendingList(t *testing.T) {
	st := open(t, postgres.Options{Temporary: true})
	defer st.Close()
	var opts []string
	err := st.Pool().QueryRow(t.Context(), `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = 'kb_chunks_tsv'::regclass`).Scan(&opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(opts, "fastupdate=off") {
		t.Errorf("kb_chunks_tsv options %v, want fastupdate=off", opts)
	}
}

// TestCandidatesEachSettings checks that one batch of candidate queries
// runs each vector list under its own settings (a larger ef_search for a
// long list, an iterative scan under a filter) and answers each query as
// Candidates alone does. With ef_search 4, a list of 12 without its own
// ef_search would stop at 4 rows and a filtered one without an iterative
// scan would come up short.
func TestCandidatesEachSettings(t *testing.T) {
	st := open(t, postgres.Options{EFSearch: 4})
	defer st.Close()
	ctx := t.Context()
	h, _ := embed.NewHashed(0)
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"helpdesk", "other"} {
		if _, err := k.Sync(ctx, kbtest.Source(name, kbtest.Articles[name]...), kb.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(lang string) int {
		var n int
		if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM kb_chunks WHERE $1 = '' OR lang = ANY(ARRAY[$1, ''])`, lang).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	vs, err := h.Embed(ctx, []string{"reset my password", "approve the timesheets", "mot de passe oublié", "export invoices"})
	if err != nil {
		t.Fatal(err)
	}
	qs := []kb.CandidateQuery{
		{Vector: vs[0], Terms: []string{"reset", "password"}, VectorK: 3, TextK: 3},
		{Vector: vs[1], Terms: []string{"approv", "timesheet"}, VectorK: 12, TextK: 12},
		{Vector: vs[2], Terms: []string{"mot", "pass"}, VectorK: 12, TextK: 5, Filter: kb.Filter{Lang: "fr"}},
		{Vector: vs[3], Terms: []string{"export"}, VectorK: 3, Filter: kb.Filter{Lang: "en", Source: "helpdesk"}},
		{Vector: vs[0], Terms: []string{"zzznotthere"}, TextK: 3},
	}
	wantLen := []int{3, min(12, count("")), min(12, count("fr")), 3, 0}
	vec, txt, err := st.CandidatesEach(ctx, qs)
	if err != nil {
		t.Fatal(err)
	}
	if len(vec) != len(qs) || len(txt) != len(qs) {
		t.Fatalf("CandidatesEach answered %d and %d of %d queries", len(vec), len(txt), len(qs))
	}
	texts := 0
	for i, q := range qs {
		if len(vec[i]) != wantLen[i] {
			t.Errorf("query %d: vector list of %d hits, want %d", i, len(vec[i]), wantLen[i])
		}
		texts += len(txt[i])
		v1, t1, err := st.Candidates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(vec[i], v1) || !reflect.DeepEqual(txt[i], t1) {
			t.Errorf("query %d: CandidatesEach found %d and %d hits, Candidates %d and %d, or others", i, len(vec[i]), len(txt[i]), len(v1), len(t1))
		}
	}
	if texts == 0 {
		t.Error("no text list found anything: the comparison proves nothing")
	}
	if len(txt[4]) != 0 || vec[4] != nil {
		t.Errorf("a query of unknown terms and no vector list found %d and %d hits", len(vec[4]), len(txt[4]))
	}
}

// TestTermCacheSeesOtherWriters checks that a store's cached term
// statistics never outlive a write by another store (another heard
// process): after the other store changed which terms are rare, a search
// finds what a fresh store finds.
func TestTermCacheSeesOtherWriters(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := t.Context()
	h, _ := embed.NewHashed(0)
	newKB := func() (*postgres.Store, *kb.KB) {
		st, err := postgres.Open(ctx, url, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		k, err := kb.New(kb.Config{Store: st, Embedder: h, MinScore: -1})
		if err != nil {
			t.Fatal(err)
		}
		return st, k
	}
	// One searcher searches one query at a time, the other several at
	// once (one batch).
	_, searcher := newKB()
	_, batcher := newKB()
	_, writer := newKB()
	arts := kbtest.Articles["helpdesk"]
	if _, err := writer.Sync(ctx, kbtest.Source("helpdesk", arts...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	q := kb.Query{Text: "export the invoices spreadsheet", K: 10, Mode: kb.ModeText}
	q2 := kb.Query{Text: "invoices", K: 10, Mode: kb.ModeText}
	before, err := searcher.Search(ctx, q) // caches the terms' statistics
	if err != nil || len(before) == 0 {
		t.Fatalf("search: %v, %v; want matches", before, err)
	}
	if _, err := batcher.SearchEach(ctx, []kb.Query{q, q2}); err != nil {
		t.Fatal(err)
	}
	// Many articles about invoices make "invoic" common, and one about
	// spreadsheets alone: the ranking changes.
	more := slices.Clone(arts)
	for i := range 12 {
		more = append(more, kb.Article{ID: "inv" + itoa(i), Title: "Invoices " + itoa(i), URL: "https://help.example/inv" + itoa(i),
			Locale: "en-us", Format: kb.FormatText, Body: "Invoices list every invoice of the month " + itoa(i) + "."})
	}
	more = append(more, kb.Article{ID: "sheets", Title: "Spreadsheet export", URL: "https://help.example/sheets", Locale: "en-us",
		Format: kb.FormatText, Body: "Export any list to a spreadsheet."})
	if _, err := writer.Sync(ctx, kbtest.Source("helpdesk", more...), kb.SyncOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	after, err := searcher.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := newKB()
	want, err := fresh.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, want) {
		t.Errorf("after another store's write the searcher found %v, a fresh store %v", matchIDs(after), matchIDs(want))
	}
	each, err := batcher.SearchEach(ctx, []kb.Query{q, q2})
	if err != nil {
		t.Fatal(err)
	}
	want2, err := fresh.Search(ctx, q2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(each[0], want) || !reflect.DeepEqual(each[1], want2) {
		t.Errorf("after another store's write SearchEach found %v and %v, a fresh store %v and %v",
			matchIDs(each[0]), matchIDs(each[1]), matchIDs(want), matchIDs(want2))
	}
	if reflect.DeepEqual(matchIDs(after), matchIDs(before)) {
		t.Errorf("the write changed nothing the search finds (%v): the test proves nothing", matchIDs(after))
	}
}

func matchIDs(ms []kb.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ArticleID
	}
	return out
}
