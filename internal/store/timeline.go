package store

import (
	"context"
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Timeline entry kinds. The state kinds (TimelineCreated through
// TimelineStatus) carry the ticket's normalized status after the change in
// Value and, for changes, the status before it in Previous; OpenTickets
// reads the latest of them.
const (
	TimelineCreated  = "created"  // the ticket was created; Value is its status
	TimelineWaiting  = "waiting"  // the ticket now waits on the customer (pending)
	TimelineResumed  = "resumed"  // it no longer waits on the customer
	TimelineSolved   = "solved"   // solved or closed
	TimelineReopened = "reopened" // it was solved or closed and is open again
	TimelineStatus   = "status"   // any other status change (new → open, open → hold)

	TimelineAgentReply    = "agent_reply"    // a public agent reply; Value is the message ID
	TimelineCustomerReply = "customer_reply" // a public customer message; Value is the message ID
	TimelineAssignee      = "assignee"       // the assignee changed; Value is the new agent's vendor ID ("" unassigned)
	TimelineGroup         = "group"          // the group changed; Value is the new group's vendor ID
	TimelinePriority      = "priority"       // the priority changed; Value is P0..P3
	TimelinePlan          = "plan"           // the customer's plan as first seen or changed
	TimelineRating        = "rating"         // a satisfaction rating; Value is "<scale>:<score>"
	TimelineSLAWarning    = "sla_warning"    // an SLA warning level was reached; Value names it
)

// TimelineStateKinds are the kinds that say which state a ticket is in.
var TimelineStateKinds = []string{TimelineCreated, TimelineWaiting, TimelineResumed, TimelineSolved, TimelineReopened, TimelineStatus}

// TimelineEntry is one thing that happened to a ticket. Key identifies
// it within the ticket: an entry derived again from a redelivered event
// has the same Key, and the store keeps the first.
type TimelineEntry struct {
	Connector string `json:"connector"`
	TicketID  string `json:"ticket_id"`
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	// At is when it happened, kept in UTC to the microsecond.
	At       time.Time `json:"at"`
	Value    string    `json:"value,omitempty"`
	Previous string    `json:"previous,omitempty"`
	// Actor is the vendor user behind the event, when known.
	Actor string `json:"actor,omitempty"`
	// EventKey is the event the entry was derived from ("" for entries
	// heard made itself, such as SLA warnings).
	EventKey string `json:"event_key,omitempty"`
	// Seq orders entries recorded at the same At: the store assigns it,
	// increasing in insertion order.
	Seq int64 `json:"seq"`
}

// TicketKey names one ticket of one connector.
type TicketKey struct {
	Connector string `json:"connector"`
	TicketID  string `json:"ticket_id"`
}

// Timeline keeps ticket timelines. Implementations are safe for
// concurrent use, also from several processes on one database.
type Timeline interface {
	// AddTimeline stores the entries whose (Connector, TicketID, Key) is
	// not stored yet, in order, and returns those it stored (with Seq set).
	// Entries already stored are left as they are, so adding the same
	// entries again stores nothing; of concurrent adds of one key exactly
	// one stores it.
	AddTimeline(ctx context.Context, entries ...TimelineEntry) ([]TimelineEntry, error)
	// Timeline returns one ticket's entries ordered by At, then Seq; none
	// is an empty slice, not an error.
	Timeline(ctx context.Context, connector, ticketID string) ([]TimelineEntry, error)
	// OpenTickets lists the tickets (of connector, "" for all) whose
	// latest state entry (TimelineStateKinds, by At then Seq) has a Value
	// other than "solved" and "closed", ordered by connector and ID.
	OpenTickets(ctx context.Context, connector string) ([]TicketKey, error)
}

// CheckTimelineEntry reports the first problem with e, wrapping
// sdk.ErrInvalid: connector, ticket, key and kind are required, and At
// must be set.
func CheckTimelineEntry(e TimelineEntry) error {
	switch {
	case e.Connector == "" || e.TicketID == "":
		return fmt.Errorf("timeline entry %q: connector and ticket are required: %w", e.Key, sdk.ErrInvalid)
	case e.Key == "" || e.Kind == "":
		return fmt.Errorf("timeline entry of %s/%s: key and kind are required: %w", e.Connector, e.TicketID, sdk.ErrInvalid)
	case e.At.IsZero():
		return fmt.Errorf("timeline entry %s of %s/%s: time is zero: %w", e.Key, e.Connector, e.TicketID, sdk.ErrInvalid)
	}
	return nil
}
