package freshdesk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestNewListing(t *testing.T) {
	since := time.Date(2026, 3, 2, 10, 0, 0, 900_000_000, time.UTC)
	tests := []struct {
		name    string
		req     sdk.ListTicketsRequest
		want    listing
		wantErr bool
	}{
		{name: "solved since, small pages", req: sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since, Limit: 1},
			want: listing{status: sdk.StatusSolved, since: since.Truncate(time.Second), page: 1, per: 1}},
		{name: "default and oversized pages are 100", req: sdk.ListTicketsRequest{Limit: 1000},
			want: listing{page: 1, per: 100}},
		{name: "pending", req: sdk.ListTicketsRequest{Status: sdk.StatusPending}, want: listing{status: sdk.StatusPending, page: 1, per: 100}},
		{name: "no new status in Freshdesk", req: sdk.ListTicketsRequest{Status: sdk.StatusNew}, wantErr: true},
		{name: "no on-hold status in Freshdesk", req: sdk.ListTicketsRequest{Status: sdk.StatusOnHold}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newListing(&tt.req)
			if tt.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Errorf("newListing = %v; want ErrInvalid", err)
				}
				return
			}
			if err != nil || got.status != tt.want.status || !got.since.Equal(tt.want.since) || got.page != tt.want.page || got.per != tt.want.per {
				t.Errorf("newListing = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestListingNext(t *testing.T) {
	since := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		l         listing
		last      time.Time
		wantPage  int
		wantSince time.Time
		wantErr   string // from parsing the next cursor
	}{
		{name: "next page", l: listing{status: sdk.StatusSolved, since: since, page: 1, per: 100}, last: since.Add(time.Minute),
			wantPage: 2, wantSince: since},
		{name: "deepest page", l: listing{since: since, page: 299, per: 100}, last: since.Add(time.Hour),
			wantPage: 300, wantSince: since},
		{name: "restart from the last update", l: listing{since: since, page: 300, per: 100}, last: since.Add(time.Hour),
			wantPage: 1, wantSince: since.Add(time.Hour)},
		{name: "restart without since", l: listing{page: 300, per: 1}, last: since,
			wantPage: 1, wantSince: since},
		{name: "every ticket in one second", l: listing{since: since, page: 300, per: 100}, last: since,
			wantPage: 301, wantSince: since, wantErr: "more than 300 pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.l.next(tt.last)
			if n.page != tt.wantPage || !n.since.Equal(tt.wantSince) || n.per != tt.l.per || n.status != tt.l.status {
				t.Errorf("next = %+v; want page %d since %s, per_page and status kept", n, tt.wantPage, tt.wantSince)
			}
			got, err := parseListing(n.cursor())
			if tt.wantErr != "" {
				if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("parsing the next cursor = %v; want ErrInvalid mentioning %q", err, tt.wantErr)
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
		"", "search?page=1&per_page=10", "list?page=0&per_page=10", "list?page=1&per_page=101", "list?page=1",
		"list?page=1&per_page=10&status=hold", "list?page=1&per_page=10&since=1700000000", "list?%zz",
	} {
		t.Run(cursor, func(t *testing.T) {
			if _, err := parseListing(cursor); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("parseListing(%q) = %v; want ErrInvalid", cursor, err)
			}
		})
	}
}
