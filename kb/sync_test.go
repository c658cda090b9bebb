package kb_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
	"github.com/heardhq/heard/sandbox"
	sbzendesk "github.com/heardhq/heard/sandbox/zendesk"
	"github.com/heardhq/heard/sdk"
)

// helpCenter is a sandbox Zendesk account and a connector to it.
type helpCenter struct {
	desk *sbzendesk.Desk
	acct sandbox.Account
	conn sdk.Connector
}

// newHelpCenter starts a fresh sandbox with one Zendesk account and
// builds the zendesk connector against it through the registry, as heard
// does. The sandbox's ids are deterministic, so two help centers filled in
// the same order give their articles the same ids: that is how these tests
// "edit" and "delete" articles (the sandbox desk has no such methods).
func newHelpCenter(t *testing.T) *helpCenter {
	t.Helper()
	sb := sandbox.New(nil)
	desk := sbzendesk.New(sb)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, v := range sb.Violations() {
			t.Errorf("sandbox recorded a contract violation: %s", v)
		}
	})
	acct := sandbox.Account{Name: "acme", Email: "heard@acme.example", APIToken: "tok-kb", Webhook: sandbox.Webhook{Secret: "whsec-kb"}}
	if err := desk.AddAccount(acct); err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	cfg := zendesk.Config{
		Subdomain: acct.Name, Email: acct.Email, APIToken: sdk.Secret(acct.APIToken), WebhookSecret: sdk.Secret(acct.Webhook.Secret),
		BaseURL:   desk.BaseURL(srv.URL, acct.Name),
		RateLimit: vendorapi.Config{RatePerMinute: 60000, Burst: 100, RetryBase: 20 * time.Millisecond, Timeout: 5 * time.Second, BreakerFailures: 50},
	}
	spec := connectors.Spec{Name: "acme-zendesk", Decode: func(v any) error {
		p, ok := v.(*zendesk.Config)
		if !ok {
			return fmt.Errorf("decode into %T", v)
		}
		*p = cfg
		return nil
	}}
	conn, err := connectors.Default.New(zendesk.Type, spec, connectors.Deps{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("building connector: %v", err)
	}
	return &helpCenter{desk: desk, acct: acct, conn: conn}
}

func (h *helpCenter) add(t *testing.T, a sandbox.Article) string {
	t.Helper()
	id, err := h.desk.AddArticle(h.acct.Name, a)
	if err != nil {
		t.Fatalf("AddArticle: %v", err)
	}
	return id
}

func (h *helpCenter) source(t *testing.T) kb.Source {
	t.Helper()
	l, ok := h.conn.(sdk.ArticleLister)
	if !ok {
		t.Fatalf("%T does not list articles", h.conn)
	}
	return kb.FromLister("acme-zendesk", l)
}

var (
	articleA = sandbox.Article{Title: "Reset your password", Section: "Account", Locale: "en-us",
		Body: "<p>Click <b>Forgot password</b> on the sign-in page.</p><h2>No email?</h2><p>Check the spam folder.</p>"}
	articleB = sandbox.Article{Title: "Export invoices", Section: "Account", Locale: "en-us",
		Body: "<p>Open Invoices and click Export to download a CSV file.</p>"}
	articleC = sandbox.Article{Title: "Cancel your subscription", Section: "Account", Locale: "en-us",
		Body: "<p>Go to Billing and click Cancel plan.</p>"}
	articleB2 = sandbox.Article{Title: "Export invoices", Section: "Account", Locale: "en-us",
		Body: "<p>Open Invoices and click Export. Choose CSV or a ZIP of PDF files.</p>"}
	articleD = sandbox.Article{Title: "Connect QuickBooks", Section: "Integrations", Locale: "en-us",
		Body: "<p>Settings → Integrations → QuickBooks Online → Connect.</p>"}
)

func newLocalKB(t *testing.T, cfg kb.Config) *kb.KB {
	t.Helper()
	st, err := kbsqlite.Open(t.Context(), filepath.Join(t.TempDir(), "kb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
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
		t.Fatal(err)
	}
	return k
}

func counts(p kb.Progress) [5]int {
	return [5]int{p.Added, p.Updated, p.Unchanged, p.Deleted, p.Skipped}
}

func TestSyncSandbox(t *testing.T) {
	ctx := t.Context()
	k := newLocalKB(t, kb.Config{})

	first := newHelpCenter(t)
	idA := first.add(t, articleA)
	idB := first.add(t, articleB)
	idC := first.add(t, articleC)
	var progress []kb.Progress
	res, err := k.Sync(ctx, first.source(t), kb.SyncOptions{Progress: func(p kb.Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatalf("first sync: %v", err)
	}
	if got, want := counts(res.Progress), [5]int{3, 0, 0, 0, 0}; got != want || !res.Full {
		t.Fatalf("first sync: added, updated, unchanged, deleted, skipped = %v, full %v; want %v, full", got, res.Full, want)
	}
	if len(progress) == 0 || !progress[len(progress)-1].Done {
		t.Errorf("progress: %v; want a final report with Done", progress)
	}
	ms, err := k.Search(ctx, kb.Query{Text: "cancel my subscription"})
	if err != nil || len(ms) == 0 || ms[0].ArticleID != idC || ms[0].Source != "acme-zendesk" {
		t.Fatalf("search after first sync: %+v, %v; want article %s from acme-zendesk", ms, err, idC)
	}
	if ms[0].URL == "" {
		t.Errorf("match has no URL: %+v", ms[0])
	}

	// Nothing changed: the incremental listing finds the same articles.
	res, err = k.Sync(ctx, first.source(t), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(res.Progress), [5]int{0, 0, 3, 0, 0}; got != want || res.Full {
		t.Fatalf("second sync: %v, full %v; want %v, incremental", got, res.Full, want)
	}

	// The help center changes: B is edited, C deleted, D added, E a draft.
	second := newHelpCenter(t)
	if id := second.add(t, articleA); id != idA {
		t.Fatalf("sandbox ids are not deterministic: A is %s, was %s", id, idA)
	}
	if id := second.add(t, articleB2); id != idB {
		t.Fatalf("B is %s, was %s", id, idB)
	}
	idD := second.add(t, articleD)
	second.add(t, sandbox.Article{Title: "Unpublished", Section: "Account", Body: "<p>Draft.</p>", Draft: true})

	// Incremental: sees the edit and the new article, cannot see the deletion.
	res, err = k.Sync(ctx, second.source(t), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(res.Progress), [5]int{1, 1, 1, 0, 1}; got != want || res.Full {
		t.Fatalf("incremental sync after changes: %v, full %v; want %v, incremental", got, res.Full, want)
	}
	// Full: the deletion too.
	res, err = k.Sync(ctx, second.source(t), kb.SyncOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(res.Progress), [5]int{0, 0, 3, 1, 1}; got != want || !res.Full {
		t.Fatalf("full sync after changes: %v, full %v; want %v, full", got, res.Full, want)
	}
	st, err := k.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 3 {
		t.Errorf("articles after sync: %d, want 3 (A, B, D)", st.Articles)
	}
	for _, tc := range []struct{ query, want string }{
		{"export invoices as a zip of PDF files", idB},
		{"connect quickbooks online", idD},
	} {
		ms, err := k.Search(ctx, kb.Query{Text: tc.query})
		if err != nil || len(ms) == 0 || ms[0].ArticleID != tc.want {
			t.Errorf("search %q: %+v, %v; want %s first", tc.query, ms, err, tc.want)
		}
	}
	ms, err = k.Search(ctx, kb.Query{Text: "cancel my subscription plan", K: 10, MinScore: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ArticleID == idC {
			t.Errorf("deleted article %s still found", idC)
		}
	}
}

// TestSyncFullEvery checks that a source is listed completely again once
// FullSyncEvery has passed since its last full listing.
func TestSyncFullEvery(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	k := newLocalKB(t, kb.Config{FullSyncEvery: time.Hour, Now: func() time.Time { return now }})
	src := &fakeSource{name: "fake", articles: []kb.Article{{ID: "1", Title: "One", Body: "<p>first</p>"}}}
	steps := []struct {
		advance   time.Duration
		wantSince time.Time // zero: a full listing
	}{
		{0, time.Time{}},
		{10 * time.Minute, now.Add(-5 * time.Minute)},
		{2 * time.Hour, time.Time{}},
	}
	for i, s := range steps {
		last := now
		now = now.Add(s.advance)
		if _, err := k.Sync(t.Context(), src, kb.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		if !src.since.Equal(s.wantSince) {
			t.Errorf("sync %d (%s after the previous at %s): asked since %v, want %v", i, s.advance, last.Format(time.Kitchen), src.since, s.wantSince)
		}
	}
}

// fakeSource lists fixed articles and records what it was asked.
type fakeSource struct {
	name     string
	articles []kb.Article
	since    time.Time
	err      error
}

func (f *fakeSource) Name() string { return f.name }

func (f *fakeSource) List(_ context.Context, since time.Time, fn func(kb.Article) error) (bool, error) {
	f.since = since
	for _, a := range f.articles {
		if err := fn(a); err != nil {
			return false, err
		}
	}
	return since.IsZero(), f.err
}

func TestSyncErrors(t *testing.T) {
	ctx := t.Context()
	k := newLocalKB(t, kb.Config{})
	boom := errors.New("vendor down")
	src := &fakeSource{name: "fake", articles: []kb.Article{{ID: "1", Title: "One", Body: "<p>first</p>"}}, err: boom}
	if _, err := k.Sync(ctx, src, kb.SyncOptions{}); !errors.Is(err, boom) {
		t.Fatalf("listing error: %v, want it wrapped", err)
	}
	if st, err := k.Stats(ctx); err != nil || !st.LastSync.IsZero() {
		t.Errorf("a failed sync recorded a sync time: %+v, %v", st, err)
	}
	if _, err := k.Sync(ctx, &fakeSource{name: "bad name!"}, kb.SyncOptions{}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("bad source name: %v, want sdk.ErrInvalid", err)
	}
	// Two articles with the same id in one listing: the first wins.
	dup := &fakeSource{name: "dup", articles: []kb.Article{{ID: "1", Title: "One", Body: "a"}, {ID: "1", Title: "Uno", Body: "b"}}}
	res, err := k.Sync(ctx, dup, kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Skipped != 1 {
		t.Errorf("duplicate ids: %+v, want 1 added and 1 skipped", res.Progress)
	}
}

// TestSyncDir syncs a local folder, then removes a file.
func TestSyncDir(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), "---\nid: a\ntitle: Alpha\nurl: https://x.example/a\nlocale: en\n---\n# Alpha\n\nAlpha body about exporting reports.\n")
	write(t, filepath.Join(dir, "sub", "b.html"), "<h1>Bravo</h1><p>Bravo body about invoices.</p>")
	write(t, filepath.Join(dir, "_draft.md"), "# ignored")
	k := newLocalKB(t, kb.Config{})
	res, err := k.Sync(ctx, kb.FromDir("docs", dir), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 {
		t.Fatalf("added %d, want 2", res.Added)
	}
	ms, err := k.Search(ctx, kb.Query{Text: "bravo invoices"})
	if err != nil || len(ms) == 0 || ms[0].ArticleID != "sub/b" || ms[0].Title != "Bravo" {
		t.Fatalf("search: %+v, %v; want sub/b titled Bravo (id from the path, title from the heading)", ms, err)
	}
	removeFile(t, filepath.Join(dir, "a.md"))
	res, err = k.Sync(ctx, kb.FromDir("docs", dir), kb.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 1 || res.Unchanged != 1 {
		t.Errorf("after removing a.md: %+v, want 1 deleted and 1 unchanged", res.Progress)
	}
	if _, err := k.Sync(ctx, kb.FromDir("docs", filepath.Join(dir, "missing")), kb.SyncOptions{}); err == nil {
		t.Error("missing folder: no error")
	}
}
