package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/store"
)

// TimelineBetween implements store.TimelineRange.
func (s *Store) TimelineBetween(ctx context.Context, connector string, from, to time.Time) ([]store.TimelineEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, key, kind, at, value, previous, actor, event_key, seq
		FROM heard_timeline WHERE (? = '' OR connector = ?) AND at >= ? AND at < ?
		ORDER BY at, connector, ticket_id, seq`, connector, connector, from.UnixNano(), to.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("reading the timeline from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	defer rows.Close()
	out := []store.TimelineEntry{}
	for rows.Next() {
		var e store.TimelineEntry
		var at int64
		if err := rows.Scan(&e.Connector, &e.TicketID, &e.Key, &e.Kind, &at, &e.Value, &e.Previous, &e.Actor, &e.EventKey, &e.Seq); err != nil {
			return nil, fmt.Errorf("reading the timeline from %s: %w", from.Format(time.RFC3339), err)
		}
		e.At = time.Unix(0, at).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the timeline from %s: %w", from.Format(time.RFC3339), err)
	}
	return out, nil
}
