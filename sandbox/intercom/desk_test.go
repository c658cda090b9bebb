package intercom

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sandbox"
)

const (
	testToken  = "tok-acme"
	testSecret = "whsec-acme"
)

// hook records the webhooks delivered to it.
type hook struct {
	mu  sync.Mutex
	got []sandbox.Request
	srv *httptest.Server
}

func newHook(t *testing.T) *hook {
	t.Helper()
	h := &hook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, sandbox.Request{Method: r.Method, Path: r.Header.Get(HeaderSignature), Body: b})
		h.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) deliveries() []sandbox.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]sandbox.Request(nil), h.got...)
}

// env is a sandbox with one Intercom workspace "acme".
type env struct {
	sb   *sandbox.Server
	desk *Desk
	srv  *httptest.Server
	hook *hook
	base string
}

func newEnv(t *testing.T, mutate func(*sandbox.Account)) *env {
	t.Helper()
	sb := sandbox.New(nil)
	d, err := New(sb)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e := &env{sb: sb, desk: d, srv: httptest.NewServer(sb), hook: newHook(t)}
	t.Cleanup(e.srv.Close)
	acct := sandbox.Account{Name: "acme", APIToken: testToken, APIVersion: "2.15", BotUserID: "991",
		Webhook:      sandbox.Webhook{URL: e.hook.srv.URL, Secret: testSecret},
		CustomFields: map[string]string{"plan": "plan", "mrr": "mrr"}}
	if mutate != nil {
		mutate(&acct)
	}
	if err := d.AddAccount(acct); err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	e.base = d.BaseURL(e.srv.URL, "acme")
	return e
}

// call makes an API request with the workspace's token and version.
func (e *env) call(t *testing.T, method, path, body string, hdr ...string) (answer, []byte) {
	t.Helper()
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.base+path, rdr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Intercom-Version", "2.15")
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{StatusCode: resp.StatusCode, Header: resp.Header}, b
}

// answer is the status and headers of a response whose body was read.
type answer struct {
	StatusCode int
	Header     http.Header
}

func (e *env) ticket(t *testing.T) string {
	t.Helper()
	id, err := e.desk.CreateTicket(t.Context(), "acme", sandbox.NewTicket{
		Subject: "Charged twice", Body: "Hi, charged twice for INV-1.", Requester: sandbox.Person{Name: "Dana", Email: "dana@example.com"},
		Organization: "Northwind", Customer: map[string]string{"plan": "enterprise", "mrr": "2400", "ltv": "9"}, Tags: []string{"vip"},
	})
	if err != nil {
		t.Fatalf("CreateTicket: %v", err)
	}
	return id
}

func TestRejectsWhatTheSpecForbids(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path       string // %s is the conversation id
		body       string
		hdr        []string
		wantStatus int
		wantIn     string // in the violation
	}{
		{name: "reply without message_type", method: "POST", path: "/conversations/%s/reply",
			body: `{"type":"admin","admin_id":"991","body":"<p>x</p>"}`, wantStatus: 400, wantIn: "message_type"},
		{name: "reply with a numeric admin_id", method: "POST", path: "/conversations/%s/reply",
			body: `{"message_type":"note","type":"admin","admin_id":991,"body":"<p>x</p>"}`, wantStatus: 400, wantIn: "admin_id"},
		{name: "reply body that is not an object", method: "POST", path: "/conversations/%s/reply",
			body: `["note"]`, wantStatus: 400, wantIn: "must be an object"},
		{name: "tag with a numeric tag id", method: "POST", path: "/conversations/%s/tags",
			body: `{"id":7,"admin_id":"991"}`, wantStatus: 400, wantIn: "string"},
		{name: "tag without admin_id", method: "POST", path: "/conversations/%s/tags",
			body: `{"id":"7"}`, wantStatus: 400, wantIn: "admin_id"},
		{name: "conversation id that is not an integer", method: "GET", path: "/conversations/abc",
			wantStatus: 400, wantIn: "conversation_id"},
		{name: "version the 2.15 description does not know", method: "GET", path: "/conversations/%s",
			hdr: []string{"Intercom-Version", "2.16"}, wantStatus: 400, wantIn: "Intercom-Version"},
		{name: "search without query", method: "POST", path: "/conversations/search",
			body: `{"pagination":{"per_page":5}}`, wantStatus: 400, wantIn: "query"},
		{name: "search per_page over the maximum", method: "POST", path: "/conversations/search",
			body: `{"query":{"field":"contact_ids","operator":"=","value":"x"},"pagination":{"per_page":151}}`, wantStatus: 400, wantIn: "per_page"},
		{name: "search with >= on a date", method: "POST", path: "/conversations/search",
			body: `{"query":{"field":"updated_at","operator":">=","value":1700000000}}`, wantStatus: 400, wantIn: "searching conversations accepts"},
		{name: "search a date with IN", method: "POST", path: "/conversations/search",
			body: `{"query":{"field":"updated_at","operator":"IN","value":[1700000000]}}`, wantStatus: 400, wantIn: "date fields accept"},
		{name: "search with > on a string", method: "POST", path: "/conversations/search",
			body: `{"query":{"field":"state","operator":">","value":"closed"}}`, wantStatus: 400, wantIn: "integers and dates only"},
		{name: "search a date with a string", method: "POST", path: "/conversations/search",
			body: `{"query":{"field":"updated_at","operator":">","value":"yesterday"}}`, wantStatus: 400, wantIn: "UNIX timestamp"},
		{name: "search group mixing filters and groups", method: "POST", path: "/conversations/search",
			body:       `{"query":{"operator":"AND","value":[{"field":"state","operator":"=","value":"closed"},{"operator":"OR","value":[{"field":"state","operator":"=","value":"open"}]}]}}`,
			wantStatus: 400, wantIn: "query"},
		{name: "priority written with 2.15", method: "PUT", path: "/conversations/%s",
			body: `{"priority":"high"}`, wantStatus: 400, wantIn: "priority"},
		{name: "unknown endpoint", method: "GET", path: "/conversations/%s/priority", wantStatus: 404, wantIn: "not an operation"},
		{name: "method the path does not have", method: "PATCH", path: "/tags", wantStatus: 404, wantIn: "not an operation"},
		{name: "note without body", method: "POST", path: "/conversations/%s/reply",
			body: `{"message_type":"note","type":"admin","admin_id":"991"}`, wantStatus: 400, wantIn: "body is required"},
		{name: "note by an admin of another workspace", method: "POST", path: "/conversations/%s/reply",
			body: `{"message_type":"note","type":"admin","admin_id":"12345","body":"x"}`, wantStatus: 404, wantIn: "no admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			id := e.ticket(t)
			path := strings.Replace(tt.path, "%s", id, 1)
			resp, body := e.call(t, tt.method, path, tt.body, tt.hdr...)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.StatusCode, tt.wantStatus, body)
			}
			var el wireError
			if err := json.Unmarshal(body, &el); err != nil || el.Type != "error.list" || len(el.Errors) != 1 || el.Errors[0].Code == "" {
				t.Errorf("answer %s: want an Intercom error.list", body)
			}
			vs := e.sb.Violations()
			if len(vs) != 1 {
				t.Fatalf("violations = %v, want exactly one", vs)
			}
			t.Logf("violation: %s", vs[0])
			if !strings.Contains(vs[0].Problem, tt.wantIn) || vs[0].Vendor != Vendor || vs[0].Account != "acme" {
				t.Errorf("violation = %s, want one for intercom/acme mentioning %q", vs[0], tt.wantIn)
			}
			if st, _ := e.desk.State("acme", id); st.Writes != 0 || len(st.Notes) != 0 {
				t.Errorf("a rejected request changed the conversation: %+v", st)
			}
		})
	}
}

func TestAuthAndVersion(t *testing.T) {
	tests := []struct {
		name           string
		hdr            []string
		wantStatus     int
		wantViolations int
	}{
		{name: "valid", wantStatus: 200},
		{name: "wrong token", hdr: []string{"Authorization", "Bearer nope"}, wantStatus: 401},
		{name: "no token", hdr: []string{"Authorization", ""}, wantStatus: 401},
		{name: "basic instead of bearer", hdr: []string{"Authorization", "Basic " + testToken}, wantStatus: 401},
		{name: "no Intercom-Version is answered but recorded", hdr: []string{"Intercom-Version", ""}, wantStatus: 200, wantViolations: 1},
		{name: "older version than the workspace's", hdr: []string{"Intercom-Version", "2.14"}, wantStatus: 200, wantViolations: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			resp, body := e.call(t, "GET", "/me", "", tt.hdr...)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 401 && !bytes.Contains(body, []byte(`"code":"unauthorized","message":"Access Token Invalid"`)) {
				t.Errorf("401 body = %s, want Intercom's unauthorized error.list", body)
			}
			if n := len(e.sb.Violations()); n != tt.wantViolations {
				t.Errorf("violations = %v, want %d", e.sb.Violations(), tt.wantViolations)
			}
		})
	}
}

// TestResponsesMatchTheSpec validates the emulation's own answers against
// the 2.15 description, so heard is tested against Intercom's shapes.
func TestResponsesMatchTheSpec(t *testing.T) {
	e := newEnv(t, nil)
	id := e.ticket(t)
	if err := e.desk.Reply(t.Context(), "acme", id, "Any <b>news</b>?"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.AddArticle("acme", sandbox.Article{Title: "Export invoices", Body: "Click Export.", Locale: "en-us"}); err != nil {
		t.Fatal(err)
	}
	var contactID, companyID string
	e.desk.mu.Lock()
	for _, c := range e.desk.accounts["acme"].contacts {
		contactID, companyID = c.id, c.companyIDs[0]
	}
	e.desk.mu.Unlock()
	calls := []struct{ method, path, body string }{
		{"GET", "/me", ""},
		{"GET", "/admins", ""},
		{"GET", "/conversations/" + id, ""},
		{"GET", "/conversations/" + id + "?display_as=plaintext", ""},
		{"POST", "/conversations/" + id + "/reply", `{"message_type":"note","type":"admin","admin_id":"991","body":"<p>note</p>"}`},
		{"POST", "/tags", `{"name":"billing"}`},
		{"GET", "/tags", ""},
		{"PUT", "/conversations/" + id, `{"custom_attributes":{"issue_type":"Billing"}}`},
		{"GET", "/contacts/" + contactID, ""},
		{"GET", "/contacts/" + contactID + "/companies", ""},
		{"GET", "/companies/" + companyID, ""},
		{"POST", "/conversations/search", `{"query":{"field":"contact_ids","operator":"=","value":"` + contactID + `"},"pagination":{"per_page":1}}`},
		{"POST", "/conversations/search", `{"query":{"operator":"AND","value":[{"field":"state","operator":"=","value":"open"},` +
			`{"field":"updated_at","operator":">","value":1700000000}]},"pagination":{"per_page":1,"starting_after":null}}`},
		{"GET", "/articles?page=1&per_page=10", ""},
		{"GET", "/conversations/999999", ""},
		{"GET", "/conversations/" + id, ""}, // with a wrong token, below
	}
	api, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range calls {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var hdr []string
			if i == len(calls)-1 {
				hdr = []string{"Authorization", "Bearer wrong"}
			}
			resp, body := e.call(t, c.method, c.path, c.body, hdr...)
			path, query, _ := strings.Cut(c.path, "?")
			op, err := api.Find(c.method, path, query)
			if err != nil {
				t.Fatal(err)
			}
			if err := op.CheckResponse(t.Context(), resp.StatusCode, resp.Header, body); err != nil {
				t.Errorf("answer %d %s does not match the description: %s", resp.StatusCode, body, err)
			}
		})
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("valid calls recorded violations: %v", vs)
	}
}

func TestWebhooks(t *testing.T) {
	e := newEnv(t, nil)
	id := e.ticket(t)
	if err := e.desk.Reply(t.Context(), "acme", id, "Any news?"); err != nil {
		t.Fatal(err)
	}
	if _, body := e.call(t, "POST", "/conversations/"+id+"/reply", `{"message_type":"note","type":"admin","admin_id":"991","body":"<p>n</p>"}`); !bytes.Contains(body, []byte(`"part_type":"note"`)) {
		t.Fatalf("note answer = %s", body)
	}
	_, tagBody := e.call(t, "POST", "/tags", `{"name":"Billing"}`)
	var tg wireTag
	_ = json.Unmarshal(tagBody, &tg)
	e.call(t, "POST", "/conversations/"+id+"/tags", `{"id":"`+tg.ID+`","admin_id":"991"}`)
	if err := e.desk.Solve(t.Context(), "acme", id, "P1", []string{"billing", "done"}); err != nil {
		t.Fatal(err)
	}
	got := e.hook.deliveries()
	wantTopics := []string{TopicUserCreated, TopicUserReplied, TopicAdminNoted, TopicPartTagged, TopicAdminClosed}
	if len(got) != len(wantTopics) {
		t.Fatalf("got %d deliveries, want %d", len(got), len(wantTopics))
	}
	seen := map[string]bool{}
	for i, d := range got {
		var env struct {
			Type, ID, Topic, AppID string `json:"-"`
		}
		var raw map[string]any
		if err := json.Unmarshal(d.Body, &raw); err != nil {
			t.Fatal(err)
		}
		env.Type, _ = raw["type"].(string)
		env.ID, _ = raw["id"].(string)
		env.Topic, _ = raw["topic"].(string)
		env.AppID, _ = raw["app_id"].(string)
		if env.Type != "notification_event" || env.Topic != wantTopics[i] || env.AppID != "acme" || !strings.HasPrefix(env.ID, "notif_") || seen[env.ID] {
			t.Errorf("delivery %d = %s, want a notification_event %s with a fresh notif_ id", i, d.Body, wantTopics[i])
		}
		seen[env.ID] = true
		if d.Path != Sign(testSecret, d.Body) {
			t.Errorf("delivery %d: X-Hub-Signature %q, want %q", i, d.Path, Sign(testSecret, d.Body))
		}
		item, _ := raw["data"].(map[string]any)["item"].(map[string]any)
		if item["id"] != id {
			t.Errorf("delivery %d: item id %v, want %s", i, item["id"], id)
		}
	}
	if !bytes.Contains(got[2].Body, []byte(`"author":{"type":"admin","id":"991"`)) {
		t.Errorf("note webhook %s: want the bot admin as author", got[2].Body)
	}
	if !bytes.Contains(got[3].Body, []byte(`"applied_by":{"type":"admin","id":"991"}`)) {
		t.Errorf("tag webhook %s: want the tag applied by the bot admin", got[3].Body)
	}
	if err := e.desk.Redeliver(t.Context(), "acme", id); err != nil {
		t.Fatal(err)
	}
	again := e.hook.deliveries()
	if last := again[len(again)-1]; !bytes.Equal(last.Body, got[4].Body) || last.Path != got[4].Path {
		t.Errorf("redelivery differs from the last delivery")
	}
	st, err := e.desk.State("acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != "closed" || st.Priority != "priority" || strings.Join(st.Tags, ",") != "Billing,done" || st.Writes != 2 || len(st.Notes) != 1 || st.Messages != 2 {
		t.Errorf("State = %+v, want closed, priority, tags Billing,done (names are case-insensitive), 2 writes, 1 note, 2 messages", st)
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(a *sandbox.Account) { a.RatePerMinute = 120 })
	e.desk.RateWindow = time.Second // 2 requests per second
	var statuses []int
	var reset string
	for range 3 {
		resp, _ := e.call(t, "GET", "/me", "")
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			reset = resp.Header.Get("X-RateLimit-Reset")
		}
	}
	n429 := 0
	for _, s := range statuses {
		if s == http.StatusTooManyRequests {
			n429++
		}
	}
	if n429 == 0 || n429 == 3 {
		t.Fatalf("statuses %v: want the window's budget of 2 served and then 429", statuses)
	}
	at, err := strconv.ParseInt(reset, 10, 64)
	if err != nil || time.Until(time.Unix(at, 0)) > 2*time.Second || time.Until(time.Unix(at, 0)) < -time.Second {
		t.Errorf("X-RateLimit-Reset %q: want Unix seconds at the end of the window", reset)
	}
}

// TestSearchConversations checks the search semantics heard's listing
// relies on, over three conversations with known update times:
//
//	a  closed at 1000 (tags: outage)
//	b  open,  updated at 2000
//	c  closed at 3000 (tags kept: vip)
func TestSearchConversations(t *testing.T) {
	e := newEnv(t, nil)
	setClock := func(unix int64) {
		e.desk.mu.Lock()
		e.desk.now = func() time.Time { return time.Unix(unix, 0) }
		e.desk.mu.Unlock()
	}
	var ids []string
	for _, unix := range []int64{1000, 2000, 3000} {
		setClock(unix)
		ids = append(ids, e.ticket(t))
	}
	setClock(1000)
	if err := e.desk.Solve(t.Context(), "acme", ids[0], "P0", []string{"outage"}); err != nil {
		t.Fatal(err)
	}
	setClock(3000)
	if err := e.desk.Solve(t.Context(), "acme", ids[2], "", nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.desk.State("acme", ids[2]); len(st.Tags) != 1 || st.Tags[0] != "vip" || st.Priority != "not_priority" {
		t.Errorf("Solve with no tags and no priority: %+v; want the tags [vip] and the priority kept", st)
	}
	if st, _ := e.desk.State("acme", ids[0]); len(st.Tags) != 1 || st.Tags[0] != "outage" || st.Priority != "priority" {
		t.Errorf("Solve with tags and P0: %+v; want tags [outage], priority", st)
	}
	filter := func(field, op, value string) string {
		return `{"field":"` + field + `","operator":"` + op + `","value":` + value + `}`
	}
	tests := []struct {
		name  string
		query string
		want  []int // indexes into ids, in Intercom's order (most recently updated first)
	}{
		{name: "closed", query: filter("state", "=", `"closed"`), want: []int{2, 0}},
		{name: "greater includes the value", query: filter("updated_at", ">", "2000"), want: []int{2, 1}},
		{name: "lower includes the value", query: filter("updated_at", "<", "2000"), want: []int{1, 0}},
		{name: "closed and updated since", query: `{"operator":"AND","value":[` + filter("state", "=", `"closed"`) + `,` + filter("updated_at", ">", "1001") + `]}`, want: []int{2}},
		{name: "open or updated before", query: `{"operator":"OR","value":[` + filter("state", "=", `"open"`) + `,` + filter("updated_at", "<", "1000") + `]}`, want: []int{1, 0}},
		{name: "not closed", query: filter("state", "!=", `"closed"`), want: []int{1}},
		{name: "state starts with", query: filter("state", "^", `"clo"`), want: []int{2, 0}},
		{name: "state does not contain", query: filter("state", "!~", `"pe"`), want: []int{2, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			after := ""
			for page := 0; page < 10; page++ {
				pagination := `{"per_page":1}`
				if after != "" {
					pagination = `{"per_page":1,"starting_after":"` + after + `"}`
				}
				resp, body := e.call(t, "POST", "/conversations/search", `{"query":`+tc.query+`,"pagination":`+pagination+`}`)
				var list struct {
					Conversations []struct{ ID string } `json:"conversations"`
					TotalCount    int                   `json:"total_count"`
					Pages         struct {
						Next *struct {
							StartingAfter string `json:"starting_after"`
						} `json:"next"`
					} `json:"pages"`
				}
				if resp.StatusCode != 200 || json.Unmarshal(body, &list) != nil {
					t.Fatalf("search: %d %s", resp.StatusCode, body)
				}
				if list.TotalCount != len(tc.want) {
					t.Errorf("total_count = %d; want %d", list.TotalCount, len(tc.want))
				}
				for _, c := range list.Conversations {
					got = append(got, c.ID)
				}
				if list.Pages.Next == nil {
					break
				}
				after = list.Pages.Next.StartingAfter
			}
			var want []string
			for _, i := range tc.want {
				want = append(want, ids[i])
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("found %v; want %v", got, want)
			}
		})
	}
	if vs := e.sb.Violations(); len(vs) != 0 {
		t.Errorf("violations: %v", vs)
	}
}
