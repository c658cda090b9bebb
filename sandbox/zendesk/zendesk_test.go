package zendesk

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

// env is a sandbox with one account "acme" and a webhook receiver.
type env struct {
	sb   *sandbox.Server
	desk *Desk
	url  string // the account's API base
	acct sandbox.Account

	mu   sync.Mutex
	got  []received
	code int // the receiver's status
}

type received struct {
	header http.Header
	body   []byte
}

func newEnv(t *testing.T, rate int) *env {
	t.Helper()
	e := &env{sb: sandbox.New(nil), code: http.StatusAccepted}
	e.desk = New(e.sb)
	srv := httptest.NewServer(e.sb)
	t.Cleanup(srv.Close)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.got = append(e.got, received{header: r.Header.Clone(), body: b})
		code := e.code
		e.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(recv.Close)
	e.acct = sandbox.Account{
		Name: "acme", Email: "heard@acme.example", APIToken: "secret-token", BotUserID: "900001",
		Webhook:       sandbox.Webhook{URL: recv.URL, Secret: "whsec"},
		CustomFields:  map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrLastLogin: "last_login"},
		RatePerMinute: rate,
	}
	if err := e.desk.AddAccount(e.acct); err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	e.url = e.desk.BaseURL(srv.URL, "acme")
	return e
}

func (e *env) deliveries() []received {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.got)
}

func (e *env) create(t *testing.T) string {
	t.Helper()
	id, err := e.desk.CreateTicket(t.Context(), "acme", sandbox.NewTicket{
		Subject: "Charged twice", Body: "We were charged twice.", Requester: sandbox.Person{Name: "Dana", Email: "dana@example.com"},
		Organization: "Northwind", Customer: map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400", sdk.AttrLastLogin: "2026-01-02T03:04:05Z"},
		Tags: []string{"vip"},
	})
	if err != nil {
		t.Fatalf("CreateTicket: %v", err)
	}
	return id
}

// auth values.
func basic(email, token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(email+"/token:"+token))
}

// do sends a request; auth "" sends none.
func (e *env) do(t *testing.T, method, path, auth, contentType, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (e *env) get(t *testing.T, path string, out any) {
	t.Helper()
	status, _, body := e.do(t, http.MethodGet, path, basic(e.acct.Email, e.acct.APIToken), "", "")
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, status, body)
	}
	if err := json.Unmarshal([]byte(body), out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func (e *env) updatedAt(t *testing.T, id string) string {
	t.Helper()
	var out struct {
		Ticket struct {
			UpdatedAt string `json:"updated_at"`
		} `json:"ticket"`
	}
	e.get(t, "/api/v2/tickets/"+id, &out)
	return out.Ticket.UpdatedAt
}

func TestViolations(t *testing.T) {
	const jsonCT = "application/json"
	tests := []struct {
		name        string
		method      string
		path        string // "{id}" is the ticket
		contentType string
		body        string
		wantStatus  int
		wantProblem string
	}{
		{name: "malformed JSON", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":`, wantStatus: 400, wantProblem: "not a JSON object"},
		{name: "trailing data", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{}} {}`, wantStatus: 400, wantProblem: "not a JSON object"},
		{name: "ticket wrapper missing", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"priority":"high"}`, wantStatus: 400, wantProblem: "wrapper"},
		{name: "unknown top-level key", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{},"safe_update":true}`, wantStatus: 400, wantProblem: `unknown top-level key "safe_update"`},
		{name: "unknown ticket key", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"add_tags":["x"]}}`, wantStatus: 400, wantProblem: `unknown ticket key "add_tags"`},
		{name: "ticket not an object", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":[]}`, wantStatus: 400, wantProblem: "not a JSON object"},
		{name: "not JSON content type", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: "application/x-www-form-urlencoded", body: `{"ticket":{}}`, wantStatus: 415, wantProblem: "Content-Type"},
		{name: "heard priority value", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"priority":"P1"}}`, wantStatus: 422, wantProblem: "priority"},
		{name: "priority as number", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"priority":3}}`, wantStatus: 422, wantProblem: "priority"},
		{name: "status unknown", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"status":"resolved"}}`, wantStatus: 422, wantProblem: "status"},
		{name: "comment without body", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"comment":{"public":false}}}`, wantStatus: 422, wantProblem: "without body or html_body"},
		{name: "comment with empty html_body", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"comment":{"html_body":" ","public":false}}}`, wantStatus: 422, wantProblem: "without body or html_body"},
		{name: "public not boolean", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"comment":{"body":"x","public":"false"}}}`, wantStatus: 422, wantProblem: "comment.public"},
		{name: "unknown comment key", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"comment":{"body":"x","private":true}}}`, wantStatus: 422, wantProblem: `unknown comment key "private"`},
		{name: "safe_update without updated_stamp", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"tags":["a"],"safe_update":true}}`, wantStatus: 422, wantProblem: "safe_update without updated_stamp"},
		{name: "updated_stamp not a time", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"safe_update":true,"updated_stamp":"yesterday"}}`, wantStatus: 422, wantProblem: "updated_stamp"},
		{name: "custom_fields as a map", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"custom_fields":{"360012345678":"refund"}}}`, wantStatus: 422, wantProblem: "custom_fields"},
		{name: "custom field without id", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"custom_fields":[{"value":"refund"}]}}`, wantStatus: 422, wantProblem: "custom field id"},
		{name: "custom field id as string", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"custom_fields":[{"id":"360012345678","value":"refund"}]}}`, wantStatus: 422, wantProblem: "custom field id"},
		{name: "custom field extra key", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"custom_fields":[{"id":1,"value":"x","name":"reason"}]}}`, wantStatus: 422, wantProblem: `custom field key "name"`},
		{name: "tags as a string", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"tags":"a b"}}`, wantStatus: 422, wantProblem: "tags"},
		{name: "tags with numbers", method: http.MethodPut, path: "/api/v2/tickets/{id}", contentType: jsonCT, body: `{"ticket":{"tags":["a",1]}}`, wantStatus: 422, wantProblem: "tags"},
		{name: "page size over 100", method: http.MethodGet, path: "/api/v2/tickets/{id}/comments?page[size]=500", wantStatus: 400, wantProblem: "page[size]"},
		{name: "bad cursor", method: http.MethodGet, path: "/api/v2/tickets/{id}/comments?page[size]=10&page[after]=nonsense", wantStatus: 400, wantProblem: "invalid cursor"},
		{name: "offset beyond 100 pages", method: http.MethodGet, path: "/api/v2/help_center/articles?page=101", wantStatus: 400, wantProblem: "100 pages"},
		{name: "unknown sort", method: http.MethodGet, path: "/api/v2/users/900001/tickets/requested?sort=-priority", wantStatus: 400, wantProblem: "sort"},
		{name: "incremental without start_time", method: http.MethodGet, path: "/api/v2/help_center/incremental/articles", wantStatus: 400, wantProblem: "start_time"},
		{name: "unknown query parameter is ignored but recorded", method: http.MethodGet, path: "/api/v2/tickets/{id}/comments?page[sise]=10", wantStatus: 200, wantProblem: `unknown query parameter "page[sise]"`},
		{name: "search without type:ticket", method: http.MethodGet, path: "/api/v2/search.json?query=status%3Asolved", wantStatus: 400, wantProblem: "type:ticket"},
		{name: "search by free text", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket+refund", wantStatus: 400, wantProblem: "free-text"},
		{name: "search with an unknown status", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket+status%3E%3Dresolved", wantStatus: 400, wantProblem: "status must be"},
		{name: "search with a relative date", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket+updated%3E24hours", wantStatus: 400, wantProblem: "relative times"},
		{name: "search without query", method: http.MethodGet, path: "/api/v2/search.json?sort_by=updated_at", wantStatus: 400, wantProblem: "query is required"},
		{name: "search with cursor pagination", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket&page[size]=10", wantStatus: 400, wantProblem: "offset pagination"},
		{name: "search sorted by an unknown field", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket&sort_by=solved_at", wantStatus: 400, wantProblem: "sort_by"},
		{name: "search per_page over 100", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket&per_page=101", wantStatus: 400, wantProblem: "per_page"},
		{name: "search past 1000 results", method: http.MethodGet, path: "/api/v2/search.json?query=type%3Aticket&page=11&per_page=100", wantStatus: 422, wantProblem: "results limit of 1000"},
		{name: "endpoint outside the contract", method: http.MethodPost, path: "/api/v2/tickets/{id}/tags", contentType: jsonCT, body: `{"tags":["a"]}`, wantStatus: 404, wantProblem: "no such endpoint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, 0)
			id := e.create(t)
			status, _, body := e.do(t, tc.method, strings.ReplaceAll(tc.path, "{id}", id), basic(e.acct.Email, e.acct.APIToken), tc.contentType, tc.body)
			if status != tc.wantStatus {
				t.Errorf("status = %d (%s); want %d", status, body, tc.wantStatus)
			}
			vs := e.sb.Violations()
			if len(vs) != 1 || !strings.Contains(vs[0].Problem, tc.wantProblem) {
				t.Errorf("violations = %v; want one about %q", vs, tc.wantProblem)
			}
			if status >= 400 && status != 404 && !strings.Contains(body, `"error"`) {
				t.Errorf("body %s; want a Zendesk error body", body)
			}
			if st, _ := e.desk.State("acme", id); st.Writes != 0 {
				t.Errorf("a rejected request counted as a write: %+v", st)
			}
		})
	}
}

// TestNotViolations: answers that are Zendesk's normal behaviour, not
// contract violations.
func TestNotViolations(t *testing.T) {
	good := basic("heard@acme.example", "secret-token")
	tests := []struct {
		name       string
		method     string
		path       string
		auth       string
		body       func(stamp string) string
		wantStatus int
		wantBody   string
		wantWrites int
	}{
		{name: "no credentials", method: http.MethodGet, path: "/api/v2/tickets/{id}", wantStatus: 401, wantBody: `{"error":"Couldn't authenticate you"}`},
		{name: "wrong token", method: http.MethodGet, path: "/api/v2/tickets/{id}", auth: basic("heard@acme.example", "nope"), wantStatus: 401, wantBody: `{"error":"Couldn't authenticate you"}`},
		{name: "password-style basic auth", method: http.MethodGet, path: "/api/v2/tickets/{id}",
			auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("heard@acme.example:secret-token")), wantStatus: 401},
		{name: "bearer token", method: http.MethodGet, path: "/api/v2/tickets/{id}", auth: "Bearer secret-token", wantStatus: 401},
		{name: "bad credentials on a write", method: http.MethodPut, path: "/api/v2/tickets/{id}", auth: basic("heard@acme.example", "nope"),
			body: func(string) string { return `{"ticket":{"tags":["x"]}}` }, wantStatus: 401},
		{name: "missing ticket", method: http.MethodGet, path: "/api/v2/tickets/999999", auth: good, wantStatus: 404, wantBody: `"RecordNotFound"`},
		{name: "stale updated_stamp", method: http.MethodPut, path: "/api/v2/tickets/{id}", auth: good,
			body: func(string) string {
				return `{"ticket":{"tags":["x"],"safe_update":true,"updated_stamp":"2020-01-01T00:00:00Z"}}`
			}, wantStatus: 409, wantBody: "UpdateConflict"},
		{name: "current updated_stamp", method: http.MethodPut, path: "/api/v2/tickets/{id}", auth: good,
			body: func(stamp string) string {
				return `{"ticket":{"priority":"high","tags":["vip","x"],"custom_fields":[{"id":360012345678,"value":"refund"}],` +
					`"comment":{"html_body":"<p>note</p>","public":false},"safe_update":true,"updated_stamp":"` + stamp + `"}}`
			}, wantStatus: 200, wantBody: `"priority":"high"`, wantWrites: 1},
		{name: "update without safe_update", method: http.MethodPut, path: "/api/v2/tickets/{id}", auth: good,
			body: func(string) string { return `{"ticket":{"priority":null}}` }, wantStatus: 200, wantWrites: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, 0)
			id := e.create(t)
			body, ct := "", ""
			if tc.body != nil {
				body, ct = tc.body(e.updatedAt(t, id)), "application/json"
			}
			status, _, got := e.do(t, tc.method, strings.ReplaceAll(tc.path, "{id}", id), tc.auth, ct, body)
			if status != tc.wantStatus || !strings.Contains(got, tc.wantBody) {
				t.Errorf("answer = %d %s; want %d containing %s", status, got, tc.wantStatus, tc.wantBody)
			}
			if vs := e.sb.Violations(); len(vs) != 0 {
				t.Errorf("violations = %v; want none", vs)
			}
			if st, _ := e.desk.State("acme", id); st.Writes != tc.wantWrites {
				t.Errorf("writes = %d; want %d", st.Writes, tc.wantWrites)
			}
		})
	}
}

func TestWriteAppliesAndDeliversBeforeAnswering(t *testing.T) {
	e := newEnv(t, 0)
	id := e.create(t)
	stamp := e.updatedAt(t, id)
	before := len(e.deliveries())
	status, _, body := e.do(t, http.MethodPut, "/api/v2/tickets/"+id, basic(e.acct.Email, e.acct.APIToken), "application/json",
		`{"ticket":{"priority":"urgent","tags":["vip","billing"],"custom_fields":[{"id":360012345678,"value":"refund"}],`+
			`"comment":{"html_body":"<p>Summary &amp; <b>draft</b></p>","public":false},"safe_update":true,"updated_stamp":"`+stamp+`"}}`)
	if status != http.StatusOK {
		t.Fatalf("PUT = %d %s", status, body)
	}
	// Delivered synchronously: already here when the PUT answered.
	var types []string
	for _, d := range e.deliveries()[before:] {
		var p struct {
			Type   string `json:"type"`
			Detail struct {
				ActorID string `json:"actor_id"`
			} `json:"detail"`
			Event struct {
				Comment *struct {
					IsPublic bool `json:"is_public"`
					Author   struct {
						ID      string `json:"id"`
						IsStaff bool   `json:"is_staff"`
					} `json:"author"`
				} `json:"comment"`
			} `json:"event"`
		}
		if err := json.Unmarshal(d.body, &p); err != nil {
			t.Fatal(err)
		}
		types = append(types, strings.TrimPrefix(p.Type, "zen:event-type:"))
		if p.Detail.ActorID != "900001" {
			t.Errorf("%s actor_id = %q; want the bot 900001", p.Type, p.Detail.ActorID)
		}
		if c := p.Event.Comment; c != nil && (c.IsPublic || !c.Author.IsStaff || c.Author.ID != "900001") {
			t.Errorf("comment event = %+v; want a private staff comment by the bot", c)
		}
	}
	if want := []string{"ticket.comment_added", "ticket.priority_changed", "ticket.tags_changed"}; !slices.Equal(types, want) {
		t.Errorf("events delivered before the answer = %v; want %v", types, want)
	}
	st, err := e.desk.State("acme", id)
	if err != nil {
		t.Fatal(err)
	}
	want := sandbox.TicketState{ID: id, Subject: "Charged twice", Status: "new", Priority: "urgent", Tags: []string{"billing", "vip"},
		Fields: map[string]string{"360012345678": "refund"}, Messages: 1, Writes: 1}
	if st.ID != want.ID || st.Status != want.Status || st.Priority != want.Priority || !slices.Equal(st.Tags, want.Tags) ||
		!maps.Equal(st.Fields, want.Fields) || st.Messages != want.Messages || st.Writes != want.Writes {
		t.Errorf("state = %+v; want %+v", st, want)
	}
	if len(st.Notes) != 1 || st.Notes[0].Body != "Summary & draft" || !st.Notes[0].Private || st.Notes[0].Author != "900001" {
		t.Errorf("notes = %+v; want one private plain-text note by the bot", st.Notes)
	}
	if next := e.updatedAt(t, id); next == stamp {
		t.Errorf("updated_at did not move after a write (%s)", next)
	}
}

// TestWebhookShape compares the deliveries with the CONTRACTS §1.2 samples
// (copies in connectors/zendesk/testdata) and checks the signature headers.
func TestWebhookShape(t *testing.T) {
	e := newEnv(t, 0)
	id := e.create(t)
	if err := e.desk.Reply(t.Context(), "acme", id, "Any <b>news</b>?"); err != nil {
		t.Fatal(err)
	}
	ds := e.deliveries()
	if len(ds) != 2 {
		t.Fatalf("%d deliveries; want created and comment_added", len(ds))
	}
	tests := []struct {
		name   string
		sample string
		got    received
	}{
		{name: "ticket.created", sample: "constructed.event.ticket.created.json", got: ds[0]},
		{name: "ticket.comment_added", sample: "constructed.event.ticket.comment_added.json", got: ds[1]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("..", "..", "connectors", "zendesk", "testdata", tc.sample))
			if err != nil {
				t.Fatal(err)
			}
			var want, got map[string]any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(tc.got.body, &got); err != nil {
				t.Fatal(err)
			}
			for _, path := range [][]string{{}, {"detail"}, {"event"}, {"event", "meta", "sequence"}, {"event", "comment"}, {"event", "comment", "author"}} {
				w, g := dig(want, path), dig(got, path)
				if (w == nil) != (g == nil) {
					t.Errorf("%v: present in sample %v, in delivery %v", path, w != nil, g != nil)
					continue
				}
				if w != nil && !slices.Equal(slices.Sorted(maps.Keys(w)), slices.Sorted(maps.Keys(g))) {
					t.Errorf("%v keys = %v; want the sample's %v", path, slices.Sorted(maps.Keys(g)), slices.Sorted(maps.Keys(w)))
				}
			}
			if got["type"] != "zen:event-type:"+tc.name || got["subject"] != "zen:ticket:"+id {
				t.Errorf("type %v subject %v", got["type"], got["subject"])
			}
			h := tc.got.header
			for _, k := range []string{"X-Zendesk-Account-Id", "X-Zendesk-Webhook-Id", HeaderInvocationID, HeaderSignature, HeaderSignatureTimestamp} {
				if h.Get(k) == "" {
					t.Errorf("header %s missing", k)
				}
			}
			if want := Sign("whsec", h.Get(HeaderSignatureTimestamp), tc.got.body); h.Get(HeaderSignature) != want {
				t.Errorf("signature %q; want %q", h.Get(HeaderSignature), want)
			}
		})
	}
	var c struct {
		Event struct {
			Comment struct {
				Body   string `json:"body"`
				Author struct {
					IsStaff bool `json:"is_staff"`
				} `json:"author"`
			} `json:"comment"`
		} `json:"event"`
	}
	if err := json.Unmarshal(ds[1].body, &c); err != nil {
		t.Fatal(err)
	}
	if c.Event.Comment.Body != "Any news?" || c.Event.Comment.Author.IsStaff {
		t.Errorf("reply comment = %+v; want plain text by a non-staff author", c.Event.Comment)
	}
}

// dig returns the object at path, or nil.
func dig(m map[string]any, path []string) map[string]any {
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

func TestRedeliverIsByteForByte(t *testing.T) {
	e := newEnv(t, 0)
	id := e.create(t)
	if err := e.desk.Redeliver(t.Context(), "acme", id); err != nil {
		t.Fatalf("Redeliver: %v", err)
	}
	ds := e.deliveries()
	if len(ds) != 2 {
		t.Fatalf("%d deliveries; want 2", len(ds))
	}
	if string(ds[0].body) != string(ds[1].body) || ds[0].header.Get(HeaderInvocationID) != ds[1].header.Get(HeaderInvocationID) {
		t.Errorf("redelivery differs:\n%s %s\n%s %s", ds[0].header.Get(HeaderInvocationID), ds[0].body, ds[1].header.Get(HeaderInvocationID), ds[1].body)
	}
	if err := e.desk.Redeliver(t.Context(), "acme", "424242"); err == nil {
		t.Error("Redeliver of a missing ticket succeeded")
	}
}

func TestDeliveryFailureIsReported(t *testing.T) {
	e := newEnv(t, 0)
	e.mu.Lock()
	e.code = http.StatusUnauthorized
	e.mu.Unlock()
	id, err := e.desk.CreateTicket(t.Context(), "acme", sandbox.NewTicket{Body: "x", Requester: sandbox.Person{Email: "a@b.example"}})
	if err == nil || !strings.Contains(err.Error(), "401") || id == "" {
		t.Errorf("CreateTicket with a rejecting receiver = %q, %v; want the id and an error naming the 401", id, err)
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, 2)
	id := e.create(t)
	auth := basic(e.acct.Email, e.acct.APIToken)
	var statuses []int
	var last http.Header
	for range 3 {
		status, h, _ := e.do(t, http.MethodGet, "/api/v2/tickets/"+id, auth, "", "")
		statuses = append(statuses, status)
		last = h
	}
	if !slices.Equal(statuses, []int{200, 200, 429}) {
		t.Errorf("statuses = %v; want 200, 200, 429", statuses)
	}
	if s, err := strconv.Atoi(last.Get("Retry-After")); err != nil || s < 1 || s > 61 {
		t.Errorf("Retry-After = %q; want whole seconds within the minute", last.Get("Retry-After"))
	}
	if last.Get("X-Rate-Limit") != "2" || last.Get("X-Rate-Limit-Remaining") != "0" {
		t.Errorf("rate headers = %v", last)
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("violations = %v; want none", vs)
	}
}

func TestCustomerFieldsPlacement(t *testing.T) {
	e := newEnv(t, 0)
	id := e.create(t)
	var tk struct {
		Ticket struct {
			RequesterID    int64 `json:"requester_id"`
			OrganizationID int64 `json:"organization_id"`
		} `json:"ticket"`
	}
	e.get(t, "/api/v2/tickets/"+id, &tk)
	var u struct {
		User struct {
			Role       string         `json:"role"`
			UserFields map[string]any `json:"user_fields"`
		} `json:"user"`
	}
	e.get(t, "/api/v2/users/"+strconv.FormatInt(tk.Ticket.RequesterID, 10), &u)
	var o struct {
		Organization struct {
			Name   string         `json:"name"`
			Fields map[string]any `json:"organization_fields"`
		} `json:"organization"`
	}
	e.get(t, "/api/v2/organizations/"+strconv.FormatInt(tk.Ticket.OrganizationID, 10), &o)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "requester is an end-user", got: u.User.Role, want: "end-user"},
		{name: "plan on the organization", got: o.Organization.Fields["plan"], want: "enterprise"},
		{name: "mrr on the organization as a number", got: o.Organization.Fields["mrr"], want: 2400.0},
		{name: "plan unset on the user", got: u.User.UserFields["plan"], want: nil},
		{name: "last_login on the user", got: u.User.UserFields["last_login"], want: "2026-01-02T03:04:05Z"},
		{name: "organization name", got: o.Organization.Name, want: "Northwind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %#v; want %#v", tc.got, tc.want)
			}
		})
	}
	var me struct {
		User struct {
			ID   int64  `json:"id"`
			Role string `json:"role"`
		} `json:"user"`
	}
	e.get(t, "/api/v2/users/me", &me)
	if me.User.ID != 900001 || me.User.Role != "admin" {
		t.Errorf("users/me = %+v; want the bot 900001, an admin", me.User)
	}
}

func TestCursorPagination(t *testing.T) {
	e := newEnv(t, 0)
	id := e.create(t)
	for i := range 4 {
		if err := e.desk.Reply(t.Context(), "acme", id, "reply "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	var bodies []string
	path := "/api/v2/tickets/" + id + "/comments?page[size]=2"
	for pages := 0; path != "" && pages < 10; pages++ {
		var out struct {
			Comments []struct {
				Body string `json:"body"`
			} `json:"comments"`
			Meta struct {
				HasMore     bool   `json:"has_more"`
				AfterCursor string `json:"after_cursor"`
			} `json:"meta"`
			Links struct {
				Next *string `json:"next"`
			} `json:"links"`
		}
		e.get(t, path, &out)
		for _, c := range out.Comments {
			bodies = append(bodies, c.Body)
		}
		path = ""
		if out.Meta.HasMore {
			if out.Links.Next == nil || !strings.Contains(*out.Links.Next, "page%5Bafter%5D="+out.Meta.AfterCursor) {
				t.Errorf("links.next = %v; want it to carry after_cursor %s", out.Links.Next, out.Meta.AfterCursor)
			}
			path = "/api/v2/tickets/" + id + "/comments?page[size]=2&page[after]=" + out.Meta.AfterCursor
		}
	}
	want := []string{"We were charged twice.", "reply 0", "reply 1", "reply 2", "reply 3"}
	if !slices.Equal(bodies, want) {
		t.Errorf("comments = %q; want %q", bodies, want)
	}
}

func TestAddAccountErrors(t *testing.T) {
	e := newEnv(t, 0)
	tests := []struct {
		name string
		acct sandbox.Account
	}{
		{name: "duplicate", acct: e.acct},
		{name: "bad subdomain", acct: sandbox.Account{Name: "Acme Corp", Email: "a@b", APIToken: "t"}},
		{name: "no credentials", acct: sandbox.Account{Name: "other"}},
		{name: "non-numeric bot id", acct: sandbox.Account{Name: "third", Email: "a@b", APIToken: "t", BotUserID: "bot"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := e.desk.AddAccount(tc.acct); err == nil {
				t.Error("AddAccount succeeded; want an error")
			}
		})
	}
}

func TestSolve(t *testing.T) {
	e := newEnv(t, 0)
	id := e.create(t)
	if err := e.desk.Solve(t.Context(), "acme", id, "P0", []string{"outage", "vip"}); err != nil {
		t.Fatalf("Solve: %v", err)
	}
	st, _ := e.desk.State("acme", id)
	if st.Status != "solved" || st.Priority != "urgent" || !slices.Equal(st.Tags, []string{"outage", "vip"}) || st.Writes != 0 {
		t.Errorf("state = %+v; want solved, urgent, [outage vip], no writes by heard", st)
	}
	ds := e.deliveries()
	var last struct {
		Type   string `json:"type"`
		Detail struct {
			ActorID string `json:"actor_id"`
		} `json:"detail"`
		Event struct {
			Current string `json:"current"`
		} `json:"event"`
	}
	if err := json.Unmarshal(ds[len(ds)-1].body, &last); err != nil {
		t.Fatal(err)
	}
	if last.Type != "zen:event-type:ticket.status_changed" || last.Event.Current != "SOLVED" || last.Detail.ActorID == "900001" {
		t.Errorf("last delivery = %+v; want status_changed to SOLVED by an agent, not the bot", last)
	}
	if err := e.desk.Solve(t.Context(), "acme", id, "urgent", nil); err == nil {
		t.Error("Solve with a Zendesk priority value succeeded; want P0..P3 only")
	}
}

// TestSearch checks the search emulation's query language, sorting and
// offset pagination over four tickets with known times:
//
//	1  new     created/updated 2026-03-01T10:00Z   tags vip
//	2  solved  created 2026-03-02T23:30Z, solved (updated) 2026-03-04T08:00Z
//	3  new     created/updated 2026-03-03T00:30Z   tags vip
//	4  solved  created 2026-03-03T12:00Z, solved (updated) 2026-03-05T09:00Z
func TestSearch(t *testing.T) {
	e := newEnv(t, 0)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	open := func(created string, tags ...string) string {
		id, err := e.desk.CreateTicket(t.Context(), "acme", sandbox.NewTicket{
			Subject: "s", Body: "b", Requester: sandbox.Person{Email: "dana@example.com"}, Tags: tags, Created: at(created),
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	solve := func(id, when string) {
		e.desk.mu.Lock()
		e.desk.now = func() time.Time { return at(when) }
		e.desk.mu.Unlock()
		if err := e.desk.Solve(t.Context(), "acme", id, "P2", nil); err != nil {
			t.Fatal(err)
		}
	}
	open("2026-03-01T10:00:00Z", "vip")
	two := open("2026-03-02T23:30:00Z")
	open("2026-03-03T00:30:00Z", "vip")
	four := open("2026-03-03T12:00:00Z")
	solve(two, "2026-03-04T08:00:00Z")
	solve(four, "2026-03-05T09:00:00Z")

	tests := []struct {
		name      string
		query     string
		params    string
		limit     int
		wantIDs   []int64
		wantCount int
		wantNext  string // "" means next_page is null
		wantPrev  bool
	}{
		{name: "solved or closed", query: "type:ticket status>=solved", params: "&sort_by=updated_at&sort_order=asc", wantIDs: []int64{2, 4}, wantCount: 2},
		{name: "updated from a day on", query: "type:ticket updated>=2026-03-03", params: "&sort_by=updated_at&sort_order=asc", wantIDs: []int64{3, 2, 4}, wantCount: 3},
		{name: "updated after a day", query: "type:ticket updated>2026-03-03", params: "&sort_by=updated_at&sort_order=asc", wantIDs: []int64{2, 4}, wantCount: 2},
		{name: "created before a day", query: "type:ticket created<2026-03-03", params: "&sort_by=updated_at&sort_order=desc", wantIDs: []int64{2, 1}, wantCount: 2},
		{name: "updated up to an instant", query: "type:ticket updated<=2026-03-03T00:30:00Z", params: "&sort_by=created_at&sort_order=asc", wantIDs: []int64{1, 3}, wantCount: 2},
		{name: "unsolved with a tag", query: "type:ticket status<solved tags:vip", params: "&sort_by=created_at&sort_order=asc", wantIDs: []int64{1, 3}, wantCount: 2},
		{name: "normal priority", query: "type:ticket priority:normal", params: "&sort_by=status&sort_order=asc", wantIDs: []int64{2, 4}, wantCount: 2},
		{name: "relevance is by id, descending", query: "type:ticket", wantIDs: []int64{4, 3, 2, 1}, wantCount: 4},
		{name: "first page", query: "type:ticket", params: "&sort_by=created_at&sort_order=asc&per_page=3", wantIDs: []int64{1, 2, 3}, wantCount: 4, wantNext: "page=2&per_page=3"},
		{name: "last page", query: "type:ticket", params: "&sort_by=created_at&sort_order=asc&per_page=3&page=2", wantIDs: []int64{4}, wantCount: 4, wantPrev: true},
		{name: "last page the limit reaches", query: "type:ticket", params: "&sort_by=created_at&sort_order=asc&per_page=1&page=2", limit: 2, wantIDs: []int64{2}, wantCount: 4, wantPrev: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.desk.mu.Lock() // the handler reads it under mu
			e.desk.SearchLimit = tc.limit
			e.desk.mu.Unlock()
			var out struct {
				Results []struct {
					ID         int64  `json:"id"`
					ResultType string `json:"result_type"`
				} `json:"results"`
				Count        int     `json:"count"`
				NextPage     *string `json:"next_page"`
				PreviousPage *string `json:"previous_page"`
			}
			before := len(e.sb.Violations())
			e.get(t, "/api/v2/search.json?query="+url.QueryEscape(tc.query)+tc.params, &out)
			var ids []int64
			for _, r := range out.Results {
				ids = append(ids, r.ID)
				if r.ResultType != "ticket" {
					t.Errorf("result %d has result_type %q; want ticket", r.ID, r.ResultType)
				}
			}
			if !slices.Equal(ids, tc.wantIDs) || out.Count != tc.wantCount {
				t.Errorf("results %v, count %d; want %v, count %d", ids, out.Count, tc.wantIDs, tc.wantCount)
			}
			switch {
			case tc.wantNext == "" && out.NextPage != nil:
				t.Errorf("next_page = %q; want null", *out.NextPage)
			case tc.wantNext != "" && (out.NextPage == nil || !strings.Contains(*out.NextPage, tc.wantNext)):
				t.Errorf("next_page = %v; want it to contain %q", out.NextPage, tc.wantNext)
			}
			if (out.PreviousPage != nil) != tc.wantPrev {
				t.Errorf("previous_page = %v; want set: %v", out.PreviousPage, tc.wantPrev)
			}
			if vs := e.sb.Violations()[before:]; len(vs) != 0 {
				t.Errorf("violations: %v", vs)
			}
		})
	}

	t.Run("page past a lowered limit", func(t *testing.T) {
		e.desk.mu.Lock()
		e.desk.SearchLimit = 2
		e.desk.mu.Unlock()
		status, _, body := e.do(t, http.MethodGet, "/api/v2/search.json?query=type%3Aticket&per_page=1&page=3", basic(e.acct.Email, e.acct.APIToken), "", "")
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "InsufficientResourceError") {
			t.Errorf("answer = %d %s; want 422 InsufficientResourceError", status, body)
		}
	})
}
