package store

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
)

// Record is what heard did with one event: exactly one per event key.
// Later stages add their results to Detail.
type Record struct {
	EventKey    string          `json:"event_key"`
	Connector   string          `json:"connector"`
	Kind        sdk.EventKind   `json:"kind"`
	TicketID    string          `json:"ticket_id"`
	Status      string          `json:"status"`
	Category    string          `json:"category,omitempty"`  // the primary tag decided, for "same issue" counts
	Requester   string          `json:"requester,omitempty"` // the customer's vendor ID (or e-mail)
	Attempt     int             `json:"attempt"`             // the queue attempt that produced the record
	Detail      json.RawMessage `json:"detail,omitempty"`
	ProcessedAt time.Time       `json:"processed_at"`
}

// Feedback is one prediction compared with the value an agent finally
// set (from a later ticket.updated or ticket.solved event). There is one
// row per connector, ticket, field and predicted value; a later event
// replaces the final value.
type Feedback struct {
	Connector  string    `json:"connector"`
	TicketID   string    `json:"ticket_id"`
	Field      string    `json:"field"`
	Predicted  string    `json:"predicted"`
	Confidence float64   `json:"confidence"`
	Final      string    `json:"final"`
	Agreed     bool      `json:"agreed"`
	At         time.Time `json:"at"`
}

// FeedbackFilter selects feedback rows.
type FeedbackFilter struct {
	Connector string    // "" for all
	Since     time.Time // zero for all
}

// Filter selects records, newest first.
type Filter struct {
	Connector string // "" for all
	TicketID  string // "" for all; with Connector, one ticket's records
	Status    string // "" for all; e.g. "processed", "failed"
	Category  string // "" for all; the primary tag decided
	Limit     int    // 0 for the default of 100

	// The decision filters below select records by their decision trace
	// (Detail), in the database, over all records: a record without a
	// decision matches none of them.
	Mode     string // "" for all; the connector's mode when decided ("shadow", "live")
	Priority string // "" for all; the decided priority, P0..P3 (the value is normalised: "p1" is P1)
	Tag      string // "" for all; the primary tag or any tag decided, case-insensitive
	Churn    string // "" for all; the churn level decided, case-insensitive

	// Since and Before bound ProcessedAt: Since inclusive, Before
	// exclusive; zero for no bound. They are meant for whole seconds
	// (SQLite compares them at second precision).
	Since, Before time.Time
}

// Store is heard's database. Implementations are safe for concurrent use.
type Store interface {
	Credits
	Timeline
	TimelineRange
	Alerts
	Audit
	Console
	// Driver names the implementation: "sqlite" or "postgres".
	Driver() string
	// SaveRecord stores r unless a record with its EventKey exists; it
	// reports whether r was stored. The first record for a key wins.
	SaveRecord(ctx context.Context, r Record) (bool, error)
	// Record returns the record for key, or an error wrapping
	// sdk.ErrNotFound.
	Record(ctx context.Context, key string) (Record, error)
	// Records lists records, newest first.
	Records(ctx context.Context, f Filter) ([]Record, error)
	// CountSimilar counts distinct requesters other than exclude whose
	// tickets on connector were recorded with category since the time.
	// It never counts a requester without such a record in the window; a
	// requester's later records within RequesterStep of an earlier one may
	// go unseen (see RequesterStep), so one whose newest record is at or
	// after since+RequesterStep is always counted.
	CountSimilar(ctx context.Context, connector, category, exclude string, since time.Time) (int, error)
	// LatestEnriched returns the newest enriched record for a ticket, or an
	// error wrapping sdk.ErrNotFound.
	LatestEnriched(ctx context.Context, connector, ticketID string) (Record, error)
	// SaveFeedback upserts feedback rows.
	SaveFeedback(ctx context.Context, rows []Feedback) error
	// Feedback lists feedback rows.
	Feedback(ctx context.Context, f FeedbackFilter) ([]Feedback, error)
	// SaveModel stores m as a new candidate model of m.Kind and returns
	// its version, which the store assigns (increasing). m.Version and
	// m.PromotedAt are ignored; see CheckNewModel for the rules.
	SaveModel(ctx context.Context, m ModelVersion) (int64, error)
	// Models lists the models of kind, newest version first, without
	// their blobs (Size is set).
	Models(ctx context.Context, kind string) ([]ModelVersion, error)
	// Model returns one model with its blob, or an error wrapping
	// sdk.ErrNotFound when kind has no such version.
	Model(ctx context.Context, kind string, version int64) (ModelVersion, error)
	// CurrentModel returns kind's current model with its blob, or an error
	// wrapping sdk.ErrNotFound when none was promoted.
	CurrentModel(ctx context.Context, kind string) (ModelVersion, error)
	// CurrentModelVersion returns the version of kind's current model, 0
	// when there is none. It reads one small row: replicas poll it and
	// load CurrentModel when it changes.
	CurrentModelVersion(ctx context.Context, kind string) (int64, error)
	// PromoteModel makes version kind's current model, atomically: the
	// model it replaces is retired and remembered, so RollbackModel can
	// restore it. Concurrent promotions (also from other processes on the
	// same database) are serialised: exactly one model per kind is current
	// afterwards. Promoting the current model changes nothing. An unknown
	// version wraps sdk.ErrNotFound.
	PromoteModel(ctx context.Context, kind string, version int64) error
	// RollbackModel retires kind's current model and makes the model that
	// was current before it current again, returning its version. Each
	// call goes one promotion further back. With no earlier model it
	// changes nothing and returns an error wrapping ErrNoPreviousModel.
	RollbackModel(ctx context.Context, kind string) (int64, error)
	// QueueCounts returns the number of event jobs in each state
	// ("available", "running", "retryable", "completed", "discarded", ...).
	QueueCounts(ctx context.Context) (map[string]int64, error)
	// OldestQueued returns when the oldest event job not yet finished
	// (available, scheduled, retryable or running) was queued; the zero
	// time when there is none.
	OldestQueued(ctx context.Context) (time.Time, error)
	// Queue builds the durable job queue on this database.
	Queue(cfg queue.Config, log *slog.Logger) (queue.Queue, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// CheckWrite proves the database takes a write: it commits a tiny
	// write to its own table (on SQLite one that needs free pages), so a
	// full disk or a read-only database fails it while Ping succeeds. It
	// costs a commit: callers rate-limit it (readiness checks).
	CheckWrite(ctx context.Context) error
	// Close releases the database. Stop any Queue first.
	Close() error
}

// RequesterStep is the tolerance of CountSimilar: a store remembers a
// requester's latest record per connector and category, and moves that time
// forward only when a new record is more than RequesterStep later. Repeated
// events of one customer then no longer rewrite its row (and its index
// entries) each time. The stored time is always one of the requester's
// record times and at most RequesterStep older than the newest; with the
// default window of 24 hours this is one minute in 1,440.
const RequesterStep = time.Minute

// PriorityValue is the value f.Priority selects: a valid priority
// normalised (sdk.ParsePriority), else f.Priority as given.
func (f Filter) PriorityValue() string {
	if p, err := sdk.ParsePriority(f.Priority); err == nil {
		return string(p)
	}
	return f.Priority
}

// DefaultLimit is the page size when a Filter has none.
const DefaultLimit = 100

// LimitOrDefault returns f.Limit or the default.
func (f Filter) LimitOrDefault() int {
	if f.Limit <= 0 {
		return DefaultLimit
	}
	return f.Limit
}
