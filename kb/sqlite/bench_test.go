package sqlite_test

import (
	"testing"

	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/kb/kbtest"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
)

// BenchmarkDraftSearch is a draft's knowledge-base searches for one ticket
// (kbtest.BenchSearchEach) in heard's SQLite store, over an empty
// knowledge base and over the suite's fixture.
func BenchmarkDraftSearch(b *testing.B) {
	for _, tc := range []struct {
		name   string
		ingest bool
	}{{"empty", false}, {"fixture", true}} {
		b.Run(tc.name, func(b *testing.B) {
			hs, err := sqlite.Open(b.Context(), b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = hs.Close() })
			st, err := kbsqlite.New(b.Context(), hs.DB())
			if err != nil {
				b.Fatal(err)
			}
			kbtest.BenchSearchEach(b, st, tc.ingest)
		})
	}
}
