package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/store"
)

// AddAudit implements store.Audit.
func (s *Store) AddAudit(ctx context.Context, e store.AuditEntry) (int64, error) {
	if err := store.CheckAudit(e); err != nil {
		return 0, fmt.Errorf("adding audit entry: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO heard_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		e.At.UnixNano(), e.Actor, e.Action, e.Target, e.Detail)
	if err != nil {
		return 0, fmt.Errorf("adding audit entry: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("adding audit entry: %w", err)
	}
	return id, nil
}

// AuditLog implements store.Audit.
func (s *Store) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, target, detail FROM heard_audit
		WHERE (? = '' OR actor = ?) ORDER BY id DESC LIMIT ?`, f.Actor, f.Actor, f.LimitOrDefault())
	if err != nil {
		return nil, fmt.Errorf("listing audit log: %w", err)
	}
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		var e store.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("listing audit log: %w", err)
		}
		e.At = time.Unix(0, at).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing audit log: %w", err)
	}
	return out, nil
}
