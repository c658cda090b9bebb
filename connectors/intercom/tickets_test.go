package intercom

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestListingRequest(t *testing.T) {
	since := time.Unix(1772445600, 400) // 2026-03-02T10:00:00Z and a bit
	tests := []struct {
		name     string
		req      sdk.ListTicketsRequest
		wantBody string
		wantErr  bool
	}{
		{name: "solved since", req: sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since, Limit: 2},
			wantBody: `{"query":{"operator":"AND","value":[{"field":"state","operator":"=","value":"closed"},` +
				`{"field":"updated_at","operator":">","value":1772445599}]},"pagination":{"per_page":2}}`},
		{name: "closed, default page", req: sdk.ListTicketsRequest{Status: sdk.StatusClosed},
			wantBody: `{"query":{"field":"state","operator":"=","value":"closed"},"pagination":{"per_page":150}}`},
		{name: "snoozed is pending", req: sdk.ListTicketsRequest{Status: sdk.StatusPending, Limit: 500},
			wantBody: `{"query":{"field":"state","operator":"=","value":"snoozed"},"pagination":{"per_page":150}}`},
		{name: "any status since", req: sdk.ListTicketsRequest{UpdatedSince: since},
			wantBody: `{"query":{"field":"updated_at","operator":">","value":1772445599},"pagination":{"per_page":150}}`},
		{name: "everything", req: sdk.ListTicketsRequest{},
			wantBody: `{"query":{"field":"updated_at","operator":">","value":0},"pagination":{"per_page":150}}`},
		{name: "a later page", req: sdk.ListTicketsRequest{Cursor: "search?per_page=5&since=1772445600&starting_after=WzE3NzJd&status=solved"},
			wantBody: `{"query":{"operator":"AND","value":[{"field":"state","operator":"=","value":"closed"},` +
				`{"field":"updated_at","operator":">","value":1772445599}]},"pagination":{"per_page":5,"starting_after":"WzE3NzJd"}}`},
		{name: "no new state", req: sdk.ListTicketsRequest{Status: sdk.StatusNew}, wantErr: true},
		{name: "no on-hold state", req: sdk.ListTicketsRequest{Status: sdk.StatusOnHold}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := newListing(&tt.req)
			if tt.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Errorf("newListing = %v; want ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("newListing: %v", err)
			}
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false) // as written above: ">" rather than \u003e
			err = enc.Encode(l.request())
			if got := strings.TrimSpace(b.String()); err != nil || got != tt.wantBody {
				t.Errorf("request = %s, %v\nwant      %s", got, err, tt.wantBody)
			}
		})
	}
}

func TestParseListing(t *testing.T) {
	l := listing{status: sdk.StatusSolved, since: time.Unix(1772445600, 0).UTC(), per: 7, after: "abc=="}
	got, err := parseListing(l.cursor())
	if err != nil || got.status != l.status || !got.since.Equal(l.since) || got.per != l.per || got.after != l.after {
		t.Errorf("cursor round trip = %+v, %v; want %+v", got, err, l)
	}
	for _, cursor := range []string{
		"", "list?per_page=5&starting_after=x", "search?per_page=0&starting_after=x", "search?per_page=151&starting_after=x",
		"search?per_page=5", "search?per_page=5&starting_after=x&status=hold", "search?per_page=5&starting_after=x&since=2026-03-02", "search?%zz",
	} {
		t.Run(cursor, func(t *testing.T) {
			if _, err := parseListing(cursor); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("parseListing(%q) = %v; want ErrInvalid", cursor, err)
			}
		})
	}
}
