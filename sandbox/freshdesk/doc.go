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
// body heard documents, with {{ticket.id}} rendered,
//
//	{"ticket_id":"…","event":"customer_replied"}
//
// with the account's secret in the X-Heard-Secret header. Like the rules
// heard documents, they exclude changes performed by heard's agent, so the
// bot's API writes deliver nothing. Two replies with the same text deliver
// byte-identical bodies, as Freshdesk does, and Redeliver repeats a
// delivery byte for byte, as a Freshdesk retry does.
//
// This package is not a public API.
package freshdesk
