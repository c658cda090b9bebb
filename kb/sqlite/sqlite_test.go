package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/kbtest"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
)

func TestConformance(t *testing.T) {
	t.Run("own file", func(t *testing.T) {
		kbtest.Run(t, func(t *testing.T) kb.Store {
			st, err := kbsqlite.Open(t.Context(), filepath.Join(t.TempDir(), "kb.db"))
			if err != nil {
				t.Fatalf("opening: %v", err)
			}
			return st
		})
	})
	t.Run("heard's store", func(t *testing.T) {
		kbtest.Run(t, func(t *testing.T) kb.Store {
			hs, err := sqlite.Open(t.Context(), t.TempDir())
			if err != nil {
				t.Fatalf("opening heard's store: %v", err)
			}
			t.Cleanup(func() { _ = hs.Close() })
			st, err := kbsqlite.New(t.Context(), hs.DB())
			if err != nil {
				t.Fatalf("opening: %v", err)
			}
			return st
		})
	})
}

// TestSecondStoreSeesWrites checks that a store reloads its in-memory
// vectors after another store on the same file wrote.
func TestSecondStoreSeesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	ctx := t.Context()
	a, err := kbsqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := kbsqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ka := newKB(t, a)
	kbb := newKB(t, b)
	if ms, err := kbb.Search(ctx, kb.Query{Text: "refund a card payment"}); err != nil || len(ms) != 0 {
		t.Fatalf("empty store: %v, %v", ms, err)
	}
	if _, err := ka.Sync(ctx, kbtest.Source("other", kbtest.Articles["other"]...), kb.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	ms, err := kbb.Search(ctx, kb.Query{Text: "refund a card payment"})
	if err != nil || len(ms) == 0 || ms[0].ArticleID != "refunds" {
		t.Fatalf("second store after the first wrote: %v, %v; want refunds", ms, err)
	}
}

func newKB(t *testing.T, st kb.Store) *kb.KB {
	t.Helper()
	h, err := embedHashed()
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	if err != nil {
		t.Fatal(err)
	}
	return k
}
