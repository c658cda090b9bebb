package postgres_test

import (
	"testing"

	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/kb/kbtest"
	"github.com/heardhq/heard/kb/postgres"
)

// BenchmarkDraftSearch is a draft's knowledge-base searches for one ticket
// (kbtest.BenchSearchEach), over an empty knowledge base and over the
// suite's fixture.
func BenchmarkDraftSearch(b *testing.B) {
	url := storetest.PostgresURL(b)
	for _, tc := range []struct {
		name   string
		ingest bool
	}{{"empty", false}, {"fixture", true}} {
		b.Run(tc.name, func(b *testing.B) {
			st, err := postgres.Open(b.Context(), url, postgres.Options{Temporary: true})
			if err != nil {
				b.Fatal(err)
			}
			kbtest.BenchSearchEach(b, st, tc.ingest)
		})
	}
}
