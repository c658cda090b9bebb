// Package webhooks is heard's HTTP front door (Gin). For
// POST /v1/webhooks/{connector} it reads the raw body under a size limit,
// has the connector verify the signature over those exact bytes, decodes the
// events, stores them durably in the queue, and answers 202 — before any
// outbound call. Redeliveries are acknowledged and not enqueued twice.
//
// Status codes: 202 accepted (including duplicates and events heard ignores),
// 400 malformed body, 401 bad or missing signature, 404 unknown connector,
// 405 wrong method (with Allow), 411 Transfer-Encoding (refused, connection
// closed), 413 body over the limit, 503 queue unavailable or over the
// request/byte caps (the vendor retries). A 401 says only that the
// signature check failed; why is logged, never answered. Decoded ids are
// validated before the insert (see MaxIDBytes), and a connector
// implementing HeaderChecker has its signature headers checked before the
// body is read.
//
// It also serves GET /healthz (process up), GET /readyz (store reachable and
// writable, workers running; a short reason when not, checked at most once
// per Config.ReadyCacheFor) and, unless moved to the admin listener,
// GET /metrics (Prometheus). X-Forwarded-For is believed only from
// Config.TrustedProxies.
//
// This package is not a public API.
package webhooks
