package kbtest

import (
	"testing"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
)

// draftTexts are the searches a draft runs for one ticket: the whole text,
// the subject and the customer's question (see cmd/heard's searchQueries).
var draftTexts = []string{
	"Password reset email never arrived\nHi, I clicked forgot password twice yesterday. Where is the reset email?",
	"Password reset email never arrived",
	"Where is the reset email?",
}

// BenchSearchEach measures what a draft asks of the knowledge base for
// one ticket: KB.SearchEach of its three searches in the ticket's locale,
// and in any locale for those that found nothing (Query.AnyLocale). With ingest the
// store holds Articles first; without, it stays empty, as for a help desk
// without a knowledge base. st is closed when the benchmark ends.
func BenchSearchEach(b *testing.B, st kb.Store, ingest bool) {
	b.Helper()
	b.Cleanup(func() { _ = st.Close() })
	h, err := embed.NewHashed(0)
	if err != nil {
		b.Fatal(err)
	}
	// Cached, as heard builds it.
	c, err := embed.NewCached(h, 0)
	if err != nil {
		b.Fatal(err)
	}
	k, err := kb.New(kb.Config{Store: st, Embedder: c})
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	if ingest {
		for _, name := range []string{"helpdesk", "other"} {
			if _, err := k.Sync(ctx, Source(name, Articles[name]...), kb.SyncOptions{}); err != nil {
				b.Fatalf("sync %s: %v", name, err)
			}
		}
	}
	qs := make([]kb.Query, len(draftTexts))
	for i, t := range draftTexts {
		qs[i] = kb.Query{Text: t, Locale: "en-us", K: 3, AnyLocale: true}
	}
	found := 0
	b.ResetTimer()
	for b.Loop() {
		out, err := k.SearchEach(ctx, qs)
		if err != nil {
			b.Fatal(err)
		}
		for _, ms := range out {
			found += len(ms)
		}
	}
	if ingest && found == 0 {
		b.Fatal("the searches found nothing in the fixture: the benchmark measures no ranking")
	}
}
