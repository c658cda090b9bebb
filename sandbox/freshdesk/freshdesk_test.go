package freshdesk

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sandbox"
)

// hooks records webhook deliveries.
type hooks struct {
	mu  sync.Mutex
	got []hookDelivery
}

type hookDelivery struct {
	header http.Header
	body   []byte
}

func (h *hooks) all() []hookDelivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookDelivery(nil), h.got...)
}

// env is a served sandbox with the emulation and account "acme" (API key
// "key-acme") delivering to a recorder.
type env struct {
	sb    *sandbox.Server
	d     *Desk
	root  string
	hooks *hooks
}

func newEnv(t *testing.T, rate int) *env {
	t.Helper()
	sb := sandbox.New(nil)
	d := New(sb)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	h := &hooks{}
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, hookDelivery{header: r.Header.Clone(), body: b})
		h.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(recv.Close)
	if err := d.AddAccount(sandbox.Account{
		Name: "acme", APIToken: "key-acme", Webhook: sandbox.Webhook{URL: recv.URL, Secret: "s3cret"},
		CustomFields: map[string]string{"plan": "plan"}, RatePerMinute: rate,
	}); err != nil {
		t.Fatal(err)
	}
	return &env{sb: sb, d: d, root: srv.URL, hooks: h}
}

// call makes an API request as heard would; auth "" means the right key.
// answer is an API response, body read.
type answer struct {
	StatusCode int
	Header     http.Header
}

func (e *env) call(t *testing.T, method, path, body, auth string) (answer, []byte) {
	t.Helper()
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.d.BaseURL(e.root, "acme")+"/api/v2"+path, rdr)
	if err != nil {
		t.Fatal(err)
	}
	if auth == "" {
		auth = "Basic " + base64.StdEncoding.EncodeToString([]byte("key-acme:X"))
	}
	if auth != "none" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{StatusCode: resp.StatusCode, Header: resp.Header}, b
}

func (e *env) ticket(t *testing.T) string {
	t.Helper()
	id, err := e.d.CreateTicket(t.Context(), "acme", sandbox.NewTicket{
		Subject: "Help", Body: "It <b>broke</b>", Requester: sandbox.Person{Name: "Dana", Email: "dana@example.com"},
		Organization: "Northwind", Customer: map[string]string{"plan": "enterprise", "mrr": "10"}, Tags: []string{"vip"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestViolations sends requests Freshdesk would reject: each is answered
// with Freshdesk's status and recorded as exactly one violation.
func TestViolations(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		path        string // {id} is the ticket
		body        string
		contentType string
		wantStatus  int
		wantField   string // in the 400 error list
		wantCode    string
	}{
		{name: "unknown ticket field", method: "PUT", path: "/tickets/{id}", body: `{"priority":3,"urgency":"high"}`, wantStatus: 400, wantField: "urgency", wantCode: "invalid_field"},
		{name: "priority too high", method: "PUT", path: "/tickets/{id}", body: `{"priority":5}`, wantStatus: 400, wantField: "priority", wantCode: "invalid_value"},
		{name: "priority zero", method: "PUT", path: "/tickets/{id}", body: `{"priority":0}`, wantStatus: 400, wantField: "priority", wantCode: "invalid_value"},
		{name: "priority as string", method: "PUT", path: "/tickets/{id}", body: `{"priority":"3"}`, wantStatus: 400, wantField: "priority", wantCode: "datatype_mismatch"},
		{name: "priority as label", method: "PUT", path: "/tickets/{id}", body: `{"priority":"high"}`, wantStatus: 400, wantField: "priority", wantCode: "datatype_mismatch"},
		{name: "status 1", method: "PUT", path: "/tickets/{id}", body: `{"status":1}`, wantStatus: 400, wantField: "status", wantCode: "invalid_value"},
		{name: "status 6", method: "PUT", path: "/tickets/{id}", body: `{"status":6}`, wantStatus: 400, wantField: "status", wantCode: "invalid_value"},
		{name: "tags as a string", method: "PUT", path: "/tickets/{id}", body: `{"tags":"a,b"}`, wantStatus: 400, wantField: "tags", wantCode: "datatype_mismatch"},
		{name: "tags with a number", method: "PUT", path: "/tickets/{id}", body: `{"tags":["a",1]}`, wantStatus: 400, wantField: "tags", wantCode: "datatype_mismatch"},
		{name: "empty tag", method: "PUT", path: "/tickets/{id}", body: `{"tags":["a",""]}`, wantStatus: 400, wantField: "tags", wantCode: "invalid_value"},
		{name: "custom field without cf_", method: "PUT", path: "/tickets/{id}", body: `{"custom_fields":{"sentiment":"angry"}}`, wantStatus: 400, wantField: "sentiment", wantCode: "invalid_field"},
		{name: "custom fields as a list", method: "PUT", path: "/tickets/{id}", body: `{"custom_fields":[{"id":1,"value":"x"}]}`, wantStatus: 400, wantField: "custom_fields", wantCode: "datatype_mismatch"},
		{name: "custom field object value", method: "PUT", path: "/tickets/{id}", body: `{"custom_fields":{"cf_x":{"a":1}}}`, wantStatus: 400, wantField: "cf_x", wantCode: "datatype_mismatch"},
		{name: "zendesk-style wrapper", method: "PUT", path: "/tickets/{id}", body: `{"ticket":{"priority":3}}`, wantStatus: 400, wantField: "ticket", wantCode: "invalid_field"},
		{name: "subject not a string", method: "PUT", path: "/tickets/{id}", body: `{"subject":5}`, wantStatus: 400, wantField: "subject", wantCode: "datatype_mismatch"},
		{name: "ticket body not JSON", method: "PUT", path: "/tickets/{id}", body: `priority=3`, wantStatus: 400},
		{name: "ticket body an array", method: "PUT", path: "/tickets/{id}", body: `[{"priority":3}]`, wantStatus: 400},
		{name: "form content type", method: "PUT", path: "/tickets/{id}", body: `{"priority":3}`, contentType: "application/x-www-form-urlencoded", wantStatus: 415},
		{name: "query on update", method: "PUT", path: "/tickets/{id}?safe_update=true", body: `{"priority":3}`, wantStatus: 400, wantField: "safe_update", wantCode: "invalid_field"},
		{name: "note without body", method: "POST", path: "/tickets/{id}/notes", body: `{"private":true}`, wantStatus: 400, wantField: "body", wantCode: "missing_field"},
		{name: "note blank body", method: "POST", path: "/tickets/{id}/notes", body: `{"body":"  ","private":true}`, wantStatus: 400, wantField: "body", wantCode: "invalid_value"},
		{name: "note private as string", method: "POST", path: "/tickets/{id}/notes", body: `{"body":"x","private":"true"}`, wantStatus: 400, wantField: "private", wantCode: "datatype_mismatch"},
		{name: "note public flag", method: "POST", path: "/tickets/{id}/notes", body: `{"body":"x","public":false}`, wantStatus: 400, wantField: "public", wantCode: "invalid_field"},
		{name: "note html_body", method: "POST", path: "/tickets/{id}/notes", body: `{"html_body":"x"}`, wantStatus: 400, wantField: "body", wantCode: "missing_field"},
		{name: "note by a customer", method: "POST", path: "/tickets/{id}/notes", body: `{"body":"x","user_id":1}`, wantStatus: 400, wantField: "user_id", wantCode: "invalid_value"},
		{name: "per_page over 100", method: "GET", path: "/tickets/{id}/conversations?per_page=101", wantStatus: 400, wantField: "per_page", wantCode: "invalid_value"},
		{name: "per_page zero", method: "GET", path: "/solutions/categories?per_page=0", wantStatus: 400, wantField: "per_page", wantCode: "invalid_value"},
		{name: "page zero", method: "GET", path: "/tickets?page=0", wantStatus: 400, wantField: "page", wantCode: "invalid_value"},
		{name: "unknown include", method: "GET", path: "/tickets/{id}?include=users", wantStatus: 400, wantField: "include", wantCode: "invalid_value"},
		{name: "unknown list filter", method: "GET", path: "/tickets?status=2", wantStatus: 400, wantField: "status", wantCode: "invalid_field"},
		{name: "bad order_by", method: "GET", path: "/tickets?order_by=priority", wantStatus: 400, wantField: "order_by", wantCode: "invalid_value"},
		{name: "bad requester_id", method: "GET", path: "/tickets?requester_id=dana", wantStatus: 400, wantField: "requester_id", wantCode: "invalid_value"},
		{name: "updated_since not a time", method: "GET", path: "/tickets?updated_since=yesterday", wantStatus: 400, wantField: "updated_since", wantCode: "invalid_value"},
		{name: "unknown endpoint", method: "POST", path: "/tickets/{id}/tags", body: `{"tags":["a"]}`, wantStatus: 404},
		{name: "zendesk comments path", method: "GET", path: "/tickets/{id}/comments", wantStatus: 404},
		{name: "non-numeric id", method: "GET", path: "/tickets/abc", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			id := e.ticket(t)
			before := len(e.hooks.all())
			req, err := http.NewRequestWithContext(t.Context(), tt.method, e.d.BaseURL(e.root, "acme")+"/api/v2"+strings.ReplaceAll(tt.path, "{id}", id), strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("key-acme:X")))
			if tt.body != "" {
				ct := tt.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d (%s); want %d", resp.StatusCode, b, tt.wantStatus)
			}
			if vs := e.sb.Violations(); len(vs) != 1 {
				t.Errorf("%d violations %v; want 1", len(vs), vs)
			}
			if tt.wantField != "" {
				var fe struct {
					Description string       `json:"description"`
					Errors      []fieldError `json:"errors"`
				}
				if err := json.Unmarshal(b, &fe); err != nil || fe.Description != "Validation failed" {
					t.Fatalf("body %s: want Freshdesk's validation error", b)
				}
				if !slices.ContainsFunc(fe.Errors, func(e fieldError) bool { return e.Field == tt.wantField && e.Code == tt.wantCode }) {
					t.Errorf("errors %+v; want field %q with code %q", fe.Errors, tt.wantField, tt.wantCode)
				}
			}
			st, err := e.d.State("acme", id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Writes != 0 || st.Priority != "1" || len(st.Notes) != 0 {
				t.Errorf("rejected request changed the ticket: %+v", st)
			}
			if n := len(e.hooks.all()) - before; n != 0 {
				t.Errorf("rejected request delivered %d webhooks", n)
			}
		})
	}
}

// TestNotViolations: answers that are the vendor's business, not heard's
// mistakes.
func TestNotViolations(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		auth       string
		wantStatus int
	}{
		{name: "no credentials", method: "GET", path: "/tickets/{id}", auth: "none", wantStatus: 401},
		{name: "wrong key", method: "GET", path: "/tickets/{id}", auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("other:X")), wantStatus: 401},
		{name: "bearer token", method: "GET", path: "/tickets/{id}", auth: "Bearer key-acme", wantStatus: 401},
		{name: "wrong key on a write", method: "PUT", path: "/tickets/{id}", body: `{"priority":9}`, auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("nope:X")), wantStatus: 401},
		{name: "missing ticket", method: "GET", path: "/tickets/999999", wantStatus: 404},
		{name: "missing contact", method: "GET", path: "/contacts/5", wantStatus: 404},
		{name: "any password", method: "GET", path: "/tickets/{id}", auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("key-acme:whatever")), wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			id := e.ticket(t)
			resp, b := e.call(t, tt.method, strings.ReplaceAll(tt.path, "{id}", id), tt.body, tt.auth)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d (%s); want %d", resp.StatusCode, b, tt.wantStatus)
			}
			if vs := e.sb.Violations(); len(vs) != 0 {
				t.Errorf("violations %v; want none", vs)
			}
			if st, _ := e.d.State("acme", id); st.Writes != 0 {
				t.Errorf("%d writes; want 0", st.Writes)
			}
		})
	}
}

func TestWritesAndWebhooks(t *testing.T) {
	e := newEnv(t, 0)
	id := e.ticket(t)
	bot, err := e.d.BotAgentID("acme")
	if err != nil {
		t.Fatal(err)
	}
	created := e.hooks.all()
	if len(created) != 1 {
		t.Fatalf("%d webhooks after CreateTicket; want 1", len(created))
	}
	var hb hookBody
	if err := json.Unmarshal(created[0].body, &hb); err != nil {
		t.Fatal(err)
	}
	// Only placeholders Freshdesk has: {{ticket.id}}, and the rule's fixed event.
	if want := `{"ticket_id":"` + id + `","event":"ticket_created"}`; string(created[0].body) != want {
		t.Errorf("created webhook %s; want %s", created[0].body, want)
	}
	if created[0].header.Get(HeaderSecret) != "s3cret" || created[0].header.Get("Authorization") != "" {
		t.Errorf("headers %v; want the secret header and no basic auth", created[0].header)
	}

	resp, b := e.call(t, "PUT", "/tickets/"+id, `{"priority":3,"tags":["vip","billing"],"custom_fields":{"cf_sentiment":"angry","cf_score":7,"cf_ok":true}}`, "")
	if resp.StatusCode != 200 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, b)
	}
	var tk map[string]any
	if err := json.Unmarshal(b, &tk); err != nil || tk["priority"] != float64(3) {
		t.Errorf("PUT answer %s; want the updated ticket", b)
	}
	resp, b = e.call(t, "POST", "/tickets/"+id+"/notes", `{"body":"<p>Triage &amp; notes</p>","private":true}`, "")
	if resp.StatusCode != 201 || !strings.Contains(string(b), `"private":true`) || !strings.Contains(string(b), `"user_id":`+bot) {
		t.Fatalf("POST note: %d %s", resp.StatusCode, b)
	}
	all := e.hooks.all()
	if len(all) != 1 {
		t.Fatalf("%d webhooks; want only the creation's: the rules exclude changes performed by heard's agent", len(all))
	}
	st, err := e.d.State("acme", id)
	if err != nil {
		t.Fatal(err)
	}
	want := sandbox.TicketState{ID: id, Subject: "Help", Status: "2", Priority: "3", Tags: []string{"billing", "vip"},
		Fields:   map[string]string{"cf_sentiment": "angry", "cf_score": "7", "cf_ok": "true"},
		Messages: 1, Writes: 2}
	if st.ID != want.ID || st.Status != want.Status || st.Priority != want.Priority || !slices.Equal(st.Tags, want.Tags) ||
		len(st.Fields) != 3 || st.Fields["cf_score"] != "7" || st.Fields["cf_ok"] != "true" || st.Messages != want.Messages || st.Writes != want.Writes {
		t.Errorf("State = %+v; want %+v", st, want)
	}
	if len(st.Notes) != 1 || st.Notes[0].Body != "Triage & notes" || !st.Notes[0].Private || st.Notes[0].Author != "heard" {
		t.Errorf("Notes = %+v", st.Notes)
	}

	// Redeliver resends the last delivery byte for byte.
	if err := e.d.Redeliver(t.Context(), "acme", id); err != nil {
		t.Fatal(err)
	}
	all = e.hooks.all()
	if got, want := all[len(all)-1], all[len(all)-2]; !bytes.Equal(got.body, want.body) || got.header.Get(HeaderSecret) != want.header.Get(HeaderSecret) {
		t.Errorf("redelivery %s; want %s", got.body, want.body)
	}

	// Reply and Solve.
	if err := e.d.Reply(t.Context(), "acme", id, "still <b>broken</b>"); err != nil {
		t.Fatal(err)
	}
	if err := e.d.Solve(t.Context(), "acme", id, "P0", []string{"done"}); err != nil {
		t.Fatal(err)
	}
	all = e.hooks.all()
	var events []string
	for _, dl := range all[len(all)-2:] {
		_ = json.Unmarshal(dl.body, &hb)
		events = append(events, hb.Event)
	}
	if !slices.Equal(events, []string{"customer_replied", "ticket_resolved"}) {
		t.Errorf("events %v; want customer_replied, ticket_resolved", events)
	}
	st, _ = e.d.State("acme", id)
	if st.Status != "4" || st.Priority != "4" || !slices.Equal(st.Tags, []string{"done"}) || st.Messages != 2 {
		t.Errorf("after Solve: %+v", st)
	}
	// A second reply with the same text renders the same body, as
	// Freshdesk's does: the receiver must tell them apart through the API.
	if err := e.d.Reply(t.Context(), "acme", id, "still <b>broken</b>"); err != nil {
		t.Fatal(err)
	}
	all = e.hooks.all()
	if got := all[len(all)-1].body; !bytes.Equal(got, all[len(all)-3].body) {
		t.Errorf("second identical reply delivered %s; want the first reply's body %s", got, all[len(all)-3].body)
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("violations: %v", vs)
	}
}

func TestReadEndpoints(t *testing.T) {
	e := newEnv(t, 0)
	id := e.ticket(t)
	if err := e.d.Reply(t.Context(), "acme", id, "more <i>info</i>"); err != nil {
		t.Fatal(err)
	}
	resp, b := e.call(t, "GET", "/tickets/"+id+"?include=requester,company", "", "")
	var tk struct {
		RequesterID     int64          `json:"requester_id"`
		CompanyID       int64          `json:"company_id"`
		DescriptionText string         `json:"description_text"`
		Requester       map[string]any `json:"requester"`
		Company         map[string]any `json:"company"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &tk) != nil || tk.DescriptionText != "It broke" ||
		tk.Requester["email"] != "dana@example.com" || tk.Company["name"] != "Northwind" {
		t.Fatalf("ticket: %d %s", resp.StatusCode, b)
	}
	_, b = e.call(t, "GET", "/tickets/"+id+"/conversations", "", "")
	var convs []map[string]any
	if json.Unmarshal(b, &convs) != nil || len(convs) != 1 || convs[0]["body_text"] != "more info" || convs[0]["incoming"] != true {
		t.Errorf("conversations: %s", b)
	}
	_, b = e.call(t, "GET", "/contacts/"+strconv.FormatInt(tk.RequesterID, 10), "", "")
	if !strings.Contains(string(b), `"custom_fields":{}`) {
		t.Errorf("contact %s: want no custom fields (the company holds them)", b)
	}
	_, b = e.call(t, "GET", "/companies/"+strconv.FormatInt(tk.CompanyID, 10), "", "")
	if !strings.Contains(string(b), `"custom_fields":{"plan":"enterprise"}`) {
		t.Errorf("company %s: want plan (mrr has no mapping)", b)
	}
	resp, b = e.call(t, "GET", "/agents/me", "", "")
	bot, _ := e.d.BotAgentID("acme")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"id":`+bot) {
		t.Errorf("me: %s", b)
	}
	_, b = e.call(t, "GET", "/tickets?requester_id="+strconv.FormatInt(tk.RequesterID, 10)+"&order_by=created_at&order_type=desc&per_page=5", "", "")
	if json.Unmarshal(b, &convs) != nil || len(convs) != 1 || convs[0]["description"] != nil {
		t.Errorf("tickets list %s: want one ticket without description", b)
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("violations: %v", vs)
	}
}

func TestPagination(t *testing.T) {
	e := newEnv(t, 0)
	for i := range 7 {
		if _, err := e.d.AddArticle("acme", sandbox.Article{Title: "A" + strconv.Itoa(i), Body: "<p>x</p>", Section: "Help/FAQ"}); err != nil {
			t.Fatal(err)
		}
	}
	_, b := e.call(t, "GET", "/solutions/categories", "", "")
	var cats []struct{ ID int64 }
	if json.Unmarshal(b, &cats) != nil || len(cats) != 1 {
		t.Fatalf("categories: %s", b)
	}
	_, b = e.call(t, "GET", "/solutions/categories/"+strconv.FormatInt(cats[0].ID, 10)+"/folders", "", "")
	var folders []struct{ ID int64 }
	if json.Unmarshal(b, &folders) != nil || len(folders) != 1 {
		t.Fatalf("folders: %s", b)
	}
	base := "/solutions/folders/" + strconv.FormatInt(folders[0].ID, 10) + "/articles"
	tests := []struct {
		name      string
		query     string
		wantN     int
		wantFirst string
		wantNext  string // "" means no Link header
	}{
		{name: "default page size fits", query: "", wantN: 7, wantFirst: "A0"},
		{name: "first page", query: "?per_page=3", wantN: 3, wantFirst: "A0", wantNext: "page=2&per_page=3"},
		{name: "middle page", query: "?page=2&per_page=3", wantN: 3, wantFirst: "A3", wantNext: "page=3&per_page=3"},
		{name: "last page", query: "?page=3&per_page=3", wantN: 1, wantFirst: "A6"},
		{name: "past the end", query: "?page=9&per_page=3", wantN: 0},
		{name: "max per page", query: "?per_page=100", wantN: 7, wantFirst: "A0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := e.call(t, "GET", base+tt.query, "", "")
			var arts []struct{ Title string }
			if resp.StatusCode != 200 || json.Unmarshal(b, &arts) != nil || len(arts) != tt.wantN || (tt.wantN > 0 && arts[0].Title != tt.wantFirst) {
				t.Fatalf("%d %s; want %d articles starting with %q", resp.StatusCode, b, tt.wantN, tt.wantFirst)
			}
			link := resp.Header.Get("Link")
			if tt.wantNext == "" {
				if link != "" {
					t.Errorf("Link %q; want none", link)
				}
				return
			}
			want := `<` + e.d.BaseURL(e.root, "acme") + "/api/v2" + base + "?" + tt.wantNext + `>; rel="next"`
			if link != want {
				t.Errorf("Link %q; want %q", link, want)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, 3)
	id := e.ticket(t)
	var statuses []int
	var retryAfter string
	for range 4 {
		resp, _ := e.call(t, "GET", "/tickets/"+id, "", "")
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 429 {
			retryAfter = resp.Header.Get("Retry-After")
		} else if resp.Header.Get("X-RateLimit-Total") != "3" {
			t.Errorf("X-RateLimit-Total = %q; want 3", resp.Header.Get("X-RateLimit-Total"))
		}
	}
	if !slices.Equal(statuses, []int{200, 200, 200, 429}) {
		t.Errorf("statuses %v; want three 200 then 429", statuses)
	}
	if n, err := strconv.Atoi(retryAfter); err != nil || n < 1 || n > 60 {
		t.Errorf("Retry-After %q; want 1..60 seconds", retryAfter)
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("violations: %v", vs)
	}
}

func TestDesk(t *testing.T) {
	e := newEnv(t, 0)
	tests := []struct {
		name string
		run  func() error
	}{
		{name: "duplicate account", run: func() error { return e.d.AddAccount(sandbox.Account{Name: "acme", APIToken: "k"}) }},
		{name: "bad account name", run: func() error { return e.d.AddAccount(sandbox.Account{Name: "Acme Inc", APIToken: "k"}) }},
		{name: "no api key", run: func() error { return e.d.AddAccount(sandbox.Account{Name: "nokey"}) }},
		{name: "bad bot id", run: func() error {
			return e.d.AddAccount(sandbox.Account{Name: "badbot", APIToken: "k", BotUserID: "heard"})
		}},
		{name: "unknown account", run: func() error { _, err := e.d.State("nope", "1"); return err }},
		{name: "unknown ticket", run: func() error { _, err := e.d.State("acme", "77"); return err }},
		{name: "reply to unknown ticket", run: func() error { return e.d.Reply(t.Context(), "acme", "77", "x") }},
		{name: "bad solve priority", run: func() error { return e.d.Solve(t.Context(), "acme", "1", "urgent", nil) }},
		{name: "redeliver before any webhook", run: func() error { return e.d.Redeliver(t.Context(), "acme", "77") }},
		{name: "article without title", run: func() error { _, err := e.d.AddArticle("acme", sandbox.Article{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil {
				t.Error("want an error")
			}
		})
	}
	if err := e.d.AddAccount(sandbox.Account{Name: "fixedbot", APIToken: "k", BotUserID: "777"}); err != nil {
		t.Fatal(err)
	}
	if bot, _ := e.d.BotAgentID("fixedbot"); bot != "777" {
		t.Errorf("BotAgentID = %q; want the configured 777", bot)
	}
	if got := e.d.BaseURL("http://127.0.0.1:9/", "acme"); got != "http://127.0.0.1:9/freshdesk/acme" {
		t.Errorf("BaseURL = %q", got)
	}
}

func TestWebhookBasicAuth(t *testing.T) {
	e := newEnv(t, 0)
	if err := e.d.SetWebhookBasicAuth("acme", "fd", "pw"); err != nil {
		t.Fatal(err)
	}
	e.ticket(t)
	all := e.hooks.all()
	got := all[len(all)-1].header.Get("Authorization")
	if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("fd:pw")); got != want {
		t.Errorf("Authorization %q; want %q", got, want)
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"It <b>broke</b>", "It broke"},
		{"<p>a &amp; b</p><p>c</p>", "a & b\nc"},
		{"x<br>y", "x\ny"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestListTicketsUpdatedSince checks the listing heard's backtest pages
// through: updated_since is inclusive, order_by=updated_at asc, Link
// paging, any status. Tickets 1, 2, 3 open on March 1, 2, 3 (10:00Z);
// ticket 1 is resolved on March 4.
func TestListTicketsUpdatedSince(t *testing.T) {
	e := newEnv(t, 0)
	var mu sync.Mutex
	clock := time.Time{}
	setClock := func(s string) {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		clock = at
		mu.Unlock()
	}
	e.d.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	var ids []string
	for _, day := range []string{"01", "02", "03"} {
		setClock("2026-03-" + day + "T10:00:00Z")
		ids = append(ids, e.ticket(t))
	}
	setClock("2026-03-04T10:00:00Z")
	if err := e.d.Solve(t.Context(), "acme", ids[0], "P1", []string{"billing"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		query    string
		want     []string
		wantNext bool
	}{
		{name: "first page from a ticket's own update", query: "updated_since=2026-03-02T10:00:00Z&order_by=updated_at&order_type=asc&per_page=2",
			want: []string{ids[1], ids[2]}, wantNext: true},
		{name: "second page", query: "updated_since=2026-03-02T10:00:00Z&order_by=updated_at&order_type=asc&per_page=2&page=2",
			want: []string{ids[0]}},
		{name: "a second later", query: "updated_since=2026-03-02T10:00:01Z&order_by=updated_at&order_type=asc",
			want: []string{ids[2], ids[0]}},
		{name: "newest first by default", query: "updated_since=2026-03-01T00:00:00Z&order_by=updated_at",
			want: []string{ids[0], ids[2], ids[1]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := e.call(t, "GET", "/tickets?"+tc.query, "", "")
			var list []struct {
				ID     int64 `json:"id"`
				Status int   `json:"status"`
			}
			if resp.StatusCode != 200 || json.Unmarshal(b, &list) != nil {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			var got []string
			for _, tk := range list {
				got = append(got, strconv.FormatInt(tk.ID, 10))
				if want := map[bool]int{true: statusResolved, false: statusOpen}[strconv.FormatInt(tk.ID, 10) == ids[0]]; tk.Status != want {
					t.Errorf("ticket %d status %d; want %d", tk.ID, tk.Status, want)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("listed %v; want %v", got, tc.want)
			}
			if next := resp.Header.Get("Link") != ""; next != tc.wantNext {
				t.Errorf("Link %q; want a next page: %v", resp.Header.Get("Link"), tc.wantNext)
			}
		})
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("violations: %v", vs)
	}
}
