// Package queue is heard's durable job queue: one job per webhook event,
// stored in the same database as everything else (PostgreSQL or the embedded
// SQLite file) through River. It adds to River what heard needs around it:
// unique jobs keyed by the event's idempotency key, exponential backoff with
// jitter, a dead-letter view that keeps each payload, batched inserts so many
// concurrent webhook requests share one transaction, and a graceful drain.
//
// This package is not a public API.
package queue
