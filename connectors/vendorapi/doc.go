// Package vendorapi is the discipline every connector follows when it calls
// a help desk's API: a token bucket per account (each vendor's default rate,
// configurable), a timeout on every attempt, 429 honoured (Retry-After,
// or Intercom's X-RateLimit-Reset), 5xx and network errors retried with
// jittered exponential backoff, a circuit breaker per account, and one table
// from HTTP status to sdk error so the queue knows what to retry:
//
//	401, 403          sdk.ErrUnauthorized, naming the connector (not retried)
//	404               sdk.ErrNotFound
//	400, 422          sdk.ErrInvalid, with the vendor's message
//	409               ErrConflict (Zendesk safe_update: re-read and retry once)
//	429 (exhausted)   *sdk.RetryAfterError wrapping sdk.ErrUnavailable
//	5xx, network      sdk.ErrUnavailable after the retries
//	breaker open      sdk.ErrUnavailable ("circuit open")
//
// This package is not a public API.
package vendorapi
