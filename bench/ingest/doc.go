// Command ingest is heard's ingest benchmark. It builds and starts a real
// `heard serve` per store driver, posts signed Zendesk webhooks to it from
// many concurrent clients, and prints one JSON line per driver: events/s and
// ack latency percentiles. On PostgreSQL it also measures, in the same run,
// the rate of raw single-row INSERTs of the same payload size at the same
// concurrency, and prints heard's rate as a ratio of it.
//
// Run it with `make bench` (which starts a throwaway PostgreSQL), or
// directly: go run ./bench/ingest --drivers sqlite.
package main
