package vendorapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// script answers the n-th request (from 0) with steps[n], the last step repeating.
func script(t *testing.T, steps ...func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, hdr ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"error":"` + http.StatusText(code) + `"}`))
	}
}

// newTest returns a client that records its waits instead of sleeping.
func newTest(cfg Config) (*Client, *[]time.Duration) {
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = 60000
	}
	c := New("acme-zendesk", cfg, nil, nil)
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	return c, &waits
}

func TestDo(t *testing.T) {
	cases := []struct {
		name      string
		steps     []func(http.ResponseWriter, *http.Request)
		cfg       Config
		wantErr   error
		wantCalls int64
		wantWaits string // comma-separated exact waits, or "backoff:N" for N jittered waits
	}{
		{name: "ok", steps: []func(http.ResponseWriter, *http.Request){status(200)}, wantCalls: 1},
		{name: "429 honours Retry-After then succeeds", steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "2"), status(429, "Retry-After", "1"), status(200)}, wantCalls: 3, wantWaits: "2s,1s"},
		{name: "5xx retried with backoff then gives up", steps: []func(http.ResponseWriter, *http.Request){status(503)}, cfg: Config{MaxRetries: 3}, wantErr: sdk.ErrUnavailable, wantCalls: 4, wantWaits: "backoff:3"},
		{name: "500 then ok", steps: []func(http.ResponseWriter, *http.Request){status(500), status(201)}, wantCalls: 2, wantWaits: "backoff:1"},
		{name: "401 is not retried", steps: []func(http.ResponseWriter, *http.Request){status(401)}, wantErr: sdk.ErrUnauthorized, wantCalls: 1},
		{name: "403 is not retried", steps: []func(http.ResponseWriter, *http.Request){status(403)}, wantErr: sdk.ErrUnauthorized, wantCalls: 1},
		{name: "404", steps: []func(http.ResponseWriter, *http.Request){status(404)}, wantErr: sdk.ErrNotFound, wantCalls: 1},
		{name: "409 conflict", steps: []func(http.ResponseWriter, *http.Request){status(409)}, wantErr: ErrConflict, wantCalls: 1},
		{name: "422 invalid", steps: []func(http.ResponseWriter, *http.Request){status(422)}, wantErr: sdk.ErrInvalid, wantCalls: 1},
		{name: "Retry-After beyond the cap hands the wait to the queue", steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "3600")}, wantErr: sdk.ErrUnavailable, wantCalls: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := script(t, tc.steps...)
			c, waits := newTest(tc.cfg)
			resp, err := c.Do(t.Context(), Request{Method: http.MethodPut, URL: srv.URL + "/api/v2/tickets/1", Body: map[string]any{"a": 1}})
			if tc.wantErr == nil && (err != nil || resp.Status/100 != 2) {
				t.Fatalf("Do = %v, %v; want success", resp, err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("Do error = %v; want %v", err, tc.wantErr)
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("server saw %d calls; want %d", got, tc.wantCalls)
			}
			var got []string
			for _, w := range *waits {
				got = append(got, w.String())
			}
			switch {
			case strings.HasPrefix(tc.wantWaits, "backoff:"):
				n, _ := strconv.Atoi(strings.TrimPrefix(tc.wantWaits, "backoff:"))
				if len(*waits) != n {
					t.Errorf("waits %v; want %d backoff waits", got, n)
				}
				for i, w := range *waits {
					hi := 500 * time.Millisecond << i
					if w < hi/2 || w > hi {
						t.Errorf("backoff %d = %v; want within [%v, %v]", i, w, hi/2, hi)
					}
				}
			case strings.Join(got, ",") != tc.wantWaits:
				t.Errorf("waits %v; want %s", got, tc.wantWaits)
			}
		})
	}
}

func TestErrorsNameTheConnectorAndCapToRetryAfterError(t *testing.T) {
	srv, _ := script(t, status(401))
	c, _ := newTest(Config{})
	_, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "acme-zendesk") || !strings.Contains(err.Error(), "credentials rejected") {
		t.Errorf("auth error %q; want it to name the connector and say the credentials were rejected", err)
	}
	srv2, _ := script(t, status(429, "Retry-After", "600"))
	_, err = c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv2.URL})
	var ra *sdk.RetryAfterError
	if !errors.As(err, &ra) || ra.Wait != 10*time.Minute {
		t.Errorf("long Retry-After: %v; want *sdk.RetryAfterError with 10m", err)
	}
}

func TestRateLimitResetHeader(t *testing.T) {
	c, _ := newTest(Config{})
	now := time.Unix(1_700_000_000, 0)
	c.now = func() time.Time { return now }
	h := http.Header{}
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Unix()+7, 10))
	if got := c.retryAfter(h); got != 7*time.Second {
		t.Errorf("retryAfter(X-RateLimit-Reset +7s) = %v; want 7s", got)
	}
	h = http.Header{}
	h.Set("Retry-After", now.Add(3*time.Second).UTC().Format(http.TimeFormat))
	if got := c.retryAfter(h); got != 3*time.Second {
		t.Errorf("retryAfter(HTTP date +3s) = %v; want 3s", got)
	}
}

func TestBreakerOpensAndRecovers(t *testing.T) {
	srv, calls := script(t, status(500), status(500), status(500), status(500), status(200))
	c, _ := newTest(Config{MaxRetries: 1, BreakerFailures: 1, BreakerCooldown: time.Minute})
	now := time.Unix(1_700_000_000, 0)
	c.now = func() time.Time { return now }
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv.URL}); !errors.Is(err, sdk.ErrUnavailable) {
		t.Fatalf("first call: %v; want ErrUnavailable", err)
	}
	before := calls.Load()
	_, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv.URL})
	if !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), "circuit open") || calls.Load() != before {
		t.Fatalf("while open: %v (calls %d→%d); want circuit open without calling the vendor", err, before, calls.Load())
	}
	now = now.Add(2 * time.Minute) // half-open: one trial
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv.URL}); !errors.Is(err, sdk.ErrUnavailable) {
		t.Fatalf("trial call: %v; want another failure (the script still fails)", err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestTimeoutPerAttempt(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, waits := newTest(Config{Timeout: 20 * time.Millisecond, MaxRetries: 2})
	_, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: srv.URL})
	if !errors.Is(err, sdk.ErrUnavailable) || len(*waits) != 2 {
		t.Errorf("slow vendor: %v after %d retries; want ErrUnavailable after 2", err, len(*waits))
	}
}

func TestRateLimiterBurst(t *testing.T) {
	c := New("x", Config{RatePerMinute: 60, Burst: 3}, nil, nil)
	n := 0
	for c.limiter.Allow() {
		n++
	}
	if n != 3 {
		t.Errorf("burst allowed %d immediate calls; want 3", n)
	}
}

func TestNonIdempotentRequestsAreNotResentAfterServerErrors(t *testing.T) {
	cases := []struct {
		name      string
		method    string
		idem      bool
		steps     []func(http.ResponseWriter, *http.Request)
		wantCalls int64
		wantErr   error
	}{
		{"POST 502 is not resent", http.MethodPost, false, []func(http.ResponseWriter, *http.Request){status(502), status(201)}, 1, sdk.ErrUnavailable},
		{"POST 429 is resent", http.MethodPost, false, []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "1"), status(201)}, 2, nil},
		{"idempotent POST 502 is resent", http.MethodPost, true, []func(http.ResponseWriter, *http.Request){status(502), status(200)}, 2, nil},
		{"PUT 502 is resent", http.MethodPut, false, []func(http.ResponseWriter, *http.Request){status(502), status(200)}, 2, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := script(t, tc.steps...)
			c, _ := newTest(Config{})
			_, err := c.Do(t.Context(), Request{Method: tc.method, URL: srv.URL, Idempotent: tc.idem, Body: map[string]any{"note": "x"}})
			if (tc.wantErr == nil && err != nil) || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Fatalf("Do = %v; want %v", err, tc.wantErr)
			}
			if calls.Load() != tc.wantCalls {
				t.Errorf("server saw %d calls; want %d", calls.Load(), tc.wantCalls)
			}
		})
	}
}
