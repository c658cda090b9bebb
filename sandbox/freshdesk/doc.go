// Package freshdesk emulates the Freshdesk API v2 for heard's sandbox: one
// in-memory help desk per account under /freshdesk/{account}/api/v2/...,
// with tickets, conversations (replies and notes), contacts, companies,
// agents (a bot agent per account) and the Solutions tree
// (categories → folders → articles) with Freshdesk's page/per_page paging
// and Link headers.
//
// Every request is checked against CONTRACTS.md §2: HTTP Basic auth with
// the API key (401 when missing or wrong, not a violation), JSON bodies
// with known fields and the right types, priority 1..4, status 2..5, tags
// as an array of strings, cf_ keys in ticket custom_fields, a note body and
// a boolean private, per_page at most 100. A request Freshdesk would reject
// is recorded with sandbox.Server.Violate and answered like Freshdesk:
// 400 {"description":"Validation failed","errors":[{field,message,code}]}.
//
// The emulation is also the account's automation rules: creating a ticket,
// a customer reply and an agent resolving a ticket deliver the Advanced
// body heard documents,
//
//	{"ticket_id":"…","event":"ticket_created","updated_at":"…","actor_id":"…"}
//
// with the account's secret in the X-Heard-Secret header, and every
// successful API write delivers "ticket_updated" with the bot agent as
// actor, synchronously, before the API call is answered (the worst case of
// a rule that does not exclude heard's agent).
//
// This package is not a public API.
package freshdesk
