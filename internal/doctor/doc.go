// Package doctor runs heard check: small checks that each answer with
// results (ok, warning or error, what was found, and how to fix it) for
// the config, the store, every connector's credentials and webhook
// secret, the installed plugins and the LLM endpoint, and renders them as
// a table or JSON.
//
// Checks are plain functions of a context; they take what they need as
// values or small interfaces the caller wires (cmd/heard builds the
// connectors and opens nothing on the checks' behalf). A check never
// writes to a help desk or the store and never prints a secret: Mask
// scrubs the configured secrets from every result as a last line of
// defence.
//
// This package is not a public API.
package doctor
