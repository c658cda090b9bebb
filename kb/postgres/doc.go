// Package postgres is the knowledge base's PostgreSQL store: tables of its
// own (kb_*, with their own migrations) next to heard's, a pgvector column
// with an HNSW index (vector_cosine_ops; halfvec above 2000 dimensions) and
// a generated tsvector column with a GIN index over each chunk's analysed
// terms (config 'simple': the terms are already folded and stemmed by
// package terms, the same way for every locale).
//
// The full-text list weighs query terms by how rare they are, as the
// SQLite store's bm25 does and ts_rank alone does not: kb_terms keeps each
// term's document frequency (how many chunks have it) and kb_text_stats
// the number of chunks, both kept exact by every write in its own
// transaction. A search looks them up, leaves out terms most chunks have
// (terms.Selective) and ranks chunks by the sum over the remaining terms
// of terms.IDF × ts_rank (title twice the body). Matches are read rarest
// term first and at most 2000 of them are ranked. The GIN index has no
// pending list (fastupdate off): with one, every search re-read the
// entries written since the last vacuum.
//
// A search (Candidates) runs its two lists at the same time on two pooled
// connections, so it takes about as long as the slower of the two. Neither
// waits for a connection while holding one. The searches of one
// kb.KB.SearchEach (a draft's three) share their round trips instead
// (kb.BatchStore): every query's vector list and full-text list go in
// one batch on one connection. The full-text statements need the query
// terms' document frequencies, which the store caches per version of
// kb_text_stats (a trigger bumps it whenever kb_terms is written, by any
// process): when every term is cached, the batch checks the version along
// with the lists and the searches are one round trip; otherwise (or when
// the version moved) the batch reads the frequencies and a second round
// trip sends the full-text statements.
//
// Every pooled connection searches with the store's hnsw.ef_search and
// without parallel workers, so a plain vector search is one statement.
// A search that needs more, a larger ef_search for a long candidate list
// or, when a locale or source filter applies, hnsw.iterative_scan =
// relaxed_order (pgvector 0.8, so a filtered search keeps scanning the
// graph until it has enough rows instead of returning a short list), sets
// it with set_config in a read-only transaction sent in the same batch.
// The store opens its own pool and registers the pgvector types on every
// connection (pgvector-go's pgx helper).
//
// Upsert and Delete commit asynchronously (synchronous_commit off): a
// crash can lose the last articles of a sync, but not the sync state
// recorded after them with an ordinary commit, which flushes them too; so
// whatever a crash lost, the next sync stores again.
//
// This package is not a public API.
package postgres
