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
//     or "ticket_updated". If the account offers placeholders for the
//     ticket's update time and for the user who performed the change, add
//     "updated_at" (RFC 3339) and "actor_id": updated_at makes the
//     idempotency key precise, actor_id lets heard drop its own changes.
//
// The "Simple" content option ({"freshdesk_webhook":{"ticket_id":…}}) is
// accepted too, as ticket.updated (ticket.solved for Resolved/Closed). See
// DecodeWebhook for how events are keyed.
//
// Loop prevention: heard drops events whose actor_id (or triggered_by) is
// the bot agent (bot_agent_id, or the API key's agent found with GET
// /api/v2/agents/me). Because no placeholder for the acting user is
// documented, every ticket-update rule should also carry the condition
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
