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

// TestModelReplicas opens two independent stores (two replicas) on one
// database: what one saves and promotes, the other serves, and
// promotions from both at once leave exactly one current model.
func TestModelReplicas(t *testing.T) {
	url := storetest.PostgresURL(t)
	var replicas []store.Store
	for range 2 {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		replicas = append(replicas, s)
	}
	a, b := replicas[0], replicas[1]
	ctx := t.Context()
	vs := storetest.SaveModels(t, a, 2)
	if err := a.PromoteModel(ctx, store.ModelClassifier, vs[1]); err != nil {
		t.Fatalf("PromoteModel on a: %v", err)
	}
	if v, err := b.CurrentModelVersion(ctx, store.ModelClassifier); err != nil || v != vs[1] {
		t.Fatalf("b.CurrentModelVersion = %d, %v; want %d", v, err, vs[1])
	}
	m, err := b.CurrentModel(ctx, store.ModelClassifier)
	if err != nil || m.Version != vs[1] || string(m.Blob) != "model-1" {
		t.Fatalf("b.CurrentModel = v%d blob %q, %v; want v%d blob model-1", m.Version, m.Blob, err, vs[1])
	}
	if err := b.PromoteModel(ctx, store.ModelClassifier, vs[0]); err != nil {
		t.Fatalf("PromoteModel on b: %v", err)
	}
	if v, err := a.CurrentModelVersion(ctx, store.ModelClassifier); err != nil || v != vs[0] {
		t.Fatalf("a.CurrentModelVersion after b promoted = %d, %v; want %d", v, err, vs[0])
	}
	if v, err := a.RollbackModel(ctx, store.ModelClassifier); err != nil || v != vs[1] {
		t.Fatalf("a.RollbackModel = %d, %v; want %d (b's promotion undone)", v, err, vs[1])
	}
	storetest.ModelPromoteRace(t, replicas)
}

// TestCheckWriteFailsOnReadOnlyDatabase sets default_transaction_read_only
// on the database (as a hot standby or an operator would): Ping passes,
// CheckWrite fails, and passes again once the setting is reset.
func TestCheckWriteFailsOnReadOnlyDatabase(t *testing.T) {
	ctx := t.Context()
	s, err := postgres.Open(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if err := s.CheckWrite(ctx); err != nil {
		t.Fatalf("CheckWrite on a writable database: %v", err)
	}
	setReadOnly := func(on bool) {
		t.Helper()
		stmt := `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$`
		if !on {
			stmt = `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database()); END $$`
		}
		conn, err := s.Pool().Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		// This session may write whatever the database default says.
		if _, err := conn.Exec(ctx, `SET default_transaction_read_only = off`); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
		_ = conn.Conn().Close(ctx) // dropped so no session keeps the override
	}
	setReadOnly(true)
	s.Pool().Reset() // new sessions pick up the database default
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping on a read-only database: %v; want nil", err)
	}
	err = s.CheckWrite(ctx)
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("CheckWrite on a read-only database = %v; want a read-only error", err)
	}
	setReadOnly(false)
	s.Pool().Reset()
	if err := s.CheckWrite(ctx); err != nil {
		t.Errorf("CheckWrite after reset: %v", err)
	}
}

// TestCreditReplicas counts tickets through two independent stores (two
// connection pools: two replicas) on one database at once: no ticket is
// counted twice or lost, and positions have no gap.
func TestCreditReplicas(t *testing.T) {
	url := storetest.PostgresURL(t)
	var replicas []store.Store
	for range 2 {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		replicas = append(replicas, s)
	}
	storetest.CreditsConcurrently(t, replicas[0], replicas[1])
}

// BenchmarkSaveAndCount: see storetest.BenchSaveAndCount.
func BenchmarkSaveAndCount(b *testing.B) {
	s, err := postgres.Open(b.Context(), storetest.PostgresURL(b))
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	storetest.BenchSaveAndCount(b, s)
}

// Record traces are compressed with lz4 (migration 16), on a server built
// with it, as the test server is.
func TestRecordDetailUsesLz4(t *testing.T) {
	s, err := postgres.Open(t.Context(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	detail := []byte(`{"reasons":"` + strings.Repeat("billing refund invoice card declined ", 200) + `"}`)
	if ok, err := s.SaveRecord(t.Context(), store.Record{EventKey: "k", Connector: "c", Kind: sdk.EventTicketCreated, TicketID: "1",
		Status: "enriched", Attempt: 1, Detail: detail}); err != nil || !ok {
		t.Fatalf("SaveRecord = %v, %v", ok, err)
	}
	var method string
	if err := s.Pool().QueryRow(t.Context(), `SELECT coalesce(pg_column_compression(detail), 'none') FROM heard_records WHERE event_key = 'k'`).Scan(&method); err != nil {
		t.Fatal(err)
	}
	if method != "lz4" {
		t.Errorf("detail compressed with %s; want lz4", method)
	}
	r, err := s.Record(t.Context(), "k")
	if err != nil || !strings.Contains(string(r.Detail), "card declined billing") {
		t.Errorf("Record(k) = %.80s, %v; want the trace back", r.Detail, err)
	}
}
