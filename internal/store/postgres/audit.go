package postgres

import (
	"context"
	"fmt"

	"github.com/heardhq/heard/internal/store"
)

// AddAudit implements store.Audit.
func (s *Store) AddAudit(ctx context.Context, e store.AuditEntry) (int64, error) {
	if err := store.CheckAudit(e); err != nil {
		return 0, fmt.Errorf("adding audit entry: %w", err)
	}
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO heard_audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		e.At.UTC(), e.Actor, e.Action, e.Target, e.Detail).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("adding audit entry: %w", err)
	}
	return id, nil
}

// AuditLog implements store.Audit.
func (s *Store) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, action, target, detail FROM heard_audit
		WHERE ($1 = '' OR actor = $1) ORDER BY id DESC LIMIT $2`, f.Actor, f.LimitOrDefault())
	if err != nil {
		return nil, fmt.Errorf("listing audit log: %w", err)
	}
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		var e store.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("listing audit log: %w", err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing audit log: %w", err)
	}
	return out, nil
}
