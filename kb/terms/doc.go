// Package terms turns text into the normalised terms the knowledge base
// matches on: lower-cased, accents folded ("Café" → "cafe"), split on
// anything that is not a letter or digit, stopwords dropped, and lightly
// stemmed ("invoices", "invoicing", "invoiced" → "invoic"). The offline
// embedder, both stores' full-text indexes and the lexical part of a
// match's score all use it, so the same query finds the same words
// everywhere.
//
// It also holds the document-frequency rules both stores' full-text
// lists apply to a query: Selective leaves out terms most chunks have,
// and IDF weighs a term by how rare it is.
//
// The stemmer is deliberately light (plural, -ing, -ed, -ly, -ation and a
// final e) and language-neutral enough for help-center text in English and,
// less well, other Latin-script languages.
//
// This package is not a public API.
package terms
