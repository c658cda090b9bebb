package sqlite_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/sdk"
)

// BenchmarkCountSimilar counts other recent customers with the same issue
// among 20,000 known customers of one category, 2,000 of them within the
// window (as during a burst of new tickets).
func BenchmarkCountSimilar(b *testing.B) {
	ctx := b.Context()
	s, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	recs := make([]store.Record, 0, 20000)
	for i := range 20000 {
		at := now.Add(-48 * time.Hour)
		if i%10 == 0 {
			at = now.Add(-time.Minute)
		}
		recs = append(recs, store.Record{EventKey: fmt.Sprintf("k%d", i), Connector: "zendesk", Kind: sdk.EventTicketCreated, TicketID: fmt.Sprint(i),
			Status: "enriched", Attempt: 1, Category: "billing", Requester: fmt.Sprintf("r%d", i), ProcessedAt: at})
	}
	// Saved from many goroutines, so that the store commits them in
	// groups rather than one fsync each.
	var wg sync.WaitGroup
	errs := make(chan error, len(recs))
	for w := range 64 {
		wg.Go(func() {
			for i := w; i < len(recs); i += 64 {
				if _, err := s.SaveRecord(ctx, recs[i]); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	since := now.Add(-24 * time.Hour)
	b.ResetTimer()
	for b.Loop() {
		n, err := s.CountSimilar(ctx, "zendesk", "billing", "r0", since)
		if err != nil || n != 1999 {
			b.Fatalf("CountSimilar = %d, %v; want 1999", n, err)
		}
	}
}

// TestCountSimilarReadsTheRecentIndex checks that counting customers with
// the same issue reads only the index range of the window, not every
// customer of the category from the table.
func TestCountSimilarReadsTheRecentIndex(t *testing.T) {
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := queryPlan(t, s, `SELECT count(*) FROM heard_requesters
		WHERE connector = ? AND category = ? AND requester != ? AND last_at >= ?`, "z", "billing", "me", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "COVERING INDEX heard_requesters_recent") || !strings.Contains(got, "last_at>?") {
		t.Errorf("query plan %q; want a range of the covering index heard_requesters_recent", got)
	}
}

// TestDecisionFiltersReadTheDecisionIndex checks that the tickets list
// filtered by tag, mode or churn level tests the values kept in
// heard_records_decision instead of parsing every record's trace.
func TestDecisionFiltersReadTheDecisionIndex(t *testing.T) {
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := queryPlan(t, s, `SELECT event_key FROM heard_records INDEXED BY heard_records_decision
		WHERE (lower(json_extract(detail, '$.decision.primary_tag')) = lower(?)
			OR instr(lower(json_extract(detail, '$.decision.tags')), lower(?)) > 0)
		ORDER BY processed_at DESC, event_key LIMIT 10`, "x", "x")
	if err != nil {
		t.Fatalf("the decision filters' expressions no longer match heard_records_decision: %v", err)
	}
	if !strings.Contains(got, "INDEX heard_records_decision") {
		t.Errorf("query plan %q; want a scan of heard_records_decision", got)
	}
}

// TestCountSimilarMatchesTable interleaves saves and counts (the count is
// kept in memory once a category was counted) and checks every count
// against the table itself: random customers, categories, times around the
// one-minute step, windows reaching further back than the first count, and
// a window that moves on by hours (the memory drops what left it).
func TestCountSimilarMatchesTable(t *testing.T) {
	ctx := t.Context()
	s, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := base
	cats := []string{"billing", "login", "export"}
	key := 0
	for step := range 600 {
		if rng.IntN(3) > 0 {
			key++
			at := now.Add(-time.Duration(rng.IntN(int(30 * time.Hour))))
			if rng.IntN(4) == 0 { // close to the customer's last report, around the step
				at = now.Add(-time.Duration(rng.IntN(int(2 * store.RequesterStep))))
			}
			r := store.Record{EventKey: fmt.Sprintf("e%d", key), Connector: "zendesk", Kind: sdk.EventTicketCreated, TicketID: fmt.Sprint(key),
				Status: "enriched", Attempt: 1, Category: cats[rng.IntN(len(cats))], Requester: fmt.Sprintf("r%d", rng.IntN(40)), ProcessedAt: at}
			if _, err := s.SaveRecord(ctx, r); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if step%50 == 0 {
			now = now.Add(time.Duration(rng.IntN(3)) * time.Hour)
		}
		cat := cats[rng.IntN(len(cats))]
		exclude := fmt.Sprintf("r%d", rng.IntN(40))
		since := now.Add(-time.Duration(12+rng.IntN(24)) * time.Hour)
		got, err := s.CountSimilar(ctx, "zendesk", cat, exclude, since)
		if err != nil {
			t.Fatal(err)
		}
		var want int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM heard_requesters
			WHERE connector = ? AND category = ? AND requester != ? AND last_at >= ?`, "zendesk", cat, exclude, since.UnixNano()).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("step %d: CountSimilar(%s, not %s, since %s) = %d; the table says %d", step, cat, exclude, since.Format(time.RFC3339), got, want)
		}
	}
}

// queryPlan returns SQLite's plan for query, its steps joined by "; ". An
// error preparing the query is returned; one reading the plan fails t.
func queryPlan(t *testing.T, s *sqlite.Store, query string, args ...any) (string, error) {
	t.Helper()
	rows, err := s.DB().QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; "), nil
}
