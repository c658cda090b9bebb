package sdk

import (
	"context"
	"time"
)

// ListTicketsRequest asks for one page of tickets.
type ListTicketsRequest struct {
	// Status filters by normalized status. StatusUnknown lists every
	// status; StatusSolved lists solved and closed tickets (what a
	// backtest wants); any other status lists tickets in exactly that
	// status. A connector whose vendor cannot express the status returns
	// an error wrapping ErrInvalid.
	Status Status
	// UpdatedSince, when not zero, lists only tickets last updated at or
	// after it.
	UpdatedSince time.Time
	// Cursor is the previous page's NextCursor; "" for the first page. A
	// cursor carries the whole query, so with a cursor the other fields
	// are ignored. Cursors are opaque; a malformed one yields ErrInvalid.
	Cursor string
	// Limit is a page-size hint; 0 lets the connector choose (usually the
	// largest page the vendor serves). It is clamped to what the vendor
	// accepts. A page may hold fewer tickets, even none, while NextCursor
	// is still set.
	Limit int
}

// ListTicketsResponse is one page of ticket references, oldest or newest
// update first as the vendor orders them.
type ListTicketsResponse struct {
	Tickets    []TicketRef
	NextCursor string // "" when this was the last page
}

// TicketLister is implemented by connectors that can list tickets, for
// backtests. It is optional: find it by type assertion. Implementations
// must be safe for concurrent use; each call makes the vendor requests of
// one page under ctx. A ticket changed while a listing is paged through
// may be missed or listed twice, so callers dedupe by TicketRef.
type TicketLister interface {
	ListTickets(ctx context.Context, req *ListTicketsRequest) (*ListTicketsResponse, error)
}

// TicketLinker is implemented by connectors that know where an agent opens
// a ticket in the help desk. It is optional: find it by type assertion.
// TicketURL does no IO and returns "" when it cannot tell.
type TicketLinker interface {
	TicketURL(ref TicketRef) string
}
