package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// testTimeline: entries come back in time order whatever order they were
// added in, a key is stored once, and invalid entries are refused.
func testTimeline(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	e := func(key, kind string, min int, value string) store.TimelineEntry {
		return store.TimelineEntry{Connector: "acme", TicketID: "7", Key: key, Kind: kind, At: t0.Add(time.Duration(min) * time.Minute),
			Value: value, EventKey: "ev-" + key}
	}
	added, err := s.AddTimeline(ctx, e("reply:m2", store.TimelineAgentReply, 30, "m2"), e("created", store.TimelineCreated, 0, "new"),
		e("waiting:ev3", store.TimelineWaiting, 30, "pending"))
	if err != nil {
		t.Fatalf("AddTimeline: %v", err)
	}
	if len(added) != 3 {
		t.Fatalf("AddTimeline stored %d entries, want 3", len(added))
	}
	// Again, with one new entry: only that one is stored.
	added, err = s.AddTimeline(ctx, e("created", store.TimelineCreated, 5, "open"), e("solved:ev4", store.TimelineSolved, 90, "solved"))
	if err != nil {
		t.Fatalf("AddTimeline again: %v", err)
	}
	if len(added) != 1 || added[0].Key != "solved:ev4" || added[0].Seq == 0 {
		t.Fatalf("AddTimeline again stored %+v, want only solved:ev4 with a seq", added)
	}
	// Another ticket with the same keys is separate.
	other := e("created", store.TimelineCreated, 0, "new")
	other.TicketID = "8"
	if added, err := s.AddTimeline(ctx, other); err != nil || len(added) != 1 {
		t.Fatalf("AddTimeline for ticket 8 = %d, %v; want 1 stored", len(added), err)
	}

	got, err := s.Timeline(ctx, "acme", "7")
	if err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	var keys []string
	for _, g := range got {
		keys = append(keys, g.Key)
	}
	// reply:m2 and waiting:ev3 share a time: insertion order (seq) decides.
	if want := []string{"created", "reply:m2", "waiting:ev3", "solved:ev4"}; !slices.Equal(keys, want) {
		t.Fatalf("Timeline keys = %v, want %v", keys, want)
	}
	if c := got[0]; c.Value != "new" || !c.At.Equal(t0.Truncate(time.Microsecond)) || c.At.Location() != time.UTC || c.EventKey != "ev-created" || c.Kind != store.TimelineCreated {
		t.Errorf("first entry = %+v; want the first created entry kept, at %s in UTC", c, t0)
	}
	if got[1].Seq >= got[2].Seq {
		t.Errorf("seq of reply:m2 %d, waiting:ev3 %d: want increasing", got[1].Seq, got[2].Seq)
	}
	if none, err := s.Timeline(ctx, "acme", "missing"); err != nil || none == nil || len(none) != 0 {
		t.Errorf("Timeline of an unknown ticket = %#v, %v; want an empty slice", none, err)
	}
	for _, bad := range []store.TimelineEntry{
		{TicketID: "7", Key: "k", Kind: "x", At: t0},
		{Connector: "acme", TicketID: "7", Kind: "x", At: t0},
		{Connector: "acme", TicketID: "7", Key: "k", Kind: "x"},
	} {
		if _, err := s.AddTimeline(ctx, bad); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("AddTimeline(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}

// testTimelineOpen: a ticket is open when its latest state entry is not
// solved or closed; other entries do not count.
func testTimelineOpen(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	add := func(conn, id, key, kind string, min int, value string) {
		t.Helper()
		if _, err := s.AddTimeline(ctx, store.TimelineEntry{Connector: conn, TicketID: id, Key: key, Kind: kind,
			At: t0.Add(time.Duration(min) * time.Minute), Value: value}); err != nil {
			t.Fatalf("AddTimeline: %v", err)
		}
	}
	add("a", "1", "created", store.TimelineCreated, 0, "new") // open
	add("a", "2", "created", store.TimelineCreated, 0, "new")
	add("a", "2", "solved", store.TimelineSolved, 10, "solved")
	add("a", "2", "reply", store.TimelineAgentReply, 20, "m1") // not a state entry
	add("a", "3", "created", store.TimelineCreated, 0, "open")
	add("a", "3", "solved", store.TimelineSolved, 10, "closed")
	add("a", "3", "reopened", store.TimelineReopened, 30, "open") // open again
	add("b", "1", "created", store.TimelineCreated, 0, "pending")
	add("b", "1", "waiting", store.TimelineWaiting, 0, "pending") // same time: later seq wins
	add("b", "9", "sla", store.TimelineSLAWarning, 0, "yellow")   // no state entry: not listed

	got, err := s.OpenTickets(ctx, "")
	if err != nil {
		t.Fatalf("OpenTickets: %v", err)
	}
	want := []store.TicketKey{{Connector: "a", TicketID: "1"}, {Connector: "a", TicketID: "3"}, {Connector: "b", TicketID: "1"}}
	if !slices.Equal(got, want) {
		t.Errorf("OpenTickets(\"\") = %v, want %v", got, want)
	}
	got, err = s.OpenTickets(ctx, "b")
	if err != nil || !slices.Equal(got, want[2:]) {
		t.Errorf("OpenTickets(b) = %v, %v; want %v", got, err, want[2:])
	}
}

// testTimelineConcurrent: many goroutines add the same keys; each key is
// stored exactly once and reported as stored to exactly one caller.
func testTimelineConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const workers, keys = 8, 5
	var mu sync.Mutex
	stored := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			var batch []store.TimelineEntry
			for k := range keys {
				key := fmt.Sprintf("sla:%d", (k+w)%keys)
				batch = append(batch, store.TimelineEntry{Connector: "c", TicketID: "1", Key: key, Kind: store.TimelineSLAWarning, At: t0, Value: key})
			}
			added, err := s.AddTimeline(ctx, batch...)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, a := range added {
				stored[a.Key]++
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent AddTimeline: %v", err)
	}
	if len(stored) != keys {
		t.Errorf("stored keys %v, want %d distinct", stored, keys)
	}
	for k, n := range stored {
		if n != 1 {
			t.Errorf("key %s reported stored %d times, want once", k, n)
		}
	}
	got, err := s.Timeline(ctx, "c", "1")
	if err != nil || len(got) != keys {
		t.Errorf("Timeline = %d entries, %v; want %d", len(got), err, keys)
	}
}

func runTimeline(t *testing.T, open Opener) {
	t.Run("timeline", func(t *testing.T) { testTimeline(t, open(t)) })
	t.Run("timeline_open_tickets", func(t *testing.T) { testTimelineOpen(t, open(t)) })
	t.Run("timeline_add_concurrently", func(t *testing.T) { testTimelineConcurrent(t, open(t)) })
}
