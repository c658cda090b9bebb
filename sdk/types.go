package sdk

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// TicketRef identifies one ticket in one help desk. ID is the vendor's own
// identifier, treated as opaque text.
type TicketRef struct {
	Connector string `json:"connector"` // configured connector name, e.g. "acme-zendesk"
	Account   string `json:"account"`   // vendor tenant: Zendesk subdomain, Freshdesk domain, Intercom workspace
	ID        string `json:"id"`        // vendor ticket or conversation ID
}

// String returns "connector/account/id".
func (r TicketRef) String() string { return r.Connector + "/" + r.Account + "/" + r.ID }

// Status is a ticket's normalized lifecycle state.
type Status string

// Normalized ticket states. Connectors map vendor states onto these.
const (
	StatusUnknown Status = ""
	StatusNew     Status = "new"
	StatusOpen    Status = "open"
	StatusPending Status = "pending" // waiting on the customer
	StatusOnHold  Status = "hold"    // waiting on a third party
	StatusSolved  Status = "solved"
	StatusClosed  Status = "closed"
)

// Priority is heard's normalized priority, P0 (most urgent) to P3.
type Priority string

// Priorities as in the support policy: P0 urgent, P1 high, P2 normal, P3 low.
const (
	PriorityUnknown Priority = ""
	P0              Priority = "P0"
	P1              Priority = "P1"
	P2              Priority = "P2"
	P3              Priority = "P3"
)

// ParsePriority accepts "P0".."P3" in any case.
func ParsePriority(s string) (Priority, error) {
	switch p := Priority(strings.ToUpper(strings.TrimSpace(s))); p {
	case P0, P1, P2, P3:
		return p, nil
	}
	return PriorityUnknown, fmt.Errorf("priority %q: want one of P0, P1, P2, P3: %w", s, ErrInvalid)
}

// Party is a person or organization on the customer side of a ticket.
type Party struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// LogValue keeps e-mail addresses out of logs.
func (p Party) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", p.ID), slog.Bool("has_email", p.Email != ""))
}

// Message is one message on a ticket, as plain text.
type Message struct {
	ID        string    `json:"id,omitempty"`
	Author    Party     `json:"author"`
	FromAgent bool      `json:"from_agent"` // written by the support team rather than the customer
	Public    bool      `json:"public"`     // visible to the customer
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// LogValue keeps message bodies out of logs.
func (m Message) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", m.ID), slog.Int("body_bytes", len(m.Body)))
}

// Ticket is everything a connector knows about one ticket, ready for
// enrichment. Messages are oldest first.
type Ticket struct {
	Ref          TicketRef         `json:"ref"`
	Subject      string            `json:"subject"`
	Status       Status            `json:"status"`
	Priority     Priority          `json:"priority"`
	Requester    Party             `json:"requester"`
	Organization Party             `json:"organization"`
	Tags         []string          `json:"tags,omitempty"`
	Fields       map[string]string `json:"fields,omitempty"` // vendor custom fields, normalized keys
	// Customer holds attributes of the requester's account, mapped from
	// configured vendor fields: plan, mrr, ltv, renewal_date, last_login,
	// usage_trend, payment_status. A missing key means unknown, never zero.
	Customer  map[string]string `json:"customer,omitempty"`
	Messages  []Message         `json:"messages,omitempty"`
	Recent    []TicketRef       `json:"recent,omitempty"` // the requester's other recent tickets
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	// Assignee and Group are the vendor IDs of the agent and the group
	// the ticket is assigned to, "" when unassigned. Optional: a connector
	// that does not map them leaves them empty, and the ticket timeline
	// then records no assignment changes. Not passed to plugins.
	Assignee string `json:"assignee,omitempty"`
	Group    string `json:"group,omitempty"`
	// Ratings are the satisfaction ratings given on the ticket, oldest
	// first. Optional, like Assignee; not passed to plugins.
	Ratings []Rating `json:"ratings,omitempty"`
}

// Rating scales.
const (
	RatingCSAT    = "csat"     // Score "1".."5", 5 best
	RatingGoodBad = "good_bad" // Score "good" or "bad"
	RatingNPS     = "nps"      // Score "0".."10", how likely to recommend
)

// Rating is one satisfaction rating a customer gave.
type Rating struct {
	Scale string    `json:"scale"` // RatingCSAT, RatingGoodBad or RatingNPS
	Score string    `json:"score"`
	At    time.Time `json:"at,omitzero"` // when it was given; zero when the vendor does not say
}

// EventKind says what happened to a ticket.
type EventKind string

// Event kinds heard acts on.
const (
	EventTicketCreated  EventKind = "ticket.created"
	EventMessageCreated EventKind = "message.created" // the customer replied
	EventTicketUpdated  EventKind = "ticket.updated"
	EventTicketSolved   EventKind = "ticket.solved" // solved or closed
)

// Event is one thing a help desk told heard about. ID is the idempotency
// key: the same delivery, redelivered, carries the same ID.
type Event struct {
	ID         string    `json:"id"`
	Kind       EventKind `json:"kind"`
	Ticket     TicketRef `json:"ticket"`
	OccurredAt time.Time `json:"occurred_at"`
	// Actor is the vendor user whose action caused the event, when known.
	// Connectors use it to drop events caused by heard's own write-back.
	Actor string `json:"actor,omitempty"`
	// Payload is the vendor's own JSON for this event, kept so a dead job
	// can be inspected and replayed.
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Attrs are enrichment facts keyed "<component>.<name>" with JSON-compatible
// values.
type Attrs map[string]any

// Prediction is one proposed field value. Write-back is gated per field on
// Confidence.
type Prediction struct {
	Field      string  `json:"field"`
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"` // 0..1
	Reason     string  `json:"reason"`     // human-readable: which signals fired
	Source     string  `json:"source,omitempty"`
}

// Changes is exactly one combined write-back to one ticket.
type Changes struct {
	AddTags  []string          `json:"add_tags,omitempty"` // merged with existing tags, never replacing them
	Priority *Priority         `json:"priority,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
	// InternalNote is plain text: blank lines separate paragraphs. The
	// connector renders it in the vendor's format (escaped HTML paragraphs
	// where the vendor takes HTML) and marks it with Fingerprint.
	InternalNote string `json:"internal_note,omitempty"`
	// Fingerprint identifies this enrichment's note (and reply) so a retried
	// write-back can tell whether they are already on the ticket.
	Fingerprint string `json:"fingerprint,omitempty"`
	// PublicReply is plain text sent to the customer as a public reply from
	// the connector's agent: an auto-reply that passed heard's auto-reply policy.
	// Empty means no reply, which is almost always the case. The connector
	// renders it like InternalNote and ends it with the paragraph
	// ReplyMarker(Fingerprint), so a retried write-back never sends it twice.
	PublicReply string `json:"public_reply,omitempty"`
}

// Empty reports whether there is nothing to write.
func (c Changes) Empty() bool {
	return len(c.AddTags) == 0 && c.Priority == nil && len(c.Fields) == 0 && c.InternalNote == "" && c.PublicReply == ""
}

// NoteMarker is the text that ends heard's internal note for fingerprint fp
// ("[fp:FP]"); connectors look for it before posting a note.
func NoteMarker(fp string) string { return "[fp:" + fp + "]" }

// ReplyMarker is the text that ends heard's public reply for fingerprint fp
// ("[ref:FP]", a reference the customer may quote); connectors look for it
// before sending a reply. It differs from NoteMarker so a reply is never
// taken for the note, or the note for the reply.
func ReplyMarker(fp string) string { return "[ref:" + fp + "]" }

// FieldSpec describes a field a classifier may predict and its allowed values.
type FieldSpec struct {
	Name    string   `json:"name"`
	Allowed []string `json:"allowed,omitempty"` // empty: free text
}

// Secret is a configuration value that must never be logged.
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// LogValue hides the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Reveal returns the secret's value, for the one place that must send it.
func (s Secret) Reveal() string { return string(s) }

// MarshalJSON hides the value.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }
