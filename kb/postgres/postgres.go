package postgres

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/terms"
	"github.com/heardhq/heard/sdk"
)

// Defaults for Options' zero fields.
const (
	DefaultEFSearch           = 200
	DefaultM                  = 16
	DefaultEFConstruction     = 64
	DefaultMaxConns           = 8
	DefaultMaintenanceWorkMem = "256MB"
)

// maxVectorDim is the most dimensions an HNSW index takes on the vector
// type; larger embeddings are stored as halfvec (up to 4000).
const (
	maxVectorDim  = 2000
	maxHalfvecDim = 4000
)

// Options tune the store.
type Options struct {
	// EFSearch is hnsw.ef_search for every search: the size of the
	// candidate list HNSW keeps; higher is more exact and slower. It is
	// raised to the number of candidates asked for when that is larger.
	// 0 means DefaultEFSearch, chosen for the offline embedder, whose
	// hashed vectors are harder for HNSW than a neural model's (measured
	// with bench/kb at 100k chunks, M 16, EFConstruction 64: recall@10
	// 0.91 at 100, 0.96 at 200); 100 is usually enough with a neural
	// embedding model.
	EFSearch int
	// M and EFConstruction build the HNSW index (see pgvector). 0 means
	// DefaultM and DefaultEFConstruction. A larger graph finds as much
	// with a smaller EFSearch, at a cost in build time (bench/kb, 100k
	// chunks: M 24, EFConstruction 128 reaches recall@10 0.96 at
	// EFSearch 100, searching about a fifth faster, but builds three
	// times slower).
	M, EFConstruction int
	// MaxConns caps the store's own connection pool. 0 means
	// DefaultMaxConns. More concurrent searches than the server has cores
	// only queue inside PostgreSQL, where they slow each other down: on a
	// server of few cores, a pool of about its core count gives lower
	// tail latencies at the same load (measured with bench/kb). A hybrid
	// search uses two connections at once, one per candidate list.
	MaxConns int32
	// MaintenanceWorkMem is used while building the HNSW index. "" means
	// DefaultMaintenanceWorkMem.
	MaintenanceWorkMem string
	// DeferIndex leaves the HNSW index to a later BuildIndex call, for
	// bulk loads (building it once after loading is much faster than
	// growing it row by row).
	DeferIndex bool
	// Temporary puts the tables in a new schema of their own that Close
	// drops, for `heard kb eval` and benchmarks.
	Temporary bool
}

func (o Options) withDefaults() Options {
	if o.EFSearch == 0 {
		o.EFSearch = DefaultEFSearch
	}
	if o.M == 0 {
		o.M = DefaultM
	}
	if o.EFConstruction == 0 {
		o.EFConstruction = DefaultEFConstruction
	}
	if o.MaxConns == 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.MaintenanceWorkMem == "" {
		o.MaintenanceWorkMem = DefaultMaintenanceWorkMem
	}
	return o
}

var memRE = regexp.MustCompile(`^[0-9]{1,7}(kB|MB|GB)$`)

func (o Options) validate() error {
	var errs []error
	if o.EFSearch < 1 || o.EFSearch > 1000 {
		errs = append(errs, fmt.Errorf("ef_search %d: want 1 to 1000", o.EFSearch))
	}
	if o.M < 2 || o.M > 100 {
		errs = append(errs, fmt.Errorf("m %d: want 2 to 100", o.M))
	}
	if o.EFConstruction < 4 || o.EFConstruction > 1000 || o.EFConstruction < 2*o.M {
		errs = append(errs, fmt.Errorf("ef_construction %d: want 4 to 1000 and at least 2·m", o.EFConstruction))
	}
	if o.MaxConns < 1 {
		errs = append(errs, fmt.Errorf("max_conns %d: want at least 1", o.MaxConns))
	}
	if !memRE.MatchString(o.MaintenanceWorkMem) {
		errs = append(errs, fmt.Errorf("maintenance_work_mem %q: want a size such as 256MB", o.MaintenanceWorkMem))
	}
	if len(errs) > 0 {
		return fmt.Errorf("knowledge base postgres options: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// Store is the PostgreSQL knowledge base store. It is safe for concurrent
// use.
type Store struct {
	pool   *pgxpool.Pool
	opts   Options
	schema string // Temporary's schema, dropped by Close
	terms  termCache
}

var _ kb.BatchStore = (*Store)(nil)

// lockKey is the advisory lock held while migrating or changing the
// vector column ("heardkb").
const lockKey = 0x6865617264_6b62

// Open connects to url with a pool of its own (the pgvector types are
// registered on every connection), creates the vector extension if needed
// and migrates the knowledge-base tables.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can echo the URL with its password; keep it out.
		return nil, fmt.Errorf("knowledge base: malformed PostgreSQL URL: %w", sdk.ErrInvalid)
	}
	cfg.MaxConns = opts.MaxConns
	s := &Store{opts: opts}
	if opts.Temporary {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		s.schema = "kb_tmp_" + hex.EncodeToString(b)
		cfg.ConnConfig.RuntimeParams["search_path"] = s.schema + ",public"
	}
	if err := s.migrate(ctx, cfg.ConnConfig); err != nil {
		return nil, err
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if err := pgxvec.RegisterTypes(ctx, c); err != nil {
			return fmt.Errorf("registering pgvector types: %w", err)
		}
		// The session's ef_search, so that a plain search is one
		// statement. No parallel workers: searches take milliseconds,
		// which starting workers would only add to, and the text list
		// reads its matches in order (see textQuery).
		if _, err := c.Exec(ctx, fmt.Sprintf(`SET hnsw.ef_search = %d; SET max_parallel_workers_per_gather = 0`, opts.EFSearch)); err != nil {
			return fmt.Errorf("configuring the session: %w", err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("knowledge base: connecting to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	s.pool = pool
	if err := pool.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("knowledge base: connecting to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	return s, nil
}

// Pool is the store's connection pool (for benchmarks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Driver implements kb.Store.
func (s *Store) Driver() string { return "postgres" }

// Close implements kb.Store. A Temporary store drops its schema first.
func (s *Store) Close() error {
	if s.pool == nil {
		return nil
	}
	var err error
	if s.schema != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, e := s.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{s.schema}.Sanitize()+` CASCADE`); e != nil {
			err = fmt.Errorf("dropping temporary schema %s: %w", s.schema, e)
		}
	}
	s.pool.Close()
	return err
}

var migrations = []string{
	`CREATE TABLE kb_meta (key text PRIMARY KEY, value text NOT NULL);
	CREATE TABLE kb_articles (
		source      text NOT NULL,
		id          text NOT NULL,
		hash        text NOT NULL,
		title       text NOT NULL,
		url         text NOT NULL,
		locale      text NOT NULL,
		lang        text NOT NULL,
		section     text NOT NULL,
		updated_at  timestamptz,
		PRIMARY KEY (source, id)
	);
	CREATE TABLE kb_chunks (
		id          bigserial PRIMARY KEY,
		source      text NOT NULL,
		article_id  text NOT NULL,
		idx         integer NOT NULL,
		lang        text NOT NULL,
		heading     text NOT NULL,
		text        text NOT NULL,
		title_terms text NOT NULL,
		terms       text NOT NULL,
		embedding   vector,
		tsv         tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', terms), 'B')) STORED,
		UNIQUE (source, article_id, idx),
		FOREIGN KEY (source, article_id) REFERENCES kb_articles (source, id) ON DELETE CASCADE
	);
	CREATE INDEX kb_chunks_tsv ON kb_chunks USING gin (tsv);
	CREATE INDEX kb_chunks_filter ON kb_chunks (lang, source);
	CREATE TABLE kb_sync (
		source    text PRIMARY KEY,
		last_sync timestamptz,
		last_full timestamptz
	);`,
	// 2: document frequencies, for weighing query terms (see termDelta).
	`CREATE TABLE kb_terms (
		term text PRIMARY KEY,
		df   integer NOT NULL
	);
	CREATE TABLE kb_text_stats (
		id     boolean PRIMARY KEY DEFAULT true CHECK (id),
		chunks bigint NOT NULL
	);
	INSERT INTO kb_terms (term, df)
		SELECT w, count(*) FROM kb_chunks, unnest(tsvector_to_array(tsv)) w GROUP BY w;
	INSERT INTO kb_text_stats (chunks) SELECT count(*) FROM kb_chunks;`,
	// 3: no pending list on the full-text index. With fastupdate on (the
	// default), new entries wait in an unsorted list that every search
	// reads in full until a vacuum merges them: after a sync of a few
	// thousand chunks that was about 0.7 ms per query term per search
	// (bench/kb, 20,000 chunks). Syncs are rare and searches are not.
	`ALTER INDEX kb_chunks_tsv SET (fastupdate = off);
	SELECT gin_clean_pending_list('kb_chunks_tsv'::regclass);`,
	// 4: a version of the term statistics, bumped by every statement that
	// writes kb_terms (every write of an article runs one, see apply), so
	// that a store may cache them and check in the same round trip as its
	// search that they are current (see termCache). A trigger, so that any
	// writer bumps it.
	`ALTER TABLE kb_text_stats ADD COLUMN version bigint NOT NULL DEFAULT 0;
	CREATE FUNCTION kb_terms_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
	BEGIN
		UPDATE kb_text_stats SET version = version + 1;
		RETURN NULL;
	END $$;
	CREATE TRIGGER kb_terms_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kb_terms
		FOR EACH STATEMENT EXECUTE FUNCTION kb_terms_changed();`,
}

// migrate runs on a connection of its own, before the pool exists: the
// pool registers the vector type on connect, which needs the extension.
func (s *Store) migrate(ctx context.Context, cc *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return fmt.Errorf("knowledge base: connecting to PostgreSQL at %s: %w", cc.Host, err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(lockKey)); err != nil {
		return fmt.Errorf("knowledge base: taking migration lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(lockKey)) }()
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector SCHEMA public`); err != nil {
		return fmt.Errorf("knowledge base: creating the vector extension (pgvector must be installed): %w", err)
	}
	if s.schema != "" {
		if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{s.schema}.Sanitize()); err != nil {
			return fmt.Errorf("knowledge base: creating schema %s: %w", s.schema, err)
		}
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS kb_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("knowledge base: creating migrations table: %w", err)
	}
	for i, m := range migrations {
		v := i + 1
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM kb_schema_migrations WHERE version = $1`, v).Scan(&n); err != nil {
				return fmt.Errorf("checking: %w", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, m); err != nil {
				return fmt.Errorf("applying: %w", err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO kb_schema_migrations (version, applied_at) VALUES ($1, now())`, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("knowledge base migration %d: %w", v, err)
		}
	}
	return nil
}

// vecType is the column type for dim dimensions.
func vecType(dim int) string {
	if dim > maxVectorDim {
		return "halfvec"
	}
	return "vector"
}

// param wraps a query vector for the column type.
func param(v []float32) any {
	if len(v) > maxVectorDim {
		return pgvector.NewHalfVector(v)
	}
	return pgvector.NewVector(v)
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func readMeta(ctx context.Context, q querier) (kb.Meta, error) {
	rows, err := q.Query(ctx, `SELECT key, value FROM kb_meta WHERE key IN ('model', 'dim')`)
	if err != nil {
		return kb.Meta{}, fmt.Errorf("reading knowledge base meta: %w", err)
	}
	var m kb.Meta
	var k, v string
	_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error {
		switch k {
		case "model":
			m.Model = v
		case "dim":
			if _, err := fmt.Sscan(v, &m.Dim); err != nil {
				return fmt.Errorf("dim %q: %w", v, err)
			}
		}
		return nil
	})
	if err != nil {
		return kb.Meta{}, fmt.Errorf("reading knowledge base meta: %w", err)
	}
	return m, nil
}

func writeMeta(ctx context.Context, tx pgx.Tx, m kb.Meta) error {
	for _, kv := range [][2]string{{"model", m.Model}, {"dim", fmt.Sprint(m.Dim)}} {
		if _, err := tx.Exec(ctx, `INSERT INTO kb_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return fmt.Errorf("recording knowledge base meta: %w", err)
		}
	}
	return nil
}

// Meta implements kb.Store.
func (s *Store) Meta(ctx context.Context) (kb.Meta, error) { return readMeta(ctx, s.pool) }

func checkMeta(m kb.Meta) error {
	if m.Model == "" || m.Dim <= 0 || m.Dim > maxHalfvecDim {
		return fmt.Errorf("knowledge base: model %q, dimension %d: want a model and 1 to %d dimensions: %w", m.Model, m.Dim, maxHalfvecDim, sdk.ErrInvalid)
	}
	return nil
}

// Prepare implements kb.Store. Taking a new Meta sets the vector column's
// type and dimension and (unless DeferIndex) builds its HNSW index.
func (s *Store) Prepare(ctx context.Context, m kb.Meta) error {
	if err := checkMeta(m); err != nil {
		return err
	}
	have, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if have == m {
		return nil
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockKey)); err != nil {
			return err
		}
		have, err := readMeta(ctx, tx)
		if err != nil {
			return err
		}
		if have == m {
			return nil
		}
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM kb_chunks`).Scan(&n); err != nil {
			return fmt.Errorf("counting chunks: %w", err)
		}
		if n > 0 && have.Model != "" {
			return &kb.MismatchError{Have: have, Want: m}
		}
		if n > 0 {
			// Chunks without a recorded model cannot be trusted.
			if _, err := tx.Exec(ctx, `DELETE FROM kb_articles`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM kb_terms; UPDATE kb_text_stats SET chunks = 0`); err != nil {
				return err
			}
		}
		if err := s.setColumn(ctx, tx, m.Dim, !s.opts.DeferIndex); err != nil {
			return err
		}
		return writeMeta(ctx, tx, m)
	})
	if err != nil {
		return fmt.Errorf("preparing knowledge base for %s: %w", m.Model, err)
	}
	return nil
}

// setColumn gives the (empty or to be refilled) vector column dim
// dimensions and, if index is set, rebuilds its HNSW index.
func (s *Store) setColumn(ctx context.Context, tx pgx.Tx, dim int, index bool) error {
	if _, err := tx.Exec(ctx, `DROP INDEX IF EXISTS kb_chunks_embedding`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE kb_chunks ALTER COLUMN embedding TYPE %s(%d) USING NULL`, vecType(dim), dim)); err != nil {
		return fmt.Errorf("setting the vector column to %d dimensions: %w", dim, err)
	}
	if !index {
		return nil
	}
	return s.createIndex(ctx, tx, dim)
}

func (s *Store) createIndex(ctx context.Context, tx pgx.Tx, dim int) error {
	if _, err := tx.Exec(ctx, `SELECT set_config('maintenance_work_mem', $1, true)`, s.opts.MaintenanceWorkMem); err != nil {
		return err
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS kb_chunks_embedding ON kb_chunks USING hnsw (embedding %s_cosine_ops) WITH (m = %d, ef_construction = %d)`,
		vecType(dim), s.opts.M, s.opts.EFConstruction)
	if _, err := tx.Exec(ctx, q); err != nil {
		return fmt.Errorf("building the HNSW index: %w", err)
	}
	return nil
}

// BuildIndex builds the HNSW index if it is missing (after a bulk load
// with DeferIndex).
func (s *Store) BuildIndex(ctx context.Context) error {
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if m.Dim == 0 {
		return fmt.Errorf("building the HNSW index: the knowledge base has no model yet: %w", sdk.ErrInvalid)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.createIndex(ctx, tx, m.Dim) })
}

// Upsert implements kb.Store.
func (s *Store) Upsert(ctx context.Context, e kb.Entry) error {
	if e.Source == "" || e.ID == "" {
		return fmt.Errorf("storing article: source and id are required: %w", sdk.ErrInvalid)
	}
	var updated *time.Time
	if !e.UpdatedAt.IsZero() {
		updated = &e.UpdatedAt
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		d, err := removeChunks(ctx, tx, e.Source, e.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO kb_articles (source, id, hash, title, url, locale, lang, section, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			e.Source, e.ID, e.Hash, e.Title, e.URL, e.Locale, e.Lang, e.Section, updated); err != nil {
			return err
		}
		rows := make([][]any, len(e.Chunks))
		for i, c := range e.Chunks {
			rows[i] = []any{e.Source, e.ID, c.Index, e.Lang, c.Heading, c.Text, e.TitleTerms, c.Terms, param(c.Vector)}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"kb_chunks"},
			[]string{"source", "article_id", "idx", "lang", "heading", "text", "title_terms", "terms", "embedding"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		d.chunks += len(rows)
		return d.apply(ctx, tx, e.Source, e.ID)
	})
	if err != nil {
		return fmt.Errorf("storing article %s/%s: %w", e.Source, e.ID, err)
	}
	return nil
}

// termDelta is how a write moves the document frequencies in kb_terms
// (how many chunks have each term) and the chunk count in kb_text_stats,
// which weigh query terms (see Candidates). Every write keeps both exact
// in its own transaction: removeChunks counts what an article had, apply
// adds what it has now.
type termDelta struct {
	old    map[string]int // terms of the removed chunks: how many had each
	chunks int            // chunks added minus chunks removed
}

// removeChunks deletes an article and its chunks and counts their terms.
// The transaction commits asynchronously (synchronous_commit off): a
// crash may lose the last writes of a sync, but never a later one, such
// as the sync state that Sync records once the articles are stored,
// because that commit flushes them too; so the next sync redoes whatever
// was lost.
func removeChunks(ctx context.Context, tx pgx.Tx, source, id string) (*termDelta, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('synchronous_commit', 'off', true)`)
	b.Queue(`DELETE FROM kb_chunks WHERE source = $1 AND article_id = $2 RETURNING tsvector_to_array(tsv)`, source, id)
	b.Queue(`DELETE FROM kb_articles WHERE source = $1 AND id = $2`, source, id)
	br := tx.SendBatch(ctx, b)
	d := &termDelta{old: map[string]int{}}
	err := func() error {
		if _, err := br.Exec(); err != nil {
			return err
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		var lexemes []string
		if _, err := pgx.ForEachRow(rows, []any{&lexemes}, func() error {
			d.chunks--
			for _, w := range lexemes {
				d.old[w]++
			}
			return nil
		}); err != nil {
			return err
		}
		_, err = br.Exec()
		return err
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("removing chunks: %w", err)
	}
	return d, nil
}

// apply writes the delta, adding the terms of the article's chunks as
// they are now. Terms are written in sorted order, so concurrent writers
// lock the rows they share in the same order and cannot deadlock; a
// common term's row is still where they queue until they commit, which
// is why this runs last.
func (d *termDelta) apply(ctx context.Context, tx pgx.Tx, source, id string) error {
	ts := make([]string, 0, len(d.old))
	ns := make([]int32, 0, len(d.old))
	for t, n := range d.old {
		ts = append(ts, t)
		ns = append(ns, -int32(n)) //nolint:gosec // at most the chunks of one article
	}
	b := &pgx.Batch{}
	b.Queue(`WITH d AS (
			SELECT w, sum(n)::integer AS n FROM (
				SELECT * FROM unnest($1::text[], $2::integer[]) AS o(w, n)
				UNION ALL
				SELECT w, 1 FROM kb_chunks c, unnest(tsvector_to_array(c.tsv)) AS w WHERE c.source = $3 AND c.article_id = $4
			) x GROUP BY w HAVING sum(n) <> 0 ORDER BY w)
		INSERT INTO kb_terms (term, df) SELECT w, n FROM d
		ON CONFLICT (term) DO UPDATE SET df = kb_terms.df + excluded.df`, ts, ns, source, id)
	if len(ts) > 0 {
		b.Queue(`DELETE FROM kb_terms WHERE term = ANY($1) AND df <= 0`, ts)
	}
	if d.chunks != 0 {
		b.Queue(`UPDATE kb_text_stats SET chunks = chunks + $1`, d.chunks)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("counting terms: %w", err)
	}
	return nil
}

// Delete implements kb.Store.
func (s *Store) Delete(ctx context.Context, source, id string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		d, err := removeChunks(ctx, tx, source, id)
		if err != nil {
			return err
		}
		return d.apply(ctx, tx, source, id)
	})
	if err != nil {
		return fmt.Errorf("deleting article %s/%s: %w", source, id, err)
	}
	return nil
}

// Hashes implements kb.Store.
func (s *Store) Hashes(ctx context.Context, source string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, hash FROM kb_articles WHERE source = $1`, source)
	if err != nil {
		return nil, fmt.Errorf("listing article hashes of %s: %w", source, err)
	}
	out := map[string]string{}
	var id, h string
	if _, err := pgx.ForEachRow(rows, []any{&id, &h}, func() error { out[id] = h; return nil }); err != nil {
		return nil, fmt.Errorf("listing article hashes of %s: %w", source, err)
	}
	return out, nil
}

// SyncState implements kb.Store.
func (s *Store) SyncState(ctx context.Context, source string) (kb.SyncState, error) {
	var last, full *time.Time
	err := s.pool.QueryRow(ctx, `SELECT last_sync, last_full FROM kb_sync WHERE source = $1`, source).Scan(&last, &full)
	if errors.Is(err, pgx.ErrNoRows) {
		return kb.SyncState{}, nil
	}
	if err != nil {
		return kb.SyncState{}, fmt.Errorf("reading sync state of %s: %w", source, err)
	}
	var st kb.SyncState
	if last != nil {
		st.LastSync = last.UTC()
	}
	if full != nil {
		st.LastFull = full.UTC()
	}
	return st, nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SetSyncState implements kb.Store.
func (s *Store) SetSyncState(ctx context.Context, source string, st kb.SyncState) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO kb_sync (source, last_sync, last_full) VALUES ($1, $2, $3)
		ON CONFLICT (source) DO UPDATE SET last_sync = excluded.last_sync, last_full = excluded.last_full`,
		source, nullTime(st.LastSync), nullTime(st.LastFull))
	if err != nil {
		return fmt.Errorf("recording sync state of %s: %w", source, err)
	}
	return nil
}

// Stats implements kb.Store.
func (s *Store) Stats(ctx context.Context) (kb.Stats, error) {
	m, err := s.Meta(ctx)
	if err != nil {
		return kb.Stats{}, err
	}
	st := kb.Stats{Driver: s.Driver(), Model: m.Model, Dim: m.Dim, Sources: []kb.SourceStats{}}
	rows, err := s.pool.Query(ctx, `SELECT s.source, coalesce(a.n, 0), coalesce(c.n, 0), y.last_sync, y.last_full
		FROM (SELECT source FROM kb_articles UNION SELECT source FROM kb_sync) s
		LEFT JOIN (SELECT source, count(*) AS n FROM kb_articles GROUP BY source) a ON a.source = s.source
		LEFT JOIN (SELECT source, count(*) AS n FROM kb_chunks GROUP BY source) c ON c.source = s.source
		LEFT JOIN kb_sync y ON y.source = s.source
		ORDER BY s.source`)
	if err != nil {
		return kb.Stats{}, fmt.Errorf("counting the knowledge base: %w", err)
	}
	var ss kb.SourceStats
	var last, full *time.Time
	_, err = pgx.ForEachRow(rows, []any{&ss.Source, &ss.Articles, &ss.Chunks, &last, &full}, func() error {
		one := ss
		if last != nil {
			one.LastSync = last.UTC()
		}
		if full != nil {
			one.LastFull = full.UTC()
		}
		st.Articles += one.Articles
		st.Chunks += one.Chunks
		if one.LastSync.After(st.LastSync) {
			st.LastSync = one.LastSync
		}
		st.Sources = append(st.Sources, one)
		return nil
	})
	if err != nil {
		return kb.Stats{}, fmt.Errorf("counting the knowledge base: %w", err)
	}
	return st, nil
}

// reembedBatch is how many chunks go to the embedder at once.
const reembedBatch = 256

// Reembed implements kb.Store. The vector column is retyped, refilled and
// re-indexed in one transaction, which blocks searches until it commits.
func (s *Store) Reembed(ctx context.Context, m kb.Meta, embed kb.ReembedFunc, progress func(done, total int)) error {
	if err := checkMeta(m); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockKey)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT c.id, a.title, c.heading, c.text FROM kb_chunks c
			JOIN kb_articles a ON a.source = c.source AND a.id = c.article_id ORDER BY c.id`)
		if err != nil {
			return fmt.Errorf("reading chunks: %w", err)
		}
		type row struct {
			id int64
			kb.ReembedChunk
		}
		all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.id, &x.Title, &x.Heading, &x.Text)
			return x, err
		})
		if err != nil {
			return fmt.Errorf("reading chunks: %w", err)
		}
		// The index is built once, after the vectors are in.
		if err := s.setColumn(ctx, tx, m.Dim, false); err != nil {
			return err
		}
		for start := 0; start < len(all); start += reembedBatch {
			batch := all[start:min(start+reembedBatch, len(all))]
			in := make([]kb.ReembedChunk, len(batch))
			for i, r := range batch {
				in[i] = r.ReembedChunk
			}
			vs, err := embed(ctx, in)
			if err != nil {
				return err
			}
			if len(vs) != len(batch) {
				return fmt.Errorf("re-embedding: %d vectors for %d chunks: %w", len(vs), len(batch), sdk.ErrInvalid)
			}
			b := &pgx.Batch{}
			for i, r := range batch {
				if len(vs[i]) != m.Dim {
					return fmt.Errorf("re-embedding: a vector of %d dimensions, want %d: %w", len(vs[i]), m.Dim, sdk.ErrInvalid)
				}
				b.Queue(`UPDATE kb_chunks SET embedding = $1 WHERE id = $2`, param(vs[i]), r.id)
			}
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return fmt.Errorf("storing vectors: %w", err)
			}
			if progress != nil {
				progress(start+len(batch), len(all))
			}
		}
		if err := writeMeta(ctx, tx, m); err != nil {
			return err
		}
		if s.opts.DeferIndex {
			return nil
		}
		return s.createIndex(ctx, tx, m.Dim)
	})
}

// maxTextMatches bounds how many matching chunks the full-text list
// ranks, so that a question whose terms many chunks share stays cheap.
// Matches are taken rarest term first (see textQuery), so what the bound
// leaves out are chunks that have only the question's commoner terms. The
// vector list still covers the whole table.
const maxTextMatches = 2000

// rankWeights are ts_rank's weights for the labels D, C, B (a chunk's
// heading and text) and A (its article's title): a title term counts
// twice a body term, as in the SQLite store's bm25.
const rankWeights = `'{0.1, 0.2, 0.5, 1.0}'`

// tsQuery is a tsquery matching any of the lexemes.
func tsQuery(ts []string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
	}
	return strings.Join(parts, " | ")
}

// termStats are the document frequencies of some terms (how many chunks
// have each; 0 for a term no chunk has) and the number of chunks, read
// from kb_terms and kb_text_stats at the given version of kb_text_stats
// (which every statement writing kb_terms bumps, see migration 4).
type termStats struct {
	version int64
	chunks  int
	df      map[string]int
}

// queueTermStats queues the statement reading the term statistics of ts
// on b; the function it returns reads its answer from the batch's
// results.
func queueTermStats(b *pgx.Batch, ts []string) func(br pgx.BatchResults) (termStats, error) {
	b.Queue(`SELECT s.version, s.chunks, coalesce(t.term, ''), coalesce(t.df, 0)
		FROM kb_text_stats s LEFT JOIN kb_terms t ON t.term = ANY($1)`, ts)
	return func(br pgx.BatchResults) (termStats, error) {
		rows, err := br.Query()
		if err != nil {
			return termStats{}, fmt.Errorf("reading term frequencies: %w", err)
		}
		st := termStats{df: make(map[string]int, len(ts))}
		var t string
		var d int
		if _, err := pgx.ForEachRow(rows, []any{&st.version, &st.chunks, &t, &d}, func() error { st.df[t] = d; return nil }); err != nil {
			return termStats{}, fmt.Errorf("reading term frequencies: %w", err)
		}
		delete(st.df, "") // the row of no term, when none matched
		for _, t := range ts {
			if _, ok := st.df[t]; !ok {
				st.df[t] = 0 // no chunk has it: known too
			}
		}
		return st, nil
	}
}

// weigh returns the query terms ts worth matching on (terms.Selective),
// rarest first, with their inverse document frequencies (terms.IDF). The
// terms it returns are lexemes of the tsvector column as they are.
func (st termStats) weigh(ts []string) ([]string, []float64) {
	keep := terms.Selective(ts, st.df, st.chunks)
	slices.SortStableFunc(keep, func(a, b string) int { return st.df[a] - st.df[b] })
	ws := make([]float64, len(keep))
	for i, t := range keep {
		ws[i] = terms.IDF(st.df[t], st.chunks)
	}
	return keep, ws
}

// maxCachedTerms bounds termCache: a term and its count, some tens of
// bytes each.
const maxCachedTerms = 50000

// termCache keeps the term statistics searches read, for one version of
// kb_text_stats: a search whose terms are all in it sends its full-text
// statements with its vector lists, checking the version in the same
// round trip, instead of reading the statistics first.
type termCache struct {
	mu sync.Mutex
	st termStats // df nil: empty
}

// get returns the cached statistics of every term of ts; false unless
// all are cached.
func (c *termCache) get(ts []string) (termStats, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.df == nil {
		return termStats{}, false
	}
	out := termStats{version: c.st.version, chunks: c.st.chunks, df: make(map[string]int, len(ts))}
	for _, t := range ts {
		d, ok := c.st.df[t]
		if !ok {
			return termStats{}, false
		}
		out.df[t] = d
	}
	return out, true
}

// put adds what a search read; statistics of another version replace the
// cache's.
func (c *termCache) put(st termStats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.df == nil || c.st.version != st.version || len(c.st.df)+len(st.df) > maxCachedTerms {
		c.st = termStats{version: st.version, chunks: st.chunks, df: make(map[string]int, len(st.df))}
	}
	maps.Copy(c.st.df, st.df)
}

// drop empties the cache if it still holds version v.
func (c *termCache) drop(v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.version == v {
		c.st = termStats{}
	}
}

// textQuery is the full-text list's statement for the lexemes ts (rarest
// first) weighted by ws. A chunk's rank is the sum over the lexemes of
// weight × ts_rank(tsv, lexeme): ts_rank alone gives every query term the
// same weight, however common. The matches are read one lexeme at a time,
// rarest first (each through the GIN index, skipping chunks an earlier
// one matched), and at most maxTextMatches of them are ranked. A chunk
// read for the i-th lexeme has none of the rarer ones, so only the i-th
// and later lexemes are ranked for it.
// args are the statement's arguments so far: $1 the query vector, then
// those of filter.
func textQuery(ts []string, ws []float64, filter string, args []any, k int) (string, []any) {
	ph := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	lex := make([]string, len(ts))
	rank := make([]string, len(ts))
	for i := range ts {
		lex[i] = ph(tsQuery(ts[i : i+1]))
		rank[i] = fmt.Sprintf("%s::float8 * ts_rank(%s, c.tsv, %s::tsquery)", ph(ws[i]), rankWeights, lex[i])
	}
	arms := make([]string, len(ts))
	for i := range ts {
		cond := "c.tsv @@ " + lex[i] + "::tsquery"
		if i > 0 {
			cond += " AND NOT c.tsv @@ " + ph(tsQuery(ts[:i])) + "::tsquery"
		}
		arms[i] = "SELECT c.id, " + strings.Join(rank[i:], " + ") + " AS rank FROM kb_chunks c WHERE " + cond + filter
	}
	sql := `WITH m AS MATERIALIZED (
			SELECT u.id, u.rank
			FROM (` + strings.Join(arms, "\n\t\t\tUNION ALL ") + `) u
			LIMIT ` + fmt.Sprint(maxTextMatches) + `)
		SELECT ` + hitCols + `, coalesce(1 - (c.embedding <=> $1), 0)
		FROM (SELECT id, rank FROM m ORDER BY rank DESC, id LIMIT ` + ph(k) + `) t
		JOIN kb_chunks c ON c.id = t.id JOIN kb_articles a ON a.source = c.source AND a.id = c.article_id
		ORDER BY t.rank DESC, t.id`
	return sql, args
}

const hitCols = `c.source, c.article_id, c.idx, c.heading, c.text, a.title, a.url, a.locale, a.section, c.title_terms || ' ' || c.terms`

// Candidates implements kb.Store: HNSW (cosine) for the vector list and,
// for the text list, ts_rank weighted per term by inverse document
// frequency over the GIN-indexed tsvector (see textQuery), with the query
// terms' document frequencies (see CandidatesEach).
//
// The two lists run at the same time, each on a connection of its own
// from the pool, so that a search takes about as long as its slower list
// rather than both (bench/kb, 20,000 chunks, one client on two cores:
// hybrid p50 about 10.5 ms run one after the other, see
// docs/operations.md for the current figure). Neither holds a connection
// while waiting for another, so searches cannot deadlock on a small pool;
// under load they simply queue for connections like any other query.
func (s *Store) Candidates(ctx context.Context, q kb.CandidateQuery) (vector, text []kb.Hit, err error) {
	vs, ts, err := s.candidates(ctx, []kb.CandidateQuery{q}, true)
	if err != nil {
		return nil, nil, err
	}
	return vs[0], ts[0], nil
}

// CandidatesEach implements kb.BatchStore: Candidates for each query, all
// in one batch, one round trip on one connection, when the store's cache
// holds the document frequencies of every query term (see termCache): the
// check that they are current, every query's full-text list (see
// queueTexts) and every query's vector list (see queueVectors).
// Otherwise, or when they changed since, the batch reads them instead and
// a second round trip sends the full-text lists. It is for throughput (a
// draft's searches): Candidates runs its two lists at the same time
// instead, for latency.
func (s *Store) CandidatesEach(ctx context.Context, qs []kb.CandidateQuery) (vector, text [][]kb.Hit, err error) {
	return s.candidates(ctx, qs, false)
}

// candidateQuery is one query of CandidatesEach with its filter clause
// and the arguments so far ($1 the query vector, then the filter's).
type candidateQuery struct {
	kb.CandidateQuery
	filter string
	args   []any
}

// candidates is CandidatesEach, or with parallel the full-text lists and
// the vector lists in two batches at the same time on two connections.
func (s *Store) candidates(ctx context.Context, qs []kb.CandidateQuery, parallel bool) (vector, text [][]kb.Hit, err error) {
	cqs := make([]candidateQuery, len(qs))
	var all []string
	for i, q := range qs {
		var where []string
		args := []any{param(q.Vector)}
		if q.Filter.Lang != "" {
			args = append(args, []string{q.Filter.Lang, ""})
			where = append(where, fmt.Sprintf("c.lang = ANY($%d)", len(args)))
		}
		if q.Filter.Source != "" {
			args = append(args, q.Filter.Source)
			where = append(where, fmt.Sprintf("c.source = $%d", len(args)))
		}
		filter := ""
		if len(where) > 0 {
			filter = " AND " + strings.Join(where, " AND ")
		}
		cqs[i] = candidateQuery{CandidateQuery: q, filter: filter, args: args}
		if q.TextK > 0 {
			all = append(all, q.Terms...)
		}
	}
	slices.Sort(all)
	all = slices.Compact(all)
	vector, text = make([][]kb.Hit, len(qs)), make([][]kb.Hit, len(qs))

	bText := &pgx.Batch{}
	bVec := bText
	if parallel {
		bVec = &pgx.Batch{}
	}
	// The full-text part: the frequencies (or the check of the cached
	// ones) and, with cached ones, the lists.
	cached, hit := termStats{}, false
	var readStats func(pgx.BatchResults) (termStats, error)
	if len(all) > 0 {
		if cached, hit = s.terms.get(all); hit {
			bText.Queue(`SELECT version FROM kb_text_stats`)
		} else {
			readStats = queueTermStats(bText, all)
		}
	}
	var readTexts func(pgx.BatchResults) error
	if hit {
		readTexts = queueTexts(bText, cqs, cached, text)
	}
	var st termStats
	stale := false
	readText := func(br pgx.BatchResults) error {
		switch {
		case hit:
			var v int64
			if err := br.QueryRow().Scan(&v); err != nil {
				return fmt.Errorf("full-text search: reading the term statistics' version: %w", err)
			}
			stale = v != cached.version
		case readStats != nil:
			var err error
			if st, err = readStats(br); err != nil {
				return fmt.Errorf("full-text search: %w", err)
			}
		}
		if readTexts != nil {
			if err := readTexts(br); err != nil {
				return fmt.Errorf("full-text search: %w", err)
			}
		}
		return nil
	}
	// textRest sends the full-text lists when the first round trip could
	// not: their terms' frequencies were not cached, or not current.
	textRest := func() error {
		if len(all) == 0 || (hit && !stale) {
			return nil
		}
		if stale {
			// Another write changed the frequencies since they were cached.
			s.terms.drop(cached.version)
			clear(text)
			b := &pgx.Batch{}
			read := queueTermStats(b, all)
			err := s.send(ctx, b, func(br pgx.BatchResults) error {
				var err error
				st, err = read(br)
				return err
			})
			if err != nil {
				return fmt.Errorf("full-text search: %w", err)
			}
		}
		s.terms.put(st)
		b := &pgx.Batch{}
		read := queueTexts(b, cqs, st, text)
		if b.Len() == 0 {
			return nil
		}
		if err := s.send(ctx, b, read); err != nil {
			return fmt.Errorf("full-text search: %w", err)
		}
		return nil
	}
	readVectors := s.queueVectors(bVec, cqs, vector)
	readVec := func(br pgx.BatchResults) error {
		if err := readVectors(br); err != nil {
			return fmt.Errorf("vector search: %w", err)
		}
		return nil
	}

	if !parallel {
		if bText.Len() > 0 {
			err = s.send(ctx, bText, func(br pgx.BatchResults) error {
				if err := readText(br); err != nil {
					return err
				}
				return readVec(br)
			})
		}
		if err == nil {
			err = textRest()
		}
		if err != nil {
			return nil, nil, err
		}
		return vector, text, nil
	}
	var vecErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if bVec.Len() > 0 {
			vecErr = s.send(ctx, bVec, readVec)
		}
	}()
	var textErr error
	if bText.Len() > 0 {
		textErr = s.send(ctx, bText, readText)
	}
	if textErr == nil {
		textErr = textRest()
	}
	<-done
	if err := errors.Join(vecErr, textErr); err != nil {
		return nil, nil, err
	}
	return vector, text, nil
}

// send sends b and reads its results with read.
func (s *Store) send(ctx context.Context, b *pgx.Batch, read func(pgx.BatchResults) error) error {
	br := s.pool.SendBatch(ctx, b)
	err := read(br)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// vectorSettings are the settings one vector list runs under.
type vectorSettings struct {
	ef        int
	iterative bool // hnsw.iterative_scan = relaxed_order
}

// queueVectors queues each query's vector list on b; the function it
// returns reads them into out. A list runs under the session's
// hnsw.ef_search (set when the pool connects) unless it needs other
// settings: a larger ef_search for a large VectorK or, when a filter
// applies, hnsw.iterative_scan = relaxed_order (so a filtered search
// keeps scanning until its list is full). Then the lists are in a
// read-only transaction in which those that need no settings run first
// and a set_config precedes each list whose settings differ from the one
// before.
func (s *Store) queueVectors(b *pgx.Batch, qs []candidateQuery, out [][]kb.Hit) func(br pgx.BatchResults) error {
	var order []int
	for i, q := range qs {
		if q.VectorK > 0 {
			order = append(order, i)
		}
	}
	want := func(i int) vectorSettings {
		return vectorSettings{ef: max(s.opts.EFSearch, qs[i].VectorK), iterative: qs[i].filter != ""}
	}
	// Lists without a filter first: iterative scans stay off for them.
	slices.SortStableFunc(order, func(a, b int) int {
		wa, wb := want(a), want(b)
		if wa.iterative != wb.iterative {
			if wb.iterative {
				return -1
			}
			return 1
		}
		return cmp.Compare(wa.ef, wb.ef)
	})
	session := vectorSettings{ef: s.opts.EFSearch}
	tx := false
	for _, i := range order {
		tx = tx || want(i) != session
	}
	if tx {
		b.Queue(`BEGIN READ ONLY`)
	}
	settings := make([]bool, len(order)) // a set_config precedes the list
	cur := session
	for j, i := range order {
		q, w := qs[i], want(i)
		if w != cur {
			settings[j] = true
			if w.iterative && !cur.iterative {
				b.Queue(`SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`, fmt.Sprint(w.ef))
			} else {
				b.Queue(`SELECT set_config('hnsw.ef_search', $1, true)`, fmt.Sprint(w.ef))
			}
			cur = w
		}
		vArgs := append(slices.Clone(q.args), q.VectorK)
		b.Queue(`SELECT `+hitCols+`, c.sim FROM (
				SELECT id, source, article_id, idx, heading, text, title_terms, terms, 1 - (embedding <=> $1) AS sim
				FROM kb_chunks c WHERE embedding IS NOT NULL`+q.filter+`
				ORDER BY embedding <=> $1 LIMIT $`+fmt.Sprint(len(vArgs))+`
			) c JOIN kb_articles a ON a.source = c.source AND a.id = c.article_id`, vArgs...)
	}
	if tx {
		b.Queue(`COMMIT`)
	}
	return func(br pgx.BatchResults) error {
		if tx {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		for j, i := range order {
			if settings[j] {
				if _, err := br.Exec(); err != nil {
					return fmt.Errorf("settings: %w", err)
				}
			}
			rows, err := br.Query()
			if err != nil {
				return err
			}
			hits, err := collectHits(rows)
			if err != nil {
				return err
			}
			// The join (and relaxed_order) may shuffle; similarity decides.
			slices.SortStableFunc(hits, func(a, b kb.Hit) int { return cmp.Compare(b.Similarity, a.Similarity) })
			out[i] = hits
		}
		if tx {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		return nil
	}
}

// queueTexts queues the full-text list of each query that has terms worth
// matching on by st (textQuery) on b; the function it returns reads them
// into out.
func queueTexts(b *pgx.Batch, qs []candidateQuery, st termStats, out [][]kb.Hit) func(br pgx.BatchResults) error {
	var order []int
	for i, q := range qs {
		if q.TextK <= 0 || len(q.Terms) == 0 {
			continue
		}
		lexemes, weights := st.weigh(q.Terms)
		if len(lexemes) == 0 {
			continue
		}
		sql, tArgs := textQuery(lexemes, weights, q.filter, slices.Clone(q.args), q.TextK)
		b.Queue(sql, tArgs...)
		order = append(order, i)
	}
	return func(br pgx.BatchResults) error {
		for _, i := range order {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			if out[i], err = collectHits(rows); err != nil {
				return err
			}
		}
		return nil
	}
}

func collectHits(rows pgx.Rows) ([]kb.Hit, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (kb.Hit, error) {
		var h kb.Hit
		err := r.Scan(&h.Source, &h.ArticleID, &h.Chunk, &h.Heading, &h.Text, &h.Title, &h.URL, &h.Locale, &h.Section, &h.Terms, &h.Similarity)
		return h, err
	})
}
