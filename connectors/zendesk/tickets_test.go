package zendesk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestListingQuery(t *testing.T) {
	since := time.Date(2026, 3, 2, 1, 30, 0, 500, time.UTC)
	tests := []struct {
		name      string
		req       sdk.ListTicketsRequest
		wantQuery string
		wantPer   string
		wantErr   bool
	}{
		{name: "solved since", req: sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since, Limit: 5},
			wantQuery: "type:ticket status>=solved updated>=2026-03-01", wantPer: "5"},
		{name: "since in another zone is the same instant", req: sdk.ListTicketsRequest{UpdatedSince: since.In(time.FixedZone("x", 9*3600))},
			wantQuery: "type:ticket updated>=2026-03-01", wantPer: "100"},
		{name: "every ticket", req: sdk.ListTicketsRequest{}, wantQuery: "type:ticket", wantPer: "100"},
		{name: "on hold", req: sdk.ListTicketsRequest{Status: sdk.StatusOnHold, Limit: 1000}, wantQuery: "type:ticket status:hold", wantPer: "100"},
		{name: "closed only", req: sdk.ListTicketsRequest{Status: sdk.StatusClosed}, wantQuery: "type:ticket status:closed", wantPer: "100"},
		{name: "unknown status", req: sdk.ListTicketsRequest{Status: "resolved"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := newListing(&tc.req)
			if tc.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Errorf("newListing = %v; want ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("newListing: %v", err)
			}
			q := l.query()
			if q.Get("query") != tc.wantQuery || q.Get("per_page") != tc.wantPer || q.Get("page") != "1" ||
				q.Get("sort_by") != "updated_at" || q.Get("sort_order") != "asc" {
				t.Errorf("query = %v; want query %q, per_page %s, page 1, sorted by updated_at ascending", q, tc.wantQuery, tc.wantPer)
			}
		})
	}
}

func TestListingNext(t *testing.T) {
	since := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		l         listing
		last      time.Time
		wantPage  int
		wantSince time.Time
		wantErr   string // from parsing the next cursor
	}{
		{name: "next page", l: listing{status: sdk.StatusSolved, since: since, page: 3, per: 100},
			last: since.Add(time.Hour), wantPage: 4, wantSince: since},
		{name: "last page within the limit", l: listing{since: since, page: 9, per: 100},
			last: since.Add(time.Hour), wantPage: 10, wantSince: since},
		{name: "restart from the last ticket", l: listing{since: since, page: 10, per: 100},
			last: since.Add(50 * time.Hour), wantPage: 1, wantSince: since.Add(50 * time.Hour)},
		{name: "restart with small pages", l: listing{page: 1000, per: 1},
			last: since, wantPage: 1, wantSince: since},
		{name: "a restart would not move the first day", l: listing{since: since, page: 10, per: 100},
			last: since.Add(20 * time.Hour), wantPage: 11, wantSince: since, wantErr: "at most 1000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.l.next(tc.last)
			if n.page != tc.wantPage || !n.since.Equal(tc.wantSince) || n.per != tc.l.per || n.status != tc.l.status {
				t.Errorf("next = %+v; want page %d since %s, per_page and status kept", n, tc.wantPage, tc.wantSince)
			}
			got, err := parseListing(n.cursor())
			if tc.wantErr != "" {
				if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("parsing the next cursor = %v; want ErrInvalid mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got.page != n.page || got.per != n.per || got.status != n.status || !got.since.Equal(n.since) {
				t.Errorf("cursor round trip = %+v, %v; want %+v", got, err, n)
			}
		})
	}
}

func TestParseListingRejects(t *testing.T) {
	for _, cursor := range []string{
		"", "list?page=1&per_page=10", "search?page=0&per_page=10", "search?page=1&per_page=101",
		"search?page=1&per_page=10&status=resolved", "search?page=1&per_page=10&since=yesterday", "search?%zz",
	} {
		t.Run(cursor, func(t *testing.T) {
			if _, err := parseListing(cursor); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("parseListing(%q) = %v; want ErrInvalid", cursor, err)
			}
		})
	}
}
