package postgres_test

import (
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/storetest"
)

func TestPendingIsADryRun(t *testing.T) {
	url := storetest.PostgresURL(t)
	fresh, err := postgres.Pending(t.Context(), url)
	if err != nil {
		t.Fatalf("Pending on an empty database: %v", err)
	}
	if !slices.Contains(fresh, store.Migration{Schema: store.SchemaHeard, Version: 1}) ||
		!slices.ContainsFunc(fresh, func(m store.Migration) bool { return m.Schema == store.SchemaQueue }) {
		t.Fatalf("Pending on an empty database = %v, want heard's and the queue's migrations", fresh)
	}
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var created bool
	if err := conn.QueryRow(t.Context(), `SELECT to_regclass('heard_records') IS NOT NULL OR to_regclass('river_job') IS NOT NULL`).Scan(&created); err != nil {
		t.Fatal(err)
	}
	if created {
		t.Fatal("Pending created tables; a dry run applies nothing")
	}

	s, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := postgres.Pending(t.Context(), url); err != nil || len(got) != 0 {
		t.Fatalf("Pending after Open = %v, %v; want none", got, err)
	}
	last := 0
	for _, m := range fresh {
		if m.Schema == store.SchemaHeard {
			last = max(last, m.Version)
		}
	}
	if _, err := s.Pool().Exec(t.Context(), `DELETE FROM heard_schema_migrations WHERE version = $1`, last); err != nil {
		t.Fatal(err)
	}
	got, err := postgres.Pending(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Migration{{Schema: store.SchemaHeard, Version: last}}; !slices.Equal(got, want) {
		t.Errorf("Pending with migration %d forgotten = %v, want %v", last, got, want)
	}
}

func TestPendingUnreachable(t *testing.T) {
	// Port 1 on loopback: nothing listens, the connection is refused.
	if _, err := postgres.Pending(t.Context(), "postgres://heard:pw@127.0.0.1:1/heard?connect_timeout=2"); err == nil {
		t.Fatal("Pending on an unreachable server = nil error")
	}
}
