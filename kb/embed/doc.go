// Package embed turns text into vectors for the knowledge base.
//
// Embedder is the one interface. Three implementations:
//
//   - Hashed, the offline default: deterministic feature hashing of word
//     unigrams and bigrams and character 3- and 4-grams (after
//     package terms' folding, stopwords and stemming), sublinear term
//     weights, L2-normalised. It needs no model download and no network.
//   - OpenAI, any OpenAI-compatible /embeddings endpoint through
//     internal/llm (which retries); it splits large inputs into batches.
//   - Cached, an LRU in front of another Embedder, keyed by model and the
//     SHA-256 of the text, so nothing is embedded twice.
//
// This package is not a public API.
package embed
