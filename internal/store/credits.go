package store

import (
	"context"
	"fmt"

	"github.com/heardhq/heard/sdk"
)

// Credits counts tickets against support-plan credits (docs/policy.md,
// "Support plans and credits"). A bucket is one account's plan in one
// period; a ticket is counted at most once, in the bucket of its first
// count.
//
// Implementations are safe for concurrent use, also from several
// processes on one database (replicas): every new ticket of a bucket gets
// its own position, 1, 2, 3, … with no gap and no repeat, however many
// counts race.
type Credits interface {
	// CountTicket counts ticketKey (the connector and the vendor's ticket
	// ID, e.g. "zendesk-acme/4711") in the bucket of account, plan and
	// period, unless it was counted before. It returns the ticket's
	// position in its bucket — how many tickets the bucket had used once
	// this one was counted, this one included — and whether this call
	// counted it. A ticket counted before returns its first position and
	// false, whatever account, plan or period this call names, so a
	// redelivered event reports what the first delivery reported. All
	// four strings must be non-empty (sdk.ErrInvalid otherwise).
	CountTicket(ctx context.Context, account, plan, period, ticketKey string) (used int, isNew bool, err error)
}

// CheckCount validates CountTicket's arguments; the error wraps
// sdk.ErrInvalid.
func CheckCount(account, plan, period, ticketKey string) error {
	for _, a := range [...]struct{ name, v string }{{"account", account}, {"plan", plan}, {"period", period}, {"ticket key", ticketKey}} {
		if a.v == "" {
			return fmt.Errorf("counting ticket %q against a credit: %s is empty: %w", ticketKey, a.name, sdk.ErrInvalid)
		}
	}
	return nil
}
