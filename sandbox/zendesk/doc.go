// Package zendesk emulates the Zendesk Support and Help Center APIs, and
// Zendesk's event-subscription webhooks, for the sandbox (package sandbox):
// New(sb) registers the routes under /zendesk/{account}/api/v2/... and
// returns a sandbox.Desk.
//
// Accounts keep tickets, comments, users (each ticket's requester, an
// agent, and the API user as the admin "bot" user), organizations and
// Help Center articles in memory. Every API request is checked against
// CONTRACTS.md §1: a request Zendesk would reject is answered with
// Zendesk's status and error body and recorded with sandbox.Server.Violate.
// Bad or missing credentials are answered 401 without a violation.
// PUT /api/v2/tickets/{id} honours safe_update (409 when updated_stamp is
// not the ticket's updated_at) and, before it answers, delivers the
// ticket.* events the write caused, with the API user as actor — so a test
// sees any loop-back delivery as soon as the write returns.
//
// GET /api/v2/search.json emulates the search API for tickets: the query
// terms type:ticket, status, priority, tags, created and updated (dates as
// whole UTC days, or ISO 8601 instants; operators : < > <= >=), sort_by
// and sort_order, and offset pages (per_page ≤ 100) over at most
// SearchLimit (1,000) results, a page past that answered 422. Other
// terms (free text, phrases, negation) are recorded as violations.
//
// Webhooks are zen:event-type:ticket.* payloads shaped like the samples in
// vendor-specs/zendesk/samples (string ids in detail, upper-case enums),
// signed with the account's secret as Zendesk does (zendesk.Sign:
// base64 HMAC-SHA256 over timestamp‖body) and sent with the
// x-zendesk-webhook-* headers.
//
// This package is not a public API.
package zendesk
