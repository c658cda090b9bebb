// Package zendeskapi is a raw client for the parts of the Zendesk Support
// and Help Center APIs heard calls: tickets, ticket comments, users,
// organizations, a requester's tickets, the authenticated user, one
// combined ticket update, article listings, and ticket search
// (GET /api/v2/search.json, offset pages over at most 1,000 results). Its request and response
// structs follow the JSON shapes in CONTRACTS.md §1.5–§1.8; fields heard
// does not read are left out and ignored on decoding.
//
// Every call goes through a vendorapi client, so rate limiting, retries,
// the circuit breaker and the status-to-error table (401/403
// sdk.ErrUnauthorized, 404 sdk.ErrNotFound, 409 vendorapi.ErrConflict, ...)
// apply uniformly; errors are wrapped with what was being fetched or
// written.
//
// This package is not a public API.
package zendeskapi
