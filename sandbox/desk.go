package sandbox

import (
	"context"
	"time"
)

// Desk is one vendor emulation, as the connector conformance suite, the
// demo and heard's end-to-end tests drive it. Each vendor package
// (sandbox/zendesk, ...) implements it.
type Desk interface {
	// Vendor is the path segment and connector type: "zendesk", "freshdesk", "intercom".
	Vendor() string
	// AddAccount creates an account (tenant) with its credentials and,
	// when Webhook.URL is set, where its webhooks go.
	AddAccount(a Account) error
	// BaseURL is what the connector's base_url setting must be for account,
	// given the sandbox's own root URL (e.g. http://127.0.0.1:PORT).
	BaseURL(root, account string) string
	// CreateTicket stores a new ticket (or conversation) as a customer
	// would open it and delivers the vendor's "created" webhook.
	CreateTicket(ctx context.Context, account string, t NewTicket) (id string, err error)
	// Reply adds a public customer message and delivers the webhook.
	Reply(ctx context.Context, account, id, body string) error
	// Solve is an agent closing the ticket with final values (for accuracy
	// tracking): priority in heard's terms ("P0".."P3", "" keeps it) and
	// tags to set; it delivers the vendor's update webhook.
	Solve(ctx context.Context, account, id string, priority string, tags []string) error
	// Redeliver sends the last webhook for the ticket again, byte for byte.
	Redeliver(ctx context.Context, account, id string) error
	// State reads back what the help desk now shows for the ticket.
	State(account, id string) (TicketState, error)
	// AddArticle publishes a help-center article.
	AddArticle(account string, a Article) (id string, err error)
}

// Account is a tenant of an emulated vendor. Fields a vendor does not use
// are ignored.
type Account struct {
	Name          string // path segment: Zendesk subdomain, Freshdesk domain, Intercom workspace
	Email         string // Zendesk API user
	APIToken      string // Zendesk API token, Freshdesk API key, Intercom access token
	BotUserID     string // the vendor user heard writes as (loop prevention); assigned if empty
	Webhook       Webhook
	APIVersion    string            // Intercom-Version the account expects, e.g. "2.15"
	CustomFields  map[string]string // customer attribute → vendor custom field key/id
	RatePerMinute int               // 0: no rate limit; otherwise the vendor answers 429 over it
	// AutoReply says heard is configured to auto-reply on this account.
	// Without it, a public reply from heard's user is recorded as a
	// violation: heard must only write internal notes.
	AutoReply bool
	// ReadOnly makes the API credentials unable to write: the vendor's
	// "who am I" answer says so in its own terms (Zendesk: the API user is
	// an end-user; Freshdesk: the agent has restricted ticket access;
	// Intercom: the admin has no Inbox seat) and ticket updates and notes
	// are refused with 403. heard check must report it.
	ReadOnly bool
}

// Webhook is where and how the account delivers webhooks.
type Webhook struct {
	URL    string
	Secret string // signing secret (Zendesk, Intercom client secret) or shared header secret (Freshdesk)
}

// Person is a requester.
type Person struct {
	Name, Email string
}

// NewTicket is what a customer opens.
type NewTicket struct {
	Subject      string
	Body         string
	Requester    Person
	Organization string
	// Customer holds attributes (sdk.Attr* keys: plan, mrr, ...) the
	// vendor keeps on the requester or organization as custom fields.
	Customer map[string]string
	Tags     []string
	Created  time.Time // zero: now
}

// Note is an internal (agent-only) note on a ticket.
type Note struct {
	Body    string
	Private bool
	Author  string
	At      time.Time
}

// TicketState is what an agent sees in the help desk.
type TicketState struct {
	ID       string
	Subject  string
	Status   string            // vendor's own status value
	Priority string            // vendor's own value ("high", "3", "priority")
	Tags     []string          // sorted
	Fields   map[string]string // custom fields by key
	Notes    []Note            // internal notes, oldest first
	Replies  []Note            // public replies by heard's user (auto-replies), oldest first
	Messages int               // public messages, replies included
	Writes   int               // successful write calls heard made to this ticket
	Assignee string            // vendor id of the assigned agent, "" for none
	Group    string            // vendor id of the assigned group (Intercom: team), "" for none
	Rating   string            // the customer's satisfaction in the vendor's terms ("good", "103", "4"), "" for none
}

// Article is a help-center article to publish.
type Article struct {
	Title, Body, Locale, Section string
	Draft                        bool
	Updated                      time.Time // zero: now
}
