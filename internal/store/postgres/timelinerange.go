package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
)

// TimelineBetween implements store.TimelineRange.
func (s *Store) TimelineBetween(ctx context.Context, connector string, from, to time.Time) ([]store.TimelineEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT connector, ticket_id, key, kind, at, value, previous, actor, event_key, seq
		FROM heard_timeline WHERE ($1 = '' OR connector = $1) AND at >= $2 AND at < $3
		ORDER BY at, connector, ticket_id, seq`, connector, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading the timeline from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.TimelineEntry, error) {
		var e store.TimelineEntry
		err := row.Scan(&e.Connector, &e.TicketID, &e.Key, &e.Kind, &e.At, &e.Value, &e.Previous, &e.Actor, &e.EventKey, &e.Seq)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the timeline from %s: %w", from.Format(time.RFC3339), err)
	}
	if out == nil {
		out = []store.TimelineEntry{}
	}
	return out, nil
}
