package sqlite_test

import (
	"testing"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(t.Context(), t.TempDir())
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlite.Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := s.SaveRecord(t.Context(), store.Record{EventKey: "k", Connector: "c", Kind: "ticket.created", TicketID: "1", Status: "processed", Attempt: 1}); err != nil {
		t.Fatalf("SaveRecord: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s, err = sqlite.Open(t.Context(), dir) // migrations must be idempotent
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	r, err := s.Record(t.Context(), "k")
	if err != nil || r.TicketID != "1" {
		t.Errorf("after reopen Record = %+v, %v; want ticket 1", r, err)
	}
}
