package plugins_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// deskServer is the JSON-over-HTTP help desk the example connector plugin
// talks to.
type deskServer struct {
	*httptest.Server
	mu      sync.Mutex
	changes map[string]json.RawMessage
}

func newDeskServer(t *testing.T) *deskServer {
	t.Helper()
	d := &deskServer{changes: map[string]json.RawMessage{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tickets/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "42":
			_, _ = w.Write([]byte(`{"id":"42","subject":"Invoice wrong","status":"open","priority":"low",
				"requester":{"id":"7","email":"ada@bigco.example"},"customer":{"plan":"enterprise"},
				"messages":[{"id":"m1","body":"Our invoice shows the wrong VAT.","public":true}]}`))
		case "busy":
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("POST /api/tickets/{id}/changes", func(w http.ResponseWriter, r *http.Request) {
		var body json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		d.mu.Lock()
		d.changes[r.PathValue("id")] = body
		d.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /api/articles", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"articles":[{"id":"a1","title":"VAT on invoices","body":"<p>…</p>","url":"https://help.example/a1"}]}`))
	})
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer desk-token" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(d.Close)
	return d
}

// A connector plugin behaves like a built-in connector: webhooks, ticket
// fetch, write-back, article listing, and sdk errors that survive the trip.
func TestConnectorPlugin(t *testing.T) {
	log, _ := testLogger(t)
	desk := newDeskServer(t)
	cat := installed(t, log, map[string]string{"": pluginBinary(t, pkgJSONDesk)})
	e, _ := cat.Get("jsondesk")
	if e.KindList() != "connector" || len(e.Features) != 1 {
		t.Fatalf("catalog entry %+v; want a connector that lists articles", e)
	}
	h := load(t, cat.Path(), `
plugins:
  enabled:
    - name: jsondesk
      connectors: [acme-desk]
      settings:
        base_url: `+desk.URL+`
        token: desk-token
        webhook_secret: whsec
        actor: "user:heard"
`, log)
	if _, ok := h.Connector("other"); ok {
		t.Error("Connector(other) found a plugin; none is enabled for it")
	}
	c, ok := h.Connector("acme-desk")
	if !ok {
		t.Fatal("no connector plugin for acme-desk")
	}
	if len(h.Classifiers("")) != 0 {
		t.Error("a connector plugin showed up as a classifier")
	}

	body := []byte(`{"id":"d-1","event":"message.created","ticket_id":"42","account":"acme","actor":"user:7"}`)
	m := hmac.New(sha256.New, []byte("whsec"))
	m.Write(body)
	hdr := http.Header{"X-Desk-Signature": {"sha256=" + hex.EncodeToString(m.Sum(nil))}}
	if err := c.VerifyWebhook(hdr, body); err != nil {
		t.Errorf("VerifyWebhook = %v", err)
	}
	if err := c.VerifyWebhook(http.Header{}, body); !errors.Is(err, sdk.ErrUnauthorized) {
		t.Errorf("VerifyWebhook(unsigned) = %v; want ErrUnauthorized", err)
	}
	evs, err := c.DecodeWebhook(hdr, body)
	if err != nil || len(evs) != 1 || evs[0].Ticket != (sdk.TicketRef{Connector: "acme-desk", Account: "acme", ID: "42"}) || evs[0].Kind != sdk.EventMessageCreated {
		t.Errorf("DecodeWebhook = %+v, %v; want one event for acme-desk/acme/42", evs, err)
	}

	tk, err := c.Ticket(t.Context(), evs[0].Ticket)
	if err != nil || tk.Subject != "Invoice wrong" || tk.Priority != sdk.P3 || tk.Ref.Connector != "acme-desk" || len(tk.Messages) != 1 {
		t.Fatalf("Ticket = %+v, %v", tk, err)
	}
	if _, err := c.Ticket(t.Context(), sdk.TicketRef{ID: "missing"}); !errors.Is(err, sdk.ErrNotFound) || !strings.Contains(err.Error(), `plugin "jsondesk"`) {
		t.Errorf("Ticket(missing) = %v; want ErrNotFound naming the plugin", err)
	}
	_, err = c.Ticket(t.Context(), sdk.TicketRef{ID: "busy"})
	var ra *sdk.RetryAfterError
	if !errors.As(err, &ra) || ra.Wait != 30*time.Second || !errors.Is(err, sdk.ErrUnavailable) || !sdk.Retryable(err) {
		t.Errorf("Ticket(rate limited) = %v; want a retryable RetryAfterError of 30s", err)
	}

	p := sdk.P1
	if err := c.Apply(t.Context(), evs[0].Ticket, sdk.Changes{AddTags: []string{"heard_billing"}, Priority: &p, InternalNote: "note"}); err != nil {
		t.Fatalf("Apply = %v", err)
	}
	desk.mu.Lock()
	got := string(desk.changes["42"])
	desk.mu.Unlock()
	if !strings.Contains(got, `"priority":"high"`) || !strings.Contains(got, `"heard_billing"`) {
		t.Errorf("the desk received %s", got)
	}

	l, ok := c.(sdk.ArticleLister)
	if !ok {
		t.Fatal("the connector plugin does not list articles")
	}
	page, err := l.ListArticles(t.Context(), &sdk.ListArticlesRequest{})
	if err != nil || len(page.Articles) != 1 || page.Articles[0].Title != "VAT on invoices" {
		t.Errorf("ListArticles = %+v, %v", page, err)
	}

	if err := h.CheckHealth(t.Context()); err != nil {
		t.Errorf("CheckHealth = %v", err)
	}
}
