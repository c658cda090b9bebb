package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

var _ store.Alerts = (*Store)(nil)

// CreatedTickets implements store.Alerts.
func (s *Store) CreatedTickets(ctx context.Context, since time.Time) ([]store.CreatedTicket, error) {
	rows, err := s.pool.Query(ctx, `SELECT connector, ticket_id, requester, processed_at FROM (
			SELECT DISTINCT ON (connector, ticket_id) connector, ticket_id, requester, processed_at FROM heard_records
			WHERE kind = $1 AND requester <> '' AND (connector, ticket_id) IN (
				SELECT connector, ticket_id FROM heard_records WHERE kind = $1 AND processed_at >= $2)
			ORDER BY connector, ticket_id, processed_at
		) first WHERE processed_at >= $2`, string(sdk.EventTicketCreated), since)
	if err != nil {
		return nil, fmt.Errorf("listing created tickets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.CreatedTicket, error) {
		var c store.CreatedTicket
		err := row.Scan(&c.Connector, &c.TicketID, &c.Requester, &c.At)
		c.At = c.At.UTC()
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing created tickets: %w", err)
	}
	if out == nil {
		out = []store.CreatedTicket{}
	}
	store.SortCreatedTickets(out)
	return out, nil
}

// AddAlert implements store.Alerts: the alert and its deliveries in one
// transaction; of concurrent adds of one key the primary key lets one
// insert and the others find it (ON CONFLICT DO NOTHING waits for the
// first to commit).
func (s *Store) AddAlert(ctx context.Context, a store.Alert, webhooks []string) (bool, error) {
	if err := store.CheckAlert(a); err != nil {
		return false, fmt.Errorf("adding alert: %w", err)
	}
	var added bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO heard_alerts (key, rule, subject, period, message, fired_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (key) DO NOTHING`, a.Key, a.Rule, a.Subject, a.Period, a.Message, a.FiredAt)
		if err != nil {
			return err
		}
		added = tag.RowsAffected() == 1
		if !added {
			return nil
		}
		for _, w := range webhooks {
			if _, err := tx.Exec(ctx, `INSERT INTO heard_alert_deliveries (alert_key, webhook) VALUES ($1, $2) ON CONFLICT DO NOTHING`, a.Key, w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("adding alert %s: %w", a.Key, err)
	}
	return added, nil
}

// ClaimAlertDelivery implements store.Alerts: one conditional UPDATE, so
// of concurrent claims the row lock lets one through.
func (s *Store) ClaimAlertDelivery(ctx context.Context, key, webhook string, now time.Time, lease time.Duration) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE heard_alert_deliveries SET attempts = attempts + 1, tried_at = $3
		WHERE alert_key = $1 AND webhook = $2 AND delivered_at IS NULL AND (tried_at IS NULL OR tried_at <= $4)`,
		key, webhook, now, now.Add(-lease))
	if err != nil {
		return false, fmt.Errorf("claiming delivery of alert %s to %s: %w", key, webhook, err)
	}
	return tag.RowsAffected() == 1, nil
}

// FinishAlertDelivery implements store.Alerts.
func (s *Store) FinishAlertDelivery(ctx context.Context, key, webhook string, at time.Time, deliveryErr string) error {
	var err error
	if deliveryErr == "" {
		_, err = s.pool.Exec(ctx, `UPDATE heard_alert_deliveries SET delivered_at = $3, last_error = '' WHERE alert_key = $1 AND webhook = $2`,
			key, webhook, at)
	} else {
		_, err = s.pool.Exec(ctx, `UPDATE heard_alert_deliveries SET last_error = $3 WHERE alert_key = $1 AND webhook = $2 AND delivered_at IS NULL`,
			key, webhook, deliveryErr)
	}
	if err != nil {
		return fmt.Errorf("recording delivery of alert %s to %s: %w", key, webhook, err)
	}
	return nil
}

// ListAlerts implements store.Alerts.
func (s *Store) ListAlerts(ctx context.Context, f store.AlertFilter) ([]store.Alert, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, rule, subject, period, message, fired_at FROM heard_alerts a
		WHERE ($1::timestamptz IS NULL OR fired_at >= $1)
		AND (NOT $2 OR EXISTS (SELECT 1 FROM heard_alert_deliveries d WHERE d.alert_key = a.key AND d.delivered_at IS NULL))
		ORDER BY fired_at DESC, key LIMIT $3`, nullTime(f.Since), f.Pending, f.LimitOrDefault())
	if err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Alert, error) {
		var a store.Alert
		err := row.Scan(&a.Key, &a.Rule, &a.Subject, &a.Period, &a.Message, &a.FiredAt)
		a.FiredAt = a.FiredAt.UTC()
		a.Deliveries = []store.AlertDelivery{}
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	if len(out) == 0 {
		return []store.Alert{}, nil
	}
	idx := make(map[string]int, len(out))
	keys := make([]string, 0, len(out))
	for i, a := range out {
		idx[a.Key] = i
		keys = append(keys, a.Key)
	}
	drows, err := s.pool.Query(ctx, `SELECT alert_key, webhook, attempts, tried_at, delivered_at, last_error FROM heard_alert_deliveries
		WHERE alert_key = ANY($1) ORDER BY alert_key, webhook`, keys)
	if err != nil {
		return nil, fmt.Errorf("listing alert deliveries: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var key string
		var d store.AlertDelivery
		var tried, delivered *time.Time
		if err := drows.Scan(&key, &d.Webhook, &d.Attempts, &tried, &delivered, &d.LastError); err != nil {
			return nil, fmt.Errorf("listing alert deliveries: %w", err)
		}
		if tried != nil {
			d.TriedAt = tried.UTC()
		}
		if delivered != nil {
			d.DeliveredAt = delivered.UTC()
		}
		out[idx[key]].Deliveries = append(out[idx[key]].Deliveries, d)
	}
	if err := drows.Err(); err != nil {
		return nil, fmt.Errorf("listing alert deliveries: %w", err)
	}
	return out, nil
}

// nullTime is nil for the zero time, so a query can test IS NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
