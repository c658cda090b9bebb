package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// fakeDesk is the help desk's API, in memory.
type fakeDesk struct {
	*httptest.Server
	mu      sync.Mutex
	applied map[string]map[string]any
}

func newFakeDesk(t *testing.T) *fakeDesk {
	t.Helper()
	f := &fakeDesk{applied: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tickets/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "42":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"42","subject":"Checkout broken","status":"open","priority":"normal",
				"requester":{"id":"7","name":"Ada","email":"ada@bigco.example"},"tags":["web"],
				"custom":{"region":"eu"},"customer":{"plan":"enterprise","mrr":"12000"},
				"messages":[{"id":"m1","author":{"id":"7","name":"Ada"},"public":true,"body":"Checkout fails with 500.","created_at":"2026-03-02T09:30:00Z"}],
				"created_at":"2026-03-02T09:30:00Z","updated_at":"2026-03-02T09:31:00Z"}`))
		case "busy":
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("POST /api/tickets/{id}/changes", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.applied[r.PathValue("id")] = body
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /api/articles", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			_, _ = w.Write([]byte(`{"articles":[{"id":"a1","title":"Reset your password","body":"<p>Go to settings.</p>","url":"https://help.example/a1","updated_at":"2026-01-01T00:00:00Z"}],"next_cursor":"p2"}`))
			return
		}
		_, _ = w.Write([]byte(`{"articles":[{"id":"a2","title":"Invoices","body":"<p>Billing.</p>","url":"https://help.example/a2"}]}`))
	})
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeDesk) settings(token string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"base_url": f.URL, "token": token, "webhook_secret": "s3cret", "actor": "user:heard"})
	return b
}

// conn is the connector half the tests use, in-process or over gRPC.
type conn interface {
	VerifyWebhook(ctx context.Context, h http.Header, body []byte) error
	DecodeWebhook(ctx context.Context, h http.Header, body []byte) ([]sdk.Event, error)
	Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error)
	Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error
	ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error)
}

type local struct{ d *Desk }

func (l local) VerifyWebhook(_ context.Context, h http.Header, b []byte) error {
	return l.d.VerifyWebhook(h, b)
}
func (l local) DecodeWebhook(_ context.Context, h http.Header, b []byte) ([]sdk.Event, error) {
	return l.d.DecodeWebhook(h, b)
}
func (l local) Ticket(ctx context.Context, r sdk.TicketRef) (*sdk.Ticket, error) {
	return l.d.Ticket(ctx, r)
}
func (l local) Apply(ctx context.Context, r sdk.TicketRef, ch sdk.Changes) error {
	return l.d.Apply(ctx, r, ch)
}
func (l local) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	return l.d.ListArticles(ctx, req)
}

// TestDesk runs the same checks in-process, over gRPC in this process, and
// against the built binary.
func TestDesk(t *testing.T) {
	desk := newFakeDesk(t)
	bin := sdktest.Build(t, ".")
	transports := []struct {
		name string
		open func(t *testing.T) conn
	}{
		{"in-process", func(t *testing.T) conn {
			d := NewDesk(slog.New(slog.DiscardHandler))
			if err := d.Configure(t.Context(), &plugin.ConfigureRequest{Settings: desk.settings("tok")}); err != nil {
				t.Fatal(err)
			}
			return local{d}
		}},
		{"grpc", func(t *testing.T) conn {
			d := NewDesk(slog.New(slog.DiscardHandler))
			c := plugin.TestClient(t, plugin.Options{Connector: d, Configure: d.Configure}, plugin.ProtocolVersion)
			if err := c.Configure(t.Context(), &plugin.ConfigureRequest{Settings: desk.settings("tok")}); err != nil {
				t.Fatal(err)
			}
			return c.Connector()
		}},
		{"binary", func(t *testing.T) conn {
			c := sdktest.Launch(t, bin, sdktest.WithSettings(desk.settings("tok")))
			info, err := c.Info(t.Context())
			if err != nil || !info.Has(plugin.KindConnector) || len(info.Features) != 1 || info.Features[0] != plugin.FeatureListArticles {
				t.Fatalf("Info = %+v, %v; want a connector that lists articles", info, err)
			}
			return c.Connector()
		}},
	}
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			c := tr.open(t)
			ctx := t.Context()
			ref := sdk.TicketRef{Connector: "acme-desk", Account: "acme", ID: "42"}

			body := []byte(`{"id":"d1","event":"ticket.created","ticket_id":"42","account":"acme","actor":"user:7","occurred_at":"2026-03-02T09:30:00Z"}`)
			h := http.Header{SignatureHeader: {"sha256=" + hex.EncodeToString(Sign([]byte("s3cret"), body))}}
			if err := c.VerifyWebhook(ctx, h, body); err != nil {
				t.Errorf("VerifyWebhook(good signature) = %v", err)
			}
			if err := c.VerifyWebhook(ctx, http.Header{SignatureHeader: {"sha256=00"}}, body); !errors.Is(err, sdk.ErrUnauthorized) {
				t.Errorf("VerifyWebhook(bad signature) = %v; want ErrUnauthorized", err)
			}
			evs, err := c.DecodeWebhook(ctx, h, body)
			if err != nil || len(evs) != 1 || evs[0].ID != "d1" || evs[0].Kind != sdk.EventTicketCreated || evs[0].Ticket.ID != "42" ||
				!evs[0].OccurredAt.Equal(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)) {
				t.Errorf("DecodeWebhook = %+v, %v", evs, err)
			}
			own := []byte(`{"id":"d2","event":"ticket.updated","ticket_id":"42","actor":"user:heard"}`)
			if evs, err := c.DecodeWebhook(ctx, nil, own); err != nil || len(evs) != 0 {
				t.Errorf("DecodeWebhook(heard's own update) = %+v, %v; want no events", evs, err)
			}
			if _, err := c.DecodeWebhook(ctx, nil, []byte("{")); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("DecodeWebhook(malformed) = %v; want ErrInvalid", err)
			}

			tk, err := c.Ticket(ctx, ref)
			if err != nil {
				t.Fatalf("Ticket: %v", err)
			}
			if tk.Subject != "Checkout broken" || tk.Priority != sdk.P2 || tk.Customer["plan"] != "enterprise" || len(tk.Messages) != 1 ||
				tk.Requester.Email != "ada@bigco.example" || tk.Ref != ref || tk.Fields["region"] != "eu" {
				t.Errorf("Ticket = %+v", tk)
			}
			if _, err := c.Ticket(ctx, sdk.TicketRef{ID: "404"}); !errors.Is(err, sdk.ErrNotFound) {
				t.Errorf("Ticket(missing) = %v; want ErrNotFound", err)
			}
			_, err = c.Ticket(ctx, sdk.TicketRef{ID: "busy"})
			var ra *sdk.RetryAfterError
			if !errors.As(err, &ra) || ra.Wait != 7*time.Second || !errors.Is(err, sdk.ErrUnavailable) {
				t.Errorf("Ticket(rate limited) = %v; want a RetryAfterError of 7s matching ErrUnavailable", err)
			}

			p := sdk.P1
			if err := c.Apply(ctx, ref, sdk.Changes{AddTags: []string{"heard_vip"}, Priority: &p, InternalNote: "HEARD: P1", Fingerprint: "f1", PublicReply: "Hi Ana"}); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			desk.mu.Lock()
			got := desk.applied["42"]
			desk.mu.Unlock()
			if got["priority"] != "high" || got["note"] != "HEARD: P1" || got["note_fingerprint"] != "f1" || got["reply"] != "Hi Ana" {
				t.Errorf("the desk received %v", got)
			}

			page, err := c.ListArticles(ctx, &sdk.ListArticlesRequest{})
			if err != nil || len(page.Articles) != 1 || page.Articles[0].Title != "Reset your password" || page.NextCursor != "p2" {
				t.Fatalf("ListArticles = %+v, %v", page, err)
			}
			page, err = c.ListArticles(ctx, &sdk.ListArticlesRequest{Cursor: page.NextCursor})
			if err != nil || len(page.Articles) != 1 || page.NextCursor != "" {
				t.Errorf("ListArticles(page 2) = %+v, %v", page, err)
			}
		})
	}
}

func TestBadSettingsAndToken(t *testing.T) {
	desk := newFakeDesk(t)
	d := NewDesk(slog.New(slog.DiscardHandler))
	for _, js := range []string{`{}`, `{"base_url":"ftp://x","webhook_secret":"s"}`, `{"base_url":"http://x","webhook_secret":"s","tokn":"x"}`} {
		if err := d.Configure(t.Context(), &plugin.ConfigureRequest{Settings: json.RawMessage(js)}); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("Configure(%s) = %v; want ErrInvalid", js, err)
		}
	}
	if _, err := d.Ticket(t.Context(), sdk.TicketRef{ID: "42"}); !errors.Is(err, sdk.ErrUnavailable) {
		t.Errorf("Ticket before Configure = %v; want ErrUnavailable", err)
	}
	if err := d.Configure(t.Context(), &plugin.ConfigureRequest{Settings: desk.settings("wrong")}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Ticket(t.Context(), sdk.TicketRef{ID: "42"}); !errors.Is(err, sdk.ErrUnauthorized) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("Ticket with a bad token = %v; want ErrUnauthorized without the token", err)
	}
}
