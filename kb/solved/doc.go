// Package solved is the index of solved tickets behind "similar solved
// tickets": each solved ticket's redacted subject and text, the priority
// and tags it ended with, the public reply that solved it (redacted), its
// URL and an embedding of its text, searched by a new ticket's embedding
// and text.
//
// Two implementations share one interface (Index) and one conformance
// test: Postgres keeps kb_solved_tickets in heard's PostgreSQL database
// with a pgvector column and an HNSW index (cosine) for the configured
// dimension, plus a generated tsvector column with a GIN index over the
// analysed terms (package kb/terms); SQLite keeps the same table in
// heard's SQLite file with vectors as little-endian float32 blobs and
// searches exactly, reading every ticket of the connector.
//
// Similar is hybrid: candidates come from vector similarity (the HNSW
// index, or every row on SQLite) and, on PostgreSQL, also from the
// full-text index, and every candidate is scored in Go by kb.Score's
// formula (half cosine similarity, half the share of the query's terms
// the ticket contains), so scores mean the same on both stores and one
// threshold fits both. Rows of another dimension than the index's (an
// embedder change) are ignored until they are upserted again.
//
// Upsert is idempotent by (connector, ticket ID): a ticket solved again
// replaces its row.
//
// This package is not a public API.
package solved
