package main

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/kbtest"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
)

// oneByOne is draftSearch as it was before kb.SearchEach: one Search per
// query, each retried in any locale when it found nothing in locale, the
// lists fused as draftSearch fuses them. The test holds draftSearch's one
// batched search to its answers.
func oneByOne(k *kb.KB) func(ctx context.Context, text, locale string) ([]draft.Article, error) {
	return func(ctx context.Context, text, locale string) ([]draft.Article, error) {
		var results [][]kb.Match
		for _, q := range searchQueries(text) {
			ms, err := k.Search(ctx, kb.Query{Text: q, Locale: locale, K: 3})
			if err == nil && len(ms) == 0 && locale != "" {
				ms, err = k.Search(ctx, kb.Query{Text: q, K: 3})
			}
			if err != nil {
				return nil, err
			}
			results = append(results, ms)
		}
		return fuseArticles(results), nil
	}
}

func TestDraftSearchFindsWhatOneSearchPerQueryFound(t *testing.T) {
	ctx := t.Context()
	st, err := kbsqlite.Open(ctx, filepath.Join(t.TempDir(), "kb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	emb, err := embed.NewHashed(0)
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.New(kb.Config{Store: st, Embedder: emb, MinScore: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"helpdesk", "other"} {
		if _, err := k.Sync(ctx, kbtest.Source(name, kbtest.Articles[name]...), kb.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	texts := []string{
		"Password reset\nI forgot my password and the reset email never came. How do I reset my password?",
		"Invoices\nWe signed up last week. How do I download my invoices as a spreadsheet?",
		"mot de passe oublié\nJ'ai oublié mon mot de passe. Comment le réinitialiser?",
		"Okta\nconfigure Okta SAML login",
		"refund a card payment",
		"Timesheets\nOur team forgets timesheets. Can you send reminders for late timesheets?",
		"zzz qqq\nnothing here matches anything",
	}
	got, want := draftSearch(k), oneByOne(k)
	found := 0
	for _, text := range texts {
		for _, locale := range []string{"", "en", "fr", "de"} {
			g, err := got(ctx, text, locale, "")
			if err != nil {
				t.Fatal(err)
			}
			w, err := want(ctx, text, locale)
			if err != nil {
				t.Fatal(err)
			}
			found += len(w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("draftSearch(%q, %q) = %+v; one search per query found %+v", text, locale, g, w)
			}
		}
	}
	if found == 0 {
		t.Fatal("nothing found: the comparison proves nothing")
	}
}
