package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// testCountSimilarStep checks CountSimilar's tolerance (store.RequesterStep):
// a requester's stored time moves forward when a record is more than a step
// later, never backwards, and is always one of its record times, so a
// requester whose newest record is at least a step into the window is
// counted and one with no record in the window never is.
func testCountSimilarStep(t *testing.T, s store.Store) {
	ctx := t.Context()
	base := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	step := store.RequesterStep
	seq := 0
	save := func(who string, at time.Time) {
		t.Helper()
		seq++
		ok, err := s.SaveRecord(ctx, store.Record{EventKey: fmt.Sprintf("step-%d", seq), Connector: "acme", Kind: sdk.EventTicketCreated,
			TicketID: fmt.Sprint(seq), Status: "enriched", Attempt: 1, Category: "bug", Requester: who, ProcessedAt: at})
		if err != nil || !ok {
			t.Fatalf("SaveRecord(%s at %s) = %v, %v; want stored", who, at.Format(time.TimeOnly), ok, err)
		}
	}
	count := func(since time.Time) int {
		t.Helper()
		n, err := s.CountSimilar(ctx, "acme", "bug", "me", since)
		if err != nil {
			t.Fatalf("CountSimilar: %v", err)
		}
		return n
	}
	// u1 reports, again within a step, then again well after a step.
	save("u1", base)
	save("u1", base.Add(step/2))
	save("u1", base.Add(5*step))
	// u2's records arrive newest first: the older one must not lower it.
	save("u2", base.Add(10*step))
	save("u2", base)
	// me is excluded however recent.
	save("me", base.Add(20*step))
	for _, tc := range []struct {
		since time.Time
		want  int
		why   string
	}{
		{base, 2, "u1 and u2"},
		{base.Add(2 * step), 2, "u1's record at +5 steps moved its time forward"},
		{base.Add(5 * step), 2, "u1's newest record is exactly at the window's start"},
		{base.Add(5*step + time.Microsecond), 1, "u1 has no record in the window"},
		{base.Add(10 * step), 1, "u2's newest record is kept, not its older one saved later"},
		{base.Add(10*step + time.Microsecond), 0, "no record in the window"},
	} {
		if n := count(tc.since); n != tc.want {
			t.Errorf("CountSimilar since +%s = %d; want %d (%s)", tc.since.Sub(base), n, tc.want, tc.why)
		}
	}

	// Records of one requester saved at once (one shared commit or
	// several, in any order): the stored time is within a step of the
	// newest.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			at := base.Add(30*step + time.Duration(i)*(step+time.Second))
			if ok, err := s.SaveRecord(ctx, store.Record{EventKey: fmt.Sprintf("burst-%d", i), Connector: "acme", Kind: sdk.EventTicketCreated,
				TicketID: "b", Status: "enriched", Attempt: 1, Category: "bug", Requester: "u3", ProcessedAt: at}); err != nil || !ok {
				t.Errorf("SaveRecord(burst-%d) = %v, %v; want stored", i, ok, err)
			}
		})
	}
	wg.Wait()
	newest := base.Add(30*step + 7*(step+time.Second))
	if n := count(newest.Add(-step)); n != 1 {
		t.Errorf("CountSimilar a step before u3's newest record = %d; want 1", n)
	}
	if n := count(newest.Add(time.Microsecond)); n != 0 {
		t.Errorf("CountSimilar after u3's newest record = %d; want 0", n)
	}
	// Within a step the newest record may go unseen, never more than one
	// requester's worth: u4 reported at +60 and +60.5 steps.
	save("u4", base.Add(60*step))
	save("u4", base.Add(60*step+step/2))
	if n := count(base.Add(60*step + time.Second)); n > 1 {
		t.Errorf("CountSimilar between u4's two close records = %d; want at most 1", n)
	}
}

// testRecordsOneRefused: a record the database refuses (PostgreSQL's jsonb
// takes no \u0000) fails alone; the records sharing its commit are stored
// and their requesters counted.
func testRecordsOneRefused(t *testing.T, s store.Store) {
	ctx := t.Context()
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			detail := `{"n":1}`
			if i == 7 {
				detail = `{"n":"\u0000"}`
			}
			ok, err := s.SaveRecord(ctx, store.Record{EventKey: fmt.Sprintf("r-%d", i), Connector: "c", Kind: sdk.EventTicketCreated,
				TicketID: fmt.Sprint(i), Status: "enriched", Attempt: 1, Detail: []byte(detail), ProcessedAt: time.Now(),
				Category: "bug", Requester: fmt.Sprintf("u%d", i)})
			if i != 7 && (err != nil || !ok) {
				t.Errorf("SaveRecord(r-%d) = %v, %v; want stored", i, ok, err)
			}
		})
	}
	wg.Wait()
	_, err := s.Record(ctx, "r-7")
	want := 23
	if err == nil {
		want = 24 // this store took the refused-elsewhere record
	}
	if n, err := s.CountSimilar(ctx, "c", "bug", "nobody", time.Now().Add(-time.Hour)); err != nil || n != want {
		t.Errorf("CountSimilar = %d, %v; want %d", n, err, want)
	}
}
