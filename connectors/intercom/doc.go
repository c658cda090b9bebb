// Package intercom is heard's built-in Intercom connector. It registers the
// connector type "intercom" in connectors.Default from its init function.
//
// Webhooks: VerifyWebhook checks X-Hub-Signature (sha1=<hex> HMAC-SHA1 of
// the raw body keyed by the app's client secret) in constant time.
// DecodeWebhook reads the notification_event envelope: conversation topics
// become events keyed by the notification id; ping, ticket, contact and
// other topics, notifications from other workspaces of the same app, and
// everything heard's own admin caused are acknowledged with zero events.
//
// API: every call goes through intercomapi over vendorapi (rate limit,
// retries, X-RateLimit-Reset, breaker) with Authorization: Bearer and a
// pinned Intercom-Version (default 2.15). Ticket reads the conversation,
// its contact and company, and the contact's other conversations. Apply
// posts an internal note (skipped when a note with the same [fp:…] marker
// exists), attaches missing tags one by one (creating them first), and
// updates mapped conversation custom attributes. ListTickets
// (sdk.TicketLister, for backtests) pages through POST
// /conversations/search on state and updated_at with starting_after.
//
// Priority: Intercom 2.15 only reports priority/not_priority and 2.16
// none/low/medium/high/urgent, both read-only; writing it is documented
// only in the Preview ("Unstable") API version. So Apply writes the tag
// heard-priority-p0..p3 instead, unless write_priority is set with
// api_version Unstable. Reading 2.15 is lossy: "priority" becomes P1 and
// "not_priority" P3, since Intercom keeps nothing finer.
//
// This package is not a public API.
package intercom
