package kbtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/sdk"
)

// OpenFunc returns a fresh, empty store for one test; the suite closes
// it.
type OpenFunc func(t *testing.T) kb.Store

// Articles is the suite's knowledge base: a few help-center articles in
// two sources and three locales.
var Articles = map[string][]kb.Article{
	"helpdesk": {
		{ID: "pw-reset", Title: "Reset your password", URL: "https://help.example/pw-reset", Locale: "en-us", Section: "Account", Format: kb.FormatMarkdown,
			Body: "If you forgot your password, click **Forgot password** on the sign-in page and follow the link we email you.\n\n## The reset email did not arrive\n\nCheck your spam folder. Reset links expire after one hour; request a new one if yours has expired."},
		{ID: "export", Title: "Export invoices to CSV", URL: "https://help.example/export", Locale: "en-us", Section: "Billing", Format: kb.FormatHTML,
			Body: "<p>Go to <b>Invoices</b>, pick a date range and click <a href=\"/x\">Export</a>.</p><h2>Spreadsheet columns</h2><p>The CSV spreadsheet has one row per invoice: number, client, total and status.</p>"},
		{ID: "sso", Title: "Set up SAML single sign-on", URL: "https://help.example/sso", Locale: "en-gb", Section: "Security", Format: kb.FormatMarkdown,
			Body: "Connect your identity provider (Okta, Azure AD) with SAML 2.0.\n\n## Metadata\n\nPaste the IdP metadata URL and download our certificate.\n\n## Enforce SSO\n\nOnce enforced, members must sign in through the identity provider."},
		{ID: "pw-reset-fr", Title: "Réinitialiser votre mot de passe", URL: "https://help.example/fr/pw-reset", Locale: "fr-fr", Section: "Compte", Format: kb.FormatMarkdown,
			Body: "Vous avez oublié votre mot de passe ? Cliquez sur **Mot de passe oublié** et suivez le lien reçu par e-mail."},
		{ID: "timesheets", Title: "Approve timesheets", URL: "https://help.example/timesheets", Locale: "en-us", Section: "Time", Format: kb.FormatMarkdown,
			Body: longBody()},
	},
	"other": {
		{ID: "refunds", Title: "Refund a customer payment", URL: "https://other.example/refunds", Locale: "en-us", Section: "Payments", Format: kb.FormatText,
			Body: "To refund a payment, open the payment and click Refund. Partial refunds are allowed; the money reaches the card in 5 to 10 days."},
		{ID: "export", Title: "Export payments to CSV", URL: "https://other.example/export", Locale: "en-us", Section: "Payments", Format: kb.FormatText,
			Body: "Download every payment as a CSV spreadsheet from the Payments page."},
	},
}

// longBody is an article long enough to be cut into several chunks.
func longBody() string {
	var b strings.Builder
	b.WriteString("Managers approve the hours their team logged each week.\n\n")
	for i, topic := range []string{"Submitting a week", "Approving and rejecting", "Locking approved weeks", "Reminders for late timesheets"} {
		fmt.Fprintf(&b, "## %s\n\n", topic)
		for j := range 6 {
			fmt.Fprintf(&b, "Step %d.%d of %s: the manager reviews the entries, checks the project codes and the billable flags, and adds a comment when something looks wrong. ", i+1, j+1, strings.ToLower(topic))
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// source is an in-memory kb.Source.
type source struct {
	name     string
	articles []kb.Article
}

func (s source) Name() string { return s.name }

func (s source) List(ctx context.Context, _ time.Time, fn func(kb.Article) error) (bool, error) {
	for _, a := range s.articles {
		if err := fn(a); err != nil {
			return false, err
		}
	}
	return true, ctx.Err()
}

// Source returns an in-memory source with the given articles.
func Source(name string, articles ...kb.Article) kb.Source {
	return source{name: name, articles: articles}
}

// fixture is one test's store and knowledge base.
type fixture struct {
	store kb.Store
	kb    *kb.KB
}

func newFixture(t *testing.T, open OpenFunc, cfg kb.Config) *fixture {
	t.Helper()
	st := open(t)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing store: %v", err)
		}
	})
	if cfg.Embedder == nil {
		h, err := embed.NewHashed(0)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Embedder = h
	}
	cfg.Store = st
	k, err := kb.New(cfg)
	if err != nil {
		t.Fatalf("kb.New: %v", err)
	}
	return &fixture{store: st, kb: k}
}

// ingest syncs every source of Articles.
func (f *fixture) ingest(t *testing.T) {
	t.Helper()
	for _, name := range []string{"helpdesk", "other"} {
		res, err := f.kb.Sync(t.Context(), Source(name, Articles[name]...), kb.SyncOptions{})
		if err != nil {
			t.Fatalf("sync %s: %v", name, err)
		}
		if res.Added != len(Articles[name]) {
			t.Fatalf("sync %s added %d articles, want %d", name, res.Added, len(Articles[name]))
		}
	}
}

func (f *fixture) search(t *testing.T, q kb.Query) []kb.Match {
	t.Helper()
	ms, err := f.kb.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	return ms
}

func ids(ms []kb.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Source + "/" + m.ArticleID
	}
	return out
}

// Run is the conformance suite every kb.Store passes.
func Run(t *testing.T, open OpenFunc) {
	t.Run("ingest and stats", func(t *testing.T) { testIngest(t, open) })
	t.Run("search finds the right article", func(t *testing.T) { testSearch(t, open) })
	t.Run("one match per article, best chunk", func(t *testing.T) { testOnePerArticle(t, open) })
	t.Run("update replaces chunks", func(t *testing.T) { testUpdate(t, open) })
	t.Run("delete", func(t *testing.T) { testDelete(t, open) })
	t.Run("locale filter", func(t *testing.T) { testLocale(t, open) })
	t.Run("source filter", func(t *testing.T) { testSource(t, open) })
	t.Run("threshold hides weak matches", func(t *testing.T) { testThreshold(t, open) })
	t.Run("candidates", func(t *testing.T) { testCandidates(t, open) })
	t.Run("search each is search per query", func(t *testing.T) { testSearchEach(t, open) })
	t.Run("dimension mismatch", func(t *testing.T) { testMismatch(t, open) })
	t.Run("reembed", func(t *testing.T) { testReembed(t, open) })
	t.Run("sync state", func(t *testing.T) { testSyncState(t, open) })
	t.Run("concurrent search and writes", func(t *testing.T) { testConcurrent(t, open) })
}

func testIngest(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	st, err := f.kb.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 7 || len(st.Sources) != 2 {
		t.Errorf("stats: %d articles in %d sources, want 7 in 2", st.Articles, len(st.Sources))
	}
	if st.Chunks < 10 {
		t.Errorf("stats: %d chunks, want at least 10 (the long article is cut into several)", st.Chunks)
	}
	if st.Model != f.kb.Meta().Model || st.Dim != f.kb.Meta().Dim {
		t.Errorf("stats: model %s dim %d, want %+v", st.Model, st.Dim, f.kb.Meta())
	}
	if st.LastSync.IsZero() {
		t.Error("stats: no last sync time")
	}
	hashes, err := f.store.Hashes(t.Context(), "helpdesk")
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 5 || hashes["pw-reset"] == "" {
		t.Errorf("hashes of helpdesk: %v, want 5 with pw-reset", hashes)
	}
	// A second sync changes nothing.
	res, err := f.kb.Sync(t.Context(), Source("helpdesk", Articles["helpdesk"]...), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged != 5 || res.Added+res.Updated+res.Deleted != 0 {
		t.Errorf("second sync: %+v, want 5 unchanged and nothing else", res.Progress)
	}
}

func testSearch(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	cases := []struct {
		name, query, want string
	}{
		{"password", "I forgot my password and the reset email never came", "helpdesk/pw-reset"},
		{"export", "how do I download my invoices as a spreadsheet", "helpdesk/export"},
		{"sso", "configure Okta SAML login", "helpdesk/sso"},
		{"refund", "refund a card payment", "other/refunds"},
		{"deep chunk", "reminders for late timesheets", "helpdesk/timesheets"},
	}
	for _, mode := range []kb.Mode{kb.ModeHybrid, kb.ModeVector, kb.ModeText} {
		for _, tc := range cases {
			t.Run(string(mode)+"/"+tc.name, func(t *testing.T) {
				ms := f.search(t, kb.Query{Text: tc.query, Mode: mode})
				if len(ms) == 0 || ms[0].Source+"/"+ms[0].ArticleID != tc.want {
					t.Fatalf("top match for %q: %v, want %s first", tc.query, ids(ms), tc.want)
				}
				m := ms[0]
				if m.Score <= 0 || m.Score > 1 || m.Snippet == "" || m.URL == "" || m.Title == "" {
					t.Errorf("match %+v: want a score in (0,1], a snippet, a URL and a title", m)
				}
				if len(m.Snippet) > kb.SnippetChars+len("…") {
					t.Errorf("snippet is %d bytes, want at most %d", len(m.Snippet), kb.SnippetChars)
				}
				for i := 1; i < len(ms); i++ {
					if ms[i].Score < 0 || ms[i].Score > 1 {
						t.Errorf("match %d score %v out of [0,1]", i, ms[i].Score)
					}
				}
			})
		}
	}
}

// testSearchEach holds KB.SearchEach to one Search per query: the same
// matches, scores and answer confidences, in the queries' order, whatever
// the mode, locale, source, k and threshold, with an empty query among
// them; and a Query.AnyLocale to a second Search without the locale when
// the first found nothing.
func testSearchEach(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	var qs []kb.Query
	for _, mode := range []kb.Mode{kb.ModeHybrid, kb.ModeVector, kb.ModeText} {
		qs = append(qs,
			kb.Query{Text: "I forgot my password and the reset email never came", Mode: mode},
			kb.Query{Text: "how do I download my invoices as a spreadsheet", Mode: mode, K: 2},
			kb.Query{Text: "mot de passe password oublié forgot", Locale: "fr", K: 10, MinScore: -1, Mode: mode},
			kb.Query{Text: "  ", Mode: mode},
			kb.Query{Text: "refund a card payment", Source: "other", Mode: mode, MinScore: -1},
			kb.Query{Text: "SAML single sign-on", Locale: "de", Mode: mode, MinScore: -1},
			kb.Query{Text: "reminders for late timesheets", Mode: mode, K: 5, MinScore: -1},
			kb.Query{Text: "SAML single sign-on with Okta", Locale: "de", Mode: mode, AnyLocale: true},
			kb.Query{Text: "mot de passe oublié", Locale: "fr", Mode: mode, AnyLocale: true},
		)
	}
	got, err := f.kb.SearchEach(t.Context(), qs)
	if err != nil {
		t.Fatalf("SearchEach: %v", err)
	}
	if len(got) != len(qs) {
		t.Fatalf("SearchEach answered %d of %d queries", len(got), len(qs))
	}
	found, fellBack := 0, 0
	for i, q := range qs {
		// AnyLocale is a second search without the locale when the first
		// found nothing.
		one := q
		one.AnyLocale = false
		want := f.search(t, one)
		if q.AnyLocale && len(want) == 0 {
			one.Locale = ""
			want = f.search(t, one)
			fellBack += len(want)
		}
		found += len(want)
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("query %d %+v: SearchEach found %v, Search %v", i, q, ids(got[i]), ids(want))
		}
		if q.AnyLocale {
			if alone := f.search(t, q); !reflect.DeepEqual(alone, want) {
				t.Errorf("query %d %+v: Search found %v, Search without AnyLocale then in any locale %v", i, q, ids(alone), ids(want))
			}
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the comparison proves nothing")
	}
	if fellBack == 0 {
		t.Fatal("no AnyLocale query searched again in any locale: the comparison proves nothing")
	}
	if ms, err := f.kb.SearchEach(t.Context(), nil); err != nil || len(ms) != 0 {
		t.Errorf("SearchEach(no queries) = %v, %v; want none", ms, err)
	}
	if _, err := f.kb.SearchEach(t.Context(), []kb.Query{{Text: "password"}, {Text: "x", K: kb.MaxK + 1}}); err == nil {
		t.Error("SearchEach with k over MaxK: no error")
	}
}

func testOnePerArticle(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	ms := f.search(t, kb.Query{Text: "locking approved weeks", K: 10, MinScore: -1})
	seen := map[string]bool{}
	for _, id := range ids(ms) {
		if seen[id] {
			t.Fatalf("article %s appears twice in %v", id, ids(ms))
		}
		seen[id] = true
	}
	if len(ms) == 0 || ms[0].ArticleID != "timesheets" {
		t.Fatalf("matches %v, want timesheets first", ids(ms))
	}
	if !strings.Contains(ms[0].Heading, "Locking approved weeks") {
		t.Errorf("best chunk heading %q, want the 'Locking approved weeks' section", ms[0].Heading)
	}
}

func testUpdate(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	before, err := f.kb.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	arts := append([]kb.Article(nil), Articles["helpdesk"]...)
	for i := range arts {
		if arts[i].ID == "timesheets" {
			arts[i].Body = "Timesheets are now approved automatically by the zeppelin workflow."
		}
	}
	res, err := f.kb.Sync(t.Context(), Source("helpdesk", arts...), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || res.Unchanged != 4 || res.Added != 0 || res.Deleted != 0 {
		t.Fatalf("sync after one edit: %+v, want 1 updated and 4 unchanged", res.Progress)
	}
	after, err := f.kb.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if after.Chunks >= before.Chunks || after.Articles != before.Articles {
		t.Errorf("chunks %d → %d, articles %d → %d: want fewer chunks, same articles", before.Chunks, after.Chunks, before.Articles, after.Articles)
	}
	if ms := f.search(t, kb.Query{Text: "zeppelin workflow", Mode: kb.ModeText}); len(ms) == 0 || ms[0].ArticleID != "timesheets" {
		t.Errorf("new text: matches %v, want timesheets", ids(ms))
	}
	if ms := f.search(t, kb.Query{Text: "billable flags project codes", Mode: kb.ModeText, MinScore: -1}); len(ms) != 0 {
		t.Errorf("old text still found: %v", ids(ms))
	}
}

func testDelete(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	var rest []kb.Article
	for _, a := range Articles["helpdesk"] {
		if a.ID != "export" {
			rest = append(rest, a)
		}
	}
	res, err := f.kb.Sync(t.Context(), Source("helpdesk", rest...), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 1 || res.Unchanged != 4 {
		t.Fatalf("sync without export: %+v, want 1 deleted and 4 unchanged", res.Progress)
	}
	ms := f.search(t, kb.Query{Text: "export invoices spreadsheet", K: 10, MinScore: -1})
	for _, id := range ids(ms) {
		if id == "helpdesk/export" {
			t.Fatalf("deleted article still found: %v", ids(ms))
		}
	}
	if len(ms) == 0 || ids(ms)[0] != "other/export" {
		t.Errorf("matches %v, want the other source's export article first", ids(ms))
	}
	if err := f.store.Delete(t.Context(), "helpdesk", "no-such-article"); err != nil {
		t.Errorf("deleting a missing article: %v, want nil", err)
	}
}

func testLocale(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	cases := []struct {
		locale string
		want   string // first match
		banned string // must not appear
	}{
		{"fr", "helpdesk/pw-reset-fr", "helpdesk/pw-reset"},
		{"FR_ca", "helpdesk/pw-reset-fr", "helpdesk/pw-reset"},
		{"en", "helpdesk/pw-reset", "helpdesk/pw-reset-fr"},
		{"en-GB", "helpdesk/pw-reset", "helpdesk/pw-reset-fr"},
	}
	for _, tc := range cases {
		t.Run(tc.locale, func(t *testing.T) {
			ms := f.search(t, kb.Query{Text: "mot de passe password oublié forgot", Locale: tc.locale, K: 10, MinScore: -1})
			got := ids(ms)
			if len(got) == 0 || got[0] != tc.want {
				t.Fatalf("locale %s: %v, want %s first", tc.locale, got, tc.want)
			}
			for _, id := range got {
				if id == tc.banned {
					t.Errorf("locale %s: %v includes %s", tc.locale, got, tc.banned)
				}
			}
		})
	}
	if ms := f.search(t, kb.Query{Text: "SAML single sign-on", Locale: "en-us"}); len(ms) == 0 || ms[0].ArticleID != "sso" {
		t.Errorf("en-us query finds en-gb article: got %v, want sso", ids(ms))
	}
	if ms := f.search(t, kb.Query{Text: "SAML single sign-on", Locale: "de", MinScore: -1}); len(ms) != 0 {
		t.Errorf("de query: %v, want none (no German articles)", ids(ms))
	}
}

func testSource(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	for _, src := range []string{"helpdesk", "other"} {
		ms := f.search(t, kb.Query{Text: "export CSV spreadsheet", Source: src, K: 10, MinScore: -1})
		if len(ms) == 0 || ms[0].ArticleID != "export" || ms[0].Source != src {
			t.Fatalf("source %s: %v, want %s/export first", src, ids(ms), src)
		}
		for _, m := range ms {
			if m.Source != src {
				t.Errorf("source %s: got a match from %s", src, m.Source)
			}
		}
	}
}

func testThreshold(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	q := kb.Query{Text: "what is the best sourdough bread recipe for a wood oven", K: 10}
	if ms := f.search(t, q); len(ms) != 0 {
		t.Errorf("off-topic query: %v (scores %v), want nothing above the threshold", ids(ms), scores(ms))
	}
	q.MinScore = -1
	all := f.search(t, q)
	if len(all) == 0 {
		t.Fatal("off-topic query without threshold: nothing at all; the threshold test proves nothing")
	}
	for _, m := range all {
		if m.Score >= kb.DefaultMinScore {
			t.Errorf("off-topic match %s scores %v, at or above the default threshold %v", m.ArticleID, m.Score, kb.DefaultMinScore)
		}
	}
	// A strict KB-wide threshold hides even good matches.
	strict := newFixture(t, open, kb.Config{MinScore: 0.99})
	strict.ingest(t)
	if ms := strict.search(t, kb.Query{Text: "refund a card payment in euros"}); len(ms) != 0 {
		t.Errorf("threshold 0.99: %v (scores %v), want none", ids(ms), scores(ms))
	}
}

func scores(ms []kb.Match) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = m.Score
	}
	return out
}

func testCandidates(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	h, _ := embed.NewHashed(0)
	text := "refund a card payment"
	vs, err := h.Embed(t.Context(), []string{text})
	if err != nil {
		t.Fatal(err)
	}
	want, err := h.Embed(t.Context(), []string{kb.EmbedText("Refund a customer payment", "", Articles["other"][0].Body)})
	if err != nil {
		t.Fatal(err)
	}
	vec, txt, err := f.store.Candidates(t.Context(), kb.CandidateQuery{Vector: vs[0], Terms: []string{"refund", "card"}, VectorK: 3, TextK: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(vec) != 3 {
		t.Fatalf("vector list has %d hits, want 3", len(vec))
	}
	for i := 1; i < len(vec); i++ {
		if vec[i].Similarity > vec[i-1].Similarity+1e-6 {
			t.Errorf("vector list not ordered by similarity: %v then %v", vec[i-1].Similarity, vec[i].Similarity)
		}
	}
	if vec[0].ArticleID != "refunds" {
		t.Fatalf("best vector hit %s/%s, want other/refunds", vec[0].Source, vec[0].ArticleID)
	}
	if got, exp := vec[0].Similarity, float64(embed.Dot(vs[0], want[0])); math.Abs(got-exp) > 1e-4 {
		t.Errorf("similarity %v, want the cosine %v", got, exp)
	}
	if len(txt) == 0 || txt[0].ArticleID != "refunds" {
		t.Fatalf("text list %v, want refunds first", txt)
	}
	if math.Abs(txt[0].Similarity-vec[0].Similarity) > 1e-4 {
		t.Errorf("text hit similarity %v, want the same cosine as the vector hit %v", txt[0].Similarity, vec[0].Similarity)
	}
	if txt[0].Title == "" || txt[0].URL == "" || txt[0].Text == "" || txt[0].Locale != "en-us" {
		t.Errorf("text hit lacks metadata: %+v", txt[0])
	}
	_, none, err := f.store.Candidates(t.Context(), kb.CandidateQuery{Vector: vs[0], Terms: []string{"zzzunknownzzz"}, TextK: 5})
	if err != nil || len(none) != 0 {
		t.Errorf("unknown term: %v, %v; want no hits", none, err)
	}
}

// otherEmbedder is a hashed embedder of another dimension.
func otherEmbedder(t *testing.T) embed.Embedder {
	t.Helper()
	h, err := embed.NewHashed(128)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func testMismatch(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	other, err := kb.New(kb.Config{Store: f.store, Embedder: otherEmbedder(t)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = other.Search(t.Context(), kb.Query{Text: "password"})
	var mm *kb.MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("search with a 128-dim embedder on a 384-dim store: %v, want *kb.MismatchError", err)
	}
	if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "heard kb ingest --reembed") {
		t.Errorf("error %q: want sdk.ErrInvalid and the re-embed command", err)
	}
	if mm.Have.Dim != 384 || mm.Want.Dim != 128 {
		t.Errorf("mismatch %+v, want have 384 want 128", mm)
	}
	if _, err := other.Sync(t.Context(), Source("helpdesk", Articles["helpdesk"]...), kb.SyncOptions{}); !errors.As(err, &mm) {
		t.Errorf("sync with the other embedder: %v, want *kb.MismatchError", err)
	}
	// The store is unchanged and still works with its own embedder.
	if ms := f.search(t, kb.Query{Text: "refund a card payment"}); len(ms) == 0 {
		t.Error("after the refused mismatch, the original KB finds nothing")
	}
	// An empty store takes any embedder.
	empty := newFixture(t, open, kb.Config{Embedder: otherEmbedder(t)})
	if err := empty.kb.Check(t.Context()); err != nil {
		t.Errorf("empty store with a 128-dim embedder: %v", err)
	}
}

func testReembed(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	before, _ := f.kb.Stats(t.Context())
	other, err := kb.New(kb.Config{Store: f.store, Embedder: otherEmbedder(t)})
	if err != nil {
		t.Fatal(err)
	}
	var calls, last int
	if err := other.Reembed(t.Context(), func(done, total int) { calls++; last = total }); err != nil {
		t.Fatalf("reembed: %v", err)
	}
	after, err := other.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if after.Dim != 128 || after.Model != otherEmbedder(t).Model() || after.Chunks != before.Chunks {
		t.Errorf("after reembed: model %s dim %d chunks %d; want %s 128 %d", after.Model, after.Dim, after.Chunks, otherEmbedder(t).Model(), before.Chunks)
	}
	if calls == 0 || last != before.Chunks {
		t.Errorf("progress: %d calls, total %d; want calls and total %d", calls, last, before.Chunks)
	}
	if ms, err := other.Search(t.Context(), kb.Query{Text: "refund a card payment"}); err != nil || len(ms) == 0 || ms[0].ArticleID != "refunds" {
		t.Errorf("search after reembed: %v, %v; want refunds", ids(ms), err)
	}
	// The old embedder is now the mismatch.
	stale, err := kb.New(kb.Config{Store: f.store, Embedder: mustHashed(t, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var mm *kb.MismatchError
	if _, err := stale.Search(t.Context(), kb.Query{Text: "refund"}); !errors.As(err, &mm) {
		t.Errorf("old embedder after reembed: %v, want *kb.MismatchError", err)
	}
	// A failing embedder leaves the store as it was.
	failing, err := kb.New(kb.Config{Store: f.store, Embedder: failEmbedder{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := failing.Reembed(t.Context(), nil); err == nil {
		t.Fatal("reembed with a failing embedder: no error")
	}
	if m, err := f.store.Meta(t.Context()); err != nil || m.Dim != 128 {
		t.Errorf("after a failed reembed: meta %+v, %v; want dim 128 kept", m, err)
	}
}

func mustHashed(t *testing.T, dim int) embed.Embedder {
	t.Helper()
	h, err := embed.NewHashed(dim)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// failEmbedder fails every call.
type failEmbedder struct{}

func (failEmbedder) Model() string { return "fail" }
func (failEmbedder) Dim() int      { return 64 }
func (failEmbedder) Embed(context.Context, []string) ([][]float32, error) {
	return nil, fmt.Errorf("embedding endpoint down: %w", sdk.ErrUnavailable)
}

func testSyncState(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	ctx := t.Context()
	if st, err := f.store.SyncState(ctx, "nowhere"); err != nil || !st.LastSync.IsZero() {
		t.Fatalf("unknown source: %+v, %v; want zero", st, err)
	}
	want := kb.SyncState{LastSync: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), LastFull: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	if err := f.store.SetSyncState(ctx, "zendesk", want); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.SyncState(ctx, "zendesk")
	if err != nil || !got.LastSync.Equal(want.LastSync) || !got.LastFull.Equal(want.LastFull) {
		t.Errorf("sync state: %+v, %v; want %+v", got, err, want)
	}
}

func testConcurrent(t *testing.T, open OpenFunc) {
	f := newFixture(t, open, kb.Config{})
	f.ingest(t)
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Go(func() {
			for i := range 10 {
				ms, err := f.kb.Search(ctx, kb.Query{Text: "reset password email"})
				if err != nil {
					errs <- err
					return
				}
				if len(ms) == 0 || ms[0].ArticleID != "pw-reset" {
					errs <- fmt.Errorf("worker %d search %d: %v", w, i, ids(ms))
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 5 {
			a := Articles["other"][0]
			a.Body += fmt.Sprintf(" Revision %d.", i)
			if _, err := f.kb.Sync(ctx, Source("other", a, Articles["other"][1]), kb.SyncOptions{}); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
