package llm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/heardhq/heard/sdk"
)

// Operations, as they appear in errors and logs.
const (
	opChat  = "chat"
	opEmbed = "embed"
)

// Error is an error that came from the LLM endpoint or the way to it, as
// opposed to a bug on heard's side. Err wraps an sdk sentinel (and, for a
// 429, an *sdk.RetryAfterError), so callers use errors.Is and errors.As on
// the Error itself.
type Error struct {
	Op     string // "chat" or "embed"
	Status int    // HTTP status; 0 when no response arrived
	Err    error
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("llm %s: status %d: %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("llm %s: %v", e.Op, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// answerError reports a response that arrived but cannot be used.
func answerError(op, what string) error {
	return &Error{Op: op, Status: http.StatusOK, Err: fmt.Errorf("%s: %w", what, sdk.ErrInvalid)}
}

// maxRetryAfter is the longest server-requested wait a call sits through;
// a longer one is returned to the caller as an *sdk.RetryAfterError.
const maxRetryAfter = time.Minute

// capture remembers the status and headers of the last response, which
// go-openai's errors do not carry. Each attempt gets its own.
type capture struct {
	doer   openai.HTTPDoer
	status int
	header http.Header
}

var _ openai.HTTPDoer = (*capture)(nil)

// Do sends req and remembers the response's status and headers.
func (c *capture) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.doer.Do(req)
	if resp != nil {
		c.status, c.header = resp.StatusCode, resp.Header
	}
	return resp, err
}

// retry runs call up to 1+MaxRetries times, each attempt under
// Config.Timeout, and returns the number of attempts made and the mapped
// error of the last one.
func (c *Client) retry(ctx context.Context, op string, call func(context.Context, *openai.Client) error) (int, error) {
	for attempt := 1; ; attempt++ {
		cp := &capture{doer: c.http}
		actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		err := call(actx, c.openai(cp))
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		if err == nil {
			return attempt, nil
		}
		wait, mapped := c.mapError(op, err, cp, timedOut)
		if ctx.Err() != nil {
			return attempt, &Error{Op: op, Err: fmt.Errorf("%w: %w", sdk.ErrUnavailable, context.Cause(ctx))}
		}
		if !sdk.Retryable(mapped) || attempt > c.cfg.MaxRetries {
			return attempt, mapped
		}
		if wait < 0 {
			wait = c.backoff(attempt)
		}
		if wait > maxRetryAfter {
			return attempt, mapped
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return attempt, mapped // the wait would outlive the caller
		}
		c.log.WarnContext(ctx, "llm attempt failed; retrying", "op", op, "attempt", attempt,
			"status", cp.status, "wait_ms", wait.Milliseconds(), "error", mapped)
		if err := c.sleep(ctx, wait); err != nil {
			return attempt, &Error{Op: op, Err: fmt.Errorf("%w: %w", sdk.ErrUnavailable, context.Cause(ctx))}
		}
	}
}

// openai returns a go-openai client whose requests go through doer.
func (c *Client) openai(doer openai.HTTPDoer) *openai.Client {
	oc := openai.DefaultConfig(c.cfg.APIKey.Reveal())
	oc.BaseURL = c.cfg.BaseURL
	oc.HTTPClient = doer
	return openai.NewClientWithConfig(oc)
}

// mapError turns an attempt's error into an *Error wrapping an sdk
// sentinel, and returns the server's Retry-After, or -1 if it gave none.
func (c *Client) mapError(op string, err error, cp *capture, timedOut bool) (time.Duration, error) {
	status, msg := 0, ""
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status, msg = apiErr.HTTPStatusCode, apiErr.Message
	case errors.As(err, &reqErr):
		status, msg = reqErr.HTTPStatusCode, http.StatusText(reqErr.HTTPStatusCode)
	}
	if status == 0 && cp.status >= 400 {
		status = cp.status
	}
	msg = shorten(msg, 300)
	if msg == "" {
		msg = http.StatusText(status)
	}
	wait := time.Duration(-1)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		if d, ok := retryAfter(cp.header, time.Now()); ok {
			wait = d
		}
	}
	switch {
	case timedOut:
		return -1, &Error{Op: op, Err: fmt.Errorf("attempt timed out after %s: %w", c.cfg.Timeout, sdk.ErrUnavailable)}
	case status == 0:
		// No HTTP error status: the request did not get through, or the
		// body of a 2xx could not be decoded. Both may pass on retry.
		return -1, &Error{Op: op, Err: fmt.Errorf("%w: %w", sdk.ErrUnavailable, err)}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return -1, &Error{Op: op, Status: status, Err: fmt.Errorf("%s: %w", msg, sdk.ErrUnauthorized)}
	case status == http.StatusTooManyRequests:
		return wait, &Error{Op: op, Status: status, Err: &sdk.RetryAfterError{
			Err: fmt.Errorf("%s: %w", msg, sdk.ErrUnavailable), Wait: max(wait, 0),
		}}
	case status >= 500 || status == http.StatusRequestTimeout:
		return wait, &Error{Op: op, Status: status, Err: fmt.Errorf("%s: %w", msg, sdk.ErrUnavailable)}
	default:
		return -1, &Error{Op: op, Status: status, Err: fmt.Errorf("%s: %w", msg, sdk.ErrInvalid)}
	}
}

// retryAfter reads how long the server asked to wait: "retry-after-ms"
// (OpenAI), then "Retry-After" in seconds or as an HTTP date. ok is false
// when there is no usable header; "Retry-After: 0" means now.
func retryAfter(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(s, 0)) * time.Second, s >= 0
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// expBackoff waits about 0.5s, 1s, 2s, ... (capped at 8s) with jitter.
func expBackoff(n int) time.Duration {
	d := min(500*time.Millisecond<<min(n-1, 4), 8*time.Second)
	return d/2 + rand.N(d/2) //nolint:gosec // jitter needs no cryptographic randomness
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// shorten cuts s to at most n runes.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
