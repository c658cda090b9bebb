package freshdesk

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

// fakeFreshdesk serves testdata/ticket as account "acme" with API key
// "key-acme". listStatus, when not 0, is the status GET /tickets answers.
type fakeFreshdesk struct {
	t          *testing.T
	listStatus int
	calls      atomic.Int64
}

func (f *fakeFreshdesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if r.Header.Get("Authorization") != freshdeskapi.BasicAuth("key-acme") {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	file := ""
	q := r.URL.Query()
	switch r.URL.Path {
	case "/api/v2/tickets/20":
		if got := q.Get("include"); got != "requester,company" {
			f.t.Errorf("ticket fetched with include=%q; want requester,company", got)
		}
		file = "ticket.json"
	case "/api/v2/tickets/20/conversations":
		if q.Get("per_page") != "100" {
			f.t.Errorf("conversations fetched with per_page=%q; want 100", q.Get("per_page"))
		}
		file = "conversations.1.json"
		if q.Get("page") == "2" {
			file = "conversations.2.json"
		} else {
			w.Header().Set("Link", `<http://`+r.Host+`/api/v2/tickets/20/conversations?page=2&per_page=100>; rel="next"`)
		}
	case "/api/v2/contacts/1001":
		file = "contact.json"
	case "/api/v2/companies/2001":
		file = "company.json"
	case "/api/v2/tickets":
		want := "order_by=created_at&order_type=desc&per_page=3&requester_id=1001"
		if r.URL.RawQuery != want {
			f.t.Errorf("tickets listed with %q; want %q", r.URL.RawQuery, want)
		}
		if f.listStatus != 0 {
			w.WriteHeader(f.listStatus)
			return
		}
		file = "tickets.json"
	default:
		w.WriteHeader(http.StatusNotFound)
		return
	}
	b, err := os.ReadFile(filepath.Join("testdata", "ticket", file))
	if err != nil {
		f.t.Errorf("reading fixture: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// fakeConnector returns a connector for the fake with recent_tickets 2.
func fakeConnector(t *testing.T, f *fakeFreshdesk) *Connector {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := baseConfig()
	cfg.APIKey, cfg.BaseURL, cfg.RecentTickets = "key-acme", srv.URL, 2
	cfg.CustomFields = map[string]string{
		sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrRenewalDate: "renewal_date",
		sdk.AttrPaymentStatus: "payment_status", sdk.AttrLastLogin: "last_login",
	}
	cfg.TicketFields = map[string]string{sdk.FieldSentiment: "cf_sentiment"}
	cfg.RateLimit = vendorapi.Config{RatePerMinute: 60000, MaxRetries: 1, RetryBase: 1e6}
	c, err := New(specOf(t, "acme-freshdesk", cfg), connectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTicketGolden maps the testdata/ticket fixtures to an sdk.Ticket and
// compares it with testdata/ticket/ticket.golden.json.
func TestTicketGolden(t *testing.T) {
	c := fakeConnector(t, &fakeFreshdesk{t: t})
	tk, err := c.Ticket(t.Context(), c.ref("20"))
	if err != nil {
		t.Fatalf("Ticket: %v", err)
	}
	got, err := json.MarshalIndent(tk, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "ticket", "ticket.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("ticket:\ngot:\n%s\nwant:\n%s", got, want)
	}
}

func TestTicketRecentFailureIsNotFatal(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		wantErr error
	}{
		{name: "server error", status: http.StatusInternalServerError},
		{name: "rate limited per endpoint", status: http.StatusTooManyRequests},
		{name: "forbidden", status: http.StatusForbidden, wantErr: sdk.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fakeConnector(t, &fakeFreshdesk{t: t, listStatus: tt.status})
			tk, err := c.Ticket(t.Context(), c.ref("20"))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Ticket() = %v; want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Ticket() = %v; want the ticket without recent tickets", err)
			}
			if len(tk.Recent) != 0 || len(tk.Messages) == 0 {
				t.Errorf("Recent = %v, %d messages; want no recent tickets and the messages", tk.Recent, len(tk.Messages))
			}
		})
	}
}

func TestTicketSandbox(t *testing.T) {
	d := newDesk(t)
	tests := []struct {
		name         string
		org          string
		recent       int
		earlier      int // tickets the requester opened before
		wantCustomer map[string]string
		wantRecent   int
	}{
		{name: "attributes on the company", org: "Northwind Traders", earlier: 2, wantCustomer: map[string]string{"plan": "enterprise", "mrr": "2400"}, wantRecent: 2},
		{name: "attributes on the contact", earlier: 1, wantCustomer: map[string]string{"plan": "enterprise", "mrr": "2400"}, wantRecent: 1},
		{name: "recent capped", org: "Northwind Traders", recent: 2, earlier: 4, wantCustomer: map[string]string{"plan": "enterprise", "mrr": "2400"}, wantRecent: 2},
		{name: "recent off", recent: -1, earlier: 2, wantCustomer: map[string]string{"plan": "enterprise", "mrr": "2400"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, acct := d.account(t, "fetch"+string(rune('a'+i)), Config{
				CustomFields: map[string]string{"plan": "plan", "mrr": "mrr"}, RecentTickets: tt.recent,
			})
			nt := newTicket()
			nt.Organization = tt.org
			var earlier []string
			for range tt.earlier {
				earlier = append(earlier, d.created(t, c, acct, nt).ID)
			}
			other := nt
			other.Requester = sandbox.Person{Name: "Someone Else", Email: "else@example.com"}
			d.created(t, c, acct, other)
			ref := d.created(t, c, acct, nt)
			if err := d.fd.Reply(t.Context(), acct.Name, ref.ID, "<p>Still <b>two</b> charges &amp; no reply</p>"); err != nil {
				t.Fatal(err)
			}
			tk, err := c.Ticket(t.Context(), ref)
			if err != nil {
				t.Fatalf("Ticket: %v", err)
			}
			if len(tk.Customer) != len(tt.wantCustomer) {
				t.Errorf("Customer = %v; want %v", tk.Customer, tt.wantCustomer)
			}
			for k, v := range tt.wantCustomer {
				if tk.Customer[k] != v {
					t.Errorf("Customer[%s] = %q; want %q", k, tk.Customer[k], v)
				}
			}
			if tk.Organization.Name != tt.org {
				t.Errorf("Organization = %+v; want %q", tk.Organization, tt.org)
			}
			var recent []string
			for _, r := range tk.Recent {
				recent = append(recent, r.ID)
			}
			slices.Reverse(earlier) // newest first
			if want := earlier[:tt.wantRecent]; !slices.Equal(recent, want) {
				t.Errorf("Recent = %v; want %v", recent, want)
			}
			if n := len(tk.Messages); n != 2 || tk.Messages[1].Body != "Still two charges & no reply" || tk.Messages[1].FromAgent || !tk.Messages[1].Public {
				t.Errorf("Messages = %+v; want the description and the plain-text customer reply", tk.Messages)
			}
			if tk.Status != sdk.StatusOpen || tk.Priority != sdk.P3 || !slices.Equal(tk.Tags, []string{"vip"}) {
				t.Errorf("status %q priority %q tags %v; want open, P3, [vip]", tk.Status, tk.Priority, tk.Tags)
			}
		})
	}
	d.noViolations(t)
}

func TestTicketErrors(t *testing.T) {
	d := newDesk(t)
	c, acct := d.account(t, "fetcherr", Config{})
	ref := d.created(t, c, acct, newTicket())
	wrongKey := Config{Domain: acct.Name, APIKey: "nope", BaseURL: d.fd.BaseURL(d.root, acct.Name), WebhookSecret: "s"}
	bad, err := New(specOf(t, "fd-wrong", wrongKey), connectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		c      *Connector
		ref    sdk.TicketRef
		want   error
		wantIn string
	}{
		{name: "missing ticket", c: c, ref: c.ref("999999"), want: sdk.ErrNotFound},
		{name: "wrong key", c: bad, ref: bad.ref(ref.ID), want: sdk.ErrUnauthorized, wantIn: "fd-wrong"},
		{name: "other account", c: c, ref: sdk.TicketRef{Connector: ref.Connector, Account: "x", ID: ref.ID}, want: sdk.ErrInvalid},
		{name: "placeholder id", c: c, ref: c.ref("{{ticket.id}}"), want: sdk.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Ticket(t.Context(), tt.ref)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("Ticket() = %v; want %v containing %q", err, tt.want, tt.wantIn)
			}
		})
	}
}

func TestMappings(t *testing.T) {
	tests := []struct {
		n        int
		status   sdk.Status
		priority sdk.Priority
	}{
		{0, sdk.StatusUnknown, sdk.PriorityUnknown},
		{1, sdk.StatusUnknown, sdk.P3},
		{2, sdk.StatusOpen, sdk.P2},
		{3, sdk.StatusPending, sdk.P1},
		{4, sdk.StatusSolved, sdk.P0},
		{5, sdk.StatusClosed, sdk.PriorityUnknown},
		{6, sdk.StatusUnknown, sdk.PriorityUnknown},
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.n)), func(t *testing.T) {
			if got := status(tt.n); got != tt.status {
				t.Errorf("status(%d) = %q; want %q", tt.n, got, tt.status)
			}
			if got := priority(tt.n); got != tt.priority {
				t.Errorf("priority(%d) = %q; want %q", tt.n, got, tt.priority)
			}
			if tt.priority != sdk.PriorityUnknown && vendorPriority(tt.priority) != tt.n {
				t.Errorf("vendorPriority(%q) = %d; want %d", tt.priority, vendorPriority(tt.priority), tt.n)
			}
		})
	}
}
