// Package zendesk is heard's built-in Zendesk connector. It registers the
// connector type "zendesk" in connectors.Default from its init function.
//
// The webhook side is implemented: VerifyWebhook checks Zendesk's
// X-Zendesk-Webhook-Signature (base64 HMAC-SHA256 over timestamp‖body) within
// a replay window, and DecodeWebhook turns both event-subscription payloads
// (zen:event-type:ticket.*) and trigger/automation bodies ({"ticket_id": …})
// into sdk.Events. The API client (Ticket, Apply) is not built yet.
//
// This package is not a public API.
package zendesk
