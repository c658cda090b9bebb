package report

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
)

// Source is what Build reads from the store.
type Source interface {
	store.Timeline
	store.TimelineRange
	Records(ctx context.Context, f store.Filter) ([]store.Record, error)
}

// maxRecords bounds the records read per ticket.
const maxRecords = 1000

// ticket is what the report knows of one ticket: its timeline and what
// heard decided on it.
type ticket struct {
	key      store.TicketKey
	timeline []store.TimelineEntry
	// decisions are heard's explanations, oldest first, with the record's
	// category and requester.
	decisions []decision
}

type decision struct {
	exp       enrich.Explanation
	category  string
	requester string
}

// load reads every ticket with a timeline entry in [from, to) or open now.
func load(ctx context.Context, src Source, connector string, from, to time.Time) ([]*ticket, error) {
	entries, err := src.TimelineBetween(ctx, connector, from, to)
	if err != nil {
		return nil, fmt.Errorf("building the report: %w", err)
	}
	open, err := src.OpenTickets(ctx, connector)
	if err != nil {
		return nil, fmt.Errorf("building the report: %w", err)
	}
	seen := map[store.TicketKey]bool{}
	var keys []store.TicketKey
	for _, k := range open {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, e := range entries {
		k := store.TicketKey{Connector: e.Connector, TicketID: e.TicketID}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b store.TicketKey) int {
		if a.Connector != b.Connector {
			return compareStrings(a.Connector, b.Connector)
		}
		return compareStrings(a.TicketID, b.TicketID)
	})
	out := make([]*ticket, 0, len(keys))
	for _, k := range keys {
		tl, err := src.Timeline(ctx, k.Connector, k.TicketID)
		if err != nil {
			return nil, fmt.Errorf("building the report: %w", err)
		}
		recs, err := src.Records(ctx, store.Filter{Connector: k.Connector, TicketID: k.TicketID, Limit: maxRecords})
		if err != nil {
			return nil, fmt.Errorf("building the report: %w", err)
		}
		t := &ticket{key: k, timeline: tl}
		for i := len(recs) - 1; i >= 0; i-- { // oldest first
			r := recs[i]
			if len(r.Detail) == 0 {
				continue
			}
			var d pipeline.Detail[enrich.Explanation]
			if err := json.Unmarshal(r.Detail, &d); err != nil {
				return nil, fmt.Errorf("building the report: reading record %s: %w", r.EventKey, err)
			}
			if d.Decision == nil {
				continue
			}
			t.decisions = append(t.decisions, decision{exp: *d.Decision, category: r.Category, requester: r.Requester})
		}
		out = append(out, t)
	}
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
