// Package zendesk is heard's built-in Zendesk connector. It registers the
// connector type "zendesk" in connectors.Default from its init function.
//
// Webhooks: VerifyWebhook checks Zendesk's X-Zendesk-Webhook-Signature
// (base64 HMAC-SHA256 over timestamp‖body) within a replay window, and
// DecodeWebhook turns both event-subscription payloads
// (zen:event-type:ticket.*) and trigger/automation bodies ({"ticket_id": …})
// into sdk.Events, dropping those caused by heard's own API user.
//
// API (through package zendeskapi and the shared vendorapi discipline):
// Ticket reads the ticket, its comments as plain text, the requester, the
// organization, customer attributes from configured user/organization
// fields, and the requester's other recent tickets. Apply writes tags
// (merged), priority, custom fields and an internal note in one
// safe_update PUT, re-reading and retrying once on a 409, and never posts a
// note whose fingerprint marker is already on the ticket. ListArticles
// pages through the Help Center. ListTickets (sdk.TicketLister, for
// backtests) pages through the search API, e.g. solved tickets updated
// since a time.
//
// This package is not a public API.
package zendesk
