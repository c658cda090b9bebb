// Package intercom emulates Intercom's REST API (version 2.15) and its
// webhooks for heard's sandbox: sandbox.Desk for vendor "intercom", with
// workspaces under /intercom/{workspace}/... on a sandbox.Server.
//
// Every request is checked, after the Bearer token, against Intercom's
// official OpenAPI description of 2.15, embedded unchanged from
// github.com/intercom/Intercom-OpenAPI (spec/): the request is mapped onto
// the description's server URL and routed, and internal/openapicheck
// (the contract checker shared with llmtest) validates its path, query and header parameters
// (Intercom-Version included) and its JSON body. A request that fails is
// recorded as a sandbox.Violation and answered with a 400 error.list, as
// Intercom answers. Requests without Intercom-Version, or with another
// version than the workspace's, are answered but recorded as violations:
// heard must pin its version. A wrong token is a 401 error.list and no
// violation.
//
// POST /conversations/search evaluates id, contact_ids, state, created_at
// and updated_at filters nested with AND/OR, checks the operators the
// description's conversation-search table accepts (dates take only =, <
// and >, which include the value itself: "Greater (or equal) than"), and
// pages with starting_after, most recently updated first.
//
// Conversations (with parts), contacts, companies, tags, admins (one bot
// admin the token belongs to, one human agent) and articles live in
// memory. Creating a conversation, a customer reply and an agent closing
// one deliver notification_event webhooks signed with X-Hub-Signature
// (conversation.user.created, conversation.user.replied,
// conversation.admin.closed). Each write heard makes counts in
// TicketState.Writes, and notes and tags it adds deliver
// conversation.admin.noted and conversation_part.tag.created authored by
// the bot admin before the API call is answered. Custom attribute updates
// deliver nothing: Intercom documents no topic for them.
//
// This package is not a public API.
package intercom
