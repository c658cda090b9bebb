package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/heardhq/heard/internal/store"
)

var _ store.Credits = (*Store)(nil)

// CountTicket implements store.Credits in one immediate transaction: SQLite
// has one writer, so counts are serialised and every new ticket of a
// bucket gets the next position.
func (s *Store) CountTicket(ctx context.Context, account, plan, period, ticketKey string) (int, bool, error) {
	if err := store.CheckCount(account, plan, period, ticketKey); err != nil {
		return 0, false, err
	}
	used, isNew, err := s.countTicket(ctx, account, plan, period, ticketKey)
	if err != nil {
		return 0, false, fmt.Errorf("counting ticket %s against %s's %s credit for %s: %w", ticketKey, account, plan, period, err)
	}
	return used, isNew, nil
}

func (s *Store) countTicket(ctx context.Context, account, plan, period, ticketKey string) (int, bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("beginning: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var used int
	err = tx.QueryRowContext(ctx, `SELECT position FROM heard_credit_tickets WHERE ticket_key = ?`, ticketKey).Scan(&used)
	switch {
	case err == nil:
		return used, false, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, false, fmt.Errorf("reading the ticket's position: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO heard_credit_usage (account, plan, period, used) VALUES (?, ?, ?, 1)
		ON CONFLICT (account, plan, period) DO UPDATE SET used = heard_credit_usage.used + 1 RETURNING used`,
		account, plan, period).Scan(&used); err != nil {
		return 0, false, fmt.Errorf("incrementing the credit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO heard_credit_tickets (ticket_key, account, plan, period, position, counted_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ticketKey, account, plan, period, used, now()); err != nil {
		return 0, false, fmt.Errorf("recording the ticket: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("committing: %w", err)
	}
	return used, true, nil
}
