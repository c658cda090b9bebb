package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// testAudit: entries come back newest first with who, when and what,
// filtered by actor and limited; an entry without actor or time is
// refused.
func testAudit(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 123456000, time.UTC)
	add := func(actor, action, target, detail string, at time.Time) int64 {
		t.Helper()
		id, err := s.AddAudit(ctx, store.AuditEntry{At: at, Actor: actor, Action: action, Target: target, Detail: detail})
		if err != nil {
			t.Fatalf("AddAudit %s %s: %v", actor, action, err)
		}
		return id
	}
	id1 := add("ann", "login", "", "", t0)
	id2 := add("bob", "threshold.set", "acme/priority", "0.80 → 0.70", t0.Add(time.Minute))
	id3 := add("ann", "logout", "", "", t0.Add(2*time.Minute))
	if id1 >= id2 || id2 >= id3 {
		t.Fatalf("ids %d, %d, %d do not increase", id1, id2, id3)
	}
	all, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	if len(all) != 3 || all[0].ID != id3 || all[2].ID != id1 {
		t.Fatalf("AuditLog = %+v, want 3 entries newest first", all)
	}
	want := store.AuditEntry{ID: id2, At: t0.Add(time.Minute), Actor: "bob", Action: "threshold.set", Target: "acme/priority", Detail: "0.80 → 0.70"}
	if got := all[1]; got != want {
		t.Errorf("entry = %+v, want %+v", got, want)
	}
	ann, err := s.AuditLog(ctx, store.AuditFilter{Actor: "ann", Limit: 1})
	if err != nil {
		t.Fatalf("AuditLog ann: %v", err)
	}
	if len(ann) != 1 || ann[0].ID != id3 {
		t.Errorf("AuditLog(ann, limit 1) = %+v, want only entry %d", ann, id3)
	}
	for _, bad := range []store.AuditEntry{{At: t0, Action: "login"}, {At: t0, Actor: "ann"}, {Actor: "ann", Action: "login"}} {
		if _, err := s.AddAudit(ctx, bad); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("AddAudit(%+v) = %v, want sdk.ErrInvalid", bad, err)
		}
	}
}

// testRecordsFilter: Records narrows by status and category as well as
// connector and ticket.
func testRecordsFilter(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, r := range []store.Record{
		{EventKey: "f1", Connector: "acme", TicketID: "1", Status: "processed", Category: "billing"},
		{EventKey: "f2", Connector: "acme", TicketID: "2", Status: "failed", Category: "billing"},
		{EventKey: "f3", Connector: "acme", TicketID: "3", Status: "processed", Category: "login"},
		{EventKey: "f4", Connector: "beta", TicketID: "4", Status: "processed", Category: "billing"},
	} {
		r.Kind, r.Attempt, r.ProcessedAt = sdk.EventTicketCreated, 1, t0.Add(time.Duration(i)*time.Minute)
		if _, err := s.SaveRecord(ctx, r); err != nil {
			t.Fatalf("SaveRecord %s: %v", r.EventKey, err)
		}
	}
	for _, tc := range []struct {
		f    store.Filter
		want []string
	}{
		{store.Filter{Status: "processed"}, []string{"f4", "f3", "f1"}},
		{store.Filter{Category: "billing"}, []string{"f4", "f2", "f1"}},
		{store.Filter{Connector: "acme", Status: "processed", Category: "billing"}, []string{"f1"}},
		{store.Filter{Status: "discarded"}, nil},
	} {
		recs, err := s.Records(ctx, tc.f)
		if err != nil {
			t.Fatalf("Records(%+v): %v", tc.f, err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.EventKey)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Records(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
}
