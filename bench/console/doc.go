// Command console measures the admin console's page render time with a
// large store: it fills a fresh SQLite and a fresh PostgreSQL store with
// --n decision records (default 100,000: two events per ticket, each with
// a full decision trace like the pipeline writes), signs in to the
// console over HTTP and times, one request at a time, the tickets list
// (unfiltered and filtered by priority P0) and single ticket pages chosen at
// random over the whole store. It prints one JSON line per store and page
// with p50, p95 and max in milliseconds; the goal is p95 under 200 ms.
//
// Run it with `make bench`, or directly:
//
//	scripts/pg.sh run go run ./bench/console
//	go run ./bench/console --stores sqlite --n 20000
//
// It is not a public API.
package main
