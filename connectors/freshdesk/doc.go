// Package freshdesk is heard's built-in Freshdesk connector. It registers
// the connector type "freshdesk" in connectors.Default from its init
// function.
//
// # Webhooks
//
// Freshdesk has no webhook subscriptions: deliveries come from automation
// rules with a "Trigger webhook" action, and Freshdesk signs nothing
// (CONTRACTS.md §2). Configure, on the rule's webhook action:
//
//   - Request type POST, URL https://<heard>/v1/webhooks/<connector name>,
//     encoding JSON.
//
//   - Authentication: a custom header X-Heard-Secret (or webhook_header)
//     whose value is webhook_secret, and/or "Requires authentication" with
//     the webhook_basic_auth user name and password. VerifyWebhook compares
//     them in constant time; the body itself cannot be authenticated, so
//     use HTTPS and a long random secret.
//
//   - Content "Advanced", one rule per event, e.g. for the ticket-creation
//     rule:
//
//     {"ticket_id":"{{ticket.id}}","event":"ticket_created"}
//
//     and for the ticket-update rules event "customer_replied" (condition:
//     a reply is sent by the requester), "ticket_resolved"/"ticket_closed"
//     or "ticket_updated". {{ticket.id}} is the only placeholder needed:
//     Freshdesk has none for the update time or the acting user.
//
// Because the body cannot tell a retry from a second identical reply,
// DecodeWebhook keys message and update events by what the API says (the
// latest conversation heard did not write, or the ticket's updated_at),
// fetched within DefaultLookupTimeout; see DecodeWebhook and key.go. This
// is the one network call heard's webhook path makes; when it fails the
// delivery is keyed by its arrival, so it is stored rather than lost.
//
// The "Simple" content option ({"freshdesk_webhook":{"ticket_id":…}}) is
// accepted too, as ticket.updated (ticket.solved for Resolved/Closed). See
// DecodeWebhook for how events are keyed.
//
// Loop prevention: a message delivery caused by heard's own note keys like
// the reply it answers (a duplicate) or, with no other conversation, is
// dropped; events whose body carries an actor_id (or triggered_by) equal to
// the bot agent (bot_agent_id, or the API key's agent found with GET
// /api/v2/agents/me) are dropped. Because no placeholder for the acting
// user exists, every ticket-update rule should also carry the condition
// "Performed by" is not heard's agent (or is the requester), so heard's
// own write-back never triggers a delivery. Give heard a dedicated agent
// and API key: events by that agent are ignored. A
// "triggered_event":"{{triggered_event}}" key may be added for the audit
// trail (it stays in Event.Payload); heard does not parse it, as its text
// describes the change rather than who made it.
//
// # API
//
// Ticket, Apply, ListArticles and ListTickets call the API v2 through
// freshdeskapi and vendorapi (rate limit 200/minute by default). Apply
// makes at most two writes: one ticket PUT and one private note.
// ListTickets (sdk.TicketLister, for backtests) pages through
// GET /api/v2/tickets?updated_since=… by update time and filters the
// status itself.
//
// This package is not a public API.
package freshdesk
