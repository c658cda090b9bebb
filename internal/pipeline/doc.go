// Package pipeline runs one queue job: event → ticket → redact → enrich →
// classify → gate → one write-back → record. Today it records each event as
// processed, exactly once per event key; later stages hang off Handle.
//
// Handle is idempotent: a job that runs again after a crash finds the record
// its first run wrote and does nothing twice.
//
// This package is not a public API.
package pipeline
