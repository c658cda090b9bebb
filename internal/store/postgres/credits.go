package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
)

var _ store.Credits = (*Store)(nil)

// CountTicket implements store.Credits in one READ COMMITTED transaction:
// the ticket's row is claimed first (a concurrent claim of the same ticket
// waits for the first to commit or roll back, then finds its row), and
// only a new ticket increments its bucket, whose row lock hands out the
// positions one at a time across connections and replicas. Each
// transaction locks one ticket row, then one bucket row, so two cannot
// deadlock.
func (s *Store) CountTicket(ctx context.Context, account, plan, period, ticketKey string) (int, bool, error) {
	if err := store.CheckCount(account, plan, period, ticketKey); err != nil {
		return 0, false, err
	}
	var used int
	var isNew bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		used, isNew = 0, false
		tag, err := tx.Exec(ctx, `INSERT INTO heard_credit_tickets (ticket_key, account, plan, period, position, counted_at)
			VALUES ($1, $2, $3, $4, 0, now()) ON CONFLICT (ticket_key) DO NOTHING`, ticketKey, account, plan, period)
		if err != nil {
			return fmt.Errorf("claiming the ticket: %w", err)
		}
		if tag.RowsAffected() == 0 {
			// Counted before, or by a transaction that committed while
			// this one waited: this statement's snapshot sees it.
			if err := tx.QueryRow(ctx, `SELECT position FROM heard_credit_tickets WHERE ticket_key = $1`, ticketKey).Scan(&used); err != nil {
				return fmt.Errorf("reading the ticket's position: %w", err)
			}
			return nil
		}
		if err := tx.QueryRow(ctx, `INSERT INTO heard_credit_usage (account, plan, period, used) VALUES ($1, $2, $3, 1)
			ON CONFLICT (account, plan, period) DO UPDATE SET used = heard_credit_usage.used + 1 RETURNING used`,
			account, plan, period).Scan(&used); err != nil {
			return fmt.Errorf("incrementing the credit: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE heard_credit_tickets SET position = $2 WHERE ticket_key = $1`, ticketKey, used); err != nil {
			return fmt.Errorf("recording the ticket's position: %w", err)
		}
		isNew = true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("counting ticket %s against %s's %s credit for %s: %w", ticketKey, account, plan, period, err)
	}
	return used, isNew, nil
}
