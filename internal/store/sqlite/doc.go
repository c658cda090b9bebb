// Package sqlite is the embedded store: one SQLite file (pure-Go driver, no
// cgo) holding the queue, dedupe keys and records. It needs no setup and is
// durable across restarts: writes are committed with synchronous=FULL in WAL
// mode before a webhook is acknowledged.
//
// This package is not a public API.
package sqlite
