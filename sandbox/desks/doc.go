// Package desks starts the three emulated help desks (Zendesk, Freshdesk
// and Intercom) on one sandbox server with one account each, wired to
// deliver their webhooks to a heard, and writes the connectors block that
// points heard at them. The heard-sandbox command (demo and serve) and
// heard's end-to-end tests use it.
//
// The heard binary never links it (internal/archtest checks).
//
// This package is not a public API.
package desks
