package postgres

import (
	"context"
	"errors"
	"fmt"

	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
)

// timelineLock is the first key of the transaction-scoped advisory lock
// AddTimeline takes per ticket ("tmln"); the second is the ticket's hash.
const timelineLock int32 = 0x746d6c6e

// AddTimeline implements store.Timeline: one transaction, each entry
// inserted unless its key is stored (ON CONFLICT DO NOTHING), so of
// concurrent adds of one key, also across replicas, exactly one stores it.
func (s *Store) AddTimeline(ctx context.Context, entries ...store.TimelineEntry) ([]store.TimelineEntry, error) {
	for _, e := range entries {
		if err := store.CheckTimelineEntry(e); err != nil {
			return nil, fmt.Errorf("adding to timeline: %w", err)
		}
	}
	if len(entries) == 0 {
		return nil, nil
	}
	tickets := make([]string, 0, 1)
	for _, e := range entries {
		tickets = append(tickets, e.Connector+"/"+e.TicketID)
	}
	slices.Sort(tickets)
	tickets = slices.Compact(tickets)
	var added []store.TimelineEntry
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		added = added[:0]
		// Entries keep their order (Seq), so their row locks cannot be
		// taken in a fixed order; a lock per ticket, taken in sorted
		// order, keeps concurrent adds from deadlocking.
		for _, k := range tickets {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, timelineLock, k); err != nil {
				return fmt.Errorf("locking the timeline of %s: %w", k, err)
			}
		}
		for _, e := range entries {
			e.At = e.At.UTC().Truncate(time.Microsecond)
			var seq int64
			err := tx.QueryRow(ctx, `INSERT INTO heard_timeline (connector, ticket_id, key, kind, at, value, previous, actor, event_key)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (connector, ticket_id, key) DO NOTHING RETURNING seq`,
				e.Connector, e.TicketID, e.Key, e.Kind, e.At, e.Value, e.Previous, e.Actor, e.EventKey).Scan(&seq)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("adding %s to the timeline of %s/%s: %w", e.Key, e.Connector, e.TicketID, err)
			}
			e.Seq = seq
			added = append(added, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return added, nil
}

// Timeline implements store.Timeline.
func (s *Store) Timeline(ctx context.Context, connector, ticketID string) ([]store.TimelineEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT connector, ticket_id, key, kind, at, value, previous, actor, event_key, seq
		FROM heard_timeline WHERE connector = $1 AND ticket_id = $2 ORDER BY at, seq`, connector, ticketID)
	if err != nil {
		return nil, fmt.Errorf("reading the timeline of %s/%s: %w", connector, ticketID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.TimelineEntry, error) {
		var e store.TimelineEntry
		err := row.Scan(&e.Connector, &e.TicketID, &e.Key, &e.Kind, &e.At, &e.Value, &e.Previous, &e.Actor, &e.EventKey, &e.Seq)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the timeline of %s/%s: %w", connector, ticketID, err)
	}
	if out == nil {
		out = []store.TimelineEntry{}
	}
	return out, nil
}

// OpenTickets implements store.Timeline.
func (s *Store) OpenTickets(ctx context.Context, connector string) ([]store.TicketKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT connector, ticket_id FROM (
			SELECT DISTINCT ON (connector, ticket_id) connector, ticket_id, value FROM heard_timeline
			WHERE kind = ANY($1) AND ($2 = '' OR connector = $2)
			ORDER BY connector, ticket_id, at DESC, seq DESC
		) latest WHERE value NOT IN ('solved', 'closed') ORDER BY connector, ticket_id`, store.TimelineStateKinds, connector)
	if err != nil {
		return nil, fmt.Errorf("listing open tickets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.TicketKey, error) {
		var k store.TicketKey
		return k, row.Scan(&k.Connector, &k.TicketID)
	})
	if err != nil {
		return nil, fmt.Errorf("listing open tickets: %w", err)
	}
	return out, nil
}
