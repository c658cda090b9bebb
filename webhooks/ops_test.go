package webhooks_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/webhooks"
)

var okQueue = fakeQueue{enqueue: func(_ context.Context, jobs []queue.Job) ([]queue.Result, error) {
	return make([]queue.Result, len(jobs)), nil
}}

// build returns a server from cfg (fakeConn as "acme" and okQueue unless
// set) and the text of its logs.
func build(t *testing.T, cfg webhooks.Config) (http.Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if cfg.Connectors == nil {
		cfg.Connectors = map[string]webhooks.Connector{"acme": fakeConn{}}
	}
	if cfg.Queue == nil {
		cfg.Queue = okQueue
	}
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := webhooks.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

func TestReadyzGivesAShortReasonWithoutInternals(t *testing.T) {
	internal := errors.New(`dial tcp 10.1.2.3:5432: connect: connection refused (user "heard")`)
	cases := []struct {
		name       string
		err        error
		wantCode   int
		wantReason string
	}{
		{"ready", nil, 200, ""},
		{"store down", &webhooks.NotReadyError{Reason: webhooks.ReasonStoreUnavailable, Err: internal}, 503, "store unavailable"},
		{"store read-only", fmt.Errorf("probing: %w", &webhooks.NotReadyError{Reason: webhooks.ReasonStoreNotWritable, Err: internal}), 503, "store not writable"},
		{"queue stopped", &webhooks.NotReadyError{Reason: webhooks.ReasonQueueNotRunning}, 503, "queue not running"},
		{"an unexplained error", internal, 503, "not ready"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, logs := build(t, webhooks.Config{Ready: func(context.Context) error { return tc.err }})
			rec := do(h, http.MethodGet, "/readyz", "", "")
			body := rec.Body.String()
			if rec.Code != tc.wantCode {
				t.Errorf("status %d, want %d (body %s)", rec.Code, tc.wantCode, body)
			}
			if tc.wantReason != "" && !strings.Contains(body, `"reason":"`+tc.wantReason+`"`) {
				t.Errorf("body %s; want reason %q", body, tc.wantReason)
			}
			if strings.Contains(body, "10.1.2.3") || strings.Contains(body, "heard") {
				t.Errorf("body %s shows internals", body)
			}
			if tc.err != nil && !strings.Contains(logs.String(), "10.1.2.3") && errors.Is(tc.err, internal) {
				t.Errorf("the cause was not logged:\n%s", logs.String())
			}
		})
	}
}

func TestReadyzChecksAtMostOncePerInterval(t *testing.T) {
	var calls atomic.Int64
	var failing atomic.Bool
	h, _ := build(t, webhooks.Config{ReadyCacheFor: time.Hour, Ready: func(context.Context) error {
		calls.Add(1)
		if failing.Load() {
			return &webhooks.NotReadyError{Reason: webhooks.ReasonStoreNotWritable}
		}
		return nil
	}})
	for range 20 {
		if rec := do(h, http.MethodGet, "/readyz", "", ""); rec.Code != 200 {
			t.Fatalf("status %d, want 200", rec.Code)
		}
	}
	failing.Store(true) // hidden by the cache for an hour
	if rec := do(h, http.MethodGet, "/readyz", "", ""); rec.Code != 200 {
		t.Errorf("status %d within the interval, want the cached 200", rec.Code)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("Ready ran %d times for 21 requests, want 1", n)
	}

	// Without caching each request checks, and a change is logged once.
	calls.Store(0)
	h, logs := build(t, webhooks.Config{ReadyCacheFor: -1, Ready: func(context.Context) error {
		calls.Add(1)
		return &webhooks.NotReadyError{Reason: webhooks.ReasonStoreNotWritable}
	}})
	for range 3 {
		do(h, http.MethodGet, "/readyz", "", "")
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("Ready ran %d times for 3 uncached requests, want 3", n)
	}
	if n := strings.Count(logs.String(), "not ready"); n != 1 {
		t.Errorf("logged %d not-ready lines for one change, want 1:\n%s", n, logs.String())
	}
}

func TestWrongMethodIs405WithAllow(t *testing.T) {
	h, _ := build(t, webhooks.Config{Metrics: prometheus.NewRegistry()})
	cases := []struct {
		method, path string
		wantAllow    []string
	}{
		{http.MethodGet, "/v1/webhooks/acme", []string{"POST", "HEAD"}},
		{http.MethodPut, "/v1/webhooks/acme", []string{"POST", "HEAD"}},
		{http.MethodDelete, "/v1/webhooks/unknown", []string{"POST", "HEAD"}},
		{http.MethodPost, "/readyz", []string{"GET"}},
		{http.MethodPost, "/metrics", []string{"GET"}},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := do(h, tc.method, tc.path, "", "ok")
			if rec.Code != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405 (body %s)", rec.Code, rec.Body.String())
			}
			allow := rec.Header().Get("Allow")
			for _, m := range tc.wantAllow {
				if !strings.Contains(allow, m) {
					t.Errorf("Allow %q lacks %s", allow, m)
				}
			}
		})
	}
	if rec := do(h, http.MethodGet, "/nowhere", "", ""); rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: status %d, want 404", rec.Code)
	}
}

// chattyConn fails verification with the kind of detail a signature check
// knows: header names and the server's clock.
type chattyConn struct{ fakeConn }

func (chattyConn) VerifyWebhook(http.Header, []byte) error {
	return fmt.Errorf("X-Zendesk-Webhook-Signature-Timestamp 2020-01-01T00:00:00Z is 52w from server time 2026-12-07T17:00:00Z: %w", sdk.ErrUnauthorized)
}

func TestUnauthorizedBodyHasNoDetail(t *testing.T) {
	h, logs := build(t, webhooks.Config{Connectors: map[string]webhooks.Connector{"acme": chattyConn{}}})
	rec := do(h, http.MethodPost, "/v1/webhooks/acme", "a", "ok")
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", rec.Code)
	}
	body := rec.Body.String()
	for _, leak := range []string{"2026", "server time", "X-Zendesk", "detail"} {
		if strings.Contains(body, leak) {
			t.Errorf("401 body %s reveals %q", body, leak)
		}
	}
	if !strings.Contains(body, "signature check failed") {
		t.Errorf("401 body %s; want the generic message", body)
	}
	if !strings.Contains(logs.String(), "server time 2026-12-07T17:00:00Z") {
		t.Errorf("the detail is not logged server-side:\n%s", logs.String())
	}
	// Other 4xx still say what is wrong with the request.
	rec = do(h, http.MethodPost, "/v1/webhooks/other", "a", "ok")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "other") {
		t.Errorf("404 body %s; want the connector named", rec.Body.String())
	}
}

func TestForwardedForTrustedOnlyFromConfiguredProxies(t *testing.T) {
	const peer, forwarded = "192.0.2.10", "203.0.113.9"
	cases := []struct {
		name    string
		proxies []string
		want    string // the logged remote address
	}{
		{"no proxies configured", nil, peer},
		{"peer is not a trusted proxy", []string{"198.51.100.0/24"}, peer},
		{"peer is a trusted proxy", []string{"192.0.2.0/24"}, forwarded},
		{"peer trusted by address", []string{peer}, forwarded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, logs := build(t, webhooks.Config{TrustedProxies: tc.proxies})
			req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/acme", strings.NewReader("a"))
			req.RemoteAddr = peer + ":4711"
			req.Header.Set("X-Forwarded-For", forwarded)
			req.Header.Set("X-Sig", "bad")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", rec.Code)
			}
			if got := logs.String(); !strings.Contains(got, "remote="+tc.want+" ") {
				t.Errorf("log does not name remote=%s:\n%s", tc.want, got)
			}
		})
	}
	_, err := webhooks.New(webhooks.Config{Queue: okQueue, TrustedProxies: []string{"not-a-cidr/99"}})
	if !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("New with a bad proxy = %v, want sdk.ErrInvalid", err)
	}
}

func TestMetricsRouteCanMoveOffTheWebhookListener(t *testing.T) {
	for _, tc := range []struct {
		name     string
		noRoute  bool
		wantCode int
	}{
		{"served on the main listener by default", false, 200},
		{"moved to the admin listener", true, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			h, _ := build(t, webhooks.Config{Metrics: reg, NoMetricsRoute: tc.noRoute})
			do(h, http.MethodPost, "/v1/webhooks/acme", "a", "ok")
			rec := do(h, http.MethodGet, "/metrics", "", "")
			if rec.Code != tc.wantCode {
				t.Errorf("GET /metrics: %d, want %d", rec.Code, tc.wantCode)
			}
			// The collectors are registered either way: the admin handler
			// serves them.
			admin := httptest.NewRecorder()
			webhooks.MetricsHandler(reg).ServeHTTP(admin, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			if !strings.Contains(admin.Body.String(), `heard_webhook_requests_total{code="202",connector="acme"} 1`) {
				t.Errorf("MetricsHandler lacks the request counter:\n%.500s", admin.Body.String())
			}
		})
	}
}

func TestReadyzAnswerSurvivesACallerWhoHangsUp(t *testing.T) {
	h, _ := build(t, webhooks.Config{ReadyCacheFor: time.Hour, Ready: func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
			return nil
		}
	}})
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // the first caller is gone before the check finishes
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/readyz", nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if rec := do(h, http.MethodGet, "/readyz", "", ""); rec.Code != 200 {
		t.Errorf("after a caller hung up: %d %s; want the cached 200", rec.Code, rec.Body.String())
	}
}
