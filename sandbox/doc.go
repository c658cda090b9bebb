// Package sandbox is heard's own help desk for tests and the heard-sandbox
// command (demo and serve): one HTTP server hosting emulations of the vendor APIs
// heard calls (sandbox/zendesk, sandbox/freshdesk, sandbox/intercom), each
// under /{vendor}/{account}/..., so a connector whose base URL points there
// cannot tell it from the real vendor.
//
// Every request heard makes is checked against the vendor's contract (the
// official OpenAPI spec where one exists, CONTRACTS.md otherwise); a request
// the real vendor would reject is answered as the vendor would and recorded
// as a Violation, so tests can assert there were none. Faults can be
// injected per vendor, account and path: 429 with Retry-After, 409, 500s,
// slow responses and dropped connections.
//
// The emulations also act as the vendor's webhook sender: creating a ticket
// or adding a customer reply delivers a real, correctly signed webhook to the
// URL configured for the account.
//
// This package is not a public API.
package sandbox
