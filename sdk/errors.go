package sdk

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Package and process boundaries return these (wrapped with
// context); callers test them with errors.Is.
var (
	// ErrNotFound: the ticket, article or plugin does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input is malformed or violates a contract. Not retried.
	ErrInvalid = errors.New("invalid input")
	// ErrUnauthorized: a signature or credential was rejected. Not retried.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrUnavailable: a dependency is temporarily down. Retried.
	ErrUnavailable = errors.New("unavailable")
)

// RetryAfterError asks the caller to retry after Wait, as a vendor's 429 or
// 503 with Retry-After does.
type RetryAfterError struct {
	Err  error
	Wait time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %s: %v", e.Wait, e.Err)
}

// Unwrap returns the underlying error.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// Retryable reports whether err is worth retrying: ErrInvalid and
// ErrUnauthorized are not; everything else is.
func Retryable(err error) bool {
	return err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnauthorized) && !errors.Is(err, ErrNotFound)
}
