package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Alert is one alert condition found once in one period (see package
// internal/alerts). Key identifies it: the same condition in the same
// period has the same Key, and the store keeps the first.
type Alert struct {
	Key     string    `json:"key"`
	Rule    string    `json:"rule"`
	Subject string    `json:"subject"`
	Period  string    `json:"period"`
	Message string    `json:"message"`
	FiredAt time.Time `json:"fired_at"`
	// Deliveries are the alert's webhooks with what happened to each.
	Deliveries []AlertDelivery `json:"deliveries"`
}

// Delivered reports whether every delivery of a succeeded (true when it
// has none).
func (a Alert) Delivered() bool {
	for _, d := range a.Deliveries {
		if d.DeliveredAt.IsZero() {
			return false
		}
	}
	return true
}

// AlertDelivery is the state of one alert's delivery to one webhook.
type AlertDelivery struct {
	Webhook string `json:"webhook"`
	// Attempts counts the delivery runs claimed so far.
	Attempts int `json:"attempts"`
	// TriedAt is when the last run claimed it; zero before the first.
	TriedAt time.Time `json:"tried_at,omitzero"`
	// DeliveredAt is when the webhook accepted it; zero while pending.
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	// LastError is why the last run failed ("" when none did).
	LastError string `json:"last_error,omitempty"`
}

// AlertFilter selects alerts, newest first.
type AlertFilter struct {
	Since   time.Time // zero for all
	Pending bool      // only alerts with an undelivered delivery
	Limit   int       // 0 for DefaultLimit
}

// CreatedTicket is a ticket as its first ticket.created record saw it.
type CreatedTicket struct {
	Connector string    `json:"connector"`
	TicketID  string    `json:"ticket_id"`
	Requester string    `json:"requester"`
	At        time.Time `json:"at"`
}

// Alerts keeps fired alerts and their deliveries, and reads what the
// alert rules look at. Implementations are safe for concurrent use, also
// from several processes on one database.
type Alerts interface {
	// CreatedTickets returns the tickets whose earliest ticket.created
	// record with a requester was processed at or after since, one per
	// connector and ticket, ordered by At.
	CreatedTickets(ctx context.Context, since time.Time) ([]CreatedTicket, error)
	// AddAlert stores a with one pending delivery per webhook unless an
	// alert with its Key is stored; it reports whether it stored it. Of
	// concurrent adds of one key exactly one stores it.
	AddAlert(ctx context.Context, a Alert, webhooks []string) (bool, error)
	// ClaimAlertDelivery takes one pending delivery for a run: it counts
	// an attempt and sets TriedAt to now, unless the delivery is done or
	// another run claimed it less than lease ago. It reports whether this
	// caller got it.
	ClaimAlertDelivery(ctx context.Context, key, webhook string, now time.Time, lease time.Duration) (bool, error)
	// FinishAlertDelivery records a claimed delivery's outcome: delivered
	// at at when deliveryErr is "", else still pending with the error.
	FinishAlertDelivery(ctx context.Context, key, webhook string, at time.Time, deliveryErr string) error
	// ListAlerts lists alerts with their deliveries, newest first.
	ListAlerts(ctx context.Context, f AlertFilter) ([]Alert, error)
}

// CheckAlert reports the first problem with a, wrapping sdk.ErrInvalid:
// key, rule and subject are required, and FiredAt must be set.
func CheckAlert(a Alert) error {
	switch {
	case a.Key == "" || a.Rule == "" || a.Subject == "":
		return fmt.Errorf("alert %q: key, rule and subject are required: %w", a.Key, sdk.ErrInvalid)
	case a.FiredAt.IsZero():
		return fmt.Errorf("alert %s: fired time is zero: %w", a.Key, sdk.ErrInvalid)
	}
	return nil
}

// LimitOrDefault returns f.Limit or the default.
func (f AlertFilter) LimitOrDefault() int {
	if f.Limit <= 0 {
		return DefaultLimit
	}
	return f.Limit
}

// SortCreatedTickets orders tickets by At, then connector and ID, as
// Alerts.CreatedTickets returns them.
func SortCreatedTickets(ts []CreatedTicket) {
	slices.SortFunc(ts, func(a, b CreatedTicket) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if c := strings.Compare(a.Connector, b.Connector); c != 0 {
			return c
		}
		return strings.Compare(a.TicketID, b.TicketID)
	})
}
