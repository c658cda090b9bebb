// Package sqlite is the knowledge base's embedded store: its tables live
// in heard's SQLite file (or a file of their own), with vectors as
// little-endian float32 blobs and an FTS5 table over the analysed terms
// of each chunk.
//
// Vector search is exact: every vector is kept in memory and compared
// with the query by dot product (vectors are unit length, so this is the
// cosine similarity), in parallel for large stores. That is fast enough
// for a help center of tens of thousands of chunks; use the postgres store
// beyond. The in-memory copy is reloaded whenever a generation counter in
// the database moved, so writes from another process are seen.
//
// Searches read through a pool of read-only connections of the store's
// own on the same file (SQLite in WAL mode lets readers run beside the
// writer), so concurrent searches do not queue for the one connection
// that writes use. The full-text list leaves out query terms most chunks
// have (terms.Selective) and ranks by BM25 exactly as FTS5's bm25 (title
// weighted 2), computed from postings kept in memory beside the vectors
// (FTS5 looked up every matching row's size, which was most of a search's
// time at 20,000 chunks); kb_fts keeps the stored terms.
//
// This package is not a public API.
package sqlite
