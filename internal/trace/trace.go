package trace

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// MaxEvents is how many of a ticket's newest records a trace reads.
const MaxEvents = 1000

// Event is one event heard recorded for a ticket, with its decision.
type Event struct {
	EventKey    string                               `json:"event_key"`
	Kind        string                               `json:"kind"`
	Status      string                               `json:"status"`
	Attempt     int                                  `json:"attempt"`
	ProcessedAt time.Time                            `json:"processed_at"`
	Detail      *pipeline.Detail[enrich.Explanation] `json:"detail,omitempty"`
}

// Records is the part of the store a trace reads.
type Records interface {
	Records(ctx context.Context, f store.Filter) ([]store.Record, error)
}

// Load returns the trace of ticket on connector, oldest event first. A
// ticket heard recorded nothing for is an error wrapping sdk.ErrNotFound.
func Load(ctx context.Context, st Records, connector, ticket string) ([]Event, error) {
	recs, err := st.Records(ctx, store.Filter{Connector: connector, TicketID: ticket, Limit: MaxEvents})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("heard has recorded nothing for ticket %s on connector %q: %w", ticket, connector, sdk.ErrNotFound)
	}
	slices.Reverse(recs) // oldest first
	events := make([]Event, 0, len(recs))
	for _, r := range recs {
		ev, err := FromRecord(r)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

// FromRecord decodes one record into a trace event.
func FromRecord(r store.Record) (Event, error) {
	ev := Event{EventKey: r.EventKey, Kind: string(r.Kind), Status: r.Status, Attempt: r.Attempt, ProcessedAt: r.ProcessedAt}
	if len(r.Detail) > 0 {
		var d pipeline.Detail[enrich.Explanation]
		if err := json.Unmarshal(r.Detail, &d); err != nil {
			return Event{}, fmt.Errorf("reading record %s: %w", r.EventKey, err)
		}
		ev.Detail = &d
	}
	return ev, nil
}
