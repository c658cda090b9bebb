package intercom

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sandbox"
	intercomdesk "github.com/heardhq/heard/sandbox/intercom"
	"github.com/heardhq/heard/sdk"
)

// deskEnv is a sandbox with one workspace "acme" and a connector for it.
type deskEnv struct {
	sb       *sandbox.Server
	desk     *intercomdesk.Desk
	conn     *Connector
	statuses *statusLog
}

// statusLog records the status and X-RateLimit-Reset of every answer.
type statusLog struct {
	mu     sync.Mutex
	status []int
	resets []string
}

func (l *statusLog) count(status int) (n int, resets []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, s := range l.status {
		if s == status {
			n++
			resets = append(resets, l.resets[i])
		}
	}
	return n, resets
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(s int) { r.status = s; r.ResponseWriter.WriteHeader(s) }

func newDeskEnv(t *testing.T, acct func(*sandbox.Account), cfg func(*Config)) *deskEnv {
	t.Helper()
	sb := sandbox.New(nil)
	desk, err := intercomdesk.New(sb)
	if err != nil {
		t.Fatal(err)
	}
	e := &deskEnv{sb: sb, desk: desk, statuses: &statusLog{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		sb.ServeHTTP(rec, r)
		e.statuses.mu.Lock()
		e.statuses.status = append(e.statuses.status, rec.status)
		e.statuses.resets = append(e.statuses.resets, rec.Header().Get("X-RateLimit-Reset"))
		e.statuses.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	a := sandbox.Account{Name: "acme", APIToken: "tok-acme", APIVersion: "2.15", BotUserID: "",
		Webhook:      sandbox.Webhook{Secret: "whsec"},
		CustomFields: map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrLTV: "ltv"}}
	if acct != nil {
		acct(&a)
	}
	if err := desk.AddAccount(a); err != nil {
		t.Fatal(err)
	}
	c := Config{Workspace: "acme", AppID: "acme", AccessToken: sdk.Secret(a.APIToken), ClientSecret: "whsec",
		BaseURL: desk.BaseURL(srv.URL, "acme"), APIVersion: "2.15",
		CustomAttributes: map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "company.mrr"},
		RateLimit:        vendorapi.Config{RetryBase: 10 * time.Millisecond, RetryMax: 5 * time.Second}}
	if cfg != nil {
		cfg(&c)
	}
	e.conn = newTestConnector(t, c, time.Now())
	return e
}

func (e *deskEnv) create(t *testing.T, nt sandbox.NewTicket) sdk.TicketRef {
	t.Helper()
	id, err := e.desk.CreateTicket(t.Context(), "acme", nt)
	if err != nil {
		t.Fatalf("CreateTicket: %v", err)
	}
	return e.conn.ref(id)
}

func (e *deskEnv) state(t *testing.T, ref sdk.TicketRef) sandbox.TicketState {
	t.Helper()
	st, err := e.desk.State("acme", ref.ID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// calls counts the requests heard made for method and path suffix.
func (e *deskEnv) calls(method, suffix string) int {
	n := 0
	for _, r := range e.sb.Requests("intercom") {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

func (e *deskEnv) noViolations(t *testing.T) {
	t.Helper()
	for _, v := range e.sb.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}

func dana(org string, customer map[string]string) sandbox.NewTicket {
	return sandbox.NewTicket{Subject: "Charged twice", Body: "<p>Charged twice for <b>INV-7</b> &amp; more.</p>",
		Requester: sandbox.Person{Name: "Dana", Email: "dana@example.com"}, Organization: org, Customer: customer, Tags: []string{"VIP"}}
}

func TestTicket(t *testing.T) {
	tests := []struct {
		name         string
		org          string
		wantOrg      string
		wantCustomer map[string]string
	}{
		// plan: bare name (company, then contact); mrr: company only; ltv
		// is held by the desk but not mapped.
		{name: "attributes on the company", org: "Northwind", wantOrg: "Northwind", wantCustomer: map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400"}},
		{name: "attributes on the contact", wantCustomer: map[string]string{sdk.AttrPlan: "enterprise"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newDeskEnv(t, nil, nil)
			customer := map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400", sdk.AttrLTV: "9000"}
			older := e.create(t, dana(tt.org, customer))
			ref := e.create(t, dana(tt.org, customer))
			if err := e.desk.Reply(t.Context(), "acme", ref.ID, "Any <i>news</i>?"); err != nil {
				t.Fatal(err)
			}
			tk, err := e.conn.Ticket(t.Context(), ref)
			if err != nil {
				t.Fatalf("Ticket: %v", err)
			}
			if tk.Ref != ref || tk.Subject != "Charged twice" || tk.Status != sdk.StatusOpen || tk.Priority != sdk.P3 {
				t.Errorf("ticket = ref %+v subject %q status %q priority %q, want %+v, Charged twice, open, P3 (not_priority)", tk.Ref, tk.Subject, tk.Status, tk.Priority, ref)
			}
			if len(tk.Messages) != 2 || tk.Messages[0].Body != "Charged twice for INV-7 & more." || tk.Messages[1].Body != "Any news?" ||
				tk.Messages[0].FromAgent || !tk.Messages[1].Public {
				t.Errorf("messages = %+v, want the source then the reply, as public customer plain text", tk.Messages)
			}
			if tk.Requester.Name != "Dana" || tk.Requester.Email != "dana@example.com" || tk.Requester.ID == "" {
				t.Errorf("requester = %+v", tk.Requester)
			}
			if tk.Organization.Name != tt.wantOrg {
				t.Errorf("organization = %+v, want %q", tk.Organization, tt.wantOrg)
			}
			if len(tk.Customer) != len(tt.wantCustomer) {
				t.Errorf("customer = %v, want %v", tk.Customer, tt.wantCustomer)
			}
			for k, v := range tt.wantCustomer {
				if tk.Customer[k] != v {
					t.Errorf("customer[%s] = %q, want %q (all: %v)", k, tk.Customer[k], v, tk.Customer)
				}
			}
			if !slices.Equal(tk.Tags, []string{"VIP"}) {
				t.Errorf("tags = %v, want [VIP]", tk.Tags)
			}
			if !slices.Equal(tk.Recent, []sdk.TicketRef{older}) {
				t.Errorf("recent = %v, want [%v]", tk.Recent, older)
			}
			if tk.CreatedAt.IsZero() || tk.UpdatedAt.Before(tk.CreatedAt) {
				t.Errorf("times = %s, %s", tk.CreatedAt, tk.UpdatedAt)
			}
			e.noViolations(t)
		})
	}
}

func TestTicketErrors(t *testing.T) {
	e := newDeskEnv(t, nil, nil)
	tests := []struct {
		name string
		ref  sdk.TicketRef
		want error
	}{
		{name: "missing conversation", ref: e.conn.ref("424242"), want: sdk.ErrNotFound},
		{name: "other workspace", ref: sdk.TicketRef{Connector: "acme-intercom", Account: "other", ID: "1"}, want: sdk.ErrInvalid},
		{name: "not a conversation id", ref: e.conn.ref("../me"), want: sdk.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.conn.Ticket(t.Context(), tt.ref); !errors.Is(err, tt.want) {
				t.Errorf("Ticket() = %v, want %v", err, tt.want)
			}
			if err := e.conn.Apply(t.Context(), tt.ref, sdk.Changes{InternalNote: "x"}); !errors.Is(err, tt.want) {
				t.Errorf("Apply() = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestApplyRetriedNote: a write-back that failed after posting its note is
// retried; the note is not posted twice and the rest is completed.
func TestApplyRetriedNote(t *testing.T) {
	e := newDeskEnv(t, nil, nil)
	ref := e.create(t, dana("Northwind", nil))
	p := sdk.P0
	ch := sdk.Changes{InternalNote: "Triage: P0 billing.\n\nSuggested reply: refund INV-7 <now>.", Fingerprint: "fp-7", AddTags: []string{"billing", "vip"}, Priority: &p}
	// The tag step fails for good (400 is not retried).
	e.sb.Faults.Add(sandbox.Fault{Vendor: "intercom", Method: http.MethodGet, PathContains: "/tags", Status: http.StatusBadRequest,
		Body: `{"type":"error.list","errors":[{"code":"parameter_invalid","message":"boom"}]}`})
	if err := e.conn.Apply(t.Context(), ref, ch); !errors.Is(err, sdk.ErrInvalid) {
		t.Fatalf("first Apply = %v, want the tag step's ErrInvalid", err)
	}
	if st := e.state(t, ref); len(st.Notes) != 1 || st.Writes != 1 {
		t.Fatalf("after the failed Apply: %+v, want the note written once", st)
	}
	for i := range 2 {
		if err := e.conn.Apply(t.Context(), ref, ch); err != nil {
			t.Fatalf("retry %d: %v", i+1, err)
		}
	}
	st := e.state(t, ref)
	if len(st.Notes) != 1 || !strings.Contains(st.Notes[0].Body, "Suggested reply: refund INV-7 <now>.") || !strings.Contains(st.Notes[0].Body, "— heard [fp:fp-7]") {
		t.Errorf("notes = %+v, want exactly one, with the text and heard's marker", st.Notes)
	}
	if want := []string{"VIP", "billing", "heard-priority-p0"}; !slices.Equal(st.Tags, want) {
		t.Errorf("tags = %v, want %v (VIP kept, vip matched case-insensitively)", st.Tags, want)
	}
	if st.Priority != "not_priority" {
		t.Errorf("priority = %q: 2.15 cannot write it, it must stay", st.Priority)
	}
	if st.Writes != 3 {
		t.Errorf("writes = %d, want 3: the note once, then two tags", st.Writes)
	}
	if n := e.calls(http.MethodGet, "/me"); n != 1 {
		t.Errorf("GET /me called %d times, want once (the admin id is kept)", n)
	}
	// Another fingerprint is another note.
	ch.Fingerprint = "fp-8"
	if err := e.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, ref); len(st.Notes) != 2 {
		t.Errorf("notes = %d, want 2 after a new fingerprint", len(st.Notes))
	}
	e.noViolations(t)
}

func TestApplyTagsAndAttributes(t *testing.T) {
	e := newDeskEnv(t, nil, func(c *Config) {
		c.AdminID = "" // discovered
		c.ConversationAttributes = map[string]string{sdk.FieldProductArea: "Product area", sdk.FieldSentiment: "Sentiment"}
	})
	ref := e.create(t, dana("", nil))
	other := e.create(t, sandbox.NewTicket{Subject: "x", Body: "y", Requester: sandbox.Person{Email: "o@example.com"}, Tags: []string{"billing"}})
	_ = other // makes "billing" an existing workspace tag
	ch := sdk.Changes{AddTags: []string{"billing", " Billing ", "new-tag"}, Fields: map[string]string{sdk.FieldProductArea: "invoices", sdk.FieldLanguage: "en"}}
	if err := e.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatal(err)
	}
	st := e.state(t, ref)
	if want := []string{"VIP", "billing", "new-tag"}; !slices.Equal(st.Tags, want) {
		t.Errorf("tags = %v, want %v", st.Tags, want)
	}
	if len(st.Fields) != 1 || st.Fields["Product area"] != "invoices" {
		t.Errorf("fields = %v, want only the mapped Product area", st.Fields)
	}
	if st.Writes != 3 || e.calls(http.MethodPost, "/tags") != 3 || e.calls(http.MethodPut, "/conversations/"+ref.ID) != 1 {
		t.Errorf("writes %d, POST …/tags %d: want 2 tag attaches + 1 PUT, and one POST /tags for the one new tag", st.Writes, e.calls(http.MethodPost, "/tags"))
	}
	// Everything holds already: no write at all.
	if err := e.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatal(err)
	}
	if again := e.state(t, ref); again.Writes != st.Writes {
		t.Errorf("writes %d → %d on an Apply that changes nothing", st.Writes, again.Writes)
	}
	tk, err := e.conn.Ticket(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Fields[sdk.FieldProductArea] != "invoices" {
		t.Errorf("Ticket fields = %v, want product_area from the mapped attribute", tk.Fields)
	}
	e.noViolations(t)
}

// TestRateLimitRiddenOut: the workspace answers 429 with X-RateLimit-Reset
// and no Retry-After; the connector waits until the reset and succeeds.
func TestRateLimitRiddenOut(t *testing.T) {
	e := newDeskEnv(t, func(a *sandbox.Account) { a.RatePerMinute = 120 }, nil)
	e.desk.RateWindow = time.Second // 2 requests per second
	ref := e.create(t, dana("Northwind", nil))
	for range 2 { // 8 calls: more than two windows' budget
		if _, err := e.conn.Ticket(t.Context(), ref); err != nil {
			t.Fatalf("Ticket under the rate limit: %v", err)
		}
	}
	n, resets := e.statuses.count(http.StatusTooManyRequests)
	if n == 0 {
		t.Fatal("the sandbox answered no 429; the test exercises nothing")
	}
	for _, r := range resets {
		if r == "" {
			t.Errorf("a 429 without X-RateLimit-Reset")
		}
	}
	e.noViolations(t)
}

func TestListArticles(t *testing.T) {
	e := newDeskEnv(t, nil, nil)
	base := time.Now().Add(-100 * time.Hour).Truncate(time.Second)
	for i := range 60 {
		a := sandbox.Article{Title: "Article " + string(rune('A'+i%26)) + string(rune('a'+i/26)), Body: "Body", Locale: "en-us", Updated: base.Add(time.Duration(i) * time.Hour), Draft: i%10 == 0}
		if _, err := e.desk.AddArticle("acme", a); err != nil {
			t.Fatal(err)
		}
	}
	list := func(since time.Time) (n, pages int) {
		cursor := ""
		for {
			resp, err := e.conn.ListArticles(t.Context(), &sdk.ListArticlesRequest{Cursor: cursor, UpdatedSince: since})
			if err != nil {
				t.Fatalf("ListArticles: %v", err)
			}
			pages++
			for _, a := range resp.Articles {
				if a.URL == "" || a.ID == "" || a.UpdatedAt.Before(since) || a.Draft {
					t.Errorf("article %+v", a)
				}
			}
			n += len(resp.Articles)
			if cursor = resp.NextCursor; cursor == "" || pages > 10 {
				return n, pages
			}
		}
	}
	if n, pages := list(time.Time{}); n != 54 || pages != 3 {
		t.Errorf("listed %d articles in %d pages, want the 54 published in 3 pages of 25", n, pages)
	}
	// Updated in the last 10 hours (articles 50..59, one a draft): the
	// first page reaches past that, so paging stops there.
	if n, pages := list(base.Add(50 * time.Hour)); n != 9 || pages != 1 {
		t.Errorf("since: listed %d articles in %d pages, want 9 in 1", n, pages)
	}
	for _, bad := range []string{"page:0", "page:x", "after:", "nonsense"} {
		if _, err := e.conn.ListArticles(t.Context(), &sdk.ListArticlesRequest{Cursor: bad}); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("cursor %q: %v, want ErrInvalid", bad, err)
		}
	}
	e.noViolations(t)
}

// TestApplyNothingToWrite: fields no attribute is mapped to are not
// written, and nothing asks for the admin.
func TestApplyNothingToWrite(t *testing.T) {
	e := newDeskEnv(t, nil, nil)
	ref := e.create(t, dana("", nil))
	if err := e.conn.Apply(t.Context(), ref, sdk.Changes{Fields: map[string]string{sdk.FieldLanguage: "en"}, AddTags: []string{"vip"}}); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, ref); st.Writes != 0 || len(st.Fields) != 0 {
		t.Errorf("state = %+v, want nothing written", st)
	}
	if n := e.calls(http.MethodGet, "/me"); n != 0 {
		t.Errorf("GET /me called %d times, want 0 when nothing is written", n)
	}
	if err := e.conn.Apply(t.Context(), ref, sdk.Changes{}); err != nil || len(e.sb.Requests("intercom")) != 1 {
		t.Errorf("empty Apply = %v after %d requests, want nil without a call", err, len(e.sb.Requests("intercom")))
	}
}

// TestTicketReusesRecentContacts: conversations of one contact read within
// a minute ask Intercom for the contact and its companies once; each
// conversation is read every time; a minute later the contact is read
// again.
func TestTicketReusesRecentContacts(t *testing.T) {
	e := newDeskEnv(t, nil, nil)
	at := time.Now()
	clock := func() time.Time { return at }
	e.conn.contacts = vendorapi.NewRecent[string, *intercomapi.Contact](vendorapi.RecentTTL, clock)
	e.conn.contactCompanies = vendorapi.NewRecent[string, []intercomapi.Company](vendorapi.RecentTTL, clock)
	customer := map[string]string{sdk.AttrPlan: "enterprise"}
	a, b := e.create(t, dana("", customer)), e.create(t, dana("", customer))
	for _, ref := range []sdk.TicketRef{a, b, a} {
		tk, err := e.conn.Ticket(t.Context(), ref)
		if err != nil {
			t.Fatalf("Ticket: %v", err)
		}
		if tk.Requester.Email != "dana@example.com" || tk.Customer[sdk.AttrPlan] != "enterprise" {
			t.Fatalf("requester %+v, customer %v; want Dana on the enterprise plan from the contact", tk.Requester, tk.Customer)
		}
	}
	contacts := func() (contact, companies int) {
		for _, r := range e.sb.Requests("intercom") {
			_, p, ok := strings.Cut(r.Path, "/contacts/")
			if r.Method != http.MethodGet || !ok {
				continue
			}
			switch parts := strings.Split(p, "/"); {
			case len(parts) == 1:
				contact++
			case len(parts) == 2 && parts[1] == "companies":
				companies++
			}
		}
		return contact, companies
	}
	if n, m := contacts(); n != 1 || m != 1 {
		t.Errorf("3 conversations of one contact read the contact %d times and its companies %d times; want once each", n, m)
	}
	if n := e.calls(http.MethodGet, "/conversations/"+a.ID) + e.calls(http.MethodGet, "/conversations/"+b.ID); n != 3 {
		t.Errorf("conversations read %d times; want 3", n)
	}
	at = at.Add(vendorapi.RecentTTL)
	if _, err := e.conn.Ticket(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	if n, m := contacts(); n != 2 || m != 2 {
		t.Errorf("a minute later: contact read %d times, companies %d times in all; want twice each", n, m)
	}
	e.noViolations(t)
}
