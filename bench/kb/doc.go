// Command kb is heard's knowledge-base benchmark. It generates a
// synthetic but realistic help center (articles of about five 600-byte
// chunks, with a skewed vocabulary) and measures, per store:
//
//   - PostgreSQL (default 100k chunks): load time through kb.Sync, HNSW
//     build time after the load, p50/p99 latency at concurrency 8 of the
//     vector top-10 alone and of a full hybrid kb.Search, and recall@10 of
//     HNSW against exact search over the same vectors;
//   - SQLite (default 20k chunks): load time and the same latencies with
//     its exact in-memory search.
//
// It prints one JSON line per store. Run it with `make bench` (which
// starts a throwaway PostgreSQL), or directly with smaller sizes:
//
//	scripts/pg.sh run go run ./bench/kb --n 5000 --sqlite-n 5000
//	go run ./bench/kb --stores sqlite
package main
