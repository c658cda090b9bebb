package sqlite_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
)

func TestPendingIsADryRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	fresh, err := sqlite.Pending(t.Context(), dir)
	if err != nil {
		t.Fatalf("Pending on a store not created yet: %v", err)
	}
	if !slices.Contains(fresh, store.Migration{Schema: store.SchemaHeard, Version: 1}) ||
		!slices.ContainsFunc(fresh, func(m store.Migration) bool { return m.Schema == store.SchemaQueue }) {
		t.Fatalf("Pending on a new store = %v, want heard's and the queue's migrations", fresh)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("Pending created %s (stat: %v); a dry run creates nothing", dir, err)
	}

	s, err := sqlite.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sqlite.Pending(t.Context(), dir); err != nil || len(got) != 0 {
		t.Fatalf("Pending after Open = %v, %v; want none", got, err)
	}
	// Forget the last heard migration: it is pending again, and only it.
	last := 0
	for _, m := range fresh {
		if m.Schema == store.SchemaHeard {
			last = max(last, m.Version)
		}
	}
	if _, err := s.DB().ExecContext(t.Context(), `DELETE FROM heard_schema_migrations WHERE version = ?`, last); err != nil {
		t.Fatal(err)
	}
	got, err := sqlite.Pending(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Migration{{Schema: store.SchemaHeard, Version: last}}; !slices.Equal(got, want) {
		t.Errorf("Pending with migration %d forgotten = %v, want %v", last, got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
