package solved_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/solved"
	"github.com/heardhq/heard/sdk"
)

const dim = 256

// opener returns a fresh, empty index of dim dimensions and a function
// opening another index of any dimension on the same database.
type opener func(t *testing.T) (solved.Index, func(dim int) solved.Index)

func openSQLite(t *testing.T) (solved.Index, func(int) solved.Index) {
	hs, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("opening heard's store: %v", err)
	}
	t.Cleanup(func() { _ = hs.Close() })
	another := func(d int) solved.Index {
		ix, err := solved.NewSQLite(t.Context(), hs.DB(), d)
		if err != nil {
			t.Fatalf("NewSQLite: %v", err)
		}
		t.Cleanup(func() { _ = ix.Close() })
		return ix
	}
	return another(dim), another
}

func openPostgres(t *testing.T) (solved.Index, func(int) solved.Index) {
	url := storetest.PostgresURL(t)
	another := func(d int) solved.Index {
		ix, err := solved.OpenPostgres(t.Context(), url, d, solved.PostgresOptions{})
		if err != nil {
			t.Fatalf("OpenPostgres: %v", err)
		}
		t.Cleanup(func() { _ = ix.Close() })
		return ix
	}
	return another(dim), another
}

func TestConformance(t *testing.T) {
	for name, open := range map[string]opener{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) {
			t.Run("upsert_and_similar", func(t *testing.T) { testSimilar(t, open) })
			t.Run("hybrid_text_breaks_vector_ties", func(t *testing.T) { testHybrid(t, open) })
			t.Run("invalid_input", func(t *testing.T) { testInvalid(t, open) })
			t.Run("other_dimension_is_ignored", func(t *testing.T) { testOtherDim(t, open) })
			t.Run("connector_filter_fills_k", func(t *testing.T) { testFilterFills(t, open) })
			t.Run("list_since", func(t *testing.T) { testList(t, open) })
		})
	}
}

var embedder = func() *embed.Hashed {
	h, err := embed.NewHashed(dim)
	if err != nil {
		panic(err)
	}
	return h
}()

func vec(t *testing.T, text string) []float32 {
	t.Helper()
	vs, err := embedder.Embed(t.Context(), []string{text})
	if err != nil {
		t.Fatalf("embedding: %v", err)
	}
	return vs[0]
}

var solvedAt = time.Date(2026, 5, 4, 10, 30, 0, 0, time.UTC)

// fixture is a few solved tickets on two connectors.
func fixture(t *testing.T) []solved.Ticket {
	t.Helper()
	ts := []solved.Ticket{
		{Connector: "acme", ID: "101", Subject: "Cannot reset my password", Text: "The password reset email never arrives, I checked spam.",
			Priority: "high", Tags: []string{"login", "email"}, Reply: "We resent the reset link; it expires after one hour.", URL: "https://acme.example/tickets/101"},
		{Connector: "acme", ID: "102", Subject: "Refund for double charge", Text: "My card was charged twice for the March invoice, please refund one.",
			Priority: "normal", Tags: []string{"billing", "refund"}, Reply: "We refunded the duplicate charge.", URL: "https://acme.example/tickets/102"},
		{Connector: "acme", ID: "103", Subject: "Export invoices to CSV", Text: "How do I export all invoices to a spreadsheet?",
			Priority: "low", Tags: []string{"billing", "export"}, Reply: "Invoices > Export, pick a date range.", URL: "https://acme.example/tickets/103"},
		{Connector: "acme", ID: "104", Subject: "SSO login fails with Okta", Text: "SAML single sign-on through Okta returns an error after login.",
			Priority: "urgent", Tags: []string{"sso"}, Reply: "Your IdP certificate expired; upload the new one.", URL: "https://acme.example/tickets/104"},
		{Connector: "globex", ID: "201", Subject: "Password reset link expired", Text: "The reset email link says it expired.",
			Priority: "normal", Tags: nil, Reply: "Here is a fresh reset link.", URL: "https://globex.example/201"},
	}
	for i := range ts {
		ts[i].SolvedAt = solvedAt.Add(time.Duration(i) * time.Hour)
		ts[i].Vector = vec(t, solved.EmbedText(ts[i].Subject, ts[i].Text))
	}
	return ts
}

func upsertAll(t *testing.T, ix solved.Index, ts []solved.Ticket) {
	t.Helper()
	for _, tk := range ts {
		if err := ix.Upsert(t.Context(), tk); err != nil {
			t.Fatalf("Upsert %s/%s: %v", tk.Connector, tk.ID, err)
		}
	}
}

func ids(ms []solved.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Connector + "/" + m.ID
	}
	return out
}

func similar(t *testing.T, ix solved.Index, connector, text string, k int) []solved.Match {
	t.Helper()
	ms, err := ix.Similar(t.Context(), connector, vec(t, text), text, k)
	if err != nil {
		t.Fatalf("Similar(%q): %v", text, err)
	}
	for i, m := range ms {
		if m.Score < 0 || m.Score > 1 || (i > 0 && m.Score > ms[i-1].Score) {
			t.Errorf("Similar(%q) scores %v: want within [0, 1], best first", text, ids(ms))
		}
		if m.Vector != nil {
			t.Errorf("match %s carries its vector", m.ID)
		}
	}
	return ms
}

func testSimilar(t *testing.T, open opener) {
	ix, _ := open(t)
	ctx := t.Context()
	if n, err := ix.Count(ctx, ""); err != nil || n != 0 {
		t.Fatalf("Count on an empty index = %d, %v; want 0", n, err)
	}
	if ms := similar(t, ix, "", "password reset", 3); len(ms) != 0 {
		t.Fatalf("Similar on an empty index = %v; want none", ids(ms))
	}
	ts := fixture(t)
	upsertAll(t, ix, ts)
	upsertAll(t, ix, ts) // idempotent
	for _, tc := range []struct {
		connector string
		want      int
	}{{"", 5}, {"acme", 4}, {"globex", 1}, {"initech", 0}} {
		if n, err := ix.Count(ctx, tc.connector); err != nil || n != tc.want {
			t.Errorf("Count(%q) = %d, %v; want %d", tc.connector, n, err, tc.want)
		}
	}

	cases := []struct {
		name, connector, query string
		k                      int
		wantFirst              string
		wantLen                int
	}{
		{"password on acme", "acme", "I never get the password reset email", 3, "acme/101", 3},
		{"password anywhere", "", "password reset link", 2, "", 2},
		{"refund", "acme", "charged twice, need a refund", 1, "acme/102", 1},
		{"sso", "acme", "Okta SAML login error", 2, "acme/104", 2},
		{"globex only", "globex", "refund a double charge", 5, "globex/201", 1},
		{"default k", "", "invoice", 0, "", 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ms := similar(t, ix, tc.connector, tc.query, tc.k)
			if len(ms) != tc.wantLen {
				t.Fatalf("Similar = %v; want %d matches", ids(ms), tc.wantLen)
			}
			if tc.wantFirst != "" && ids(ms)[0] != tc.wantFirst {
				t.Errorf("Similar = %v; want %s first", ids(ms), tc.wantFirst)
			}
			for _, m := range ms {
				if tc.connector != "" && m.Connector != tc.connector {
					t.Errorf("match %s/%s outside connector %s", m.Connector, m.ID, tc.connector)
				}
			}
		})
	}
	both := ids(similar(t, ix, "", "password reset link", 2))
	slices.Sort(both)
	if fmt.Sprint(both) != "[acme/101 globex/201]" {
		t.Errorf("password tickets across connectors = %v; want acme/101 and globex/201", both)
	}

	// Every field comes back as stored.
	m := similar(t, ix, "acme", "I never get the password reset email", 1)[0]
	w := ts[0]
	if m.Subject != w.Subject || m.Text != w.Text || m.Priority != w.Priority || fmt.Sprint(m.Tags) != fmt.Sprint(w.Tags) ||
		m.Reply != w.Reply || !m.SolvedAt.Equal(w.SolvedAt) || m.URL != w.URL {
		t.Errorf("match = %+v; want the stored ticket %+v", m.Ticket, w)
	}
	if m.Similarity <= 0.3 || m.Score <= 0.5 {
		t.Errorf("best match similarity %.3f score %.3f; want a close match (> 0.3, > 0.5)", m.Similarity, m.Score)
	}
	g := similar(t, ix, "globex", "reset", 1)[0]
	if g.Tags == nil || len(g.Tags) != 0 {
		t.Errorf("tags of a ticket stored without tags = %#v; want an empty list", g.Tags)
	}

	// A ticket solved again replaces its row.
	again := ts[0]
	again.Reply = "Second time: we whitelisted our mail server for you."
	again.Tags = []string{"login"}
	if err := ix.Upsert(ctx, again); err != nil {
		t.Fatalf("Upsert again: %v", err)
	}
	if n, _ := ix.Count(ctx, "acme"); n != 4 {
		t.Errorf("Count after a repeated upsert = %d; want 4", n)
	}
	m = similar(t, ix, "acme", "I never get the password reset email", 1)[0]
	if m.Reply != again.Reply || fmt.Sprint(m.Tags) != "[login]" {
		t.Errorf("after the second upsert reply %q tags %v; want the new ones", m.Reply, m.Tags)
	}

	if err := ix.Delete(ctx, "acme", "101"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := ix.Delete(ctx, "acme", "nope"); err != nil {
		t.Errorf("Delete(missing) = %v; want nil", err)
	}
	if first := ids(similar(t, ix, "acme", "I never get the password reset email", 1)); first[0] == "acme/101" {
		t.Errorf("deleted ticket still found")
	}
}

// testHybrid gives two tickets the same vector: only the query's text
// can order them, and it must.
func testHybrid(t *testing.T, open opener) {
	ix, _ := open(t)
	v := vec(t, "a generic question about the product")
	for _, tk := range []solved.Ticket{
		{Connector: "acme", ID: "a", Subject: "Invoice question", Text: "Where is my invoice PDF?", Vector: v, SolvedAt: solvedAt},
		{Connector: "acme", ID: "b", Subject: "Calendar question", Text: "The calendar sync with Google stopped.", Vector: v, SolvedAt: solvedAt},
	} {
		if err := ix.Upsert(t.Context(), tk); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ text, want string }{{"google calendar sync", "b"}, {"invoice pdf", "a"}} {
		ms, err := ix.Similar(t.Context(), "acme", v, tc.text, 2)
		if err != nil || len(ms) != 2 {
			t.Fatalf("Similar(%q) = %v, %v; want 2", tc.text, ids(ms), err)
		}
		if ms[0].ID != tc.want || ms[0].Score <= ms[1].Score {
			t.Errorf("Similar(%q) = %s (%.3f), %s (%.3f); want %s first with a higher score", tc.text, ms[0].ID, ms[0].Score, ms[1].ID, ms[1].Score, tc.want)
		}
	}
}

func testInvalid(t *testing.T, open opener) {
	ix, _ := open(t)
	ctx := t.Context()
	good := vec(t, "hello")
	if ix.Dim() != dim {
		t.Errorf("Dim = %d; want %d", ix.Dim(), dim)
	}
	for name, tk := range map[string]solved.Ticket{
		"no connector":   {ID: "1", Vector: good},
		"no id":          {Connector: "acme", Vector: good},
		"wrong dim":      {Connector: "acme", ID: "1", Vector: good[:10]},
		"zero vector":    {Connector: "acme", ID: "1", Vector: make([]float32, dim)},
		"missing vector": {Connector: "acme", ID: "1"},
	} {
		if err := ix.Upsert(ctx, tk); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("Upsert(%s) = %v; want ErrInvalid", name, err)
		}
	}
	if _, err := ix.Similar(ctx, "", good[:10], "hello", 3); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Similar(wrong dim) = %v; want ErrInvalid", err)
	}
	if _, err := ix.Similar(ctx, "", good, "hello", solved.MaxK+1); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Similar(k too large) = %v; want ErrInvalid", err)
	}
}

// testOtherDim stores tickets through an index of another dimension on
// the same database: each index sees only its own.
func testOtherDim(t *testing.T, open opener) {
	ix, another := open(t)
	small := another(8)
	v := make([]float32, 8)
	v[0] = 1
	if err := small.Upsert(t.Context(), solved.Ticket{Connector: "acme", ID: "s", Subject: "password", Vector: v}); err != nil {
		t.Fatalf("Upsert(8 dims): %v", err)
	}
	upsertAll(t, ix, fixture(t)[:2])
	if n, _ := ix.Count(t.Context(), ""); n != 2 {
		t.Errorf("Count at %d dims = %d; want 2", dim, n)
	}
	if n, _ := small.Count(t.Context(), ""); n != 1 {
		t.Errorf("Count at 8 dims = %d; want 1", n)
	}
	for _, m := range similar(t, ix, "", "password", 5) {
		if m.ID == "s" {
			t.Errorf("an index of %d dims found a ticket of 8", dim)
		}
	}
	ms, err := small.Similar(t.Context(), "acme", v, "password", 5)
	if err != nil || len(ms) != 1 || ms[0].ID != "s" || ms[0].Similarity < 0.999 {
		t.Errorf("Similar at 8 dims = %v, %v; want s with similarity 1", ids(ms), err)
	}
}

// testFilterFills puts many tickets on one connector and a few on
// another: a search of the small connector still returns k of its own
// (an approximate index that filtered after a short scan would not).
func testFilterFills(t *testing.T, open opener) {
	ix, _ := open(t)
	topics := []string{"password reset", "invoice export", "refund", "calendar sync", "SSO login", "API rate limit", "mobile app crash", "webhook retries"}
	var ts []solved.Ticket
	for i := range 400 {
		topic := topics[i%len(topics)]
		ts = append(ts, solved.Ticket{Connector: "big", ID: fmt.Sprint(i), Subject: topic + " issue", Text: fmt.Sprintf("Customer %d reports a problem with %s.", i, topic)})
	}
	for i := range 4 {
		ts = append(ts, solved.Ticket{Connector: "small", ID: fmt.Sprint(i), Subject: "password reset " + fmt.Sprint(i), Text: "Cannot reset the password."})
	}
	for i := range ts {
		ts[i].Vector = vec(t, solved.EmbedText(ts[i].Subject, ts[i].Text))
		ts[i].SolvedAt = solvedAt
	}
	upsertAll(t, ix, ts)
	ms := similar(t, ix, "small", "calendar sync problem", 3)
	if len(ms) != 3 {
		t.Fatalf("Similar on the small connector = %v; want 3 of its tickets", ids(ms))
	}
	ms = similar(t, ix, "big", "password reset issue", 5)
	if len(ms) != 5 {
		t.Fatalf("Similar on the big connector = %v; want 5", ids(ms))
	}
	for _, m := range ms {
		if m.Subject != "password reset issue" {
			t.Errorf("big connector match %s is about %q; want password reset", m.ID, m.Subject)
		}
	}
}

// testList checks List: oldest first, connector filter, the since bound
// (sub-second included), tags and fields as stored.
func testList(t *testing.T, open opener) {
	ix, _ := open(t)
	ts := fixture(t)
	ts[0].SolvedAt = solvedAt.Add(500 * time.Millisecond) // between the since bounds below
	upsertAll(t, ix, ts)
	all, err := ix.List(t.Context(), "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tk := range all {
		ids = append(ids, tk.Connector+"/"+tk.ID)
	}
	if want := []string{"acme/101", "acme/102", "acme/103", "acme/104", "globex/201"}; !slices.Equal(ids, want) {
		t.Fatalf("List all = %v; want %v (oldest first)", ids, want)
	}
	if got := all[1]; got.Subject != ts[1].Subject || !slices.Equal(got.Tags, ts[1].Tags) || got.Reply != ts[1].Reply || got.Priority != ts[1].Priority || !got.SolvedAt.Equal(ts[1].SolvedAt) {
		t.Errorf("List row %+v; want %+v as stored", got, ts[1])
	}
	since, err := ix.List(t.Context(), "acme", solvedAt.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ids = nil
	for _, tk := range since {
		ids = append(ids, tk.ID)
	}
	if want := []string{"102", "103", "104"}; !slices.Equal(ids, want) {
		t.Errorf("List acme since +1s = %v; want %v", ids, want)
	}
	sub, err := ix.List(t.Context(), "acme", solvedAt.Add(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) != 4 || sub[0].ID != "101" {
		t.Errorf("List since +100ms = %d rows starting %v; want 4 starting with 101 (solved at +500ms)", len(sub), sub)
	}
}

// TestPostgresLongList checks the PostgreSQL index's search for a list
// longer than its ef_search (which it raises for that search, in a
// transaction of the same round trip): it finds what SQLite's exact
// search finds, in the same order.
func TestPostgresLongList(t *testing.T) {
	pg, err := solved.OpenPostgres(t.Context(), storetest.PostgresURL(t), dim, solved.PostgresOptions{EFSearch: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Close() })
	exact, _ := openSQLite(t)
	topics := []string{"password reset", "invoice export", "refund", "calendar sync", "SSO login"}
	var ts []solved.Ticket
	for i := range 60 {
		topic := topics[i%len(topics)]
		ts = append(ts, solved.Ticket{Connector: "acme", ID: fmt.Sprint(i), Subject: topic + " question " + fmt.Sprint(i%7),
			Text: fmt.Sprintf("Customer %d asks about %s on plan %d.", i, topic, i%3), SolvedAt: solvedAt.Add(time.Duration(i) * time.Minute)})
	}
	for i := range ts {
		ts[i].Vector = vec(t, solved.EmbedText(ts[i].Subject, ts[i].Text))
	}
	upsertAll(t, pg, ts)
	upsertAll(t, exact, ts)
	for _, text := range []string{"password reset question 3", ""} {
		q := "invoice export on plan 2"
		got, err := pg.Similar(t.Context(), "acme", vec(t, q), text, 20)
		if err != nil {
			t.Fatal(err)
		}
		want, err := exact.Similar(t.Context(), "acme", vec(t, q), text, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 20 || !slices.Equal(ids(got), ids(want)) {
			t.Errorf("text %q: PostgreSQL found %v, SQLite %v", text, ids(got), ids(want))
		}
	}
}
