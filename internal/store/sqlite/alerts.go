package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// CreatedTickets implements store.Alerts. processed_at is RFC 3339 text
// whose fraction has a varying length, so the query narrows by the whole
// second before since and the exact cut is made here, on each ticket's
// earliest created record.
func (s *Store) CreatedTickets(ctx context.Context, since time.Time) ([]store.CreatedTicket, error) {
	created := string(sdk.EventTicketCreated)
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, requester, processed_at FROM heard_records
		WHERE kind = ? AND requester <> '' AND (connector, ticket_id) IN (
			SELECT connector, ticket_id FROM heard_records WHERE kind = ? AND processed_at >= ?)`,
		created, created, since.UTC().Truncate(time.Second).Add(-time.Second).Format("2006-01-02T15:04:05"))
	if err != nil {
		return nil, fmt.Errorf("listing created tickets: %w", err)
	}
	defer rows.Close()
	type ticket struct{ connector, id string }
	first := map[ticket]store.CreatedTicket{}
	for rows.Next() {
		var c store.CreatedTicket
		var at string
		if err := rows.Scan(&c.Connector, &c.TicketID, &c.Requester, &at); err != nil {
			return nil, fmt.Errorf("listing created tickets: %w", err)
		}
		if c.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("listing created tickets: parsing processed_at %q: %w", at, err)
		}
		k := ticket{c.Connector, c.TicketID}
		if f, ok := first[k]; !ok || c.At.Before(f.At) {
			first[k] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing created tickets: %w", err)
	}
	out := []store.CreatedTicket{}
	for _, c := range first {
		if !c.At.Before(since) {
			out = append(out, c)
		}
	}
	store.SortCreatedTickets(out)
	return out, nil
}

// AddAlert implements store.Alerts: the alert and its deliveries in one
// transaction; an alert whose key is stored changes nothing.
func (s *Store) AddAlert(ctx context.Context, a store.Alert, webhooks []string) (bool, error) {
	if err := store.CheckAlert(a); err != nil {
		return false, fmt.Errorf("adding alert: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("adding alert %s: %w", a.Key, err)
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `INSERT INTO heard_alerts (key, rule, subject, period, message, fired_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, a.Key, a.Rule, a.Subject, a.Period, a.Message, a.FiredAt.UnixNano())
	if err != nil {
		return false, fmt.Errorf("adding alert %s: %w", a.Key, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return false, fmt.Errorf("adding alert %s: %w", a.Key, err)
		}
		return false, nil
	}
	for _, w := range webhooks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO heard_alert_deliveries (alert_key, webhook) VALUES (?, ?) ON CONFLICT DO NOTHING`, a.Key, w); err != nil {
			return false, fmt.Errorf("adding alert %s: %w", a.Key, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("adding alert %s: %w", a.Key, err)
	}
	return true, nil
}

// ClaimAlertDelivery implements store.Alerts.
func (s *Store) ClaimAlertDelivery(ctx context.Context, key, webhook string, now time.Time, lease time.Duration) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE heard_alert_deliveries SET attempts = attempts + 1, tried_at = ?
		WHERE alert_key = ? AND webhook = ? AND delivered_at = 0 AND (tried_at = 0 OR tried_at <= ?)`,
		now.UnixNano(), key, webhook, now.Add(-lease).UnixNano())
	if err != nil {
		return false, fmt.Errorf("claiming delivery of alert %s to %s: %w", key, webhook, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claiming delivery of alert %s to %s: %w", key, webhook, err)
	}
	return n == 1, nil
}

// FinishAlertDelivery implements store.Alerts.
func (s *Store) FinishAlertDelivery(ctx context.Context, key, webhook string, at time.Time, deliveryErr string) error {
	var err error
	if deliveryErr == "" {
		_, err = s.db.ExecContext(ctx, `UPDATE heard_alert_deliveries SET delivered_at = ?, last_error = '' WHERE alert_key = ? AND webhook = ?`,
			at.UnixNano(), key, webhook)
	} else {
		_, err = s.db.ExecContext(ctx, `UPDATE heard_alert_deliveries SET last_error = ? WHERE alert_key = ? AND webhook = ? AND delivered_at = 0`,
			deliveryErr, key, webhook)
	}
	if err != nil {
		return fmt.Errorf("recording delivery of alert %s to %s: %w", key, webhook, err)
	}
	return nil
}

// ListAlerts implements store.Alerts.
func (s *Store) ListAlerts(ctx context.Context, f store.AlertFilter) ([]store.Alert, error) {
	q := `SELECT key, rule, subject, period, message, fired_at FROM heard_alerts a WHERE fired_at >= ?`
	var since int64
	if !f.Since.IsZero() {
		since = f.Since.UnixNano()
	}
	if f.Pending {
		q += ` AND EXISTS (SELECT 1 FROM heard_alert_deliveries d WHERE d.alert_key = a.key AND d.delivered_at = 0)`
	}
	q += ` ORDER BY fired_at DESC, key LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, since, f.LimitOrDefault())
	if err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	defer rows.Close()
	out := []store.Alert{}
	idx := map[string]int{}
	for rows.Next() {
		var a store.Alert
		var at int64
		if err := rows.Scan(&a.Key, &a.Rule, &a.Subject, &a.Period, &a.Message, &at); err != nil {
			return nil, fmt.Errorf("listing alerts: %w", err)
		}
		a.FiredAt = time.Unix(0, at).UTC()
		a.Deliveries = []store.AlertDelivery{}
		idx[a.Key] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	keys := make([]string, 0, len(out))
	for _, a := range out {
		keys = append(keys, a.Key)
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("listing alert deliveries: %w", err)
	}
	drows, err := s.db.QueryContext(ctx, `SELECT alert_key, webhook, attempts, tried_at, delivered_at, last_error FROM heard_alert_deliveries
		WHERE alert_key IN (SELECT value FROM json_each(?)) ORDER BY alert_key, webhook`, string(list))
	if err != nil {
		return nil, fmt.Errorf("listing alert deliveries: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var key string
		var d store.AlertDelivery
		var tried, delivered int64
		if err := drows.Scan(&key, &d.Webhook, &d.Attempts, &tried, &delivered, &d.LastError); err != nil {
			return nil, fmt.Errorf("listing alert deliveries: %w", err)
		}
		if tried != 0 {
			d.TriedAt = time.Unix(0, tried).UTC()
		}
		if delivered != 0 {
			d.DeliveredAt = time.Unix(0, delivered).UTC()
		}
		i := idx[key]
		out[i].Deliveries = append(out[i].Deliveries, d)
	}
	if err := drows.Err(); err != nil {
		return nil, fmt.Errorf("listing alert deliveries: %w", err)
	}
	return out, nil
}
