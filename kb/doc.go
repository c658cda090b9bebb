// Package kb is heard's knowledge base: help-center articles from each
// connector (sdk.ArticleLister) and from local folders of Markdown, HTML
// and text files, cut into chunks, embedded, stored and searched.
//
// Articles become plain text (HTML and Markdown markup dropped, headings,
// lists, table cells and link text kept) split into sections at their
// headings; each section becomes one or more chunks of at most
// ChunkConfig.MaxChars with ChunkConfig.Overlap between neighbours. Each
// chunk keeps its article's ID, title, URL, locale, section, update time
// and its heading path. An article's content hash covers what is stored,
// so Sync re-embeds only what changed and deletes what disappeared.
//
// Vectors come from a package embed Embedder; the model and dimension are
// recorded per store and checked (MismatchError). A Store (package sqlite,
// the embedded default with exact search, or package postgres, pgvector
// HNSW) returns two candidate lists per query — by vector similarity and
// by full-text rank — and Search fuses them by reciprocal rank fusion
// (RRF, k = 60) into one Match per article. Score, in [0, 1], mixes the
// cosine similarity with the share of query terms the chunk contains; it
// is computed here from data both stores return identically, so one
// threshold (Config.MinScore) hides weak matches on either.
//
// Each Match also carries Answer, the calibrated probability that the
// article answers the question: a small logistic model (AnswerModel,
// DefaultAnswerModel) over AnswerFeatures — the score, the margin to the
// runner-up, agreement and ranks of the two lists, the question's key
// terms in the title and headings, phrase matches and how many of the best
// chunks are the article's. Hybrid searches re-order their first
// RerankDepth articles by the finer re-ranking score those features give.
// Drafts quote an article's steps only when its Answer reaches
// KB.AnswerThreshold (Config.AnswerThreshold, DefaultAnswerThreshold).
// FitAnswerModel and CrossValidate refit the model on labelled questions.
//
// Evaluate measures recall@k, MRR, latency and the answer precision and
// coverage at the threshold (with a curve) over labelled questions;
// `heard kb eval` prints them.
//
// This package is not a public API.
package kb
