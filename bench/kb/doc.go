// Command kb is heard's knowledge-base benchmark. It generates a
// synthetic but realistic help center (articles of about five 600-byte
// chunks) and measures, per store:
//
//   - PostgreSQL (default 20k chunks, a large help center): load time
//     through kb.Sync, HNSW build time after the load, p50/p99 latency at
//     concurrency 8 of the vector top-10 alone and of a full hybrid
//     kb.Search, the single-client hybrid p50/p99 (single_hybrid_*), and
//     recall@10 of HNSW against exact search over the same vectors;
//   - SQLite (default 20k chunks): load time and the same latencies with
//     its exact in-memory search.
//
// Larger PostgreSQL runs: --n 100000.
//
// The articles' words come from a product vocabulary (common actions,
// objects and screens, with a skewed frequency) and from each article's
// own lexicon (its subject, feature names and other rarer words, narrowed
// per section), and each question asks about one article in its words.
// The mix is set so that, embedded by the offline embedder, the text
// looks like sandbox/helpcenter's real articles and questions (see corpus.go for
// the figures): at the fixture's size, questions are as similar to their
// best chunks, and chunks to their neighbours nearly so.
// (An earlier generator drew every sentence from one small vocabulary:
// 72% of its terms were shared by more than a tenth of the chunks,
// against 29% in the fixture, which made all chunks look alike and HNSW
// recall far lower than on real text.)
//
// Searches are warmed up with other questions than the measured ones.
// The PostgreSQL pool has --pool connections, by default this machine's
// CPUs, as the server is expected to run here too.
//
// It prints one JSON line per store. Run it with `make bench` (which
// starts a throwaway PostgreSQL), or directly with smaller sizes:
//
//	scripts/pg.sh run go run ./bench/kb --n 5000 --sqlite-n 5000
//	go run ./bench/kb --stores sqlite
package main
