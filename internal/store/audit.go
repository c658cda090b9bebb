package store

import (
	"context"
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// AuditEntry is one change made through the admin console: who made it,
// when, what it changed and on what.
type AuditEntry struct {
	ID     int64     `json:"id"` // assigned by the store, increasing
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`  // the authenticated user
	Action string    `json:"action"` // e.g. "login", "threshold.set"
	Target string    `json:"target"` // what it acted on, e.g. "acme/priority"; "" for none
	Detail string    `json:"detail"` // the change, e.g. "0.80 → 0.70"; never ticket text
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Actor string // "" for all
	Limit int    // 0 for DefaultLimit
}

// LimitOrDefault returns f.Limit or the default.
func (f AuditFilter) LimitOrDefault() int {
	if f.Limit <= 0 {
		return DefaultLimit
	}
	return f.Limit
}

// Audit is the console's audit log: append-only.
type Audit interface {
	// AddAudit appends e and returns its ID; e.ID is ignored.
	AddAudit(ctx context.Context, e AuditEntry) (int64, error)
	// AuditLog lists entries, newest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// CheckAudit reports the first problem with e, wrapping sdk.ErrInvalid:
// actor and action are required, and At must be set.
func CheckAudit(e AuditEntry) error {
	switch {
	case e.Actor == "" || e.Action == "":
		return fmt.Errorf("audit entry: actor and action are required: %w", sdk.ErrInvalid)
	case e.At.IsZero():
		return fmt.Errorf("audit entry %s by %s: time is zero: %w", e.Action, e.Actor, sdk.ErrInvalid)
	}
	return nil
}
