// Package postgres is the knowledge base's PostgreSQL store: tables of its
// own (kb_*, with their own migrations) next to heard's, a pgvector column
// with an HNSW index (vector_cosine_ops; halfvec above 2000 dimensions) and
// a generated tsvector column with a GIN index over each chunk's analysed
// terms (config 'simple': the terms are already folded and stemmed by
// package terms, the same way for every locale).
//
// Searches set hnsw.ef_search for their transaction and, when a locale or
// source filter applies, hnsw.iterative_scan = relaxed_order (pgvector
// 0.8), so a filtered search keeps scanning the graph until it has enough
// rows instead of returning a short list. The store opens its own pool and
// registers the pgvector types on every connection (pgvector-go's pgx
// helper).
//
// This package is not a public API.
package postgres
