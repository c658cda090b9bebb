package solved

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/heardhq/heard/internal/store/storetest"
)

// TestPostgresUsesHNSW checks that the vector list is read through the
// partial HNSW index of the index's dimension, with a connector filter
// too. A table this small is cheaper to sort, so sequential scans and
// sorts are disabled: what is checked is that the planner can match the
// partial index's predicate and expression at all (on a large table its
// costs choose it).
func TestPostgresUsesHNSW(t *testing.T) {
	const d = 16
	ix, err := OpenPostgres(t.Context(), storetest.PostgresURL(t), d, PostgresOptions{})
	if err != nil {
		t.Fatalf("OpenPostgres: %v", err)
	}
	defer ix.Close()
	v := make([]float32, d)
	for i := range 300 {
		v[i%d] = float32(i + 1)
		if err := ix.Upsert(t.Context(), Ticket{Connector: fmt.Sprint("c", i%3), ID: fmt.Sprint(i), Subject: "s", Vector: v}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ix.pool.Exec(t.Context(), `ANALYZE kb_solved_tickets`); err != nil {
		t.Fatal(err)
	}
	for _, connector := range []string{"", "c1"} {
		var plan []string
		err := pgx.BeginFunc(t.Context(), ix.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(t.Context(), `SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off`); err != nil {
				return err
			}
			rows, err := tx.Query(t.Context(), `EXPLAIN `+ix.vectorQuery(), pgvector.NewVector(v), connector, 10)
			if err != nil {
				return err
			}
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatalf("EXPLAIN: %v", err)
		}
		if p := strings.Join(plan, "\n"); !strings.Contains(p, fmt.Sprintf("kb_solved_tickets_hnsw_%d", d)) {
			t.Errorf("connector %q: the vector query does not use the HNSW index:\n%s", connector, p)
		}
	}
}
