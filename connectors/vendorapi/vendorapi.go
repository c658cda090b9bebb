package vendorapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/heardhq/heard/sdk"
)

// ErrConflict is a 409: the resource changed since it was read.
var ErrConflict = errors.New("conflict")

// Config tunes one account's client. Zero values take the defaults noted.
type Config struct {
	// RatePerMinute is the request budget, e.g. Zendesk 100, Freshdesk 200,
	// Intercom 10,000 per app (each connector passes its vendor's default).
	RatePerMinute float64 `yaml:"rate_per_minute" json:"rate_per_minute"`
	// Burst is how many requests may go at once; default RatePerMinute/10, at least 1.
	Burst int `yaml:"burst" json:"burst"`
	// Timeout bounds each attempt; default 15s.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// MaxRetries after the first attempt for 429/5xx/network; default 4.
	MaxRetries int `yaml:"max_retries" json:"max_retries"`
	// RetryBase is the first backoff, doubled each retry; default 500ms.
	RetryBase time.Duration `yaml:"retry_base" json:"retry_base"`
	// RetryMax caps one wait (also a vendor's Retry-After); default 60s.
	// A longer Retry-After ends the call with *sdk.RetryAfterError so the
	// queue, not this goroutine, does the waiting.
	RetryMax time.Duration `yaml:"retry_max" json:"retry_max"`
	// BreakerFailures consecutive failed calls open the breaker; default 5.
	BreakerFailures int `yaml:"breaker_failures" json:"breaker_failures"`
	// BreakerCooldown is how long it stays open; default 30s.
	BreakerCooldown time.Duration `yaml:"breaker_cooldown" json:"breaker_cooldown"`
}

func (c *Config) defaults() {
	if c.RatePerMinute <= 0 {
		c.RatePerMinute = 100
	}
	if c.Burst <= 0 {
		c.Burst = max(1, int(c.RatePerMinute/10))
	}
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = 4
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 500 * time.Millisecond
	}
	if c.RetryMax <= 0 {
		c.RetryMax = 60 * time.Second
	}
	if c.BreakerFailures <= 0 {
		c.BreakerFailures = 5
	}
	if c.BreakerCooldown <= 0 {
		c.BreakerCooldown = 30 * time.Second
	}
}

// Client calls one account of one vendor. It is safe for concurrent use.
type Client struct {
	name    string // connector name, for errors and logs
	cfg     Config
	hc      *http.Client
	limiter *rate.Limiter
	log     *slog.Logger
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error

	mu        sync.Mutex
	failures  int
	openUntil time.Time
}

// New returns a client for the connector named name.
func New(name string, cfg Config, hc *http.Client, log *slog.Logger) *Client {
	cfg.defaults()
	if hc == nil {
		hc = NewHTTPClient()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{
		name: name, cfg: cfg, hc: hc, log: log, now: time.Now, sleep: sleepCtx,
		limiter: rate.NewLimiter(rate.Limit(cfg.RatePerMinute/60), cfg.Burst),
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Request describes one call. Body, when not nil, is sent as JSON.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   any
	// Idempotent marks a POST or PATCH that is safe to send twice (a
	// search). Other methods are idempotent by definition. A request that
	// is not is never resent after a network error or 5xx — the vendor may
	// have acted on it — only after a 429; the caller's job retries the
	// whole operation instead, which checks what already happened.
	Idempotent bool
}

func (r Request) idempotent() bool {
	return r.Idempotent || (r.Method != http.MethodPost && r.Method != http.MethodPatch)
}

// Response is a successful (2xx) answer, body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the body into v.
func (r *Response) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decoding response: %w", errors.Join(err, sdk.ErrInvalid))
	}
	return nil
}

// StatusError is a non-2xx answer that was not retried into success.
type StatusError struct {
	Connector string
	Method    string
	URL       string // credentials masked (sdk.RedactURL)
	Status    int
	Body      string // the vendor's message, truncated
	kind      error
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("connector %s: %s %s: HTTP %d: %s", e.Connector, e.Method, e.URL, e.Status, e.Body)
}

// Unwrap returns the sdk sentinel for the status (see the package table).
func (e *StatusError) Unwrap() error { return e.kind }

// Do sends req with rate limiting, retries and the breaker, and returns the
// 2xx response or an error from the package table.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	if err := c.allow(); err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil {
		b, err := json.Marshal(req.Body)
		if err != nil {
			return nil, fmt.Errorf("encoding %s %s: %w", req.Method, sdk.RedactURL(req.URL), err)
		}
		body = b
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("connector %s: waiting for the rate limit: %w", c.name, err)
		}
		resp, wait, err := c.attempt(ctx, req, body)
		if err == nil {
			c.record(true)
			return resp, nil
		}
		lastErr = err
		retryable := wait >= 0
		var se *StatusError
		if retryable && !req.idempotent() && (!errors.As(err, &se) || se.Status != http.StatusTooManyRequests) {
			retryable = false // the vendor may have acted on it
		}
		if !retryable {
			if errors.As(err, &se) && se.Status < 500 {
				c.record(true) // the vendor answered: a client error is not an outage
			} else {
				c.record(false)
			}
			return nil, err
		}
		if attempt >= c.cfg.MaxRetries {
			c.record(false)
			return nil, err
		}
		if wait == 0 {
			wait = c.backoff(attempt)
		}
		if wait > c.cfg.RetryMax {
			c.record(true)
			return nil, &sdk.RetryAfterError{Err: err, Wait: wait}
		}
		c.log.DebugContext(ctx, "vendor call retrying", "connector", c.name, "method", req.Method, "attempt", attempt+1, "wait_ms", wait.Milliseconds(), "err", err)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("connector %s: %w (while retrying: %w)", c.name, err, lastErr)
		}
	}
}

// attempt makes one request. wait < 0: do not retry; wait == 0: retry with
// backoff; wait > 0: retry after that long (the vendor said so).
func (c *Client) attempt(ctx context.Context, req Request, body []byte) (*Response, time.Duration, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	shown := sdk.RedactURL(req.URL) // what errors and logs may show
	hr, err := http.NewRequestWithContext(actx, req.Method, req.URL, rdr)
	if err != nil {
		return nil, -1, fmt.Errorf("connector %s: building %s %s: %w", c.name, req.Method, shown, errors.Join(redactURLError(err), sdk.ErrInvalid))
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	if body != nil && hr.Header.Get("Content-Type") == "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if hr.Header.Get("Accept") == "" {
		hr.Header.Set("Accept", "application/json")
	}
	res, err := c.hc.Do(hr)
	if err != nil {
		if ctx.Err() != nil { // the caller gave up; do not retry
			return nil, -1, fmt.Errorf("connector %s: %s %s: %w", c.name, req.Method, shown, ctx.Err())
		}
		return nil, 0, fmt.Errorf("connector %s: %s %s: %w", c.name, req.Method, shown, errors.Join(redactURLError(err), sdk.ErrUnavailable))
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 32<<20))
	if err != nil {
		return nil, 0, fmt.Errorf("connector %s: reading %s %s: %w", c.name, req.Method, shown, errors.Join(err, sdk.ErrUnavailable))
	}
	if res.StatusCode/100 == 2 {
		return &Response{Status: res.StatusCode, Header: res.Header, Body: b}, 0, nil
	}
	se := &StatusError{Connector: c.name, Method: req.Method, URL: shown, Status: res.StatusCode, Body: truncate(string(b), 300)}
	switch {
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		se.kind = sdk.ErrUnauthorized
		se.Body = "credentials rejected (check the connector's API token): " + se.Body
		return nil, -1, se
	case res.StatusCode == http.StatusNotFound:
		se.kind = sdk.ErrNotFound
		return nil, -1, se
	case res.StatusCode == http.StatusConflict:
		se.kind = ErrConflict
		return nil, -1, se
	case res.StatusCode == http.StatusTooManyRequests:
		se.kind = sdk.ErrUnavailable
		return nil, c.retryAfter(res.Header), se
	case res.StatusCode >= 500:
		se.kind = sdk.ErrUnavailable
		if w := c.retryAfter(res.Header); w > 0 {
			return nil, w, se
		}
		return nil, 0, se
	default:
		se.kind = sdk.ErrInvalid
		return nil, -1, se
	}
}

// retryAfter reads Retry-After (seconds or HTTP date) or Intercom's
// X-RateLimit-Reset (Unix seconds); 0 when absent.
func (c *Client) retryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return max(time.Duration(s)*time.Second, time.Millisecond)
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(c.now()), time.Millisecond)
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return max(time.Unix(s, 0).Sub(c.now()), time.Millisecond)
		}
	}
	return 0
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryBase << min(attempt, 20)
	d = min(d, c.cfg.RetryMax)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1)) //nolint:gosec // jitter, not secrecy
}

func (c *Client) allow() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now().Before(c.openUntil) {
		return fmt.Errorf("connector %s: circuit open after %d failed calls, retrying after %s: %w",
			c.name, c.failures, c.openUntil.Format(time.RFC3339), sdk.ErrUnavailable)
	}
	return nil
}

func (c *Client) record(ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		if c.failures >= c.cfg.BreakerFailures {
			c.log.Info("vendor circuit closed", "connector", c.name, "after_failures", c.failures)
		}
		c.failures = 0
		return
	}
	c.failures++
	if c.failures >= c.cfg.BreakerFailures {
		c.openUntil = c.now().Add(c.cfg.BreakerCooldown)
		c.log.Warn("vendor circuit opened", "connector", c.name, "failures", c.failures, "cooldown", c.cfg.BreakerCooldown.String())
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// redactURLError masks the credentials in the URL of a *url.Error, which
// net/http builds from the request URL: it hides a user's password but not
// a secret in the query.
func redactURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	return &url.Error{Op: ue.Op, URL: sdk.RedactURL(ue.URL), Err: ue.Err}
}
