package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/heardhq/heard/internal/groupcommit"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/sqlitedb"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// FileName is the database file inside the data directory.
const FileName = "heard.db"

// Store is the SQLite implementation of store.Store.
type Store struct {
	db      *sql.DB
	path    string
	records *groupcommit.Committer[store.Record, bool]
	similar similar // heard_requesters in memory, for CountSimilar
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the store in dir and migrates it.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db := sqlitedb.Open("file:" + path + "?" + q.Encode())
	// SQLite has one writer; one connection avoids SQLITE_BUSY between
	// River's maintenance and our writes, and keeps order simple.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	s.records = groupcommit.New(groupcommit.Config[store.Record, bool]{
		Commit: s.saveRecords, Max: 64, What: "saving records",
		// A failed shared commit is retried record by record, unless the
		// database is gone or the time is up.
		Isolate: func(err error) bool {
			return !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, sql.ErrConnDone)
		},
	})
	return s, nil
}

// DB exposes the database to packages that own their own tables in the
// same file (the knowledge base). Its one connection is shared: keep
// transactions short.
func (s *Store) DB() *sql.DB { return s.db }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Driver returns "sqlite".
func (s *Store) Driver() string { return "sqlite" }

var migrations = []string{
	`CREATE TABLE heard_records (
		event_key    TEXT PRIMARY KEY,
		connector    TEXT NOT NULL,
		kind         TEXT NOT NULL,
		ticket_id    TEXT NOT NULL,
		status       TEXT NOT NULL,
		attempt      INTEGER NOT NULL,
		detail       TEXT NOT NULL DEFAULT '{}',
		processed_at TEXT NOT NULL
	);
	CREATE INDEX heard_records_connector_time ON heard_records (connector, processed_at);
	CREATE INDEX heard_records_time ON heard_records (processed_at);`,
	`ALTER TABLE heard_records ADD COLUMN category TEXT NOT NULL DEFAULT '';
	ALTER TABLE heard_records ADD COLUMN requester TEXT NOT NULL DEFAULT '';
	CREATE INDEX heard_records_category ON heard_records (connector, category, processed_at);`,
	`CREATE INDEX heard_records_ticket ON heard_records (connector, ticket_id, processed_at);
	CREATE TABLE heard_feedback (
		connector   TEXT NOT NULL,
		ticket_id   TEXT NOT NULL,
		field       TEXT NOT NULL,
		predicted   TEXT NOT NULL,
		confidence  REAL NOT NULL,
		final       TEXT NOT NULL,
		agreed      INTEGER NOT NULL,
		recorded_at TEXT NOT NULL,
		PRIMARY KEY (connector, ticket_id, field, predicted)
	);
	CREATE INDEX heard_feedback_time ON heard_feedback (connector, recorded_at);`,
	// 4: versioned models (see model.go).
	`CREATE TABLE heard_models (
		version     INTEGER PRIMARY KEY AUTOINCREMENT,
		kind        TEXT NOT NULL,
		created_at  TEXT NOT NULL,
		meta        TEXT NOT NULL,
		blob        BLOB NOT NULL,
		status      TEXT NOT NULL CHECK (status IN ('candidate', 'current', 'retired')),
		promoted_at TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX heard_models_kind ON heard_models (kind, version);
	CREATE UNIQUE INDEX heard_models_one_current ON heard_models (kind) WHERE status = 'current';
	CREATE TABLE heard_model_promotions (
		seq         INTEGER PRIMARY KEY AUTOINCREMENT,
		kind        TEXT NOT NULL,
		version     INTEGER NOT NULL REFERENCES heard_models (version),
		promoted_at TEXT NOT NULL
	);
	CREATE INDEX heard_model_promotions_kind ON heard_model_promotions (kind, seq);`,
	// 5: the latest record per connector, category and requester (unix
	// nanoseconds), kept with each record, so "same issue from other
	// customers" reads one row per customer instead of every record.
	`CREATE TABLE heard_requesters (
		connector TEXT NOT NULL,
		category  TEXT NOT NULL,
		requester TEXT NOT NULL,
		last_at   INTEGER NOT NULL,
		PRIMARY KEY (connector, category, requester)
	);
	INSERT INTO heard_requesters (connector, category, requester, last_at)
		SELECT connector, category, requester, max(CAST(strftime('%s', processed_at) AS INTEGER)) * 1000000000 + 999999999
		FROM heard_records WHERE category != '' AND requester != '' GROUP BY connector, category, requester;`,
	// 6: heard_health, the scratch row CheckWrite writes.
	`CREATE TABLE heard_health (
		id         INTEGER PRIMARY KEY,
		checked_at TEXT NOT NULL,
		pad        BLOB NOT NULL
	);`,
	// 7: support-plan credits (credits.go): tickets used per account, plan
	// and period, and each counted ticket once with its position.
	`CREATE TABLE heard_credit_usage (
		account TEXT NOT NULL,
		plan    TEXT NOT NULL,
		period  TEXT NOT NULL,
		used    INTEGER NOT NULL,
		PRIMARY KEY (account, plan, period)
	);
	CREATE TABLE heard_credit_tickets (
		ticket_key TEXT PRIMARY KEY,
		account    TEXT NOT NULL,
		plan       TEXT NOT NULL,
		period     TEXT NOT NULL,
		position   INTEGER NOT NULL,
		counted_at TEXT NOT NULL
	);`,
	// 8: ticket timelines (see timeline.go); at is unix nanoseconds, so it
	// sorts as a number.
	`CREATE TABLE heard_timeline (
		seq       INTEGER PRIMARY KEY AUTOINCREMENT,
		connector TEXT NOT NULL,
		ticket_id TEXT NOT NULL,
		key       TEXT NOT NULL,
		kind      TEXT NOT NULL,
		at        INTEGER NOT NULL,
		value     TEXT NOT NULL DEFAULT '',
		previous  TEXT NOT NULL DEFAULT '',
		actor     TEXT NOT NULL DEFAULT '',
		event_key TEXT NOT NULL DEFAULT '',
		UNIQUE (connector, ticket_id, key)
	);
	CREATE INDEX heard_timeline_ticket ON heard_timeline (connector, ticket_id, at, seq);`,
	// 9: fired alerts and their webhook deliveries (alerts.go); times are
	// unix nanoseconds, 0 for none.
	`CREATE INDEX heard_timeline_at ON heard_timeline (at, seq);
	CREATE TABLE heard_alerts (
		key      TEXT PRIMARY KEY,
		rule     TEXT NOT NULL,
		subject  TEXT NOT NULL,
		period   TEXT NOT NULL,
		message  TEXT NOT NULL,
		fired_at INTEGER NOT NULL
	);
	CREATE INDEX heard_alerts_fired ON heard_alerts (fired_at);
	CREATE TABLE heard_alert_deliveries (
		alert_key    TEXT NOT NULL REFERENCES heard_alerts (key),
		webhook      TEXT NOT NULL,
		attempts     INTEGER NOT NULL DEFAULT 0,
		tried_at     INTEGER NOT NULL DEFAULT 0,
		delivered_at INTEGER NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (alert_key, webhook)
	);`,
	// 10: the console's audit log (audit.go); at is unix nanoseconds.
	`CREATE TABLE heard_audit (
		id     INTEGER PRIMARY KEY AUTOINCREMENT,
		at     INTEGER NOT NULL,
		actor  TEXT NOT NULL,
		action TEXT NOT NULL,
		target TEXT NOT NULL DEFAULT '',
		detail TEXT NOT NULL DEFAULT ''
	);`,
	// 11: the console's sessions (console.go): the SHA-256 of each token,
	// never the token; times are unix nanoseconds.
	`CREATE TABLE heard_console_sessions (
		hash       TEXT PRIMARY KEY,
		username   TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX heard_console_sessions_expires ON heard_console_sessions (expires_at);`,
	// 12: the console's tickets list filtered by priority reads only the
	// matching records, newest first (see decisionConds).
	`CREATE INDEX heard_records_priority ON heard_records (json_extract(detail, '$.decision.priority'), processed_at);`,
	// 13: CountSimilar reads the customers of a category seen since a
	// time from this index alone, instead of every customer the category
	// ever had, each from the table.
	`CREATE INDEX heard_requesters_recent ON heard_requesters (connector, category, last_at, requester);`,
	// 14: the console's tickets list filtered by mode, churn level or tag
	// scans this index newest first and reads a record's row only when it
	// matches (the expressions are decisionConds'), instead of parsing
	// every record's trace.
	`CREATE INDEX heard_records_decision ON heard_records (processed_at, event_key,
		json_extract(detail, '$.mode'),
		lower(json_extract(detail, '$.decision.churn.level')),
		lower(json_extract(detail, '$.decision.primary_tag')),
		lower(json_extract(detail, '$.decision.tags')));`,
}

// Pending lists the migrations Open(ctx, dir) would apply, applying none:
// a dry run of migrate for heard's tables and the queue's. It opens the
// database read-only and creates nothing; a store not created yet lists
// every migration.
func Pending(ctx context.Context, dir string) ([]store.Migration, error) {
	path := filepath.Join(dir, FileName)
	dsn := "file::memory:" // nothing applied yet: a dry run on an empty database
	_, err := os.Stat(path)
	switch {
	case err == nil:
		q := url.Values{}
		q.Set("mode", "ro")
		q.Add("_pragma", "busy_timeout(10000)")
		dsn = "file:" + path + "?" + q.Encode()
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	db := sqlitedb.Open(dsn)
	defer db.Close()
	db.SetMaxOpenConns(1)
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'heard_schema_migrations'`).Scan(&n); err != nil {
		return nil, fmt.Errorf("reading the store %s: %w", path, err)
	}
	applied := map[int]bool{}
	if n > 0 {
		rows, err := db.QueryContext(ctx, `SELECT version FROM heard_schema_migrations`)
		if err != nil {
			return nil, fmt.Errorf("listing applied migrations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				return nil, fmt.Errorf("listing applied migrations: %w", err)
			}
			applied[v] = true
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("listing applied migrations: %w", err)
		}
	}
	var out []store.Migration
	for i := range migrations {
		if !applied[i+1] {
			out = append(out, store.Migration{Schema: store.SchemaHeard, Version: i + 1})
		}
	}
	queued, err := store.PendingQueueMigrations(ctx, riversqlite.New(db))
	if err != nil {
		return nil, err
	}
	return append(out, queued...), nil
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS heard_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating migrations table: %w", err)
	}
	for i, m := range migrations {
		v := i + 1
		if err := s.apply(ctx, v, m); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return queue.Migrate(ctx, riversqlite.New(s.db))
}

func (s *Store) apply(ctx context.Context, v int, stmt string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM heard_schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
		return fmt.Errorf("checking: %w", err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("applying: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO heard_schema_migrations (version, applied_at) VALUES (?, ?)`, v, now()); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	return tx.Commit()
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// SaveRecord implements store.Store. Records saved concurrently share
// one transaction (package groupcommit): under a burst, one commit, and
// so one fsync, serves every worker that finished meanwhile.
func (s *Store) SaveRecord(ctx context.Context, r store.Record) (bool, error) {
	return s.records.Submit(ctx, r)
}

// saveRecords writes records in one transaction; each answer says whether
// that record was new.
func (s *Store) saveRecords(ctx context.Context, rs []store.Record) ([]bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("saving records: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	out := make([]bool, len(rs))
	var changed []requesterRow
	for i, r := range rs {
		if out[i], err = saveRecord(ctx, tx, r, &changed); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("saving records: %w", err)
	}
	s.similar.changed(changed)
	return out, nil
}

const insertRecordSQL = `INSERT INTO heard_records (event_key, connector, kind, ticket_id, status, attempt, detail, processed_at, category, requester)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`

// upsertRequesterSQL keeps a requester's latest time in a category, for
// CountSimilar: it moves forward only when the new record is more than
// store.RequesterStep later (the last argument), so a customer's repeated
// events leave the row and its index entries alone.
// It returns the row's last_at when it wrote one and no row when it left
// the row as it was.
const upsertRequesterSQL = `INSERT INTO heard_requesters (connector, category, requester, last_at) VALUES (?, ?, ?, ?)
	ON CONFLICT (connector, category, requester) DO UPDATE SET last_at = excluded.last_at
	WHERE heard_requesters.last_at < excluded.last_at - ?
	RETURNING last_at`

// saveRecord inserts r in tx and appends the heard_requesters row it
// wrote, if any, to changed.
func saveRecord(ctx context.Context, tx *sql.Tx, r store.Record, changed *[]requesterRow) (bool, error) {
	detail := string(r.Detail)
	if detail == "" {
		detail = "{}"
	}
	at := r.ProcessedAt
	if at.IsZero() {
		at = time.Now()
	}
	res, err := tx.ExecContext(ctx, insertRecordSQL, r.EventKey, r.Connector, string(r.Kind), r.TicketID, r.Status, r.Attempt, detail, at.UTC().Format(time.RFC3339Nano), r.Category, r.Requester)
	if err != nil {
		return false, fmt.Errorf("saving record %s: %w", r.EventKey, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("saving record %s: %w", r.EventKey, err)
	}
	if n == 1 && r.Category != "" && r.Requester != "" {
		var last int64
		err := tx.QueryRowContext(ctx, upsertRequesterSQL, r.Connector, r.Category, r.Requester, at.UnixNano(), int64(store.RequesterStep)).Scan(&last)
		switch {
		case err == nil:
			*changed = append(*changed, requesterRow{connector: r.Connector, category: r.Category, requester: r.Requester, lastAt: last})
		case !errors.Is(err, sql.ErrNoRows): // no row: left as it was
			return false, fmt.Errorf("saving record %s: %w", r.EventKey, err)
		}
	}
	return n == 1, nil
}

const recordCols = `event_key, connector, kind, ticket_id, status, attempt, detail, processed_at, category, requester`

type scanner interface{ Scan(dest ...any) error }

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func scanRecord(sc scanner) (store.Record, error) {
	var r store.Record
	var kind, detail, at string
	if err := sc.Scan(&r.EventKey, &r.Connector, &kind, &r.TicketID, &r.Status, &r.Attempt, &detail, &at, &r.Category, &r.Requester); err != nil {
		return r, err
	}
	r.Kind = sdk.EventKind(kind)
	r.Detail = []byte(detail)
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return r, fmt.Errorf("parsing processed_at %q: %w", at, err)
	}
	r.ProcessedAt = t
	return r, nil
}

// Record implements store.Store.
func (s *Store) Record(ctx context.Context, key string) (store.Record, error) {
	r, err := scanRecord(s.db.QueryRowContext(ctx, `SELECT `+recordCols+` FROM heard_records WHERE event_key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("record %s: %w", key, sdk.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("reading record %s: %w", key, err)
	}
	return r, nil
}

// Records implements store.Store.
func (s *Store) Records(ctx context.Context, f store.Filter) ([]store.Record, error) {
	// Only the filters given become conditions: SQLite's planner cannot
	// use the (connector, ticket_id) index through "(? = '' OR col = ?)",
	// and one ticket's records would cost a scan of the whole table.
	q := `SELECT ` + recordCols + ` FROM heard_records`
	if f.TicketID == "" && f.Priority == "" && (f.Mode != "" || f.Churn != "" || f.Tag != "") {
		// The planner would walk heard_records_time and parse every
		// record's trace; this index holds the values the conditions test
		// (migration 14), so only matching rows are read.
		q += ` INDEXED BY heard_records_decision`
	}
	q += ` WHERE 1 = 1`
	var args []any
	for _, c := range []struct{ col, val string }{{"connector", f.Connector}, {"ticket_id", f.TicketID}, {"status", f.Status}, {"category", f.Category}} {
		if c.val != "" {
			q += ` AND ` + c.col + ` = ?` //nolint:gosec // c.col is one of the four constant column names above; values are bound
			args = append(args, c.val)
		}
	}
	cond, cargs := decisionConds(f)
	q += cond //nolint:gosec // decisionConds builds constant conditions; values are bound
	args = append(args, cargs...)
	q += ` ORDER BY processed_at DESC, event_key LIMIT ?`
	args = append(args, f.LimitOrDefault())
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing records: %w", err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("listing records: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing records: %w", err)
	}
	return out, nil
}

// CountSimilar implements store.Store.
func (s *Store) CountSimilar(ctx context.Context, connector, category, exclude string, since time.Time) (int, error) {
	k := similarKey{connector, category}
	return s.similar.count(ctx, k, exclude, since.UnixNano(), func(ctx context.Context, since int64) (map[string]int64, error) {
		return s.loadRequesters(ctx, k, since)
	})
}

// LatestEnriched implements store.Store.
func (s *Store) LatestEnriched(ctx context.Context, connector, ticketID string) (store.Record, error) {
	r, err := scanRecord(s.db.QueryRowContext(ctx, `SELECT `+recordCols+` FROM heard_records
		WHERE connector = ? AND ticket_id = ? AND status = 'enriched' ORDER BY processed_at DESC LIMIT 1`, connector, ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("enrichment of %s/%s: %w", connector, ticketID, sdk.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("reading enrichment of %s/%s: %w", connector, ticketID, err)
	}
	return r, nil
}

// SaveFeedback implements store.Store.
func (s *Store) SaveFeedback(ctx context.Context, rows []store.Feedback) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving feedback: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, f := range rows {
		_, err := tx.ExecContext(ctx, `INSERT INTO heard_feedback (connector, ticket_id, field, predicted, confidence, final, agreed, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (connector, ticket_id, field, predicted) DO UPDATE SET
				confidence = excluded.confidence, final = excluded.final, agreed = excluded.agreed, recorded_at = excluded.recorded_at`,
			f.Connector, f.TicketID, f.Field, f.Predicted, f.Confidence, f.Final, f.Agreed, f.At.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("saving feedback for %s/%s: %w", f.Connector, f.TicketID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving feedback: %w", err)
	}
	return nil
}

// Feedback implements store.Store.
func (s *Store) Feedback(ctx context.Context, f store.FeedbackFilter) ([]store.Feedback, error) {
	q := `SELECT connector, ticket_id, field, predicted, confidence, final, agreed, recorded_at FROM heard_feedback WHERE recorded_at >= ?`
	args := []any{f.Since.UTC().Format(time.RFC3339Nano)}
	if f.Connector != "" {
		q += ` AND connector = ?`
		args = append(args, f.Connector)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY recorded_at, connector, ticket_id, field, predicted`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing feedback: %w", err)
	}
	defer rows.Close()
	var out []store.Feedback
	for rows.Next() {
		var fb store.Feedback
		var at string
		if err := rows.Scan(&fb.Connector, &fb.TicketID, &fb.Field, &fb.Predicted, &fb.Confidence, &fb.Final, &fb.Agreed, &at); err != nil {
			return nil, fmt.Errorf("listing feedback: %w", err)
		}
		if fb.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("listing feedback: %w", err)
		}
		out = append(out, fb)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing feedback: %w", err)
	}
	return out, nil
}

// QueueCounts implements store.Store.
func (s *Store) QueueCounts(ctx context.Context) (map[string]int64, error) {
	return countStates(ctx, s.db)
}

// OldestQueued implements store.Store. River keeps created_at as UTC
// text ("2006-01-02 15:04:05.000").
func (s *Store) OldestQueued(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT min(created_at) FROM river_job
		WHERE kind = 'heard.event' AND state IN ('available', 'scheduled', 'retryable', 'running')`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("reading the oldest queued job: %w", err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, at.String, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("reading the oldest queued job: unexpected time %q", at.String)
}

func countStates(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT state, count(*) FROM river_job WHERE kind = 'heard.event' GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("counting queue jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("counting queue jobs: %w", err)
		}
		out[st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting queue jobs: %w", err)
	}
	return out, nil
}

// Queue implements store.Store. SQLite has no notifications, so idle
// workers poll; the default poll interval is lowered to 50ms.
func (s *Store) Queue(cfg queue.Config, log *slog.Logger) (queue.Queue, error) {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	cfg.Flushers = 1 // one writer
	cfg.Liveness = &liveness{db: s.db, dir: filepath.Dir(s.path)}
	return queue.New(riversqlite.New(s.db), cfg, log)
}

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("pinging %s: %w", s.path, err)
	}
	return nil
}

// probePad is the size of the row CheckWrite inserts: two pages of the
// default 4 KiB page size, so the write needs free pages, as new jobs do.
const probePad = 8 << 10

// CheckWrite implements store.Store: in one transaction it inserts a row
// padded to a few pages and deletes it again, which fails when the disk is
// full (SQLITE_FULL), the file is read-only or the database is otherwise
// unwritable.
func (s *Store) CheckWrite(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("probing a write to %s: %w", s.path, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `INSERT INTO heard_health (checked_at, pad) VALUES (?, zeroblob(?))`, now(), probePad); err != nil {
		return fmt.Errorf("probing a write to %s: %w", s.path, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM heard_health`); err != nil {
		return fmt.Errorf("probing a write to %s: %w", s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("probing a write to %s: %w", s.path, err)
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.records.Close()
	return s.db.Close()
}
