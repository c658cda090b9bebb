package console_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/churn"
	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/console"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

// testToken is the admin token the tests sign in with.
const testToken = "correct-horse-battery-staple"

// noteText stands for ticket text: it must never reach a URL.
const noteText = "Customer was charged twice for invoice 4411"

// drivers runs fn on a fresh SQLite and a fresh PostgreSQL store.
func drivers(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlite.Open(t.Context(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		fn(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(t.Context(), storetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		fn(t, st)
	})
}

type linker struct{}

func (linker) TicketURL(ref sdk.TicketRef) string {
	return "https://acme.example.com/tickets/" + ref.ID
}

// seed stores one decided ticket per entry: id, priority, primary tag and
// mode, processed at now minus its index in minutes.
func seed(t *testing.T, st store.Store, now time.Time, tickets ...[4]string) {
	t.Helper()
	for i, tk := range tickets {
		id, prio, tag, mode := tk[0], tk[1], tk[2], tk[3]
		d := pipeline.Detail[enrich.Explanation]{
			Ticket: sdk.TicketRef{Connector: "acme", ID: id}, Mode: config.Mode(mode),
			Predictions: []sdk.Prediction{{Field: sdk.FieldPriority, Value: prio, Confidence: 0.91, Reason: "refund words", Source: "rules"}},
			Decision: &enrich.Explanation{
				Priority: sdk.Priority(prio), PriorityReason: "double charge", PrimaryTag: tag, Tags: []string{tag, "refund"},
				Churn: churn.Result{Score: 3, Level: "medium"}, Route: route.Decision{Route: "billing-team", Rule: "billing"},
				Draft: &draft.Draft{Text: "Hello, we refunded the second charge.", Rubric: draft.Rubric{Total: 9, Pass: true,
					Criteria: []draft.Criterion{{Name: "answers", Score: 2, Reason: "answers the question"}}}, Reason: "from the refund article"},
				SimilarSolved: []enrich.SimilarSolved{{ID: "77", Subject: "Refund for a duplicate charge", Score: 0.83, URL: "https://acme.example.com/tickets/77"}},
				Gate: []gate.Decision{
					{Field: sdk.FieldPriority, Value: prio, Confidence: 0.91, Threshold: 0.8, Written: mode == "live", WouldWrite: true, Reason: "written"},
					{Field: sdk.FieldPrimaryTag, Value: tag, Confidence: 0.4, Threshold: 0.7, Reason: "below threshold 0.70"},
				},
				Note: noteText,
			},
		}
		if mode == "live" {
			p := sdk.Priority(prio)
			d.Written = &sdk.Changes{Priority: &p, InternalNote: noteText}
		}
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		r := store.Record{EventKey: "ev-" + id, Connector: "acme", Kind: sdk.EventTicketCreated, TicketID: id, Status: pipeline.StatusEnriched,
			Category: tag, Attempt: 1, Detail: raw, ProcessedAt: now.Add(-time.Duration(i) * time.Minute)}
		if _, err := st.SaveRecord(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// newServer serves a console with a token over st.
func newServer(t *testing.T, st store.Store, auth config.Console) *httptest.Server {
	t.Helper()
	if auth.SessionTTL == 0 {
		auth.SessionTTL = config.Duration(time.Hour)
	}
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", Auth: auth, Store: st,
		Modes: map[string]config.Mode{"acme": config.ModeShadow}, Links: map[string]sdk.TicketLinker{"acme": linker{}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv
}

// client is a browser-like client with cookies that does not follow
// redirects.
func client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches path and returns status and body.
func get(t *testing.T, c *http.Client, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// posted is what a POST answered.
type posted struct {
	StatusCode int
	cookies    []*http.Cookie
}

func (p posted) Cookies() []*http.Cookie { return p.cookies }

// post submits form to path with extra headers.
func post(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values, hdr map[string]string) posted {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return posted{StatusCode: resp.StatusCode, cookies: resp.Cookies()}
}

// csrfOf returns the first CSRF token in a page.
func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}

// signIn signs c in with form fields and returns the session's CSRF token.
func signIn(t *testing.T, c *http.Client, srv *httptest.Server, fields url.Values) string {
	t.Helper()
	_, body := get(t, c, srv, "/login")
	fields.Set("csrf", csrfOf(t, body))
	resp := post(t, c, srv, "/login", fields, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: status %d, want 303", resp.StatusCode)
	}
	code, body := get(t, c, srv, "/")
	if code != http.StatusOK {
		t.Fatalf("overview after sign-in: %d", code)
	}
	return csrfOf(t, body)
}
