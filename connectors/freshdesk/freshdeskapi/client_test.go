package freshdeskapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

func newClient(t *testing.T, h http.HandlerFunc) (*Client, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/", "key-1", vendorapi.New("acme-freshdesk", vendorapi.Config{RatePerMinute: 60000, MaxRetries: 1, RetryBase: 1e6}, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	return c, &calls
}

func TestBasicAuth(t *testing.T) {
	// base64("abc:X")
	if got, want := BasicAuth("abc"), "Basic YWJjOlg="; got != want {
		t.Errorf("BasicAuth(abc) = %q; want %q", got, want)
	}
}

func TestNew(t *testing.T) {
	vc := vendorapi.New("x", vendorapi.Config{}, nil, nil)
	tests := []struct {
		name, base string
		key        sdk.Secret
		vc         *vendorapi.Client
		wantErr    bool
	}{
		{name: "https", base: "https://acme.freshdesk.com", key: "k", vc: vc},
		{name: "with path", base: "http://127.0.0.1:1/freshdesk/acme/", key: "k", vc: vc},
		{name: "no scheme", base: "acme.freshdesk.com", key: "k", vc: vc, wantErr: true},
		{name: "query", base: "https://acme.freshdesk.com?x", key: "k", vc: vc, wantErr: true},
		{name: "no key", base: "https://acme.freshdesk.com", vc: vc, wantErr: true},
		{name: "no vendorapi client", base: "https://acme.freshdesk.com", key: "k", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.base, tt.key, tt.vc)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New() = %v; want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("New() = %v; want ErrInvalid", err)
			}
		})
	}
}

func TestNextLink(t *testing.T) {
	tests := []struct{ name, link, want string }{
		{"freshdesk", `<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=30>; rel="next"`, "https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=30"},
		{"unquoted rel", `<https://a/x?page=2>; rel=next`, "https://a/x?page=2"},
		{"among others", `<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"`, "https://a/x?page=3"},
		{"no next", `<https://a/x?page=1>; rel="prev"`, ""},
		{"malformed", `https://a/x; rel="next"`, ""},
		{"absent", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.link != "" {
				h.Set("Link", tt.link)
			}
			if got := NextLink(h); got != tt.want {
				t.Errorf("NextLink(%q) = %q; want %q", tt.link, got, tt.want)
			}
		})
	}
}

// TestConversationsFollowsLinks serves three pages and checks every call
// carries the API key.
func TestConversationsFollowsLinks(t *testing.T) {
	c, calls := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != BasicAuth("key-1") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		if page < 3 {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v2/tickets/7/conversations?page=%d&per_page=100>; rel="next"`, r.Host, page+1))
		}
		_ = json.NewEncoder(w).Encode([]map[string]any{{"id": page * 10, "body_text": "p" + strconv.Itoa(page), "incoming": true}})
	})
	convs, err := c.Conversations(t.Context(), 7)
	if err != nil {
		t.Fatalf("Conversations: %v", err)
	}
	if len(convs) != 3 || convs[0].ID != 10 || convs[2].BodyText != "p3" || !convs[1].Incoming {
		t.Errorf("Conversations = %+v; want three pages in order", convs)
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls; want 3", calls.Load())
	}
}

func TestListRefusesForeignLinks(t *testing.T) {
	tests := []struct{ name, link string }{
		{"other host", `<https://evil.example/api/v2/solutions/categories?page=2>; rel="next"`},
		{"other path", `<http://HOST/oauth/steal?page=2>; rel="next"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, calls := newClient(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Link", strings.ReplaceAll(tt.link, "HOST", r.Host))
				_, _ = w.Write([]byte(`[{"id":1,"name":"General"}]`))
			})
			_, err := c.Categories(t.Context())
			if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "outside") {
				t.Errorf("Categories() = %v; want ErrInvalid about a link outside the account", err)
			}
			if calls.Load() != 1 {
				t.Errorf("%d calls; want 1 (the foreign link must not be followed)", calls.Load())
			}
		})
	}
}

func TestRequests(t *testing.T) {
	type seen struct{ method, uri, body string }
	tests := []struct {
		name   string
		call   func(c *Client) error
		answer string
		want   seen
	}{
		{name: "ticket with include", call: func(c *Client) error { _, err := c.Ticket(t.Context(), 5, "requester", "company"); return err },
			answer: `{"id":5}`, want: seen{"GET", "/api/v2/tickets/5?include=requester%2Ccompany", ""}},
		{name: "ticket", call: func(c *Client) error { _, err := c.Ticket(t.Context(), 5); return err },
			answer: `{"id":5}`, want: seen{"GET", "/api/v2/tickets/5", ""}},
		{name: "update", call: func(c *Client) error {
			_, err := c.UpdateTicket(t.Context(), 5, TicketUpdate{Priority: 3, Tags: []string{"a", "b"}, CustomFields: map[string]any{"cf_x": "y"}})
			return err
		}, answer: `{"id":5}`, want: seen{"PUT", "/api/v2/tickets/5", `{"priority":3,"tags":["a","b"],"custom_fields":{"cf_x":"y"}}`}},
		{name: "note", call: func(c *Client) error {
			_, err := c.AddNote(t.Context(), 5, Note{Body: "<p>x</p>", Private: true})
			return err
		},
			answer: `{"id":9}`, want: seen{"POST", "/api/v2/tickets/5/notes", `{"body":"\u003cp\u003ex\u003c/p\u003e","private":true}`}},
		{name: "tickets of a requester", call: func(c *Client) error {
			_, err := c.Tickets(t.Context(), ListTickets{RequesterID: 3, OrderBy: "created_at", OrderType: "desc", PerPage: 500})
			return err
		}, answer: `[]`, want: seen{"GET", "/api/v2/tickets?order_by=created_at&order_type=desc&per_page=100&requester_id=3", ""}},
		{name: "tickets updated since, a later page", call: func(c *Client) error {
			_, _, err := c.TicketPage(t.Context(), ListTickets{UpdatedSince: time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("x", 3600)),
				OrderBy: "updated_at", OrderType: "asc", Page: 3, PerPage: 50})
			return err
		}, answer: `[]`, want: seen{"GET", "/api/v2/tickets?order_by=updated_at&order_type=asc&page=3&per_page=50&updated_since=2026-03-02T09%3A00%3A00Z", ""}},
		{name: "contact", call: func(c *Client) error { _, err := c.Contact(t.Context(), 3); return err }, answer: `{"id":3}`, want: seen{"GET", "/api/v2/contacts/3", ""}},
		{name: "company", call: func(c *Client) error { _, err := c.Company(t.Context(), 4); return err }, answer: `{"id":4}`, want: seen{"GET", "/api/v2/companies/4", ""}},
		{name: "me", call: func(c *Client) error { _, err := c.Me(t.Context()); return err }, answer: `{"id":42}`, want: seen{"GET", "/api/v2/agents/me", ""}},
		{name: "folders", call: func(c *Client) error { _, err := c.Folders(t.Context(), 8); return err }, answer: `[]`, want: seen{"GET", "/api/v2/solutions/categories/8/folders", ""}},
		{name: "articles page", call: func(c *Client) error { _, _, err := c.Articles(t.Context(), 9, 2, 30); return err },
			answer: `[]`, want: seen{"GET", "/api/v2/solutions/folders/9/articles?page=2&per_page=30", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got seen
			c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = seen{r.Method, r.URL.RequestURI(), string(b)}
				if r.Header.Get("Authorization") != BasicAuth("key-1") {
					t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
				}
				if r.Method != http.MethodGet && r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("Content-Type = %q; want application/json", r.Header.Get("Content-Type"))
				}
				_, _ = w.Write([]byte(tt.answer))
			})
			if err := tt.call(c); err != nil {
				t.Fatalf("call: %v", err)
			}
			if got != tt.want {
				t.Errorf("request = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		call   func(c *Client) error
		want   error
	}{
		{name: "401", status: 401, call: func(c *Client) error { _, err := c.Ticket(t.Context(), 1); return err }, want: sdk.ErrUnauthorized},
		{name: "404", status: 404, call: func(c *Client) error { _, err := c.Ticket(t.Context(), 1); return err }, want: sdk.ErrNotFound},
		{name: "400 validation", status: 400, body: `{"description":"Validation failed","errors":[]}`,
			call: func(c *Client) error { _, err := c.UpdateTicket(t.Context(), 1, TicketUpdate{Priority: 9}); return err }, want: sdk.ErrInvalid},
		{name: "bad json", status: 200, body: `{"id":`, call: func(c *Client) error { _, err := c.Ticket(t.Context(), 1); return err }, want: sdk.ErrInvalid},
		{name: "me without id", status: 200, body: `{}`, call: func(c *Client) error { _, err := c.Me(t.Context()); return err }, want: sdk.ErrInvalid},
		{name: "503", status: 503, call: func(c *Client) error { _, err := c.Ticket(t.Context(), 1); return err }, want: sdk.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			if err := tt.call(c); !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "freshdesk") {
				t.Errorf("error = %v; want %v naming freshdesk", err, tt.want)
			}
		})
	}
}

func TestFields(t *testing.T) {
	f := Fields{"s": json.RawMessage(`"a b"`), "n": json.RawMessage(`12.5`), "b": json.RawMessage(`true`),
		"z": json.RawMessage(`null`), "a": json.RawMessage(`["x"]`), "o": json.RawMessage(`{}`)}
	tests := []struct {
		key    string
		want   string
		wantOK bool
		num    bool
	}{
		{"s", "a b", true, false}, {"n", "12.5", true, true}, {"b", "true", true, false},
		{"z", "", false, false}, {"a", "", false, false}, {"o", "", false, false}, {"missing", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, ok := f.String(tt.key)
			if got != tt.want || ok != tt.wantOK || f.IsNumber(tt.key) != tt.num {
				t.Errorf("String(%s) = %q, %v; IsNumber %v; want %q, %v, %v", tt.key, got, ok, f.IsNumber(tt.key), tt.want, tt.wantOK, tt.num)
			}
		})
	}
}

func TestTicketPageMore(t *testing.T) {
	tests := []struct {
		name     string
		link     string
		wantMore bool
	}{
		{name: "next page linked", link: `<https://acme.freshdesk.com/api/v2/tickets?page=2>; rel="next"`, wantMore: true},
		{name: "last page", wantMore: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newClient(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.link != "" {
					w.Header().Set("Link", tt.link)
				}
				_, _ = io.WriteString(w, `[{"id":1,"status":4,"updated_at":"2026-03-02T10:00:00Z"}]`)
			})
			ts, more, err := c.TicketPage(t.Context(), ListTickets{Page: 1})
			if err != nil || len(ts) != 1 || ts[0].Status != StatusResolved || more != tt.wantMore {
				t.Errorf("TicketPage = %+v, %v, %v; want one resolved ticket, more %v", ts, more, err, tt.wantMore)
			}
		})
	}
}
