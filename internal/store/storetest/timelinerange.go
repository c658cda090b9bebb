package storetest

import (
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
)

// testTimelineBetween: entries of every ticket in [from, to) come back in
// time order, the bounds are half-open, and the connector filter holds.
func testTimelineBetween(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // a Monday
	e := func(conn, ticket, key string, at time.Time) store.TimelineEntry {
		return store.TimelineEntry{Connector: conn, TicketID: ticket, Key: key, Kind: store.TimelineCreated, At: at, Value: "new"}
	}
	if _, err := s.AddTimeline(ctx,
		e("acme", "1", "before", t0.Add(-time.Microsecond)),
		e("acme", "1", "start", t0),
		e("acme", "2", "mid", t0.Add(50*time.Hour)),
		e("other", "9", "mid", t0.Add(30*time.Hour).In(time.FixedZone("CET", 3600))),
		e("acme", "3", "end", t0.Add(7*24*time.Hour)),
	); err != nil {
		t.Fatalf("AddTimeline: %v", err)
	}
	got, err := s.TimelineBetween(ctx, "", t0, t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatalf("TimelineBetween: %v", err)
	}
	want := []string{"acme/1/start", "other/9/mid", "acme/2/mid"}
	if len(got) != len(want) {
		t.Fatalf("TimelineBetween all = %d entries %+v, want %v", len(got), got, want)
	}
	for i, g := range got {
		if k := g.Connector + "/" + g.TicketID + "/" + g.Key; k != want[i] {
			t.Errorf("entry %d = %s, want %s", i, k, want[i])
		}
		if g.At.Location() != time.UTC || g.Seq == 0 {
			t.Errorf("entry %d at %v seq %d: want UTC and a seq", i, g.At, g.Seq)
		}
	}
	if !got[1].At.Equal(t0.Add(30 * time.Hour)) {
		t.Errorf("other/9 at %v, want %v", got[1].At, t0.Add(30*time.Hour))
	}
	acme, err := s.TimelineBetween(ctx, "acme", t0.Add(-time.Hour), t0.Add(8*24*time.Hour))
	if err != nil {
		t.Fatalf("TimelineBetween acme: %v", err)
	}
	if len(acme) != 4 {
		t.Errorf("TimelineBetween acme = %d entries, want 4: %+v", len(acme), acme)
	}
	for _, g := range acme {
		if g.Connector != "acme" {
			t.Errorf("TimelineBetween acme returned %s/%s", g.Connector, g.TicketID)
		}
	}
	none, err := s.TimelineBetween(ctx, "", t0.Add(-48*time.Hour), t0.Add(-24*time.Hour))
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("TimelineBetween of an empty range = %#v, %v; want an empty slice", none, err)
	}
}
