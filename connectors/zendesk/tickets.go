package zendesk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

var _ sdk.TicketLister = (*Connector)(nil)

// cursorSearch prefixes ticket-listing cursors: "search?" and the listing
// state as a query string (see listing). Cursors are opaque to callers.
const cursorSearch = "search?"

// ListTickets returns one page of the account's tickets through the
// search API, GET /api/v2/search.json, with the query
//
//	type:ticket status>=solved updated>=YYYY-MM-DD
//
// (status>=solved for sdk.StatusSolved, status:<s> for another status,
// nothing for sdk.StatusUnknown; the updated term only with UpdatedSince),
// sorted by updated_at ascending, page by page (per_page = Limit, at most
// 100; default 100).
//
// Search dates are whole days in the account's time zone, so the query
// asks from the day before UpdatedSince (UTC) and the exact bound is
// applied here, as is the status. One query pages through at most 1,000
// results; past that, the listing restarts from the last ticket's
// updated_at (a ticket updated in that same second may be listed twice).
// When more than 1,000 matching tickets were updated within two days the
// listing cannot go on, and the call after the last reachable page fails
// with sdk.ErrInvalid. Zendesk indexes new changes for search within a few
// minutes, so the most recent updates may be missing.
func (c *Connector) ListTickets(ctx context.Context, req *sdk.ListTicketsRequest) (*sdk.ListTicketsResponse, error) {
	api, err := c.client()
	if err != nil {
		return nil, err
	}
	if req == nil {
		req = &sdk.ListTicketsRequest{}
	}
	l, err := newListing(req)
	if err != nil {
		return nil, fmt.Errorf("listing zendesk tickets of %s: %w", c.subdomain, err)
	}
	page, err := api.Search(ctx, l.query())
	if err != nil {
		return nil, fmt.Errorf("listing zendesk tickets of %s: %w", c.subdomain, err)
	}
	resp := &sdk.ListTicketsResponse{Tickets: []sdk.TicketRef{}}
	var last time.Time
	for _, r := range page.Results {
		if r.ResultType != "" && r.ResultType != "ticket" {
			continue
		}
		updated, err := r.UpdatedAt.Time()
		if err != nil || r.ID <= 0 {
			return nil, fmt.Errorf("listing zendesk tickets of %s: result %d: %w", c.subdomain, r.ID, errors.Join(err, sdk.ErrInvalid))
		}
		last = updated
		if (!l.since.IsZero() && updated.Before(l.since)) || !statusMatches(l.status, status(r.Status)) {
			continue
		}
		resp.Tickets = append(resp.Tickets, sdk.TicketRef{Connector: c.name, Account: c.subdomain, ID: strconv.FormatInt(r.ID, 10)})
	}
	// next_page may be null on the last page the query can reach although
	// more results match (count says so): those are reached by restarting.
	more := page.NextPage != "" || page.Count > l.page*l.per
	if more && len(page.Results) > 0 {
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

// listing is the state of a ticket listing, carried from page to page in
// the cursor.
type listing struct {
	status sdk.Status
	since  time.Time // exact lower bound on updated_at; zero: none
	page   int       // from 1
	per    int       // 1..MaxSearchPerPage
}

// newListing starts a listing for req or resumes it from req.Cursor.
func newListing(req *sdk.ListTicketsRequest) (listing, error) {
	if req.Cursor != "" {
		return parseListing(req.Cursor)
	}
	// Zendesk's times are whole seconds.
	l := listing{status: req.Status, since: req.UpdatedSince.Truncate(time.Second), page: 1, per: zendeskapi.MaxSearchPerPage}
	if req.Limit > 0 {
		l.per = min(req.Limit, zendeskapi.MaxSearchPerPage)
	}
	if _, ok := searchStatus(l.status); !ok {
		return listing{}, fmt.Errorf("status %.20q: want one of new, open, pending, hold, solved, closed: %w", string(l.status), sdk.ErrInvalid)
	}
	return l, nil
}

// searchStatus is the search term for a status ("" for any).
func searchStatus(s sdk.Status) (string, bool) {
	switch s {
	case sdk.StatusUnknown:
		return "", true
	case sdk.StatusSolved:
		return "status>=solved", true
	case sdk.StatusNew, sdk.StatusOpen, sdk.StatusPending, sdk.StatusOnHold, sdk.StatusClosed:
		return "status:" + string(s), true
	}
	return "", false
}

// anchor is the first day the query asks for: the day before since, so
// that since is covered in any account time zone ("" without since).
func (l listing) anchor() string {
	if l.since.IsZero() {
		return ""
	}
	return l.since.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
}

// query is the search.json query of the listing's current page.
func (l listing) query() url.Values {
	terms := []string{"type:ticket"}
	if s, _ := searchStatus(l.status); s != "" {
		terms = append(terms, s)
	}
	if a := l.anchor(); a != "" {
		terms = append(terms, "updated>="+a)
	}
	return zendeskapi.SearchQuery(strings.Join(terms, " "), "updated_at", "asc", l.page, l.per)
}

// next is the listing after the current page, whose last result was
// updated at last. Past the search results limit it restarts the query
// from last; when that would not move the query's first day, it keeps
// counting pages so that the next call reports the limit.
func (l listing) next(last time.Time) listing {
	n := l
	n.page++
	if (n.page-1)*n.per < zendeskapi.MaxSearchResults {
		return n
	}
	moved := l
	moved.since, moved.page = last, 1
	if !last.After(l.since) || moved.anchor() == l.anchor() {
		return n
	}
	return moved
}

// cursor encodes the listing.
func (l listing) cursor() string {
	v := url.Values{"page": {strconv.Itoa(l.page)}, "per_page": {strconv.Itoa(l.per)}}
	if l.status != sdk.StatusUnknown {
		v.Set("status", string(l.status))
	}
	if !l.since.IsZero() {
		v.Set("since", l.since.UTC().Format(time.RFC3339Nano))
	}
	return cursorSearch + v.Encode()
}

// parseListing decodes a cursor made by cursor. A listing whose page lies
// past the search results limit is reported here, before Zendesk is asked.
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
	l := listing{status: sdk.Status(v.Get("status"))}
	if l.page, err = strconv.Atoi(v.Get("page")); err != nil || l.page < 1 {
		return bad("bad page")
	}
	if l.per, err = strconv.Atoi(v.Get("per_page")); err != nil || l.per < 1 || l.per > zendeskapi.MaxSearchPerPage {
		return bad("bad per_page")
	}
	if _, ok := searchStatus(l.status); !ok {
		return bad("bad status")
	}
	if s := v.Get("since"); s != "" {
		if l.since, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return bad("bad since")
		}
	}
	if (l.page-1)*l.per >= zendeskapi.MaxSearchResults {
		return listing{}, fmt.Errorf("more than %d tickets were updated within two days from %s, and Zendesk's search serves at most %d per query: list a shorter period or fewer tickets: %w",
			zendeskapi.MaxSearchResults, l.since.UTC().Format(time.RFC3339), zendeskapi.MaxSearchResults, sdk.ErrInvalid)
	}
	return l, nil
}
