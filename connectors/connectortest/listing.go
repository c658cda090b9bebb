package connectortest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// maxListingPages bounds a listing in the suite, so a cursor that never
// ends fails the test instead of hanging it.
const maxListingPages = 50

// listAll pages through a listing from req and returns every ref and the
// number of pages.
func listAll(t *testing.T, lister sdk.TicketLister, req sdk.ListTicketsRequest) ([]sdk.TicketRef, int) {
	t.Helper()
	var refs []sdk.TicketRef
	for pages := 1; ; pages++ {
		resp, err := lister.ListTickets(t.Context(), &req)
		if err != nil {
			t.Fatalf("ListTickets page %d: %v", pages, err)
		}
		refs = append(refs, resp.Tickets...)
		if resp.NextCursor == "" {
			return refs, pages
		}
		if pages >= maxListingPages {
			t.Fatalf("ListTickets still had a next page after %d pages (cursor %q)", pages, resp.NextCursor)
		}
		req = sdk.ListTicketsRequest{Cursor: resp.NextCursor}
	}
}

// solved is an agent's final decision on a ticket.
type solved struct {
	ticket   int // index into the created tickets
	priority sdk.Priority
	tags     []string
}

// testListing: three tickets, heard writes back to the first, an agent
// solves the first and the last with other values; listing solved tickets
// page by page finds exactly those two, and Ticket reads back what the
// agent decided — the vendor's priority, not a priority tag, and the tags
// as the agent left them.
func testListing(t *testing.T, e *env) {
	lister, ok := e.conn.(sdk.TicketLister)
	if !ok {
		t.Fatal("connector does not implement sdk.TicketLister (needed by heard backtest)")
	}
	since := time.Now().Add(-time.Hour)
	var refs []sdk.TicketRef
	for range 3 {
		_, d := e.create(t, ticket())
		refs = append(refs, e.decode(t, d)[0].Ticket)
	}
	// heard wrote P1 and its tags first; the agent's values must win.
	if err := e.conn.Apply(t.Context(), refs[0], changes("Triage before the agent solved it", "fp-listing")); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	finals := []solved{
		{ticket: 0, priority: sdk.P3, tags: []string{"billing", "refund"}},
		{ticket: 2, priority: sdk.P1, tags: []string{"outage"}},
	}
	if tag, ok := e.h.PriorityTag[sdk.P0]; ok {
		// An agent may leave or set heard's priority tag: it is a tag, not
		// the ticket's priority.
		finals[0].tags = append(finals[0].tags, tag)
	}
	for _, f := range finals {
		if err := e.h.Desk.Solve(t.Context(), e.account.Name, refs[f.ticket].ID, string(f.priority), f.tags); err != nil {
			t.Fatalf("Solve ticket %s: %v", refs[f.ticket].ID, err)
		}
	}

	tests := []struct {
		name     string
		req      sdk.ListTicketsRequest
		want     []int // indexes of refs
		minPages int
	}{
		{name: "solved since an hour ago, one per page", req: sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since, Limit: 1}, want: []int{0, 2}, minPages: 2},
		{name: "every status since an hour ago", req: sdk.ListTicketsRequest{UpdatedSince: since, Limit: 2}, want: []int{0, 1, 2}, minPages: 2},
		{name: "solved, default page size", req: sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since}, want: []int{0, 2}, minPages: 1},
		{name: "nothing updated since", req: sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: time.Now().Add(time.Hour)}, minPages: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, pages := listAll(t, lister, tc.req)
			var gotIDs, wantIDs []string
			for _, r := range got {
				if r.Connector != e.name || r.Account != e.account.Name {
					t.Errorf("listed ref %+v; want connector %q and account %q", r, e.name, e.account.Name)
				}
				gotIDs = append(gotIDs, r.ID)
			}
			for _, i := range tc.want {
				wantIDs = append(wantIDs, refs[i].ID)
			}
			slices.Sort(gotIDs)
			slices.Sort(wantIDs)
			if !slices.Equal(gotIDs, wantIDs) {
				t.Errorf("listed %q; want exactly %q", gotIDs, wantIDs)
			}
			if pages < tc.minPages {
				t.Errorf("listing took %d page(s); want at least %d (Limit %d)", pages, tc.minPages, tc.req.Limit)
			}
		})
	}

	t.Run("malformed cursor", func(t *testing.T) {
		if _, err := lister.ListTickets(t.Context(), &sdk.ListTicketsRequest{Cursor: "not-a-cursor"}); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("ListTickets(bad cursor) = %v; want ErrInvalid", err)
		}
	})

	t.Run("agents_final_values", func(t *testing.T) {
		for _, f := range finals {
			tk, err := e.conn.Ticket(t.Context(), refs[f.ticket])
			if err != nil {
				t.Fatalf("Ticket %s: %v", refs[f.ticket].ID, err)
			}
			if tk.Priority != f.priority {
				t.Errorf("ticket %s: Priority = %q; want %q, as the agent set it", tk.Ref.ID, tk.Priority, f.priority)
			}
			gotTags, wantTags := slices.Clone(tk.Tags), slices.Clone(f.tags)
			slices.Sort(gotTags)
			slices.Sort(wantTags)
			if !slices.Equal(gotTags, wantTags) {
				t.Errorf("ticket %s: Tags = %q; want %q, as the agent left them", tk.Ref.ID, gotTags, wantTags)
			}
			if tk.Status != sdk.StatusSolved && tk.Status != sdk.StatusClosed {
				t.Errorf("ticket %s: Status = %q; want solved or closed", tk.Ref.ID, tk.Status)
			}
		}
	})
}
