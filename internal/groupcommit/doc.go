// Package groupcommit merges concurrent writes into shared transactions.
//
// A Committer runs a few flushers. Each takes whatever requests are
// waiting (up to a maximum size), commits them with one call and answers
// every caller; while it works, new requests pile up for the next round.
// An idle Committer adds no delay, and a busy one pays one commit (one
// fsync on SQLite, one round trip on PostgreSQL) for many writes. The
// queue merges webhook inserts with it and the stores merge the records
// workers save.
//
// When a merged commit fails because the database refused one request's
// data (Config.Isolate says which errors mean that), each request is
// retried alone, so one bad row fails only its own caller.
//
// It is not a public API.
package groupcommit
