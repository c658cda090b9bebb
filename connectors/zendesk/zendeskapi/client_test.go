package zendeskapi

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// seen is one request the fake Zendesk received.
type seen struct {
	method, path, query, auth, contentType, body string
}

// fakeZendesk answers each "METHOD /path" with a status and body and
// records the requests.
type fakeZendesk struct {
	mu      sync.Mutex
	reqs    []seen
	answers map[string]func(r *http.Request) (int, string)
}

func newFake(t *testing.T, answers map[string]func(r *http.Request) (int, string)) (*Client, *fakeZendesk) {
	t.Helper()
	f := &fakeZendesk{answers: answers}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(b)})
		f.mu.Unlock()
		answer, ok := answers[r.Method+" "+r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"RecordNotFound","description":"Not found"}`)
			return
		}
		status, body := answer(r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	vc := vendorapi.New("acme-zendesk", vendorapi.Config{RatePerMinute: 60000, RetryBase: time.Millisecond, MaxRetries: 1}, srv.Client(), nil)
	c, err := New(srv.URL+"/", "heard@acme.example", "tok", vc)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, f
}

func fixed(status int, body string) func(*http.Request) (int, string) {
	return func(*http.Request) (int, string) { return status, body }
}

func (f *fakeZendesk) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

func TestNew(t *testing.T) {
	vc := vendorapi.New("x", vendorapi.Config{}, nil, nil)
	tests := []struct {
		name, base, email, token string
		wantErr                  bool
	}{
		{name: "default base", base: DefaultBaseURL("acme"), email: "a@b", token: "t"},
		{name: "proxy with path", base: "http://127.0.0.1:8080/zendesk/acme/", email: "a@b", token: "t"},
		{name: "relative", base: "acme.zendesk.com", email: "a@b", token: "t", wantErr: true},
		{name: "query", base: "https://acme.zendesk.com?x=1", email: "a@b", token: "t", wantErr: true},
		{name: "credentials in URL", base: "https://u:p@acme.zendesk.com", email: "a@b", token: "t", wantErr: true},
		{name: "no token", base: DefaultBaseURL("acme"), email: "a@b", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.base, tc.email, tc.token, vc)
			if (err != nil) != tc.wantErr {
				t.Fatalf("New = %v; want error %v", err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if err == nil && strings.HasSuffix(c.BaseURL(), "/") {
				t.Errorf("BaseURL %q keeps a trailing slash", c.BaseURL())
			}
		})
	}
}

func TestAuthHeader(t *testing.T) {
	c, f := newFake(t, map[string]func(*http.Request) (int, string){
		"GET /api/v2/users/me": fixed(200, `{"user":{"id":42,"name":"heard","role":"admin"}}`),
	})
	me, err := c.Me(t.Context())
	if err != nil || me.ID != 42 || me.Role != "admin" {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("heard@acme.example/token:tok"))
	if got := f.requests()[0].auth; got != want {
		t.Errorf("Authorization = %q; want %q", got, want)
	}
}

func TestMeAnonymous(t *testing.T) {
	c, _ := newFake(t, map[string]func(*http.Request) (int, string){
		"GET /api/v2/users/me": fixed(200, `{"user":{"id":null,"name":"Anonymous user","role":"end-user"}}`),
	})
	if _, err := c.Me(t.Context()); !errors.Is(err, sdk.ErrUnauthorized) {
		t.Errorf("Me as the anonymous user = %v; want ErrUnauthorized", err)
	}
}

func TestReads(t *testing.T) {
	c, f := newFake(t, map[string]func(*http.Request) (int, string){
		"GET /api/v2/tickets/5158": fixed(200, `{"ticket":{"id":5158,"subject":"Double charge","status":"open","priority":null,"requester_id":7,
			"organization_id":null,"tags":["billing"],"custom_fields":[{"id":360012345678,"value":"refund"},{"id":1,"value":null}],
			"created_at":"2025-01-08T10:12:07Z","updated_at":"2025-01-08T14:25:30Z","unknown_field":{"x":1}}}`),
		"GET /api/v2/users/7": fixed(200, `{"user":{"id":7,"name":"Dana","email":"dana@example.com","role":"end-user","organization_id":8,
			"user_fields":{"plan":"enterprise","mrr":2400.0,"renewal":null}}}`),
		"GET /api/v2/organizations/8":           fixed(200, `{"organization":{"id":8,"name":"Northwind","organization_fields":{"tier":"gold"}}}`),
		"GET /api/v2/users/7/tickets/requested": fixed(200, `{"tickets":[{"id":1,"updated_at":"2025-01-01T00:00:00Z"}],"meta":{"has_more":false}}`),
	})
	tk, err := c.Ticket(t.Context(), 5158)
	if err != nil {
		t.Fatalf("Ticket: %v", err)
	}
	if tk.Priority != "" || tk.OrganizationID != 0 || tk.UpdatedAt != "2025-01-08T14:25:30Z" || len(tk.CustomFields) != 2 || tk.CustomFields[0].Value != "refund" {
		t.Errorf("Ticket = %+v", tk)
	}
	if at, err := tk.UpdatedAt.Time(); err != nil || !at.Equal(time.Date(2025, 1, 8, 14, 25, 30, 0, time.UTC)) {
		t.Errorf("UpdatedAt.Time() = %v, %v", at, err)
	}
	u, err := c.User(t.Context(), 7)
	if err != nil || u.UserFields["mrr"] != 2400.0 || u.UserFields["renewal"] != nil || u.OrganizationID != 8 {
		t.Errorf("User = %+v, %v", u, err)
	}
	o, err := c.Organization(t.Context(), 8)
	if err != nil || o.OrganizationFields["tier"] != "gold" {
		t.Errorf("Organization = %+v, %v", o, err)
	}
	ts, err := c.RequestedTickets(t.Context(), 7, 500)
	if err != nil || len(ts) != 1 {
		t.Errorf("RequestedTickets = %+v, %v", ts, err)
	}
	if q := f.requests()[3].query; q != "page%5Bsize%5D=100&sort=-updated_at" {
		t.Errorf("requested tickets query = %q; want page[size] capped at 100 and sort=-updated_at", q)
	}
	if _, err := c.Ticket(t.Context(), 9); !errors.Is(err, sdk.ErrNotFound) || !strings.Contains(err.Error(), "fetching zendesk ticket 9") {
		t.Errorf("missing ticket = %v; want ErrNotFound saying what was fetched", err)
	}
}

func TestCommentsFollowsCursor(t *testing.T) {
	c, f := newFake(t, map[string]func(*http.Request) (int, string){
		"GET /api/v2/tickets/1/comments": func(r *http.Request) (int, string) {
			switch r.URL.Query().Get("page[after]") {
			case "":
				return 200, `{"comments":[{"id":1,"body":"a","public":true}],"meta":{"has_more":true,"after_cursor":"c1"}}`
			case "c1":
				return 200, `{"comments":[{"id":2,"html_body":"<p>b</p>","public":false}],"meta":{"has_more":true,"after_cursor":"c2"}}`
			default:
				return 200, `{"comments":[{"id":3,"plain_body":"c"}],"meta":{"has_more":false,"after_cursor":"c3"}}`
			}
		},
	})
	cs, err := c.Comments(t.Context(), 1)
	if err != nil {
		t.Fatalf("Comments: %v", err)
	}
	if len(cs) != 3 || cs[0].Body != "a" || cs[1].HTMLBody != "<p>b</p>" || cs[1].Public || cs[2].PlainBody != "c" {
		t.Errorf("Comments = %+v", cs)
	}
	reqs := f.requests()
	if len(reqs) != 3 || reqs[0].query != "page%5Bsize%5D=100" || !strings.Contains(reqs[2].query, "page%5Bafter%5D=c2") {
		t.Errorf("requests = %+v; want three cursor pages of 100", reqs)
	}
}

func TestCommentsStopsOnRepeatedCursor(t *testing.T) {
	c, f := newFake(t, map[string]func(*http.Request) (int, string){
		"GET /api/v2/tickets/1/comments": fixed(200, `{"comments":[{"id":1}],"meta":{"has_more":true,"after_cursor":"same"}}`),
	})
	if _, err := c.Comments(t.Context(), 1); err != nil {
		t.Fatalf("Comments: %v", err)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("%d requests; want 2 (a cursor that does not advance ends the listing)", n)
	}
}

// TestUpdateTicketBody checks the PUT body against the example in
// CONTRACTS.md §1.5.
func TestUpdateTicketBody(t *testing.T) {
	c, f := newFake(t, map[string]func(*http.Request) (int, string){
		"PUT /api/v2/tickets/5158": fixed(200, `{"ticket":{"id":5158,"priority":"high"},"audit":{"id":1}}`),
	})
	tests := []struct {
		name string
		u    TicketUpdate
		want string
	}{
		{name: "everything", u: TicketUpdate{
			Priority: "high", Tags: []string{"billing", "ai_enriched"},
			CustomFields: []CustomField{{ID: 360012345678, Value: "refund"}},
			Comment:      &NewComment{HTMLBody: "<p><b>Suggested reply</b> …</p>", Public: false},
			SafeUpdate:   true, UpdatedStamp: "2025-01-08T14:25:30Z",
		}, want: `{"ticket":{"priority":"high","tags":["billing","ai_enriched"],"custom_fields":[{"id":360012345678,"value":"refund"}],` +
			`"comment":{"html_body":"\u003cp\u003e\u003cb\u003eSuggested reply\u003c/b\u003e …\u003c/p\u003e","public":false},` +
			`"safe_update":true,"updated_stamp":"2025-01-08T14:25:30Z"}}`},
		{name: "note only keeps public false", u: TicketUpdate{Comment: &NewComment{HTMLBody: "<p>n</p>"}},
			want: `{"ticket":{"comment":{"html_body":"\u003cp\u003en\u003c/p\u003e","public":false}}}`},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk, err := c.UpdateTicket(t.Context(), 5158, tc.u)
			if err != nil || tk.ID != 5158 {
				t.Fatalf("UpdateTicket = %+v, %v", tk, err)
			}
			r := f.requests()[i]
			if r.method != http.MethodPut || r.body != tc.want || r.contentType != "application/json" {
				t.Errorf("request %s %s (%s)\n got %s\nwant %s", r.method, r.path, r.contentType, r.body, tc.want)
			}
		})
	}
}

func TestUpdateTicketConflict(t *testing.T) {
	c, _ := newFake(t, map[string]func(*http.Request) (int, string){
		"PUT /api/v2/tickets/1": fixed(409, `{"error":"UpdateConflict"}`),
	})
	_, err := c.UpdateTicket(t.Context(), 1, TicketUpdate{Tags: []string{"a"}, SafeUpdate: true, UpdatedStamp: "2025-01-08T14:25:30Z"})
	if !errors.Is(err, vendorapi.ErrConflict) || !strings.Contains(err.Error(), "updating zendesk ticket 1") {
		t.Errorf("UpdateTicket on 409 = %v; want ErrConflict saying what was updated", err)
	}
}

func TestArticles(t *testing.T) {
	c, f := newFake(t, map[string]func(*http.Request) (int, string){
		"GET /api/v2/help_center/articles": fixed(200, `{"articles":[{"id":1,"title":"T","body":"<p>b</p>","html_url":"https://acme.zendesk.com/hc/en-us/articles/1",
			"locale":"en-us","section_id":5,"draft":false,"updated_at":"2025-01-08T10:00:00Z"}],"meta":{"has_more":true,"after_cursor":"x"},"links":{"next":"n"}}`),
		"GET /api/v2/help_center/incremental/articles": fixed(200, `{"articles":[],"next_page":null,"end_time":1700000000,"count":0}`),
	})
	p, err := c.ListArticles(t.Context(), ArticlesQuery(30, "abc"))
	if err != nil || len(p.Articles) != 1 || p.Articles[0].HTMLURL == "" || !p.Meta.HasMore || p.Meta.AfterCursor != "x" {
		t.Errorf("ListArticles = %+v, %v", p, err)
	}
	ip, err := c.IncrementalArticles(t.Context(), IncrementalQuery(time.Unix(1690000000, 0)))
	if err != nil || ip.EndTime != 1700000000 || ip.NextPage != "" {
		t.Errorf("IncrementalArticles = %+v, %v", ip, err)
	}
	reqs := f.requests()
	if reqs[0].query != "page%5Bafter%5D=abc&page%5Bsize%5D=30" || reqs[1].query != "start_time=1690000000" {
		t.Errorf("queries = %q, %q", reqs[0].query, reqs[1].query)
	}
	if _, err := c.IncrementalArticles(t.Context(), nil); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("IncrementalArticles without start_time = %v; want ErrInvalid", err)
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		name      string
		q         url.Values
		answer    func(*http.Request) (int, string)
		wantIDs   []int64
		wantNext  string
		wantErr   error
		wantQuery string // the raw query sent; "" when nothing is sent
	}{
		{name: "one page", q: SearchQuery("type:ticket status>=solved", "updated_at", "asc", 2, 500),
			answer: fixed(200, `{"results":[{"id":7,"result_type":"ticket","status":"solved","updated_at":"2026-03-02T10:00:00Z"},`+
				`{"id":9,"result_type":"ticket","status":"closed"}],"count":1200,"next_page":"https://x/api/v2/search.json?page=3","previous_page":null,"facets":null}`),
			wantIDs: []int64{7, 9}, wantNext: "https://x/api/v2/search.json?page=3",
			wantQuery: "page=2&per_page=100&query=type%3Aticket+status%3E%3Dsolved&sort_by=updated_at&sort_order=asc"},
		{name: "past the results limit", q: SearchQuery("type:ticket", "updated_at", "asc", 11, 100),
			answer:    fixed(422, `{"error":"InsufficientResourceError"}`),
			wantErr:   sdk.ErrInvalid,
			wantQuery: "page=11&per_page=100&query=type%3Aticket&sort_by=updated_at&sort_order=asc"},
		{name: "empty query", q: url.Values{"query": {" "}}, wantErr: sdk.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answers := map[string]func(*http.Request) (int, string){}
			if tc.answer != nil {
				answers["GET /api/v2/search.json"] = tc.answer
			}
			c, f := newFake(t, answers)
			page, err := c.Search(t.Context(), tc.q)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("Search = %v; want %v", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("Search: %v", err)
			} else {
				var ids []int64
				for _, r := range page.Results {
					ids = append(ids, r.ID)
				}
				if !slices.Equal(ids, tc.wantIDs) || page.NextPage != tc.wantNext || page.Count != 1200 || page.Results[0].ResultType != "ticket" {
					t.Errorf("page = %+v; want ids %v, next_page %q, count 1200", page, tc.wantIDs, tc.wantNext)
				}
			}
			reqs := f.requests()
			switch {
			case tc.wantQuery == "" && len(reqs) != 0:
				t.Errorf("requests = %+v; want none", reqs)
			case tc.wantQuery != "" && (len(reqs) != 1 || reqs[0].query != tc.wantQuery):
				t.Errorf("requests = %+v; want one with query %q", reqs, tc.wantQuery)
			}
		})
	}
}
