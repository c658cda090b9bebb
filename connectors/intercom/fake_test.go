package intercom

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// fakeIntercom answers "METHOD /path" from routes and records requests.
// It stands in for shapes the 2.15 sandbox does not produce (2.16 and
// Preview fields, older answers).
type fakeIntercom struct {
	routes map[string]func(w http.ResponseWriter, r *http.Request, body []byte)

	mu   sync.Mutex
	seen []fakeCall
}

type fakeCall struct {
	method, path, query, version string
	body                         []byte
}

func newFake(t *testing.T, routes map[string]func(http.ResponseWriter, *http.Request, []byte)) (*fakeIntercom, string) {
	t.Helper()
	f := &fakeIntercom{routes: routes}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.seen = append(f.seen, fakeCall{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, version: r.Header.Get("Intercom-Version"), body: b})
		f.mu.Unlock()
		h := f.routes[r.Method+" "+r.URL.Path]
		if h == nil {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"type":"error.list","errors":[{"code":"not_found"}]}`))
			return
		}
		h(w, r, b)
	}))
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeIntercom) calls() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCall(nil), f.seen...)
}

func answer(body string) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}
}

func fail(code int) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"type":"error.list","errors":[{"code":"x"}]}`))
	}
}

func fakeConnector(t *testing.T, base string, mutate func(*Config)) *Connector {
	t.Helper()
	cfg := baseConfig()
	cfg.BaseURL = base
	cfg.RateLimit = vendorapi.Config{RetryBase: time.Millisecond, MaxRetries: 1}
	if mutate != nil {
		mutate(&cfg)
	}
	return newTestConnector(t, cfg, time.Now())
}

func TestWritePriorityPreview(t *testing.T) {
	tests := []struct {
		name     string
		current  string
		prio     sdk.Priority
		wantBody string // "" means no PUT
	}{
		{name: "P0 becomes urgent", current: "none", prio: sdk.P0, wantBody: `{"priority":"urgent","admin_id":"7"}`},
		{name: "P3 becomes low", current: "high", prio: sdk.P3, wantBody: `{"priority":"low","admin_id":"7"}`},
		{name: "already high", current: "high", prio: sdk.P1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, base := newFake(t, map[string]func(http.ResponseWriter, *http.Request, []byte){
				"GET /conversations/5": answer(`{"type":"conversation","id":"5","priority":"` + tt.current + `","tags":{"tags":[]}}`),
				"PUT /conversations/5": answer(`{"type":"conversation","id":"5"}`),
			})
			c := fakeConnector(t, base, func(c *Config) { c.APIVersion, c.WritePriority, c.AdminID = PreviewAPIVersion, true, "7" })
			p := tt.prio
			if err := c.Apply(t.Context(), c.ref("5"), sdk.Changes{Priority: &p}); err != nil {
				t.Fatal(err)
			}
			var puts []string
			for _, call := range f.calls() {
				if call.version != PreviewAPIVersion {
					t.Errorf("%s %s sent Intercom-Version %q, want %q", call.method, call.path, call.version, PreviewAPIVersion)
				}
				if strings.HasSuffix(call.path, "/tags") {
					t.Errorf("a priority tag was written although write_priority is on: %s %s", call.method, call.path)
				}
				if call.method == http.MethodPut {
					puts = append(puts, string(call.body))
				}
			}
			switch {
			case tt.wantBody == "" && len(puts) != 0:
				t.Errorf("PUT bodies %v, want none", puts)
			case tt.wantBody != "" && (len(puts) != 1 || puts[0] != tt.wantBody):
				t.Errorf("PUT bodies %v, want [%s]", puts, tt.wantBody)
			}
		})
	}
}

func TestTicketOtherShapes(t *testing.T) {
	conv := `{"type":"conversation","id":"5","title":"<b>Refund</b> request","created_at":1700000000,"updated_at":"1700000100",
	  "state":"snoozed","priority":"high","company":{"type":"company","id":"co1","name":"Acme Corp","custom_attributes":{"plan":"pro","mrr":1250.5,"paid":true,"empty":"","obj":{"a":1}}},
	  "source":{"type":"email","id":"s1","subject":"ignored","body":"<p>Help</p>","author":{"type":"lead","id":"c9","name":"Lee","email":"lee@example.com"}},
	  "contacts":{"contacts":[{"type":"contact","id":"c9"}]},"custom_attributes":{"Product area":"billing","Count":3},
	  "tags":{"tags":[{"id":1,"name":"a"}]},
	  "conversation_parts":{"conversation_parts":[
	    {"id":2,"part_type":"note","body":"<p>internal</p>","created_at":1700000050,"author":{"type":"admin","id":"274"}},
	    {"id":3,"part_type":"assignment","body":null,"created_at":1700000060,"author":{"type":"bot","id":"278"}},
	    {"id":4,"part_type":"comment","body":"<p>On it</p>","created_at":1700000070,"author":{"type":"bot","id":"278"}}]}}`
	tests := []struct {
		name       string
		search     func(http.ResponseWriter, *http.Request, []byte)
		wantErr    error
		wantRecent int
	}{
		{name: "search finds the contact's other conversation", search: answer(`{"type":"conversation.list","conversations":[{"id":"5"},{"id":"6"}]}`), wantRecent: 1},
		{name: "search rejected is left out", search: fail(http.StatusBadRequest)},
		{name: "search outage fails the fetch", search: fail(http.StatusServiceUnavailable), wantErr: sdk.ErrUnavailable},
		{name: "bad credentials fail the fetch", search: fail(http.StatusUnauthorized), wantErr: sdk.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := newFake(t, map[string]func(http.ResponseWriter, *http.Request, []byte){
				"GET /conversations/5":       answer(conv),
				"GET /contacts/c9":           fail(http.StatusNotFound),
				"POST /conversations/search": tt.search,
			})
			c := fakeConnector(t, base, func(c *Config) {
				c.CustomAttributes = map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrPaymentStatus: "paid", sdk.AttrLTV: "empty", sdk.AttrUsageTrend: "obj"}
				c.ConversationAttributes = map[string]string{sdk.FieldProductArea: "Product area"}
			})
			tk, err := c.Ticket(t.Context(), c.ref("5"))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), "acme-intercom") {
					t.Fatalf("Ticket() = %v, want %v naming the connector", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(map[string]any{"subject": tk.Subject, "status": tk.Status, "priority": tk.Priority, "org": tk.Organization,
				"req": tk.Requester, "customer": tk.Customer, "fields": tk.Fields, "tags": tk.Tags})
			want := `{"customer":{"mrr":"1250.5","payment_status":"true","plan":"pro"},"fields":{"Count":"3","product_area":"billing"},` +
				`"org":{"id":"co1","name":"Acme Corp"},"priority":"P1","req":{"id":"c9","name":"Lee","email":"lee@example.com"},` +
				`"status":"pending","subject":"Refund request","tags":["a"]}`
			if string(got) != want {
				t.Errorf("ticket =\n%s\nwant\n%s", got, want)
			}
			if len(tk.Messages) != 3 || tk.Messages[1].Public || !tk.Messages[1].FromAgent || !tk.Messages[2].Public || !tk.Messages[2].FromAgent || tk.Messages[0].FromAgent {
				t.Errorf("messages = %+v, want source (customer), note (private, agent), bot comment (public, agent)", tk.Messages)
			}
			if len(tk.Recent) != tt.wantRecent {
				t.Errorf("recent = %v, want %d", tk.Recent, tt.wantRecent)
			}
		})
	}
}

func TestListArticlesCursorForms(t *testing.T) {
	tests := []struct {
		name       string
		pages      string
		wantCursor string
	}{
		{name: "page numbers", pages: `{"type":"pages","page":1,"per_page":25,"total_pages":2}`, wantCursor: "page:2"},
		{name: "last page", pages: `{"type":"pages","page":2,"per_page":25,"total_pages":2}`},
		{name: "starting_after object", pages: `{"type":"pages","page":1,"next":{"per_page":25,"starting_after":"WzE3MDAw"}}`, wantCursor: "after:WzE3MDAw"},
		{name: "next as a URL", pages: `{"type":"pages","page":1,"next":"https://api.intercom.io/articles?page=2&per_page=25"}`, wantCursor: "page:2"},
		{name: "no pages", pages: `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, base := newFake(t, map[string]func(http.ResponseWriter, *http.Request, []byte){
				"GET /articles": answer(`{"type":"list","pages":` + tt.pages + `,"data":[{"id":"1","title":"T","body":"<p>B</p>","state":"published","updated_at":1700000000,"url":"https://help.example/1"}]}`),
			})
			c := fakeConnector(t, base, nil)
			resp, err := c.ListArticles(t.Context(), &sdk.ListArticlesRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if resp.NextCursor != tt.wantCursor || len(resp.Articles) != 1 || resp.Articles[0].URL != "https://help.example/1" {
				t.Errorf("ListArticles = %+v, want cursor %q and the article", resp, tt.wantCursor)
			}
			if tt.wantCursor == "" {
				return
			}
			if _, err := c.ListArticles(t.Context(), &sdk.ListArticlesRequest{Cursor: tt.wantCursor}); err != nil {
				t.Fatal(err)
			}
			calls := f.calls()
			q := calls[len(calls)-1].query
			if want := map[string]string{"page:2": "page=2&per_page=25", "after:WzE3MDAw": "per_page=25&starting_after=WzE3MDAw"}[tt.wantCursor]; q != want {
				t.Errorf("next page query %q, want %q", q, want)
			}
		})
	}
}
