package store

import (
	"context"
	"time"
)

// WriteBackError is the text the pipeline's write-back failures carry
// ("writing back to ticket <ref>: ..."); WriteFailures counts the queue's
// job errors that contain it.
const WriteBackError = "writing back to ticket"

// WriteFailures is one connector's failed write-backs in a window, from
// the queue's job errors.
type WriteFailures struct {
	Connector string `json:"connector"`
	Attempts  int64  `json:"attempts"` // failed write-back attempts (retried or not)
	Dead      int64  `json:"dead"`     // jobs dead-lettered after a failed write-back
}

// ConsoleSession is one signed-in console user. The session token itself
// is never stored: Hash is its SHA-256, hex.
type ConsoleSession struct {
	Hash    string    `json:"-"`
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Console is what the admin console keeps in, and aggregates from, the
// store.
type Console interface {
	// WriteFailures counts failed write-backs per connector among the event
	// jobs created at or after since, connectors sorted by name; connectors
	// without failures are left out.
	WriteFailures(ctx context.Context, since time.Time) ([]WriteFailures, error)
	// SummarizeRecords counts, per connector, what the records selected
	// by f did (events, write-backs, auto-replies, stage errors, gate
	// holds), aggregating in the database.
	SummarizeRecords(ctx context.Context, f SummaryFilter) (RecordSummary, error)
	// SaveSession stores a session, replacing one with the same Hash.
	SaveSession(ctx context.Context, s ConsoleSession) error
	// Session returns the session with hash unless it expired by now; a
	// missing or expired one wraps sdk.ErrNotFound.
	Session(ctx context.Context, hash string, now time.Time) (ConsoleSession, error)
	// DeleteSession removes a session (signing out); a missing one is not
	// an error.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteExpiredSessions removes the sessions expired by now and
	// returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// RecordStats are one connector's counts over the records a
// RecordSummary read, from their decision traces.
type RecordStats struct {
	Connector   string `json:"connector"`
	Events      int64  `json:"events"`
	Recent      int64  `json:"recent"`       // processed at or after RecentSince
	Written     int64  `json:"written"`      // records with a write-back
	AutoReplies int64  `json:"auto_replies"` // write-backs with a public reply
	Errors      int64  `json:"errors"`       // records with a stage error
	GateHolds   int64  `json:"gate_holds"`   // gate decisions neither written nor eligible
}

// SummaryFilter selects the records a RecordSummary reads: the newest
// Limit processed at or after Since.
type SummaryFilter struct {
	Since       time.Time
	RecentSince time.Time // RecordStats.Recent counts from here
	Limit       int       // 0 for DefaultLimit
}

// RecordSummary is the console overview's aggregate of recent records.
type RecordSummary struct {
	Connectors []RecordStats `json:"connectors"` // sorted by name
	Read       int64         `json:"read"`       // records read
	Oldest     time.Time     `json:"oldest"`     // the oldest record read; zero when none
}
