package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/store"
)

// AddTimeline implements store.Timeline: one transaction, each entry
// inserted unless its key is stored.
func (s *Store) AddTimeline(ctx context.Context, entries ...store.TimelineEntry) ([]store.TimelineEntry, error) {
	for _, e := range entries {
		if err := store.CheckTimelineEntry(e); err != nil {
			return nil, fmt.Errorf("adding to timeline: %w", err)
		}
	}
	if len(entries) == 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("adding to timeline: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var added []store.TimelineEntry
	for _, e := range entries {
		e.At = e.At.UTC().Truncate(time.Microsecond)
		var seq int64
		err := tx.QueryRowContext(ctx, `INSERT INTO heard_timeline (connector, ticket_id, key, kind, at, value, previous, actor, event_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (connector, ticket_id, key) DO NOTHING RETURNING seq`,
			e.Connector, e.TicketID, e.Key, e.Kind, e.At.UnixNano(), e.Value, e.Previous, e.Actor, e.EventKey).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("adding %s to the timeline of %s/%s: %w", e.Key, e.Connector, e.TicketID, err)
		}
		e.Seq = seq
		added = append(added, e)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("adding to timeline: %w", err)
	}
	return added, nil
}

// Timeline implements store.Timeline.
func (s *Store) Timeline(ctx context.Context, connector, ticketID string) ([]store.TimelineEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, key, kind, at, value, previous, actor, event_key, seq
		FROM heard_timeline WHERE connector = ? AND ticket_id = ? ORDER BY at, seq`, connector, ticketID)
	if err != nil {
		return nil, fmt.Errorf("reading the timeline of %s/%s: %w", connector, ticketID, err)
	}
	defer rows.Close()
	out := []store.TimelineEntry{}
	for rows.Next() {
		var e store.TimelineEntry
		var at int64
		if err := rows.Scan(&e.Connector, &e.TicketID, &e.Key, &e.Kind, &at, &e.Value, &e.Previous, &e.Actor, &e.EventKey, &e.Seq); err != nil {
			return nil, fmt.Errorf("reading the timeline of %s/%s: %w", connector, ticketID, err)
		}
		e.At = time.Unix(0, at).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the timeline of %s/%s: %w", connector, ticketID, err)
	}
	return out, nil
}

// OpenTickets implements store.Timeline.
func (s *Store) OpenTickets(ctx context.Context, connector string) ([]store.TicketKey, error) {
	kinds, err := json.Marshal(store.TimelineStateKinds)
	if err != nil {
		return nil, fmt.Errorf("listing open tickets: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id FROM (
			SELECT connector, ticket_id, value,
				row_number() OVER (PARTITION BY connector, ticket_id ORDER BY at DESC, seq DESC) AS n
			FROM heard_timeline WHERE (? = '' OR connector = ?) AND kind IN (SELECT value FROM json_each(?))
		) WHERE n = 1 AND value NOT IN ('solved', 'closed') ORDER BY connector, ticket_id`, connector, connector, string(kinds))
	if err != nil {
		return nil, fmt.Errorf("listing open tickets: %w", err)
	}
	defer rows.Close()
	var out []store.TicketKey
	for rows.Next() {
		var k store.TicketKey
		if err := rows.Scan(&k.Connector, &k.TicketID); err != nil {
			return nil, fmt.Errorf("listing open tickets: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing open tickets: %w", err)
	}
	return out, nil
}
