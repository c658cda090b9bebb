package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// decisionConds appends f's decision and time filters to where and args.
// The decision trace is jsonb, read in the database, so the filters hold
// over every record, not a page of them.
func decisionConds(f store.Filter, where []string, args []any) ([]string, []any) {
	add := func(cond string, val any) {
		args = append(args, val)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Mode != "" {
		add(`detail->>'mode' = $%d`, f.Mode)
	}
	if f.Priority != "" {
		// The expression of the index heard_records_priority (migration 14).
		add(`(detail->'decision'->>'priority') = $%d`, f.PriorityValue())
	}
	if f.Churn != "" {
		add(`lower(detail->'decision'->'churn'->>'level') = lower($%d)`, f.Churn)
	}
	if f.Tag != "" {
		add(`(lower(detail->'decision'->>'primary_tag') = lower($%[1]d)
			OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(detail->'decision'->'tags') = 'array'
				THEN detail->'decision'->'tags' ELSE '[]'::jsonb END) t WHERE lower(t) = lower($%[1]d)))`, f.Tag)
	}
	if !f.Since.IsZero() {
		add(`processed_at >= $%d`, f.Since)
	}
	if !f.Before.IsZero() {
		add(`processed_at < $%d`, f.Before)
	}
	return where, args
}

// WriteFailures implements store.Console. River keeps a job's errors as a
// jsonb array of {"at", "attempt", "error", ...}.
func (s *Store) WriteFailures(ctx context.Context, since time.Time) ([]store.WriteFailures, error) {
	rows, err := s.pool.Query(ctx, `SELECT coalesce(j.args->>'connector', '') AS c,
			count(*), count(DISTINCT j.id) FILTER (WHERE j.state IN ('discarded', 'cancelled'))
		FROM river_job j, unnest(j.errors) e
		WHERE j.kind = 'heard.event' AND j.errors IS NOT NULL AND j.created_at >= $1
			AND strpos(e->>'error', $2) > 0
		GROUP BY c ORDER BY c`, since, store.WriteBackError)
	if err != nil {
		return nil, fmt.Errorf("counting write-back failures: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.WriteFailures, error) {
		var w store.WriteFailures
		err := row.Scan(&w.Connector, &w.Attempts, &w.Dead)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("counting write-back failures: %w", err)
	}
	return out, nil
}

// SaveSession implements store.Console.
func (s *Store) SaveSession(ctx context.Context, x store.ConsoleSession) error {
	if x.Hash == "" || x.User == "" {
		return fmt.Errorf("saving console session: hash and user are required: %w", sdk.ErrInvalid)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO heard_console_sessions (hash, username, created_at, expires_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (hash) DO UPDATE SET username = excluded.username, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		x.Hash, x.User, x.Created, x.Expires)
	if err != nil {
		return fmt.Errorf("saving console session: %w", err)
	}
	return nil
}

// Session implements store.Console.
func (s *Store) Session(ctx context.Context, hash string, now time.Time) (store.ConsoleSession, error) {
	x := store.ConsoleSession{Hash: hash}
	err := s.pool.QueryRow(ctx, `SELECT username, created_at, expires_at FROM heard_console_sessions WHERE hash = $1 AND expires_at > $2`,
		hash, now).Scan(&x.User, &x.Created, &x.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, fmt.Errorf("console session: %w", sdk.ErrNotFound)
	}
	if err != nil {
		return x, fmt.Errorf("reading console session: %w", err)
	}
	x.Created, x.Expires = x.Created.UTC(), x.Expires.UTC()
	return x, nil
}

// DeleteSession implements store.Console.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM heard_console_sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("deleting console session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions implements store.Console.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM heard_console_sessions WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("deleting expired console sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// SummarizeRecords implements store.Console.
func (s *Store) SummarizeRecords(ctx context.Context, f store.SummaryFilter) (store.RecordSummary, error) {
	var out store.RecordSummary
	limit := cmp.Or(max(f.Limit, 0), store.DefaultLimit)
	const recent = `WITH recent AS (SELECT connector, detail, processed_at FROM heard_records
		WHERE processed_at >= $1 ORDER BY processed_at DESC, event_key LIMIT $2) `
	var oldest *time.Time
	if err := s.pool.QueryRow(ctx, recent+`SELECT count(*), min(processed_at) FROM recent`, f.Since, limit).Scan(&out.Read, &oldest); err != nil {
		return out, fmt.Errorf("summarizing records: %w", err)
	}
	if oldest != nil {
		out.Oldest = oldest.UTC()
	}
	rows, err := s.pool.Query(ctx, recent+`SELECT connector, count(*),
			count(*) FILTER (WHERE processed_at >= $3),
			count(*) FILTER (WHERE jsonb_typeof(detail->'written') = 'object'),
			count(*) FILTER (WHERE coalesce(detail->'written'->>'public_reply', '') <> ''),
			count(*) FILTER (WHERE jsonb_typeof(detail->'errors') = 'object' AND detail->'errors' <> '{}'::jsonb),
			coalesce(sum((SELECT count(*) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(detail->'decision'->'gate') = 'array'
				THEN detail->'decision'->'gate' ELSE '[]'::jsonb END) g
				WHERE NOT coalesce((g->>'written')::boolean, false) AND NOT coalesce((g->>'would_write')::boolean, false))), 0)
		FROM recent GROUP BY connector ORDER BY connector`, f.Since, limit, f.RecentSince)
	if err != nil {
		return out, fmt.Errorf("summarizing records: %w", err)
	}
	out.Connectors, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.RecordStats, error) {
		var c store.RecordStats
		err := row.Scan(&c.Connector, &c.Events, &c.Recent, &c.Written, &c.AutoReplies, &c.Errors, &c.GateHolds)
		return c, err
	})
	if err != nil {
		return out, fmt.Errorf("summarizing records: %w", err)
	}
	return out, nil
}
