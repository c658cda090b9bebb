package intercom

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/sdk"
)

var _ sdk.TicketLister = (*Connector)(nil)

// cursorSearch prefixes ticket-listing cursors: "search?" and the listing
// state as a query string. Cursors are opaque to callers.
const cursorSearch = "search?"

// maxSearchPerPage is the largest per_page of POST /conversations/search.
const maxSearchPerPage = 150

// ListTickets returns one page of the workspace's conversations from
// POST /conversations/search with
//
//	{"query":{"operator":"AND","value":[
//	    {"field":"state","operator":"=","value":"closed"},
//	    {"field":"updated_at","operator":">","value":<UpdatedSince, Unix>}]},
//	 "pagination":{"per_page":<Limit>,"starting_after":<cursor>}}
//
// per_page is Limit, at most 150 (default 150), and later pages pass
// pages.next.starting_after. Intercom has no solved state, so
// sdk.StatusSolved and sdk.StatusClosed both ask for closed
// conversations; sdk.StatusOpen is open and sdk.StatusPending snoozed, and
// there is no new or on-hold state (sdk.ErrInvalid). Without a status and
// UpdatedSince the query is updated_at > 0. The 2.15 description reads
// ">" on timestamps as "greater or equal"; the query asks from a second
// earlier either way, and the exact bound and the state are applied here.
func (c *Connector) ListTickets(ctx context.Context, req *sdk.ListTicketsRequest) (*sdk.ListTicketsResponse, error) {
	if req == nil {
		req = &sdk.ListTicketsRequest{}
	}
	l, err := newListing(req)
	if err != nil {
		return nil, fmt.Errorf("listing intercom conversations of %s: %w", c.workspace, err)
	}
	list, err := c.api.SearchConversations(ctx, l.request())
	if err != nil {
		return nil, fmt.Errorf("listing intercom conversations of %s: %w", c.workspace, err)
	}
	resp := &sdk.ListTicketsResponse{Tickets: []sdk.TicketRef{}}
	for _, conv := range list.Conversations {
		id := string(conv.ID)
		if !conversationIDRE.MatchString(id) {
			return nil, fmt.Errorf("listing intercom conversations of %s: conversation id %.40q: %w", c.workspace, id, sdk.ErrInvalid)
		}
		if (!l.since.IsZero() && conv.UpdatedAt.Time().Before(l.since)) || !statusMatches(l.status, status(conv.State)) {
			continue
		}
		resp.Tickets = append(resp.Tickets, c.ref(id))
	}
	if p := list.Pages; p != nil && p.Next != nil && p.Next.StartingAfter != "" && p.Next.StartingAfter != l.after && len(list.Conversations) > 0 {
		n := l
		n.after = p.Next.StartingAfter
		resp.NextCursor = n.cursor()
	}
	return resp, nil
}

// statusMatches reports whether a conversation in status have is listed
// for the requested status want.
func statusMatches(want, have sdk.Status) bool {
	switch want {
	case sdk.StatusUnknown:
		return true
	case sdk.StatusSolved, sdk.StatusClosed:
		return have == sdk.StatusClosed
	}
	return have == want
}

// searchState is the conversation state for a status ("" for any).
func searchState(s sdk.Status) (string, bool) {
	switch s {
	case sdk.StatusUnknown:
		return "", true
	case sdk.StatusSolved, sdk.StatusClosed:
		return "closed", true
	case sdk.StatusOpen:
		return "open", true
	case sdk.StatusPending:
		return "snoozed", true
	}
	return "", false
}

// listing is the state of a listing, carried in the cursor.
type listing struct {
	status sdk.Status
	since  time.Time // zero: none
	per    int       // 1..maxSearchPerPage
	after  string    // starting_after; "" for the first page
}

// newListing starts a listing for req or resumes it from req.Cursor.
func newListing(req *sdk.ListTicketsRequest) (listing, error) {
	if req.Cursor != "" {
		return parseListing(req.Cursor)
	}
	if _, ok := searchState(req.Status); !ok {
		return listing{}, fmt.Errorf("status %.20q: Intercom conversations are open, snoozed (pending) or closed: %w", string(req.Status), sdk.ErrInvalid)
	}
	// Intercom's times are whole seconds.
	l := listing{status: req.Status, since: req.UpdatedSince.Truncate(time.Second), per: maxSearchPerPage}
	if req.Limit > 0 {
		l.per = min(req.Limit, maxSearchPerPage)
	}
	return l, nil
}

// request is the search request of the listing's current page.
func (l listing) request() *intercomapi.SearchRequest {
	var filters []intercomapi.SearchQuery
	if state, _ := searchState(l.status); state != "" {
		filters = append(filters, intercomapi.SearchFilter{Field: "state", Operator: intercomapi.OpEquals, Value: state})
	}
	if !l.since.IsZero() {
		filters = append(filters, intercomapi.SearchFilter{Field: "updated_at", Operator: intercomapi.OpGreater, Value: l.since.Unix() - 1})
	}
	var q intercomapi.SearchQuery
	switch len(filters) {
	case 0:
		q = intercomapi.SearchFilter{Field: "updated_at", Operator: intercomapi.OpGreater, Value: 0}
	case 1:
		q = filters[0]
	default:
		q = intercomapi.SearchGroup{Operator: intercomapi.OpAnd, Value: filters}
	}
	return &intercomapi.SearchRequest{Query: q, Pagination: &intercomapi.Pagination{PerPage: l.per, StartingAfter: l.after}}
}

// cursor encodes the listing.
func (l listing) cursor() string {
	v := url.Values{"per_page": {strconv.Itoa(l.per)}, "starting_after": {l.after}}
	if l.status != sdk.StatusUnknown {
		v.Set("status", string(l.status))
	}
	if !l.since.IsZero() {
		v.Set("since", strconv.FormatInt(l.since.Unix(), 10))
	}
	return cursorSearch + v.Encode()
}

// parseListing decodes a cursor made by cursor.
func parseListing(cursor string) (listing, error) {
	bad := func(why string) (listing, error) {
		return listing{}, fmt.Errorf("ticket cursor %.120q: %s: %w", cursor, why, sdk.ErrInvalid)
	}
	raw, ok := strings.CutPrefix(cursor, cursorSearch)
	if !ok {
		return bad("unknown prefix")
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return bad("not a query string")
	}
	l := listing{status: sdk.Status(v.Get("status")), after: v.Get("starting_after")}
	if l.per, err = strconv.Atoi(v.Get("per_page")); err != nil || l.per < 1 || l.per > maxSearchPerPage {
		return bad("bad per_page")
	}
	if _, ok := searchState(l.status); !ok {
		return bad("bad status")
	}
	if l.after == "" {
		return bad("no starting_after")
	}
	if s := v.Get("since"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return bad("bad since")
		}
		l.since = time.Unix(n, 0).UTC()
	}
	return l, nil
}
