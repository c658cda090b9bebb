package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// secondLayout formats Filter.Since and Before for comparison with
// processed_at (RFC 3339 text, UTC): with the zone and fraction left off,
// every time within that second or later sorts at or after it.
const secondLayout = "2006-01-02T15:04:05"

// decisionConds returns the SQL conditions (each starting with " AND ")
// and arguments for f's decision and time filters. The decision trace is
// JSON text; json_extract reads it in the database, so the filters hold
// over every record, not a page of them.
func decisionConds(f store.Filter) (string, []any) {
	var q string
	var args []any
	add := func(cond string, vals ...any) {
		q += ` AND ` + cond
		args = append(args, vals...)
	}
	if f.Mode != "" {
		add(`json_extract(detail, '$.mode') = ?`, f.Mode)
	}
	if f.Priority != "" {
		// The expression of the index heard_records_priority (migration 12).
		add(`json_extract(detail, '$.decision.priority') = ?`, f.PriorityValue())
	}
	if f.Churn != "" {
		add(`lower(json_extract(detail, '$.decision.churn.level')) = lower(?)`, f.Churn)
	}
	if f.Tag != "" {
		// The tags array is kept as heard wrote it (Go's encoding/json,
		// escapes included), so the tag is looked for as that encoder
		// writes it as a JSON string: whole tags only, quotes included.
		add(`(lower(json_extract(detail, '$.decision.primary_tag')) = lower(?)
			OR instr(lower(json_extract(detail, '$.decision.tags')), lower(?)) > 0)`, f.Tag, jsonString(f.Tag))
	}
	if !f.Since.IsZero() {
		add(`processed_at >= ?`, f.Since.UTC().Format(secondLayout))
	}
	if !f.Before.IsZero() {
		add(`processed_at < ?`, f.Before.UTC().Format(secondLayout))
	}
	return q, args
}

// riverLayout is how River's SQLite driver keeps times (UTC text).
const riverLayout = "2006-01-02 15:04:05"

// WriteFailures implements store.Console. River keeps a job's args and
// errors as JSONB blobs; each error is {"at", "attempt", "error", ...}.
func (s *Store) WriteFailures(ctx context.Context, since time.Time) ([]store.WriteFailures, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT json_extract(j.args, '$.connector') AS c,
			count(*), count(DISTINCT CASE WHEN j.state IN ('discarded', 'cancelled') THEN j.id END)
		FROM river_job j, json_each(j.errors) e
		WHERE j.kind = 'heard.event' AND j.errors IS NOT NULL AND j.created_at >= ?
			AND instr(json_extract(e.value, '$.error'), ?) > 0
		GROUP BY c ORDER BY c`, since.UTC().Format(riverLayout), store.WriteBackError)
	if err != nil {
		return nil, fmt.Errorf("counting write-back failures: %w", err)
	}
	defer rows.Close()
	var out []store.WriteFailures
	for rows.Next() {
		var w store.WriteFailures
		var c sql.NullString
		if err := rows.Scan(&c, &w.Attempts, &w.Dead); err != nil {
			return nil, fmt.Errorf("counting write-back failures: %w", err)
		}
		w.Connector = c.String
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting write-back failures: %w", err)
	}
	return out, nil
}

// SaveSession implements store.Console.
func (s *Store) SaveSession(ctx context.Context, x store.ConsoleSession) error {
	if x.Hash == "" || x.User == "" {
		return fmt.Errorf("saving console session: hash and user are required: %w", sdk.ErrInvalid)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO heard_console_sessions (hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (hash) DO UPDATE SET username = excluded.username, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		x.Hash, x.User, x.Created.UnixNano(), x.Expires.UnixNano())
	if err != nil {
		return fmt.Errorf("saving console session: %w", err)
	}
	return nil
}

// Session implements store.Console.
func (s *Store) Session(ctx context.Context, hash string, now time.Time) (store.ConsoleSession, error) {
	x := store.ConsoleSession{Hash: hash}
	var created, expires int64
	err := s.db.QueryRowContext(ctx, `SELECT username, created_at, expires_at FROM heard_console_sessions WHERE hash = ? AND expires_at > ?`,
		hash, now.UnixNano()).Scan(&x.User, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return x, fmt.Errorf("console session: %w", sdk.ErrNotFound)
	}
	if err != nil {
		return x, fmt.Errorf("reading console session: %w", err)
	}
	x.Created, x.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return x, nil
}

// DeleteSession implements store.Console.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM heard_console_sessions WHERE hash = ?`, hash); err != nil {
		return fmt.Errorf("deleting console session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions implements store.Console.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM heard_console_sessions WHERE expires_at <= ?`, now.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("deleting expired console sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("deleting expired console sessions: %w", err)
	}
	return n, nil
}

// SummarizeRecords implements store.Console.
func (s *Store) SummarizeRecords(ctx context.Context, f store.SummaryFilter) (store.RecordSummary, error) {
	var out store.RecordSummary
	limit := cmp.Or(max(f.Limit, 0), store.DefaultLimit)
	since := f.Since.UTC().Format(secondLayout)
	// MATERIALIZED with jsonb: each trace is parsed once, not once per
	// count below.
	const recent = `WITH recent AS MATERIALIZED (SELECT connector, jsonb(detail) AS detail, processed_at FROM heard_records
		WHERE processed_at >= ? ORDER BY processed_at DESC, event_key LIMIT ?) `
	var oldest sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), min(processed_at) FROM (SELECT processed_at FROM heard_records
		WHERE processed_at >= ? ORDER BY processed_at DESC, event_key LIMIT ?)`, since, limit).Scan(&out.Read, &oldest); err != nil {
		return out, fmt.Errorf("summarizing records: %w", err)
	}
	if oldest.Valid {
		t, err := time.Parse(time.RFC3339Nano, oldest.String)
		if err != nil {
			return out, fmt.Errorf("summarizing records: %w", err)
		}
		out.Oldest = t
	}
	rows, err := s.db.QueryContext(ctx, recent+`SELECT connector, count(*),
			coalesce(sum(processed_at >= ?), 0),
			coalesce(sum(json_type(detail, '$.written') = 'object'), 0),
			coalesce(sum(coalesce(json_extract(detail, '$.written.public_reply'), '') != ''), 0),
			coalesce(sum(json_type(detail, '$.errors') = 'object' AND json_extract(detail, '$.errors') != '{}'), 0),
			coalesce(sum((SELECT count(*) FROM json_each(detail, '$.decision.gate') g
				WHERE NOT coalesce(json_extract(g.value, '$.written'), 0) AND NOT coalesce(json_extract(g.value, '$.would_write'), 0))), 0)
		FROM recent GROUP BY connector ORDER BY connector`, since, limit, f.RecentSince.UTC().Format(secondLayout))
	if err != nil {
		return out, fmt.Errorf("summarizing records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c store.RecordStats
		if err := rows.Scan(&c.Connector, &c.Events, &c.Recent, &c.Written, &c.AutoReplies, &c.Errors, &c.GateHolds); err != nil {
			return out, fmt.Errorf("summarizing records: %w", err)
		}
		out.Connectors = append(out.Connectors, c)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("summarizing records: %w", err)
	}
	return out, nil
}

// jsonString is s as encoding/json writes it inside a record's detail.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil { // a string always encodes
		return s
	}
	return string(b)
}
