// Package connectortest is the conformance suite every connector passes
// against its sandbox emulation (see package sandbox): webhooks verify and
// decode, redeliveries keep their idempotency key, tickets fetch with their
// messages and customer attributes, write-back is one combined update that
// merges tags and posts exactly one internal note even when retried, rate
// limits and server errors are ridden out, bad credentials fail clearly,
// heard's own writes do not loop back as events, the help center lists
// fully, solved tickets list page by page (sdk.TicketLister), and a solved
// ticket reads back with the agent's final priority and tags. It also asserts the sandbox saw no contract violation.
//
// This package is not a public API.
package connectortest
