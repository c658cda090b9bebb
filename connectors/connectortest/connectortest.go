package connectortest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

// Harness wires one vendor's connector to its sandbox emulation.
type Harness struct {
	// Desk is the vendor emulation, already registered on Sandbox.
	Desk    sandbox.Desk
	Sandbox *sandbox.Server
	// NewConnector builds a connector named name for account, calling the
	// sandbox at baseURL (Desk.BaseURL). Tests call it with wrong
	// credentials too.
	NewConnector func(t *testing.T, name string, account sandbox.Account, baseURL string) sdk.Connector
	// Priority is the vendor's encoding of each heard priority, as
	// TicketState.Priority shows it.
	Priority map[sdk.Priority]string
	// PriorityTag, when set, means the vendor (API version) cannot store a
	// priority and the connector writes it as this tag instead.
	PriorityTag map[sdk.Priority]string
	// UnsignedWebhooks: the vendor signs nothing (Freshdesk); webhooks carry
	// a shared secret (header or basic auth) instead, so a tampered body
	// cannot be detected but altered credentials must be.
	UnsignedWebhooks bool
	// MaxWritesPerApply is how many write calls one Apply may make
	// (Zendesk 1; Freshdesk 2: ticket + note; Intercom: note + tags + attributes).
	MaxWritesPerApply int
}

// Delivery is one webhook the vendor sent.
type Delivery struct {
	Header http.Header
	Body   []byte
}

// receiver captures the deliveries sent to it.
type receiver struct {
	mu   sync.Mutex
	got  []Delivery
	srv  *httptest.Server
	wake chan struct{}
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{wake: make(chan struct{}, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, Delivery{Header: req.Header.Clone(), Body: b})
		r.mu.Unlock()
		select {
		case r.wake <- struct{}{}:
		default:
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// since returns deliveries from index i on.
func (r *receiver) since(i int) []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got[i:]...)
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// next waits for the delivery at index i.
func (r *receiver) next(t *testing.T, i int) Delivery {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if ds := r.since(i); len(ds) > 0 {
			return ds[0]
		}
		select {
		case <-r.wake:
		case <-deadline:
			t.Fatalf("no webhook delivered (waited for delivery #%d)", i+1)
		}
	}
}

type env struct {
	h       Harness
	root    string
	account sandbox.Account
	conn    sdk.Connector
	recv    *receiver
	name    string
}

// Run runs the suite. Each subtest gets its own account.
func Run(t *testing.T, h Harness) {
	root := httptest.NewServer(h.Sandbox)
	t.Cleanup(root.Close)
	n := 0
	setup := func(t *testing.T, opts ...func(*sandbox.Account)) *env {
		t.Helper()
		n++
		recv := newReceiver(t)
		acct := sandbox.Account{
			Name:  strings.ReplaceAll(strings.ToLower(t.Name()[strings.LastIndex(t.Name(), "/")+1:]), "_", "") + string(rune('a'+n%26)),
			Email: "bot@heard.example", APIToken: "token-" + t.Name(),
			Webhook:      sandbox.Webhook{URL: recv.srv.URL, Secret: "whsec-" + t.Name()},
			CustomFields: map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr"},
			APIVersion:   "2.15",
		}
		if len(acct.Name) > 40 {
			acct.Name = acct.Name[:40]
		}
		for _, o := range opts {
			o(&acct)
		}
		if err := h.Desk.AddAccount(acct); err != nil {
			t.Fatalf("AddAccount: %v", err)
		}
		e := &env{h: h, root: root.URL, account: acct, recv: recv, name: h.Desk.Vendor() + "-" + acct.Name}
		e.conn = h.NewConnector(t, e.name, acct, h.Desk.BaseURL(root.URL, acct.Name))
		return e
	}
	t.Run("created_webhook", func(t *testing.T) { testCreated(t, setup(t)) })
	t.Run("customer_reply_webhook", func(t *testing.T) { testReply(t, setup(t)) })
	t.Run("ticket_fetch", func(t *testing.T) { testFetch(t, setup(t)) })
	t.Run("apply_combined_and_idempotent", func(t *testing.T) { testApply(t, setup(t)) })
	t.Run("own_writes_do_not_loop", func(t *testing.T) { testLoop(t, setup(t)) })
	t.Run("auto_reply_sent_once", func(t *testing.T) {
		testAutoReply(t, setup(t, func(a *sandbox.Account) { a.AutoReply = true }))
	})
	// The one subtest that provokes a violation on purpose; its account is
	// left out of no_contract_violations.
	var unrequested string
	t.Run("unrequested_reply_is_flagged", func(t *testing.T) {
		e := setup(t)
		unrequested = e.account.Name
		testUnrequestedReply(t, e)
	})
	t.Run("rides_out_429_storm", func(t *testing.T) { testStorm(t, setup(t)) })
	t.Run("rides_out_server_errors", func(t *testing.T) { testServerErrors(t, setup(t)) })
	t.Run("bad_credentials", func(t *testing.T) { testBadCredentials(t, setup(t)) })
	t.Run("articles", func(t *testing.T) { testArticles(t, setup(t)) })
	t.Run("signs_webhooks_for_replay", func(t *testing.T) { testSigner(t, setup(t)) })
	t.Run("list_solved_tickets", func(t *testing.T) { testListing(t, setup(t)) })
	t.Run("no_contract_violations", func(t *testing.T) {
		for _, v := range h.Sandbox.Violations() {
			if v.Account != unrequested {
				t.Errorf("sandbox recorded a contract violation: %s", v)
			}
		}
	})
}

func (e *env) create(t *testing.T, nt sandbox.NewTicket) (string, Delivery) {
	t.Helper()
	before := e.recv.count()
	id, err := e.h.Desk.CreateTicket(t.Context(), e.account.Name, nt)
	if err != nil {
		t.Fatalf("CreateTicket: %v", err)
	}
	return id, e.recv.next(t, before)
}

func (e *env) decode(t *testing.T, d Delivery) []sdk.Event {
	t.Helper()
	if err := e.conn.VerifyWebhook(d.Header, d.Body); err != nil {
		t.Fatalf("VerifyWebhook on a genuine delivery: %v", err)
	}
	evs, err := e.conn.DecodeWebhook(d.Header, d.Body)
	if err != nil {
		t.Fatalf("DecodeWebhook on a genuine delivery: %v\nbody: %s", err, d.Body)
	}
	return evs
}

func ticket() sandbox.NewTicket {
	return sandbox.NewTicket{
		Subject:      "Charged twice for March",
		Body:         "Hi, we were charged twice for our March invoice (INV-2291). Please refund one of them.",
		Requester:    sandbox.Person{Name: "Dana Whitfield", Email: "dana@northwind.example"},
		Organization: "Northwind Traders",
		Customer:     map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400"},
		Tags:         []string{"vip"},
	}
}

func testCreated(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	evs := e.decode(t, d)
	if len(evs) != 1 || evs[0].Kind != sdk.EventTicketCreated || evs[0].Ticket.ID != id || evs[0].ID == "" {
		t.Fatalf("decoded %+v; want one ticket.created event for ticket %s with an ID", evs, id)
	}
	if evs[0].Ticket.Connector != e.name {
		t.Errorf("event connector = %q; want %q", evs[0].Ticket.Connector, e.name)
	}
	if e.h.UnsignedWebhooks {
		forged := d.Header.Clone()
		for k, vs := range forged {
			for i, v := range vs {
				if strings.Contains(v, e.account.Webhook.Secret) || strings.HasPrefix(v, "Basic ") {
					forged[k][i] = "forged"
				}
			}
		}
		if err := e.conn.VerifyWebhook(forged, d.Body); !errors.Is(err, sdk.ErrUnauthorized) {
			t.Errorf("altered shared secret: VerifyWebhook = %v; want ErrUnauthorized", err)
		}
	} else {
		tampered := slices.Clone(d.Body)
		tampered[len(tampered)/2] ^= 0x01
		if err := e.conn.VerifyWebhook(d.Header, tampered); !errors.Is(err, sdk.ErrUnauthorized) {
			t.Errorf("tampered body: VerifyWebhook = %v; want ErrUnauthorized", err)
		}
	}
	if err := e.conn.VerifyWebhook(http.Header{}, d.Body); !errors.Is(err, sdk.ErrUnauthorized) {
		t.Errorf("no auth headers: VerifyWebhook = %v; want ErrUnauthorized", err)
	}
	before := e.recv.count()
	if err := e.h.Desk.Redeliver(t.Context(), e.account.Name, id); err != nil {
		t.Fatalf("Redeliver: %v", err)
	}
	again := e.decode(t, e.recv.next(t, before))
	if len(again) != 1 || again[0].ID != evs[0].ID {
		t.Errorf("redelivery decoded to %+v; want the same event ID %q", again, evs[0].ID)
	}
}

func testReply(t *testing.T, e *env) {
	id, _ := e.create(t, ticket())
	before := e.recv.count()
	if err := e.h.Desk.Reply(t.Context(), e.account.Name, id, "Any news? Still two charges on the card."); err != nil {
		t.Fatalf("Reply: %v", err)
	}
	evs := e.decode(t, e.recv.next(t, before))
	if len(evs) != 1 || evs[0].Kind != sdk.EventMessageCreated || evs[0].Ticket.ID != id {
		t.Fatalf("reply decoded to %+v; want one message.created for %s", evs, id)
	}
}

func testFetch(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	if err := e.h.Desk.Reply(t.Context(), e.account.Name, id, "Any news? Still <b>two</b> charges."); err != nil {
		t.Fatalf("Reply: %v", err)
	}
	ref := e.decode(t, d)[0].Ticket
	tk, err := e.conn.Ticket(t.Context(), ref)
	if err != nil {
		t.Fatalf("Ticket: %v", err)
	}
	if tk.Subject != "Charged twice for March" {
		t.Errorf("Subject = %q", tk.Subject)
	}
	if len(tk.Messages) < 2 || !strings.Contains(tk.Messages[0].Body, "INV-2291") || !strings.Contains(tk.Messages[len(tk.Messages)-1].Body, "two charges") {
		t.Errorf("Messages = %+v; want the opening message first and the reply last", tk.Messages)
	}
	for _, m := range tk.Messages {
		if strings.Contains(m.Body, "<b>") || strings.Contains(m.Body, "<p>") {
			t.Errorf("message body is not plain text: %q", m.Body)
		}
		if m.FromAgent {
			t.Errorf("customer message marked as from an agent: %+v", m)
		}
	}
	if tk.Requester.Email != "dana@northwind.example" || tk.Requester.Name != "Dana Whitfield" {
		t.Errorf("Requester = %+v", tk.Requester)
	}
	if tk.Organization.Name != "Northwind Traders" {
		t.Errorf("Organization = %+v", tk.Organization)
	}
	if tk.Customer[sdk.AttrPlan] != "enterprise" || tk.Customer[sdk.AttrMRR] != "2400" {
		t.Errorf("Customer = %v; want plan enterprise and mrr 2400 from the mapped custom fields", tk.Customer)
	}
	if _, ok := tk.Customer[sdk.AttrLastLogin]; ok {
		t.Errorf("Customer has last_login %q, which the help desk does not hold: unknowns must stay unknown", tk.Customer[sdk.AttrLastLogin])
	}
	if tk.Ref != ref {
		t.Errorf("Ref = %+v; want %+v", tk.Ref, ref)
	}
	if _, err := e.conn.Ticket(t.Context(), sdk.TicketRef{Connector: ref.Connector, Account: ref.Account, ID: "999999"}); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Ticket(missing) = %v; want ErrNotFound", err)
	}
}

func changes(note, fp string) sdk.Changes {
	p := sdk.P1
	return sdk.Changes{AddTags: []string{"billing", "heard-triaged"}, Priority: &p, InternalNote: note, Fingerprint: fp}
}

func (e *env) state(t *testing.T, id string) sandbox.TicketState {
	t.Helper()
	st, err := e.h.Desk.State(e.account.Name, id)
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	return st
}

func (e *env) checkApplied(t *testing.T, id string, st sandbox.TicketState, note string) {
	t.Helper()
	for _, tag := range []string{"vip", "billing", "heard-triaged"} {
		if !slices.Contains(st.Tags, tag) {
			t.Errorf("tags %v lack %q (tags must be merged, never replaced)", st.Tags, tag)
		}
	}
	if tag, ok := e.h.PriorityTag[sdk.P1]; ok {
		if !slices.Contains(st.Tags, tag) {
			t.Errorf("tags %v lack %q (P1 written as a tag)", st.Tags, tag)
		}
	} else if want := e.h.Priority[sdk.P1]; st.Priority != want {
		t.Errorf("priority = %q; want %q (P1)", st.Priority, want)
	}
	var notes int
	for _, n := range st.Notes {
		if strings.Contains(n.Body, note) {
			notes++
			if !n.Private {
				t.Errorf("note is public: %+v", n)
			}
		}
	}
	if notes != 1 {
		t.Errorf("ticket %s has %d copies of the note; want exactly 1 (notes: %+v)", id, notes, st.Notes)
	}
}

// checkReplies fails unless the ticket shows exactly want public replies
// by heard, each containing text and the reply marker of fp.
func checkReplies(t *testing.T, st sandbox.TicketState, want int, text, fp string) {
	t.Helper()
	if len(st.Replies) != want {
		t.Fatalf("ticket %s has %d public replies by heard; want %d (%+v)", st.ID, len(st.Replies), want, st.Replies)
	}
	for _, r := range st.Replies {
		if !strings.Contains(r.Body, text) || !strings.Contains(r.Body, sdk.ReplyMarker(fp)) {
			t.Errorf("reply %q lacks %q or its marker %q", r.Body, text, sdk.ReplyMarker(fp))
		}
	}
}

func testApply(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	const note = "Triage: P1 billing. Suggested reply follows."
	writes0 := e.state(t, id).Writes
	if err := e.conn.Apply(t.Context(), ref, changes(note, "fp-1")); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	st := e.state(t, id)
	e.checkApplied(t, id, st, note)
	if w := st.Writes - writes0; w < 1 || w > e.h.MaxWritesPerApply {
		t.Errorf("Apply made %d write calls; want 1..%d (one combined update)", w, e.h.MaxWritesPerApply)
	}
	// A retried job (same fingerprint) must not post the note again.
	if err := e.conn.Apply(t.Context(), ref, changes(note, "fp-1")); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	st = e.state(t, id)
	e.checkApplied(t, id, st, note)
	if n := countTag(st.Tags, "billing"); n != 1 {
		t.Errorf("tag billing appears %d times", n)
	}
	checkReplies(t, st, 0, "", "fp-1")
}

// testUnrequestedReply checks the sandbox's guard: a public reply to an
// account that did not enable auto-reply is recorded as a violation (the
// reply itself goes through, as the vendor would send it).
func testUnrequestedReply(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	count := func() int {
		n := 0
		for _, v := range e.h.Sandbox.Violations() {
			if v.Account == e.account.Name && strings.Contains(v.Problem, "auto-reply is not enabled") {
				n++
			}
		}
		return n
	}
	if err := e.conn.Apply(t.Context(), ref, changes("note only", "fp-guard")); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("a note alone was flagged as an unrequested reply (%d violations)", n)
	}
	if err := e.conn.Apply(t.Context(), ref, sdk.Changes{PublicReply: "Unrequested.", Fingerprint: "fp-guard-2"}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if n := count(); n != 1 {
		t.Errorf("an unrequested public reply caused %d violations; want 1", n)
	}
	checkReplies(t, e.state(t, id), 1, "Unrequested.", "fp-guard-2")
}

// testAutoReply applies changes carrying a public reply: the reply reaches
// the customer once, next to the note, even when the job is retried, and
// the webhooks it causes are recognised as heard's own.
func testAutoReply(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	const note = "Auto-reply sent: password reset."
	const reply = "Hi Jordan,\n\nYou can reset your password from the sign-in page.\n\nIf this does not solve it, reply and a member of our team will take over."
	ch := changes(note, "fp-reply")
	ch.PublicReply = reply
	before := e.recv.count()
	messages0 := e.state(t, id).Messages
	if err := e.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	st := e.state(t, id)
	e.checkApplied(t, id, st, note)
	checkReplies(t, st, 1, "reset your password from the sign-in page", "fp-reply")
	if st.Messages != messages0+1 {
		t.Errorf("public messages %d -> %d; want one more (the reply)", messages0, st.Messages)
	}
	for _, n := range st.Notes {
		if strings.Contains(n.Body, "sign-in page") {
			t.Errorf("the reply also landed as a note: %+v", n)
		}
	}
	for _, d := range e.recv.since(before) {
		if evs := e.decode(t, d); len(evs) != 0 {
			t.Errorf("a webhook caused by heard's reply decoded to %+v; want it dropped", evs)
		}
	}
	// A retried job sends nothing again.
	if err := e.conn.Apply(t.Context(), ref, ch); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	st = e.state(t, id)
	e.checkApplied(t, id, st, note)
	checkReplies(t, st, 1, "reset your password from the sign-in page", "fp-reply")
	// A reply alone, for another event, is sent too.
	if err := e.conn.Apply(t.Context(), ref, sdk.Changes{PublicReply: "Second answer.", Fingerprint: "fp-reply-2"}); err != nil {
		t.Fatalf("Apply of a reply alone: %v", err)
	}
	if st = e.state(t, id); len(st.Replies) != 2 {
		t.Errorf("after a second reply the ticket has %d replies by heard; want 2", len(st.Replies))
	}
}

func countTag(tags []string, tag string) int {
	n := 0
	for _, t := range tags {
		if t == tag {
			n++
		}
	}
	return n
}

func testLoop(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	before := e.recv.count()
	if err := e.conn.Apply(t.Context(), ref, changes("loop check", "fp-loop")); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	// The emulations deliver update webhooks synchronously with the write,
	// so any loop-back delivery is already here.
	for _, d := range e.recv.since(before) {
		if evs := e.decode(t, d); len(evs) != 0 {
			t.Errorf("ticket %s: a webhook caused by heard's own write decoded to %+v; want it dropped", id, evs)
		}
	}
}

func testStorm(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	e.h.Sandbox.Faults.Add(sandbox.Fault{Vendor: e.h.Desk.Vendor(), Account: e.account.Name, Status: http.StatusTooManyRequests,
		Header: map[string]string{"Retry-After": "1"}, Times: 3})
	const note = "Storm check"
	if err := e.conn.Apply(t.Context(), ref, changes(note, "fp-storm")); err != nil {
		t.Fatalf("Apply through a 429 storm: %v", err)
	}
	e.checkApplied(t, id, e.state(t, id), note)
}

func testServerErrors(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	e.h.Sandbox.Faults.Add(sandbox.Fault{Vendor: e.h.Desk.Vendor(), Account: e.account.Name, Status: http.StatusBadGateway, Times: 2})
	e.h.Sandbox.Faults.Add(sandbox.Fault{Vendor: e.h.Desk.Vendor(), Account: e.account.Name, Drop: true})
	const note = "5xx check"
	if err := e.conn.Apply(t.Context(), ref, changes(note, "fp-5xx")); err != nil {
		t.Fatalf("Apply through 502s and a dropped connection: %v", err)
	}
	e.checkApplied(t, id, e.state(t, id), note)
}

func testBadCredentials(t *testing.T, e *env) {
	id, d := e.create(t, ticket())
	ref := e.decode(t, d)[0].Ticket
	bad := e.account
	bad.APIToken = "wrong-token"
	conn := e.h.NewConnector(t, e.name, bad, e.h.Desk.BaseURL(e.root, e.account.Name))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := conn.Ticket(ctx, ref)
	if !errors.Is(err, sdk.ErrUnauthorized) || !strings.Contains(err.Error(), e.name) {
		t.Errorf("Ticket with a wrong token = %v; want ErrUnauthorized naming connector %q", err, e.name)
	}
	if st := e.state(t, id); len(st.Notes) != 0 || st.Writes != 0 {
		t.Errorf("rejected credentials still changed the ticket: %+v", st)
	}
}

func testSigner(t *testing.T, e *env) {
	signer, ok := e.conn.(connectors.Signer)
	if !ok {
		t.Fatal("connector does not implement connectors.Signer (needed by heard replay and the demo)")
	}
	_, d := e.create(t, ticket())
	h, err := signer.SignWebhook(d.Body, time.Now())
	if err != nil {
		t.Fatalf("SignWebhook: %v", err)
	}
	if err := e.conn.VerifyWebhook(h, d.Body); err != nil {
		t.Errorf("VerifyWebhook(SignWebhook(body)) = %v; want nil", err)
	}
}

func testArticles(t *testing.T, e *env) {
	lister, ok := e.conn.(sdk.ArticleLister)
	if !ok {
		t.Fatal("connector does not implement sdk.ArticleLister")
	}
	const n = 45 // more than one page on every vendor's default page size
	want := map[string]bool{}
	for i := range n {
		title := "How to export invoices, part " + string(rune('A'+i%26)) + string(rune('a'+i/26))
		if _, err := e.h.Desk.AddArticle(e.account.Name, sandbox.Article{Title: title, Body: "<p>Open <b>Billing</b> and click Export.</p>", Locale: "en-us", Section: "Billing"}); err != nil {
			t.Fatalf("AddArticle: %v", err)
		}
		want[title] = true
	}
	got := map[string]sdk.Article{}
	cursor, pages := "", 0
	for {
		resp, err := lister.ListArticles(t.Context(), &sdk.ListArticlesRequest{Cursor: cursor})
		if err != nil {
			t.Fatalf("ListArticles page %d: %v", pages+1, err)
		}
		pages++
		for _, a := range resp.Articles {
			got[a.Title] = a
		}
		if resp.NextCursor == "" || pages > 50 {
			break
		}
		cursor = resp.NextCursor
	}
	if pages < 2 {
		t.Errorf("%d articles came in %d page(s); want pagination", n, pages)
	}
	for title := range want {
		a, ok := got[title]
		if !ok {
			t.Errorf("article %q not listed", title)
			continue
		}
		if a.ID == "" || a.URL == "" || !strings.Contains(a.Body, "Export") || a.UpdatedAt.IsZero() {
			t.Errorf("article %q incomplete: %+v", title, a)
		}
	}
}
