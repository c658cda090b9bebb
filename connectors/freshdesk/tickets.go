package freshdesk

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/sdk"
)

var _ sdk.TicketLister = (*Connector)(nil)

// cursorList prefixes ticket-listing cursors: "list?" and the listing
// state as a query string. Cursors are opaque to callers.
const cursorList = "list?"

// maxListPages is how deep Freshdesk lets a list be paged (about 300
// pages, CONTRACTS.md §2.8); the listing restarts before that.
const maxListPages = 300

// ListTickets returns one page of the account's tickets from
// GET /api/v2/tickets?updated_since=…&order_by=updated_at&order_type=asc
// with page and per_page (= Limit, at most 100; default 100), the next
// page found through the Link header.
//
// The list endpoint cannot filter by status, so the status is applied
// here: sdk.StatusSolved keeps Resolved (4) and Closed (5), sdk.StatusOpen
// 2, sdk.StatusPending 3, sdk.StatusClosed 5; Freshdesk has no new or
// on-hold status (sdk.ErrInvalid). A page may therefore hold fewer tickets
// than Limit, or none. Without UpdatedSince, Freshdesk lists only tickets
// created in the last 30 days. Before the list gets too deep to page, the
// listing restarts from the last ticket's updated_at (a ticket updated in
// that same second may be listed twice).
func (c *Connector) ListTickets(ctx context.Context, req *sdk.ListTicketsRequest) (*sdk.ListTicketsResponse, error) {
	if req == nil {
		req = &sdk.ListTicketsRequest{}
	}
	l, err := newListing(req)
	if err != nil {
		return nil, fmt.Errorf("listing freshdesk tickets of %s: %w", c.domain, err)
	}
	ts, more, err := c.api.TicketPage(ctx, freshdeskapi.ListTickets{
		UpdatedSince: l.since, OrderBy: "updated_at", OrderType: "asc", Page: l.page, PerPage: l.per,
	})
	if err != nil {
		return nil, err
	}
	resp := &sdk.ListTicketsResponse{Tickets: []sdk.TicketRef{}}
	var last time.Time
	for _, t := range ts {
		if t.ID <= 0 {
			return nil, fmt.Errorf("listing freshdesk tickets of %s: a ticket without an id: %w", c.domain, sdk.ErrInvalid)
		}
		last = latest(last, t.UpdatedAt)
		if (!l.since.IsZero() && t.UpdatedAt.Before(l.since)) || !statusMatches(l.status, status(t.Status)) {
			continue
		}
		resp.Tickets = append(resp.Tickets, c.ref(idString(t.ID)))
	}
	if more && len(ts) > 0 {
		resp.NextCursor = l.next(last).cursor()
	}
	return resp, nil
}

// statusMatches reports whether a ticket in status have is listed for the
// requested status want.
func statusMatches(want, have sdk.Status) bool {
	switch want {
	case sdk.StatusUnknown:
		return true
	case sdk.StatusSolved:
		return have == sdk.StatusSolved || have == sdk.StatusClosed
	}
	return have == want
}

// listing is the state of a ticket listing, carried in the cursor.
type listing struct {
	status sdk.Status
	since  time.Time // updated_since; zero: none
	page   int       // from 1
	per    int       // 1..MaxPerPage
}

// newListing starts a listing for req or resumes it from req.Cursor.
func newListing(req *sdk.ListTicketsRequest) (listing, error) {
	if req.Cursor != "" {
		return parseListing(req.Cursor)
	}
	switch req.Status {
	case sdk.StatusUnknown, sdk.StatusOpen, sdk.StatusPending, sdk.StatusSolved, sdk.StatusClosed:
	default:
		return listing{}, fmt.Errorf("status %.20q: Freshdesk has open, pending, solved (resolved) and closed: %w", string(req.Status), sdk.ErrInvalid)
	}
	// Freshdesk's times are whole seconds.
	l := listing{status: req.Status, since: req.UpdatedSince.Truncate(time.Second), page: 1, per: freshdeskapi.MaxPerPage}
	if req.Limit > 0 {
		l.per = min(req.Limit, freshdeskapi.MaxPerPage)
	}
	return l, nil
}

// next is the listing after the current page, whose latest ticket was
// updated at last: the next page, or, at Freshdesk's paging depth, page 1
// from last on.
func (l listing) next(last time.Time) listing {
	n := l
	n.page++
	if n.page > maxListPages && last.After(l.since) {
		n.page, n.since = 1, last
	}
	return n
}

// cursor encodes the listing.
func (l listing) cursor() string {
	v := url.Values{"page": {strconv.Itoa(l.page)}, "per_page": {strconv.Itoa(l.per)}}
	if l.status != sdk.StatusUnknown {
		v.Set("status", string(l.status))
	}
	if !l.since.IsZero() {
		v.Set("since", l.since.UTC().Format(time.RFC3339))
	}
	return cursorList + v.Encode()
}

// parseListing decodes a cursor made by cursor.
func parseListing(cursor string) (listing, error) {
	bad := func(why string) (listing, error) {
		return listing{}, fmt.Errorf("ticket cursor %.120q: %s: %w", cursor, why, sdk.ErrInvalid)
	}
	raw, ok := strings.CutPrefix(cursor, cursorList)
	if !ok {
		return bad("unknown prefix")
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return bad("not a query string")
	}
	l := listing{status: sdk.Status(v.Get("status"))}
	if l.page, err = strconv.Atoi(v.Get("page")); err != nil || l.page < 1 {
		return bad("bad page")
	}
	if l.page > maxListPages {
		return listing{}, fmt.Errorf("more than %d pages of tickets were updated in the second %s, deeper than Freshdesk lets a list be paged: %w",
			maxListPages, l.since.UTC().Format(time.RFC3339), sdk.ErrInvalid)
	}
	if l.per, err = strconv.Atoi(v.Get("per_page")); err != nil || l.per < 1 || l.per > freshdeskapi.MaxPerPage {
		return bad("bad per_page")
	}
	switch l.status {
	case sdk.StatusUnknown, sdk.StatusOpen, sdk.StatusPending, sdk.StatusSolved, sdk.StatusClosed:
	default:
		return bad("bad status")
	}
	if s := v.Get("since"); s != "" {
		if l.since, err = time.Parse(time.RFC3339, s); err != nil {
			return bad("bad since")
		}
	}
	return l, nil
}

// latest returns the later of a and b.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
