package webhooks_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/webhooks"
)

// fakeConn is a function-field connector: the header "X-Sig: ok" verifies,
// and the body lists comma-separated event IDs.
type fakeConn struct{}

func (fakeConn) VerifyWebhook(h http.Header, _ []byte) error {
	if h.Get("X-Sig") != "ok" {
		return fmt.Errorf("bad signature: %w", sdk.ErrUnauthorized)
	}
	return nil
}

func (fakeConn) DecodeWebhook(_ http.Header, body []byte) ([]sdk.Event, error) {
	if bytes.HasPrefix(body, []byte("!")) {
		return nil, fmt.Errorf("bang: %w", sdk.ErrInvalid)
	}
	if bytes.HasPrefix(body, []byte("?")) {
		return nil, errors.New("connector bug")
	}
	var evs []sdk.Event
	for _, id := range strings.Split(string(body), ",") {
		evs = append(evs, sdk.Event{ID: id, Kind: sdk.EventTicketUpdated})
	}
	return evs, nil
}

type fakeQueue struct {
	enqueue func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error)
}

func (f fakeQueue) Enqueue(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
	return f.enqueue(ctx, jobs)
}

func newServer(t *testing.T, q webhooks.Enqueuer, ready func(context.Context) error) http.Handler {
	t.Helper()
	s, err := webhooks.New(webhooks.Config{
		Connectors: map[string]webhooks.Connector{"acme": fakeConn{}}, Queue: q, Ready: ready,
		MaxBodyBytes: 64, Metrics: prometheus.NewRegistry(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(h http.Handler, method, path, body, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if sig != "" {
		req.Header.Set("X-Sig", sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestStatuses(t *testing.T) {
	var calls atomic.Int64
	q := fakeQueue{enqueue: func(_ context.Context, jobs []queue.Job) ([]queue.Result, error) {
		calls.Add(1)
		if jobs[0].Event.ID == "down" {
			return nil, errors.New("database unreachable")
		}
		out := make([]queue.Result, len(jobs))
		for i, j := range jobs {
			if strings.HasPrefix(j.Event.ID, "dup") {
				out[i] = queue.Duplicate
			}
		}
		return out, nil
	}}
	h := newServer(t, q, nil)
	cases := []struct {
		name, path, body, sig string
		want                  int
		wantBody              string
	}{
		{"accepted", "/v1/webhooks/acme", "a,b", "ok", 202, `{"accepted":2,"duplicates":0}`},
		{"duplicate in store", "/v1/webhooks/acme", "dup1", "ok", 202, `{"accepted":0,"duplicates":1}`},
		{"bad signature", "/v1/webhooks/acme", "a", "no", 401, "signature check failed"},
		{"invalid body", "/v1/webhooks/acme", "!x", "ok", 400, "malformed body"},
		{"connector bug is ours, not the sender's", "/v1/webhooks/acme", "?x", "ok", 500, "malformed body"},
		{"unknown connector", "/v1/webhooks/other", "a", "ok", 404, `unknown connector \"other\"`},
		{"oversized", "/v1/webhooks/acme", strings.Repeat("x", 65), "ok", 413, "limit"},
		{"queue down", "/v1/webhooks/acme", "down", "ok", 503, "retry later"},
		{"no route", "/v2/anything", "", "", 404, "no such endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, http.MethodPost, tc.path, tc.body, tc.sig)
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Errorf("status %d body %s; want %d with %s", rec.Code, rec.Body.String(), tc.want, tc.wantBody)
			}
		})
	}
	if rec := do(h, http.MethodPost, "/v1/webhooks/acme", "down", "ok"); rec.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

func TestRedeliveryAnsweredFromCacheAfterFirstAck(t *testing.T) {
	var calls atomic.Int64
	q := fakeQueue{enqueue: func(_ context.Context, jobs []queue.Job) ([]queue.Result, error) {
		calls.Add(1)
		return make([]queue.Result, len(jobs)), nil
	}}
	h := newServer(t, q, nil)
	if rec := do(h, http.MethodPost, "/v1/webhooks/acme", "e1", "ok"); rec.Code != 202 {
		t.Fatalf("first delivery: %d", rec.Code)
	}
	rec := do(h, http.MethodPost, "/v1/webhooks/acme", "e1", "ok")
	if rec.Code != 202 || !strings.Contains(rec.Body.String(), `"duplicates":1`) {
		t.Errorf("redelivery: %d %s; want 202 duplicate", rec.Code, rec.Body.String())
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("queue called %d times; want 1 (the redelivery is answered from memory)", n)
	}
	// A failed enqueue must not poison the cache: the retry goes to the queue.
	fail := true
	q2 := fakeQueue{enqueue: func(_ context.Context, jobs []queue.Job) ([]queue.Result, error) {
		if fail {
			return nil, errors.New("down")
		}
		return make([]queue.Result, len(jobs)), nil
	}}
	h2 := newServer(t, q2, nil)
	if rec := do(h2, http.MethodPost, "/v1/webhooks/acme", "e2", "ok"); rec.Code != 503 {
		t.Fatalf("want 503, got %d", rec.Code)
	}
	fail = false
	if rec := do(h2, http.MethodPost, "/v1/webhooks/acme", "e2", "ok"); !strings.Contains(rec.Body.String(), `"accepted":1`) {
		t.Errorf("retry after failure: %s; want accepted", rec.Body.String())
	}
}

func TestReadiness(t *testing.T) {
	q := fakeQueue{enqueue: func(context.Context, []queue.Job) ([]queue.Result, error) { return nil, nil }}
	var ready atomic.Bool
	s, err := webhooks.New(webhooks.Config{
		Connectors: map[string]webhooks.Connector{"acme": fakeConn{}}, Queue: q, ReadyCacheFor: -1,
		Ready: func(context.Context) error {
			if !ready.Load() {
				return &webhooks.NotReadyError{Reason: webhooks.ReasonQueueNotRunning, Err: errors.New("workers stopped")}
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if rec := do(h, http.MethodGet, "/readyz", "", ""); rec.Code != 503 || !strings.Contains(rec.Body.String(), webhooks.ReasonQueueNotRunning) {
		t.Errorf("not ready: %d %s; want 503 with the reason", rec.Code, rec.Body.String())
	}
	ready.Store(true)
	if rec := do(h, http.MethodGet, "/readyz", "", ""); rec.Code != 200 {
		t.Errorf("ready: %d; want 200", rec.Code)
	}
	if rec := do(h, http.MethodGet, "/healthz", "", ""); rec.Code != 200 {
		t.Errorf("healthz: %d", rec.Code)
	}
	if rec := do(h, http.MethodHead, "/v1/webhooks/acme", "", ""); rec.Code != 200 {
		t.Errorf("HEAD known connector: %d; want 200", rec.Code)
	}
	if rec := do(h, http.MethodHead, "/v1/webhooks/zzz", "", ""); rec.Code != 404 {
		t.Errorf("HEAD unknown connector: %d; want 404", rec.Code)
	}
}
