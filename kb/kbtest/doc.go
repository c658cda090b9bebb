// Package kbtest is the conformance suite every knowledge-base store
// (kb.Store) passes: ingest, update, delete, search, locale and source
// filters, the relevance threshold, candidate similarity, dimension
// mismatch, re-embedding and concurrent use. Run it from a store's tests
// with kbtest.Run(t, open).
//
// This package is not a public API.
package kbtest
