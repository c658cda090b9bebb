package solved_test

import (
	"fmt"
	"testing"

	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/kb/solved"
)

// BenchmarkSimilar is the solved-ticket search a draft runs for one
// ticket (k 4: the three shown and the ticket itself), over 500 solved
// tickets of one connector, in each index.
func BenchmarkSimilar(b *testing.B) {
	opens := map[string]func(b *testing.B) solved.Index{
		"sqlite": func(b *testing.B) solved.Index {
			b.Helper()
			hs, err := sqlite.Open(b.Context(), b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = hs.Close() })
			ix, err := solved.NewSQLite(b.Context(), hs.DB(), dim)
			if err != nil {
				b.Fatal(err)
			}
			return ix
		},
		"postgres": func(b *testing.B) solved.Index {
			b.Helper()
			ix, err := solved.OpenPostgres(b.Context(), storetest.PostgresURL(b), dim, solved.PostgresOptions{})
			if err != nil {
				b.Fatal(err)
			}
			return ix
		},
	}
	subjects := []string{"Cannot reset my password", "Refund for double charge", "Export invoices to CSV", "SSO login fails with Okta", "Invite a teammate"}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			ix := opens[name](b)
			b.Cleanup(func() { _ = ix.Close() })
			ctx := b.Context()
			for i := range 500 {
				t := solved.Ticket{Connector: "acme", ID: fmt.Sprint(i), Subject: subjects[i%len(subjects)],
					Text: fmt.Sprintf("Ticket %d: %s, please help, case number %d.", i, subjects[(i/5)%len(subjects)], i*7), Priority: "normal",
					Tags: []string{"t"}, Reply: "Done.", SolvedAt: solvedAt}
				vs, err := embedder.Embed(ctx, []string{solved.EmbedText(t.Subject, t.Text)})
				if err != nil {
					b.Fatal(err)
				}
				t.Vector = vs[0]
				if err := ix.Upsert(ctx, t); err != nil {
					b.Fatal(err)
				}
			}
			text := solved.EmbedText("Password reset email never arrived", "I clicked forgot password twice. Where is the reset email?")
			vs, err := embedder.Embed(ctx, []string{text})
			if err != nil {
				b.Fatal(err)
			}
			found := 0
			b.ResetTimer()
			for b.Loop() {
				ms, err := ix.Similar(ctx, "acme", vs[0], text, 4)
				if err != nil {
					b.Fatal(err)
				}
				found += len(ms)
			}
			if found == 0 {
				b.Fatal("found nothing: the benchmark measures no ranking")
			}
		})
	}
}
