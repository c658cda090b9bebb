// Package sqlitedb opens SQLite databases for heard's embedded store and
// knowledge base: the modernc.org/sqlite driver behind a per-connection
// cache of prepared statements.
//
// The driver parses every query it is given, and parsing is most of what
// a short query costs: under a burst, re-parsing the queue's and the
// store's few dozen distinct statements took about a fifth of heard's CPU.
// Open keeps each connection's most recently used statements prepared
// (CacheSize of them) and runs a query on its prepared statement when the
// statement is free; a statement still iterating rows, a statement evicted
// while busy, and every multi-statement script fall back to the driver's
// own one-shot path, so behaviour never differs, only speed.
//
// It is not a public API.
package sqlitedb
