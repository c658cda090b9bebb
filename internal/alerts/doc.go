// Package alerts evaluates the support alerts and delivers them to
// outgoing webhooks.
//
// The rules (Config) look at the ticket timelines and the records heard
// keeps: CSAT under a threshold over a rolling window, a first response
// beyond a multiple of its SLA target, a reopen rate over a threshold, one
// customer with several new tickets within a window, and an NPS detractor.
// Evaluate is a pure function of what the store returned; Job is the
// periodic task (one replica at a time) that runs it, stores each alert
// once under a key naming its rule, subject and period (store.Alerts), and
// delivers the alerts not yet delivered to every configured webhook: a
// Slack-compatible or a generic JSON body, signed with HMAC-SHA256
// (Sign, Verify), retried with backoff on network errors and 5xx answers.
// A delivery that still fails stays pending and is tried again by the
// next run.
//
// This package is not a public API.
package alerts
