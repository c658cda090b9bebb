// Command drain is heard's drain benchmark. For each store driver it starts
// the sandbox help desks and a real `heard serve` in shadow mode against
// them, posts a burst of signed Zendesk webhooks (default 20,000) for
// tickets that exist in the sandbox (--tickets, default 2,000 distinct
// tickets of eight kinds with varied messages, referred to round robin),
// and measures how fast heard accepts them (ingest), how fast its workers
// finish them (drain) and how long the burst took to drain: every job
// fetches its ticket from the sandbox, classifies, decides and records.
// It prints one JSON line per driver and setting, with the ticket count
// and the CPU time heard spent per event (on PostgreSQL also the local
// database server's, db_cpu_ms_per_event: on one machine both share the
// same cores).
//
// Run it with `make bench` (which starts a throwaway PostgreSQL), or
// directly: go run ./bench/drain --drivers sqlite. --compare runs the same
// burst with the settings heard had before the queue was tuned (8 workers,
// 100 ms fetch cooldown on PostgreSQL and 50 ms on SQLite) and prints the
// ratios.
//
// It is a benchmark, not a public API.
package main
