package sqlite_test

import (
	"fmt"
	"strings"
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

// TestCheckWriteFailsWhenUnwritable makes the database unwritable the two
// ways SQLite sees it — read-only (query_only, as a read-only file or
// mount) and full (max_page_count, as a full disk: SQLITE_FULL) — and
// checks that Ping still passes while CheckWrite fails, then recovers.
func TestCheckWriteFailsWhenUnwritable(t *testing.T) {
	cases := []struct {
		name, breakIt, fixIt, wantErr string
	}{
		{"read-only", "PRAGMA query_only = ON", "PRAGMA query_only = OFF", "readonly"},
		{"full", "PRAGMA max_page_count = %d", "PRAGMA max_page_count = 1073741823", "full"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			s, err := sqlite.Open(ctx, t.TempDir())
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if err := s.CheckWrite(ctx); err != nil {
				t.Fatalf("CheckWrite before: %v", err)
			}
			// Give the pages the probe freed back, so "full" means full.
			if _, err := s.DB().ExecContext(ctx, "VACUUM"); err != nil {
				t.Fatal(err)
			}
			stmt := tc.breakIt
			if strings.Contains(stmt, "%d") {
				var pages int
				if err := s.DB().QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
					t.Fatal(err)
				}
				stmt = fmt.Sprintf(stmt, pages)
			}
			if _, err := s.DB().ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
			if err := s.Ping(ctx); err != nil {
				t.Errorf("Ping on an unwritable store: %v; want nil (that is why CheckWrite exists)", err)
			}
			err = s.CheckWrite(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("CheckWrite on a %s store = %v; want an error mentioning %q", tc.name, err, tc.wantErr)
			}
			if _, err := s.DB().ExecContext(ctx, tc.fixIt); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckWrite(ctx); err != nil {
				t.Errorf("CheckWrite after the fix: %v", err)
			}
		})
	}
}

// BenchmarkSaveAndCount: see storetest.BenchSaveAndCount.
func BenchmarkSaveAndCount(b *testing.B) {
	s, err := sqlite.Open(b.Context(), b.TempDir())
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	storetest.BenchSaveAndCount(b, s)
}
