package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/heardhq/heard/internal/groupcommit"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Store is the PostgreSQL implementation of store.Store.
type Store struct {
	pool    *pgxpool.Pool
	records *groupcommit.Committer[store.Record, bool]
}

var _ store.Store = (*Store)(nil)

// Open connects to url, checks the connection and migrates the schema.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can echo the URL with its password; keep it out.
		return nil, fmt.Errorf("parsing database_url: malformed PostgreSQL URL: %w", sdk.ErrInvalid)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	s := &Store{pool: pool}
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	s.records = groupcommit.New(groupcommit.Config[store.Record, bool]{
		Commit: s.saveRecords, Max: 64, What: "saving records", Isolate: groupcommit.RefusedData,
	})
	return s, nil
}

// Pool exposes the connection pool to packages that own their own tables
// in the same database (the knowledge base).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Driver returns "postgres".
func (s *Store) Driver() string { return "postgres" }

var migrations = []string{
	`CREATE EXTENSION IF NOT EXISTS vector;
	CREATE TABLE heard_records (
		event_key    text PRIMARY KEY,
		connector    text NOT NULL,
		kind         text NOT NULL,
		ticket_id    text NOT NULL,
		status       text NOT NULL,
		attempt      integer NOT NULL,
		detail       jsonb NOT NULL DEFAULT '{}',
		processed_at timestamptz NOT NULL
	);
	CREATE INDEX heard_records_connector_time ON heard_records (connector, processed_at);
	CREATE INDEX heard_records_time ON heard_records (processed_at);`,
	`CREATE TABLE heard_workers (
		client_id text PRIMARY KEY,
		seen_at   timestamptz NOT NULL
	);`,
	`ALTER TABLE heard_records ADD COLUMN category text NOT NULL DEFAULT '';
	ALTER TABLE heard_records ADD COLUMN requester text NOT NULL DEFAULT '';
	CREATE INDEX heard_records_category ON heard_records (connector, category, processed_at);`,
	`CREATE INDEX heard_records_ticket ON heard_records (connector, ticket_id, processed_at);
	CREATE TABLE heard_feedback (
		connector   text NOT NULL,
		ticket_id   text NOT NULL,
		field       text NOT NULL,
		predicted   text NOT NULL,
		confidence  double precision NOT NULL,
		final       text NOT NULL,
		agreed      boolean NOT NULL,
		recorded_at timestamptz NOT NULL,
		PRIMARY KEY (connector, ticket_id, field, predicted)
	);
	CREATE INDEX heard_feedback_time ON heard_feedback (connector, recorded_at);`,
	// 5: versioned models (see model.go).
	`CREATE TABLE heard_models (
		version     bigserial PRIMARY KEY,
		kind        text NOT NULL,
		created_at  timestamptz NOT NULL,
		meta        json NOT NULL,
		blob        bytea NOT NULL,
		status      text NOT NULL CHECK (status IN ('candidate', 'current', 'retired')),
		promoted_at timestamptz
	);
	CREATE INDEX heard_models_kind ON heard_models (kind, version);
	CREATE UNIQUE INDEX heard_models_one_current ON heard_models (kind) WHERE status = 'current';
	CREATE TABLE heard_model_promotions (
		seq         bigserial PRIMARY KEY,
		kind        text NOT NULL,
		version     bigint NOT NULL REFERENCES heard_models (version),
		promoted_at timestamptz NOT NULL
	);
	CREATE INDEX heard_model_promotions_kind ON heard_model_promotions (kind, seq);`,
	// 6: job leases: each replica's heartbeat names the jobs it is working.
	`ALTER TABLE heard_workers ADD COLUMN jobs bigint[] NOT NULL DEFAULT '{}';`,
	// 7: the latest record per connector, category and requester, kept with
	// each record, so "same issue from other customers" reads one row per
	// customer instead of every record of the window.
	`CREATE TABLE heard_requesters (
		connector text NOT NULL,
		category  text NOT NULL,
		requester text NOT NULL,
		last_at   timestamptz NOT NULL,
		PRIMARY KEY (connector, category, requester)
	);
	INSERT INTO heard_requesters (connector, category, requester, last_at)
		SELECT connector, category, requester, max(processed_at) FROM heard_records
		WHERE category <> '' AND requester <> '' GROUP BY connector, category, requester;`,
	// 8: heard_health: one row CheckWrite rewrites.
	`CREATE TABLE heard_health (
		id         integer PRIMARY KEY,
		checked_at timestamptz NOT NULL
	);`,
	// 9: support-plan credits (credits.go): tickets used per account, plan
	// and period, and each counted ticket once with its position.
	`CREATE TABLE heard_credit_usage (
		account text NOT NULL,
		plan    text NOT NULL,
		period  text NOT NULL,
		used    integer NOT NULL,
		PRIMARY KEY (account, plan, period)
	);
	CREATE TABLE heard_credit_tickets (
		ticket_key text PRIMARY KEY,
		account    text NOT NULL,
		plan       text NOT NULL,
		period     text NOT NULL,
		position   integer NOT NULL,
		counted_at timestamptz NOT NULL
	);`,
	// 10: ticket timelines (see timeline.go).
	`CREATE TABLE heard_timeline (
		connector text NOT NULL,
		ticket_id text NOT NULL,
		key       text NOT NULL,
		seq       bigserial NOT NULL,
		kind      text NOT NULL,
		at        timestamptz NOT NULL,
		value     text NOT NULL DEFAULT '',
		previous  text NOT NULL DEFAULT '',
		actor     text NOT NULL DEFAULT '',
		event_key text NOT NULL DEFAULT '',
		PRIMARY KEY (connector, ticket_id, key)
	);
	CREATE INDEX heard_timeline_state ON heard_timeline (connector, ticket_id, at, seq)
		WHERE kind IN ('created', 'waiting', 'resumed', 'solved', 'reopened', 'status');`,
	// 11: fired alerts and their webhook deliveries (alerts.go).
	`CREATE INDEX heard_timeline_at ON heard_timeline (at, seq);
	CREATE TABLE heard_alerts (
		key      text PRIMARY KEY,
		rule     text NOT NULL,
		subject  text NOT NULL,
		period   text NOT NULL,
		message  text NOT NULL,
		fired_at timestamptz NOT NULL
	);
	CREATE INDEX heard_alerts_fired ON heard_alerts (fired_at);
	CREATE TABLE heard_alert_deliveries (
		alert_key    text NOT NULL REFERENCES heard_alerts (key),
		webhook      text NOT NULL,
		attempts     integer NOT NULL DEFAULT 0,
		tried_at     timestamptz,
		delivered_at timestamptz,
		last_error   text NOT NULL DEFAULT '',
		PRIMARY KEY (alert_key, webhook)
	);`,
	// 12: the console's audit log (audit.go).
	`CREATE TABLE heard_audit (
		id     bigserial PRIMARY KEY,
		at     timestamptz NOT NULL,
		actor  text NOT NULL,
		action text NOT NULL,
		target text NOT NULL DEFAULT '',
		detail text NOT NULL DEFAULT ''
	);`,
	// 13: the console's sessions (console.go): the SHA-256 of each token,
	// never the token.
	`CREATE TABLE heard_console_sessions (
		hash       text PRIMARY KEY,
		username   text NOT NULL,
		created_at timestamptz NOT NULL,
		expires_at timestamptz NOT NULL
	);
	CREATE INDEX heard_console_sessions_expires ON heard_console_sessions (expires_at);`,
	// 14: the console's tickets list filtered by priority reads only the
	// matching records, newest first (see decisionConds).
	`CREATE INDEX heard_records_priority ON heard_records ((detail->'decision'->>'priority'), processed_at);`,
	// 15: CountSimilar reads the customers of a category seen since a
	// time from this index, instead of every customer the category ever
	// had.
	`CREATE INDEX heard_requesters_recent ON heard_requesters (connector, category, last_at) INCLUDE (requester);`,
	// 16: a record's trace (detail, some 10 KB of JSON, stored out of line
	// and compressed) is compressed with lz4, several times cheaper per
	// insert than the default pglz. Rows written before keep pglz; a
	// server built without lz4 keeps pglz.
	`DO $$ BEGIN
		EXECUTE 'ALTER TABLE heard_records ALTER COLUMN detail SET COMPRESSION lz4';
	EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
	END $$;`,
	// 17: CountSimilar reads heard_requesters_recent alone (an index-only
	// scan) only for pages the visibility map marks all-visible: vacuum
	// this small table after a few hundred new or changed rows, not after
	// a fifth of it.
	`ALTER TABLE heard_requesters SET (autovacuum_vacuum_threshold = 200, autovacuum_vacuum_scale_factor = 0.02,
		autovacuum_vacuum_insert_threshold = 200, autovacuum_vacuum_insert_scale_factor = 0.02);`,
}

// Pending connects to url and lists the migrations Open would apply,
// applying none: a dry run of migrate for heard's tables and the queue's.
// A database heard never migrated lists them all.
func Pending(ctx context.Context, url string) ([]store.Migration, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parsing database_url: malformed PostgreSQL URL: %w", sdk.ErrInvalid)
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	defer pool.Close()
	s := &Store{pool: pool}
	if err := s.Ping(ctx); err != nil {
		return nil, err
	}
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('heard_schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("listing pending migrations: %w", err)
	}
	applied := map[int]bool{}
	if exists {
		rows, err := pool.Query(ctx, `SELECT version FROM heard_schema_migrations`)
		if err != nil {
			return nil, fmt.Errorf("listing applied migrations: %w", err)
		}
		vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return nil, fmt.Errorf("listing applied migrations: %w", err)
		}
		for _, v := range vs {
			applied[v] = true
		}
	}
	var out []store.Migration
	for i := range migrations {
		if !applied[i+1] {
			out = append(out, store.Migration{Schema: store.SchemaHeard, Version: i + 1})
		}
	}
	queued, err := store.PendingQueueMigrations(ctx, riverpgxv5.New(pool))
	if err != nil {
		return nil, err
	}
	return append(out, queued...), nil
}

// migrationLock is the advisory lock key held while migrating ("heard").
const migrationLock = 0x6865617264

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("taking migration lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS heard_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("creating migrations table: %w", err)
	}
	for i, m := range migrations {
		v := i + 1
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM heard_schema_migrations WHERE version = $1`, v).Scan(&n); err != nil {
				return fmt.Errorf("checking: %w", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, m); err != nil {
				return fmt.Errorf("applying: %w", err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO heard_schema_migrations (version, applied_at) VALUES ($1, now())`, v)
			return err
		}); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return queue.Migrate(ctx, riverpgxv5.New(s.pool))
}

// SaveRecord implements store.Store. Records saved concurrently share
// one transaction sent as one batch (package groupcommit): one round trip
// and one commit serve every worker that finished meanwhile.
func (s *Store) SaveRecord(ctx context.Context, r store.Record) (bool, error) {
	return s.records.Submit(ctx, r)
}

// saveRecordsSQL inserts a batch of records ($1..$10: one array per
// column, distinct event keys, in lock order) in one statement and returns
// the keys of those that were new. For each requester of the new records it
// then raises heard_requesters.last_at to their newest time, in key order,
// but only when that is more than store.RequesterStep later than the
// stored time: rows a requester's repeated events would barely move are
// neither rewritten nor locked (the NOT EXISTS skips them before the
// upsert; its WHERE covers a row a concurrent batch inserted meanwhile).
var saveRecordsSQL = fmt.Sprintf(`WITH input AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::timestamptz[], $9::text[], $10::text[])
			WITH ORDINALITY AS t (event_key, connector, kind, ticket_id, status, attempt, detail, processed_at, category, requester, ord)
	), ins AS (
		INSERT INTO heard_records (event_key, connector, kind, ticket_id, status, attempt, detail, processed_at, category, requester)
		SELECT event_key, connector, kind, ticket_id, status, attempt, detail::jsonb, processed_at, category, requester FROM input ORDER BY ord
		ON CONFLICT (event_key) DO NOTHING RETURNING event_key
	), latest AS (
		SELECT i.connector, i.category, i.requester, max(i.processed_at) AS last_at
		FROM input i JOIN ins ON ins.event_key = i.event_key
		WHERE i.category <> '' AND i.requester <> ''
		GROUP BY i.connector, i.category, i.requester
	), req AS (
		INSERT INTO heard_requesters (connector, category, requester, last_at)
		SELECT l.connector, l.category, l.requester, l.last_at FROM latest l
		WHERE NOT EXISTS (SELECT 1 FROM heard_requesters h
			WHERE h.connector = l.connector AND h.category = l.category AND h.requester = l.requester
				AND h.last_at >= l.last_at - %[1]s)
		ORDER BY l.connector, l.category, l.requester
		ON CONFLICT (connector, category, requester) DO UPDATE SET last_at = EXCLUDED.last_at
			WHERE heard_requesters.last_at < EXCLUDED.last_at - %[1]s
	)
	SELECT event_key FROM ins`, fmt.Sprintf("interval '%d microseconds'", store.RequesterStep.Microseconds()))

// saveRecords writes records in one transaction, as one statement; each
// answer says whether that record was new (of records sharing a key, only
// the first can be). Rows are written in the order of the requester row
// they update, and requester rows in their key order, so two replicas'
// transactions take those locks in the same order and cannot deadlock on
// them.
func (s *Store) saveRecords(ctx context.Context, rs []store.Record) ([]bool, error) {
	order := make([]int, len(rs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := rs[a], rs[b]
		return cmp.Or(cmp.Compare(ra.Connector, rb.Connector), cmp.Compare(ra.Category, rb.Category),
			cmp.Compare(ra.Requester, rb.Requester), cmp.Compare(ra.EventKey, rb.EventKey))
	})
	n := len(rs)
	var (
		keys, conns, kinds, tickets, statuses = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		details, cats, reqs                   = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		attempts                              = make([]int32, 0, n)
		ats                                   = make([]time.Time, 0, n)
	)
	first := make(map[string]int, n) // event key → the record sent for it
	for _, i := range order {
		r := rs[i]
		if _, dup := first[r.EventKey]; dup {
			continue
		}
		first[r.EventKey] = i
		detail := r.Detail
		if len(detail) == 0 {
			detail = []byte("{}")
		}
		at := r.ProcessedAt
		if at.IsZero() {
			at = time.Now()
		}
		keys, conns, kinds, tickets, statuses = append(keys, r.EventKey), append(conns, r.Connector), append(kinds, string(r.Kind)), append(tickets, r.TicketID), append(statuses, r.Status)
		details, cats, reqs = append(details, string(detail)), append(cats, r.Category), append(reqs, r.Requester)
		attempts, ats = append(attempts, int32(min(r.Attempt, math.MaxInt32))), append(ats, at) //nolint:gosec // clamped to int32
	}
	out := make([]bool, len(rs))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		clear(out)
		rows, err := tx.Query(ctx, saveRecordsSQL, keys, conns, kinds, tickets, statuses, attempts, details, ats, cats, reqs)
		if err != nil {
			return err
		}
		var key string
		_, err = pgx.ForEachRow(rows, []any{&key}, func() error {
			if i, ok := first[key]; ok {
				out[i] = true
			}
			return nil
		})
		return err
	})
	if err != nil {
		if len(rs) == 1 {
			return nil, fmt.Errorf("saving record %s: %w", rs[0].EventKey, err)
		}
		return nil, fmt.Errorf("saving %d records: %w", len(rs), err)
	}
	return out, nil
}

const recordCols = `event_key, connector, kind, ticket_id, status, attempt, detail::text, processed_at, category, requester`

func scanRecord(row pgx.Row) (store.Record, error) {
	var r store.Record
	var kind, detail string
	if err := row.Scan(&r.EventKey, &r.Connector, &kind, &r.TicketID, &r.Status, &r.Attempt, &detail, &r.ProcessedAt, &r.Category, &r.Requester); err != nil {
		return r, err
	}
	r.Kind = sdk.EventKind(kind)
	r.Detail = []byte(detail)
	r.ProcessedAt = r.ProcessedAt.UTC()
	return r, nil
}

// Record implements store.Store.
func (s *Store) Record(ctx context.Context, key string) (store.Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, `SELECT `+recordCols+` FROM heard_records WHERE event_key = $1`, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("record %s: %w", key, sdk.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("reading record %s: %w", key, err)
	}
	return r, nil
}

// Records implements store.Store.
func (s *Store) Records(ctx context.Context, f store.Filter) ([]store.Record, error) {
	q := `SELECT ` + recordCols + ` FROM heard_records`
	args := []any{}
	var where []string
	if f.Connector != "" {
		args = append(args, f.Connector)
		where = append(where, fmt.Sprintf(`connector = $%d`, len(args)))
	}
	if f.TicketID != "" {
		args = append(args, f.TicketID)
		where = append(where, fmt.Sprintf(`ticket_id = $%d`, len(args)))
	}
	if f.Status != "" {
		args = append(args, f.Status)
		where = append(where, fmt.Sprintf(`status = $%d`, len(args)))
	}
	if f.Category != "" {
		args = append(args, f.Category)
		where = append(where, fmt.Sprintf(`category = $%d`, len(args)))
	}
	where, args = decisionConds(f, where, args)
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += fmt.Sprintf(` ORDER BY processed_at DESC, event_key LIMIT %d`, f.LimitOrDefault())
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing records: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Record, error) { return scanRecord(row) })
	if err != nil {
		return nil, fmt.Errorf("listing records: %w", err)
	}
	return out, nil
}

// CountSimilar implements store.Store.
func (s *Store) CountSimilar(ctx context.Context, connector, category, exclude string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM heard_requesters
		WHERE connector = $1 AND category = $2 AND requester <> $3 AND last_at >= $4`,
		connector, category, exclude, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting similar tickets: %w", err)
	}
	return n, nil
}

// LatestEnriched implements store.Store.
func (s *Store) LatestEnriched(ctx context.Context, connector, ticketID string) (store.Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, `SELECT `+recordCols+` FROM heard_records
		WHERE connector = $1 AND ticket_id = $2 AND status = 'enriched' ORDER BY processed_at DESC LIMIT 1`, connector, ticketID))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("enrichment of %s/%s: %w", connector, ticketID, sdk.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("reading enrichment of %s/%s: %w", connector, ticketID, err)
	}
	return r, nil
}

// SaveFeedback implements store.Store.
func (s *Store) SaveFeedback(ctx context.Context, rows []store.Feedback) error {
	batch := &pgx.Batch{}
	for _, f := range rows {
		batch.Queue(`INSERT INTO heard_feedback (connector, ticket_id, field, predicted, confidence, final, agreed, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (connector, ticket_id, field, predicted) DO UPDATE SET
				confidence = excluded.confidence, final = excluded.final, agreed = excluded.agreed, recorded_at = excluded.recorded_at`,
			f.Connector, f.TicketID, f.Field, f.Predicted, f.Confidence, f.Final, f.Agreed, f.At)
	}
	if err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, batch).Close() }); err != nil {
		return fmt.Errorf("saving feedback: %w", err)
	}
	return nil
}

// Feedback implements store.Store.
func (s *Store) Feedback(ctx context.Context, f store.FeedbackFilter) ([]store.Feedback, error) {
	q := `SELECT connector, ticket_id, field, predicted, confidence, final, agreed, recorded_at FROM heard_feedback WHERE recorded_at >= $1`
	args := []any{f.Since}
	if f.Connector != "" {
		q += ` AND connector = $2`
		args = append(args, f.Connector)
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY recorded_at, connector, ticket_id, field, predicted`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing feedback: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Feedback, error) {
		var fb store.Feedback
		err := row.Scan(&fb.Connector, &fb.TicketID, &fb.Field, &fb.Predicted, &fb.Confidence, &fb.Final, &fb.Agreed, &fb.At)
		fb.At = fb.At.UTC()
		return fb, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing feedback: %w", err)
	}
	return out, nil
}

// OldestQueued implements store.Store.
func (s *Store) OldestQueued(ctx context.Context) (time.Time, error) {
	var at *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT min(created_at) FROM river_job
		WHERE kind = 'heard.event' AND state IN ('available', 'scheduled', 'retryable', 'running')`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("reading the oldest queued job: %w", err)
	}
	if at == nil {
		return time.Time{}, nil
	}
	return at.UTC(), nil
}

// QueueCounts implements store.Store.
func (s *Store) QueueCounts(ctx context.Context) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT state::text, count(*) FROM river_job WHERE kind = 'heard.event' GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("counting queue jobs: %w", err)
	}
	out := map[string]int64{}
	var st string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&st, &n}, func() error { out[st] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("counting queue jobs: %w", err)
	}
	return out, nil
}

// Queue implements store.Store. Inserts from concurrent webhook requests
// are merged into up to two transactions at a time (measured best on two
// cores with make bench).
func (s *Store) Queue(cfg queue.Config, log *slog.Logger) (queue.Queue, error) {
	if cfg.Flushers <= 0 {
		cfg.Flushers = 2
	}
	cfg.Liveness = liveness{pool: s.pool}
	return queue.New(riverpgxv5.New(s.pool), cfg, log)
}

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("pinging PostgreSQL: %w", err)
	}
	return nil
}

// CheckWrite implements store.Store: it upserts heard_health's one row,
// which fails on a read-only database (default_transaction_read_only, a hot
// standby) or when the server cannot write.
func (s *Store) CheckWrite(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO heard_health (id, checked_at) VALUES (1, now())
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`); err != nil {
		return fmt.Errorf("probing a write to PostgreSQL: %w", err)
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.records.Close()
	s.pool.Close()
	return nil
}
