package zendesk_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/sandbox"
	sbzendesk "github.com/heardhq/heard/sandbox/zendesk"
	"github.com/heardhq/heard/sdk"
)

// fixture is one sandbox account with a connector and a webhook receiver.
type fixture struct {
	sb    *sandbox.Server
	desk  *sbzendesk.Desk
	root  string
	acct  sandbox.Account
	conn  *zendesk.Connector
	hooks *hooks
}

// hooks records the webhooks delivered to it.
type hooks struct {
	mu  sync.Mutex
	got []delivery
}

type delivery struct {
	header http.Header
	body   []byte
}

func (h *hooks) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

func (h *hooks) since(i int) []delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got[i:])
}

// newFixture sets up a sandbox account named name. customFields, when not
// nil, replaces the default plan/mrr mapping; wrap, when not nil, wraps the
// connector's HTTP transport.
func newFixture(t *testing.T, customFields map[string]string, wrap func(http.RoundTripper) http.RoundTripper) *fixture {
	t.Helper()
	f := &fixture{sb: sandbox.New(nil), hooks: &hooks{}}
	f.desk = sbzendesk.New(f.sb)
	root := httptest.NewServer(f.sb)
	t.Cleanup(root.Close)
	f.root = root.URL
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.hooks.mu.Lock()
		f.hooks.got = append(f.hooks.got, delivery{header: r.Header.Clone(), body: b})
		f.hooks.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(recv.Close)
	if customFields == nil {
		customFields = map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr"}
	}
	f.acct = sandbox.Account{
		Name: "acme", Email: "heard@acme.example", APIToken: "tok-" + t.Name(),
		Webhook: sandbox.Webhook{URL: recv.URL, Secret: "whsec-" + t.Name()}, CustomFields: customFields,
	}
	if err := f.desk.AddAccount(f.acct); err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	var opts connectorOptions
	if wrap != nil {
		opts.httpClient = &http.Client{Transport: wrap(http.DefaultTransport)}
	}
	f.conn = newConnector(t, "acme-zendesk", f.acct, f.desk.BaseURL(f.root, f.acct.Name), opts)
	t.Cleanup(func() {
		for _, v := range f.sb.Violations() {
			t.Errorf("sandbox recorded a contract violation: %s", v)
		}
	})
	return f
}

func newTicket() sandbox.NewTicket {
	return sandbox.NewTicket{
		Subject: "Charged twice", Body: "We were charged twice for INV-2291.",
		Requester: sandbox.Person{Name: "Dana Whitfield", Email: "dana@northwind.example"},
		Tags:      []string{"vip"},
	}
}

// create opens a ticket and returns its ref.
func (f *fixture) create(t *testing.T, nt sandbox.NewTicket) sdk.TicketRef {
	t.Helper()
	id, err := f.desk.CreateTicket(t.Context(), f.acct.Name, nt)
	if err != nil {
		t.Fatalf("CreateTicket: %v", err)
	}
	return sdk.TicketRef{Connector: "acme-zendesk", Account: f.acct.Name, ID: id}
}

func (f *fixture) state(t *testing.T, id string) sandbox.TicketState {
	t.Helper()
	st, err := f.desk.State(f.acct.Name, id)
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	return st
}

// requests counts the sandbox requests with method whose path ends with suffix.
func (f *fixture) requests(method, suffix string) []sandbox.Request {
	var out []sandbox.Request
	for _, r := range f.sb.Requests("zendesk") {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

func notes(st sandbox.TicketState, text string) int {
	n := 0
	for _, nt := range st.Notes {
		if strings.Contains(nt.Body, text) {
			n++
		}
	}
	return n
}

func triage(note, fp string) sdk.Changes {
	p := sdk.P1
	return sdk.Changes{AddTags: []string{"billing", "heard-triaged"}, Priority: &p, InternalNote: note, Fingerprint: fp}
}

func TestApplyConflictFaults(t *testing.T) {
	tests := []struct {
		name       string
		conflicts  int
		wantErr    error
		wantPUTs   int
		wantWrites int
		wantNotes  int
	}{
		{name: "one 409 is retried once after a re-read", conflicts: 1, wantPUTs: 2, wantWrites: 1, wantNotes: 1},
		{name: "a second 409 surfaces as ErrConflict", conflicts: 2, wantErr: vendorapi.ErrConflict, wantPUTs: 2, wantWrites: 0, wantNotes: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil, nil)
			ref := f.create(t, newTicket())
			f.sb.Faults.Add(sandbox.Fault{Vendor: "zendesk", Method: http.MethodPut, Status: http.StatusConflict, Times: tc.conflicts,
				Body: `{"error":"UpdateConflict","description":"Safe Update prevented the update"}`})
			err := f.conn.Apply(t.Context(), ref, triage("Conflict check", "fp-409"))
			if tc.wantErr == nil && err != nil {
				t.Fatalf("Apply = %v; want success", err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("Apply = %v; want an error wrapping %v", err, tc.wantErr)
			}
			if got := len(f.requests(http.MethodPut, "/tickets/"+ref.ID)); got != tc.wantPUTs {
				t.Errorf("PUTs = %d; want %d", got, tc.wantPUTs)
			}
			if got := len(f.requests(http.MethodGet, "/tickets/"+ref.ID)); got != tc.wantPUTs {
				t.Errorf("ticket reads = %d; want %d (one before each PUT)", got, tc.wantPUTs)
			}
			st := f.state(t, ref.ID)
			if st.Writes != tc.wantWrites || notes(st, "Conflict check") != tc.wantNotes {
				t.Errorf("writes = %d, notes = %d; want %d and %d", st.Writes, notes(st, "Conflict check"), tc.wantWrites, tc.wantNotes)
			}
		})
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestApplyGenuineConflict: an agent solves the ticket (new tags, new
// updated_at) between heard's read and its PUT; safe_update makes the
// sandbox answer 409, and the retry merges heard's tags into the agent's.
func TestApplyGenuineConflict(t *testing.T) {
	var f *fixture
	var ticketID string
	var fired atomic.Bool
	f = newFixture(t, nil, func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodPut && fired.CompareAndSwap(false, true) {
				if err := f.desk.Solve(r.Context(), f.acct.Name, ticketID, "P3", []string{"vip", "refund"}); err != nil {
					t.Errorf("Solve: %v", err)
				}
			}
			return next.RoundTrip(r)
		})
	})
	ref := f.create(t, newTicket())
	ticketID = ref.ID
	if err := f.conn.Apply(t.Context(), ref, triage("Race check", "fp-race")); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	st := f.state(t, ref.ID)
	for _, tag := range []string{"vip", "refund", "billing", "heard-triaged"} {
		if !slices.Contains(st.Tags, tag) {
			t.Errorf("tags %v lack %q", st.Tags, tag)
		}
	}
	if st.Status != "solved" || st.Priority != "high" || st.Writes != 1 || notes(st, "Race check") != 1 {
		t.Errorf("state = %+v; want solved, priority high, 1 write, 1 note", st)
	}
	if got := len(f.requests(http.MethodPut, "/tickets/"+ref.ID)); got != 2 {
		t.Errorf("PUTs = %d; want 2 (the first refused by safe_update)", got)
	}
}

// TestApplyIsIdempotentAcrossCrashes: Apply called again with the same
// fingerprint, as a job retried after a crash would, never posts the note
// twice.
func TestApplyIsIdempotentAcrossCrashes(t *testing.T) {
	more := triage("Crash check", "fp-crash")
	more.AddTags = append(more.AddTags, "refund")
	tests := []struct {
		name       string
		second     sdk.Changes
		loseReply  bool // the first PUT is applied but its response never arrives
		wantPUTs   int
		wantWrites int
		wantTag    string
	}{
		{name: "same changes: nothing is written", second: triage("Crash check", "fp-crash"), wantPUTs: 1, wantWrites: 1},
		{name: "a new tag: written without the note", second: more, wantPUTs: 2, wantWrites: 2, wantTag: "refund"},
		{name: "response lost after Zendesk applied the PUT", second: triage("Crash check", "fp-crash"), loseReply: true, wantPUTs: 2, wantWrites: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var lost atomic.Bool
			f := newFixture(t, nil, func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					resp, err := next.RoundTrip(r)
					if err == nil && tc.loseReply && r.Method == http.MethodPut && lost.CompareAndSwap(false, true) {
						resp.Body.Close()
						return nil, errors.New("connection reset by peer")
					}
					return resp, err
				})
			})
			ref := f.create(t, newTicket())
			first := f.conn.Apply(t.Context(), ref, triage("Crash check", "fp-crash"))
			if tc.loseReply {
				// vendorapi retried the PUT: Zendesk answered 409 (stale
				// updated_stamp); Apply re-read and found its note.
				if first != nil {
					t.Fatalf("Apply with a lost response = %v; want success after the re-read", first)
				}
			} else {
				if first != nil {
					t.Fatalf("first Apply: %v", first)
				}
				if err := f.conn.Apply(t.Context(), ref, tc.second); err != nil {
					t.Fatalf("second Apply: %v", err)
				}
			}
			st := f.state(t, ref.ID)
			if n := notes(st, "Crash check"); n != 1 {
				t.Errorf("notes = %d; want exactly 1 (%+v)", n, st.Notes)
			}
			if st.Writes != tc.wantWrites {
				t.Errorf("writes = %d; want %d", st.Writes, tc.wantWrites)
			}
			if got := len(f.requests(http.MethodPut, "/tickets/"+ref.ID)); got != tc.wantPUTs {
				t.Errorf("PUTs = %d; want %d", got, tc.wantPUTs)
			}
			if tc.wantTag != "" && !slices.Contains(st.Tags, tc.wantTag) {
				t.Errorf("tags %v lack %q", st.Tags, tc.wantTag)
			}
			for _, r := range f.requests(http.MethodPut, "/tickets/"+ref.ID)[1:] {
				if strings.Contains(string(r.Body), "Crash check") && !tc.loseReply {
					t.Errorf("a later PUT carried the note again: %s", r.Body)
				}
			}
		})
	}
}

// TestApplyRequestShape checks the one PUT against CONTRACTS.md §1.5.
func TestApplyRequestShape(t *testing.T) {
	f := newFixture(t, nil, nil)
	ref := f.create(t, newTicket())
	ch := triage("Line one & <two>\nline two\n\nNext paragraph", "fp-shape")
	ch.Fields = map[string]string{sdk.FieldProductArea: "billing", "unmapped": "x"}
	if err := f.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	puts := f.requests(http.MethodPut, "/tickets/"+ref.ID)
	if len(puts) != 1 {
		t.Fatalf("PUTs = %d; want 1", len(puts))
	}
	var body struct {
		Ticket map[string]json.RawMessage `json:"ticket"`
	}
	if err := json.Unmarshal(puts[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	tk := body.Ticket
	st := f.state(t, ref.ID)
	tests := []struct {
		name, key, want string
	}{
		{name: "tags are the union, existing first", key: "tags", want: `["vip","billing","heard-triaged"]`},
		{name: "priority is Zendesk's value", key: "priority", want: `"high"`},
		{name: "custom fields by id, unmapped ones left out", key: "custom_fields", want: `[{"id":360012345678,"value":"billing"}]`},
		{name: "note is private escaped HTML with the marker", key: "comment",
			want: `{"html_body":"\u003cp\u003eLine one \u0026amp; \u0026lt;two\u0026gt;\u003cbr\u003eline two\u003c/p\u003e\u003cp\u003eNext paragraph\u003c/p\u003e\u003cp\u003e— heard [fp:fp-shape]\u003c/p\u003e","public":false}`},
		{name: "safe_update is on", key: "safe_update", want: `true`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(tk[tc.key]); got != tc.want {
				t.Errorf("ticket.%s = %s; want %s", tc.key, got, tc.want)
			}
		})
	}
	var stamp string
	if err := json.Unmarshal(tk["updated_stamp"], &stamp); err != nil || stamp == "" {
		t.Errorf("updated_stamp = %s; want the ticket's updated_at", tk["updated_stamp"])
	}
	if got := st.Fields["360012345678"]; got != "billing" {
		t.Errorf("field 360012345678 = %q; want billing", got)
	}
}

// TestOwnWritesCarryTheBot: the events Apply causes name the bot user (the
// API user) and decode to nothing, while an agent's change still decodes.
func TestOwnWritesCarryTheBot(t *testing.T) {
	f := newFixture(t, nil, nil)
	ref := f.create(t, newTicket())
	bot, err := f.desk.BotUserID(f.acct.Name)
	if err != nil {
		t.Fatal(err)
	}
	before := f.hooks.count()
	if err := f.conn.Apply(t.Context(), ref, triage("Loop check", "fp-loop")); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	own := f.hooks.since(before)
	if len(own) < 3 {
		t.Fatalf("Apply caused %d webhooks; want comment_added, priority_changed and tags_changed", len(own))
	}
	for _, d := range own {
		var p struct {
			Type   string `json:"type"`
			Detail struct {
				ActorID string `json:"actor_id"`
			} `json:"detail"`
		}
		if err := json.Unmarshal(d.body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Detail.ActorID != bot {
			t.Errorf("%s actor_id = %q; want the bot %q", p.Type, p.Detail.ActorID, bot)
		}
		if err := f.conn.VerifyWebhook(d.header, d.body); err != nil {
			t.Errorf("%s: VerifyWebhook = %v", p.Type, err)
		}
		if evs, err := f.conn.DecodeWebhook(d.header, d.body); err != nil || len(evs) != 0 {
			t.Errorf("%s decoded to %+v, %v; want it dropped", p.Type, evs, err)
		}
	}
	before = f.hooks.count()
	if err := f.desk.Solve(t.Context(), f.acct.Name, ref.ID, "P2", nil); err != nil {
		t.Fatalf("Solve: %v", err)
	}
	var kinds []sdk.EventKind
	for _, d := range f.hooks.since(before) {
		evs, err := f.conn.DecodeWebhook(d.header, d.body)
		if err != nil {
			t.Fatalf("DecodeWebhook: %v", err)
		}
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
		}
	}
	if !slices.Contains(kinds, sdk.EventTicketSolved) {
		t.Errorf("the agent's Solve decoded to %v; want a ticket.solved event", kinds)
	}
}

// TestBotDiscovery: without bot_user_id the bot is found once with
// GET /api/v2/users/me, and its events are dropped from then on.
func TestBotDiscovery(t *testing.T) {
	f := newFixture(t, nil, nil)
	ref := f.create(t, newTicket())
	bot, _ := f.desk.BotUserID(f.acct.Name)
	body := []byte(`{"type":"zen:event-type:ticket.tags_changed","id":"ev-1","detail":{"id":"` + ref.ID + `","actor_id":"` + bot + `"}}`)
	if evs, _ := f.conn.DecodeWebhook(http.Header{}, body); len(evs) != 1 {
		t.Fatalf("before discovery: %d events; want 1 (the bot is not known yet)", len(evs))
	}
	for range 3 {
		if _, err := f.conn.Ticket(t.Context(), ref); err != nil {
			t.Fatalf("Ticket: %v", err)
		}
	}
	if evs, _ := f.conn.DecodeWebhook(http.Header{}, body); len(evs) != 0 {
		t.Errorf("after discovery: %d events; want the bot's event dropped", len(evs))
	}
	if n := len(f.requests(http.MethodGet, "/users/me")); n != 1 {
		t.Errorf("users/me called %d times; want once", n)
	}
}

// TestTicketContext checks customer attributes (user fields first, then
// organization fields, unknowns absent), recent tickets, the bot's note as
// a private agent message, and mapped ticket fields.
func TestTicketContext(t *testing.T) {
	f := newFixture(t, map[string]string{
		sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrLTV: "ltv", sdk.AttrPaymentStatus: "payment_status",
	}, nil)
	now := time.Now().UTC()
	nt := newTicket()
	nt.Organization = "Northwind Traders"
	nt.Customer = map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400", sdk.AttrPaymentStatus: "failed", sdk.AttrLastLogin: "2026-01-01T00:00:00Z"}
	nt.Created = now.Add(-3 * time.Hour)
	oldest := f.create(t, nt)
	nt.Created = now.Add(-2 * time.Hour)
	middle := f.create(t, nt)
	nt.Created = now.Add(-1 * time.Hour)
	ref := f.create(t, nt)
	other := newTicket()
	other.Requester = sandbox.Person{Name: "Someone Else", Email: "else@example.com"}
	f.create(t, other)
	if err := f.desk.Reply(t.Context(), f.acct.Name, oldest.ID, "Still waiting"); err != nil { // now the most recently updated
		t.Fatal(err)
	}
	ch := triage("Internal <summary>", "fp-ctx")
	ch.Fields = map[string]string{sdk.FieldProductArea: "billing"}
	if err := f.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	tk, err := f.conn.Ticket(t.Context(), ref)
	if err != nil {
		t.Fatalf("Ticket: %v", err)
	}
	wantCustomer := map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400", sdk.AttrPaymentStatus: "failed"}
	if len(tk.Customer) != len(wantCustomer) {
		t.Errorf("Customer = %v; want exactly %v (ltv unset and last_login unmapped stay unknown)", tk.Customer, wantCustomer)
	}
	for k, v := range wantCustomer {
		if tk.Customer[k] != v {
			t.Errorf("Customer[%s] = %q; want %q", k, tk.Customer[k], v)
		}
	}
	if got, want := tk.Recent, []sdk.TicketRef{oldest, middle}; !slices.Equal(got, want) {
		t.Errorf("Recent = %v; want %v (most recently updated first, without this ticket or other requesters')", got, want)
	}
	if tk.Priority != sdk.P1 || tk.Status != sdk.StatusNew || tk.Fields[sdk.FieldProductArea] != "billing" {
		t.Errorf("priority %q, status %q, fields %v; want P1, new, product_area=billing", tk.Priority, tk.Status, tk.Fields)
	}
	if tk.Organization.Name != "Northwind Traders" || tk.Organization.ID == "" || tk.Requester.ID == "" {
		t.Errorf("Organization = %+v, Requester = %+v; want both with ids", tk.Organization, tk.Requester)
	}
	if len(tk.Messages) != 2 {
		t.Fatalf("Messages = %+v; want the opening message and heard's note", tk.Messages)
	}
	first, note := tk.Messages[0], tk.Messages[1]
	if first.FromAgent || !first.Public || first.Author.Email != "dana@northwind.example" {
		t.Errorf("first message = %+v; want public, from the customer", first)
	}
	if !note.FromAgent || note.Public || note.Body != "Internal <summary>\n\n— heard [fp:fp-ctx]" {
		t.Errorf("note = %+v; want a private agent message in plain text", note)
	}
}

func TestListArticlesIncremental(t *testing.T) {
	f := newFixture(t, nil, nil)
	since := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		if _, err := f.desk.AddArticle(f.acct.Name, sandbox.Article{Title: "old " + string(rune('a'+i)), Body: "<p>old</p>", Updated: since.Add(-time.Duration(i+1) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	const fresh = 130 // more than one incremental page
	want := map[string]bool{}
	for i := range fresh {
		title := "new " + time.Duration(i).String()
		if _, err := f.desk.AddArticle(f.acct.Name, sandbox.Article{Title: title, Body: "<p>new</p>", Section: "Billing", Updated: since.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		want[title] = true
	}
	got := map[string]sdk.Article{}
	cursor, pages := "", 0
	for {
		resp, err := f.conn.ListArticles(t.Context(), &sdk.ListArticlesRequest{UpdatedSince: since, Cursor: cursor})
		if err != nil {
			t.Fatalf("ListArticles page %d: %v", pages+1, err)
		}
		pages++
		for _, a := range resp.Articles {
			got[a.Title] = a
		}
		if resp.NextCursor == "" || pages > 10 {
			break
		}
		cursor = resp.NextCursor
	}
	if pages < 2 || pages > 3 {
		t.Errorf("%d changed articles came in %d pages; want 2 or 3", fresh, pages)
	}
	for title := range want {
		a, ok := got[title]
		if !ok {
			t.Errorf("changed article %q not listed", title)
			continue
		}
		if a.UpdatedAt.Before(since) || a.URL == "" || a.Section == "" || a.Locale != "en-us" {
			t.Errorf("article %q = %+v", title, a)
		}
	}
	for title := range got {
		if !want[title] {
			t.Errorf("article %q changed before UpdatedSince but was listed", title)
		}
	}
	reqs := f.requests(http.MethodGet, "/help_center/incremental/articles")
	if len(reqs) != pages || !strings.Contains(reqs[0].Query, "start_time=1769904000") {
		t.Errorf("incremental requests = %+v; want %d, the first with start_time=%d", reqs, pages, since.Unix())
	}
}

// TestTicketReusesRecentPeople: tickets of one customer fetched within a
// minute ask Zendesk for the requester and the organization once, while
// each ticket and its comments are fetched every time; a minute later the
// requester is fetched again.
func TestTicketReusesRecentPeople(t *testing.T) {
	f := newFixture(t, nil, nil)
	var offset atomic.Int64
	f.conn = newConnector(t, "acme-zendesk", f.acct, f.desk.BaseURL(f.root, f.acct.Name), connectorOptions{
		now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) },
	})
	nt := newTicket()
	nt.Organization = "Northwind Traders"
	nt.Customer = map[string]string{sdk.AttrPlan: "enterprise"}
	a, b := f.create(t, nt), f.create(t, nt)
	other := newTicket()
	other.Requester = sandbox.Person{Name: "Someone Else", Email: "else@example.com"}
	c := f.create(t, other)
	for _, ref := range []sdk.TicketRef{a, b, a, c} {
		tk, err := f.conn.Ticket(t.Context(), ref)
		if err != nil {
			t.Fatalf("Ticket %s: %v", ref.ID, err)
		}
		if tk.Requester.ID == "" || tk.Customer[sdk.AttrPlan] == "" && ref != c {
			t.Fatalf("Ticket %s: requester %+v, customer %v; want both", ref.ID, tk.Requester, tk.Customer)
		}
	}
	users, orgs := map[string]int{}, 0
	var comments int
	for _, r := range f.requests(http.MethodGet, "") {
		_, p, ok := strings.Cut(strings.TrimSuffix(r.Path, ".json"), "/api/v2/")
		if !ok {
			continue
		}
		switch parts := strings.Split(p, "/"); {
		case len(parts) == 2 && parts[0] == "users" && parts[1] != "me":
			users[parts[1]]++
		case len(parts) == 2 && parts[0] == "organizations":
			orgs++
		case len(parts) == 3 && parts[0] == "tickets" && parts[2] == "comments":
			comments++
		}
	}
	if len(users) != 2 {
		t.Errorf("users fetched: %v; want the two requesters", users)
	}
	for id, n := range users {
		if n != 1 {
			t.Errorf("user %s fetched %d times for its tickets; want once", id, n)
		}
	}
	if orgs != 1 {
		t.Errorf("organization fetched %d times; want once", orgs)
	}
	if comments != 4 {
		t.Errorf("comments fetched %d times; want 4 (every Ticket call)", comments)
	}

	before := len(f.requests(http.MethodGet, ""))
	offset.Store(int64(time.Minute))
	if _, err := f.conn.Ticket(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	var again int
	for _, r := range f.requests(http.MethodGet, "")[before:] {
		if strings.Contains(r.Path, "/api/v2/users/") && !strings.Contains(r.Path, "/tickets/") && !strings.HasSuffix(r.Path, "/me.json") && !strings.HasSuffix(r.Path, "/me") {
			again++
		}
	}
	if again != 1 {
		t.Errorf("a minute later the requester was fetched %d times; want once (kept records expire)", again)
	}
}
