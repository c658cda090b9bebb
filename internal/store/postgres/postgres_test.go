package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

func open(t *testing.T) store.Store {
	s, err := postgres.Open(t.Context(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestMigrationCreatesPgvector(t *testing.T) {
	url := storetest.PostgresURL(t)
	s, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	var v string
	if err := s.Pool().QueryRow(t.Context(), `SELECT extversion FROM pg_extension WHERE extname = 'vector'`).Scan(&v); err != nil {
		t.Fatalf("pgvector extension missing after migration: %v", err)
	}
	if !strings.HasPrefix(v, "0.") {
		t.Errorf("pgvector version = %q", v)
	}
	// A second Open on the same database (another replica) migrates nothing and works.
	s2, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	s2.Close()
}

func TestBadURLIsInvalidAndHidesPassword(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://u:s3cret@%zz/db")
	if !errors.Is(err, sdk.ErrInvalid) {
		t.Fatalf("Open(bad url) = %v; want ErrInvalid", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the password: %v", err)
	}
}
