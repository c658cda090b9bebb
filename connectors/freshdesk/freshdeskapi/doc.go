// Package freshdeskapi is a small raw client for the parts of the Freshdesk
// API v2 heard uses: tickets, conversations and notes, contacts, companies,
// the authenticated agent, and the Solutions (knowledge base) tree. Types
// mirror the vendor's JSON (CONTRACTS.md §2.5–§2.8); mapping to sdk types is
// the job of package freshdesk.
//
// Every call goes through a vendorapi.Client, so rate limiting, retries, the
// circuit breaker and the HTTP-status-to-sdk-error table apply uniformly.
// Authentication is HTTP Basic with the API key as the user name and "X" as
// the password.
//
// This package is not a public API.
package freshdeskapi
