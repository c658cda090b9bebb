// Package store defines heard's storage interface. Two drivers implement
// it: sqlite (the embedded default, one local file, pure Go) and postgres
// (pgx/v5, with the pgvector extension). Both carry the durable job queue in
// the same database and pass the same conformance suite, storetest.
//
// This package is not a public API.
package store
