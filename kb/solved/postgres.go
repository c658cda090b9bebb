package solved

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/heardhq/heard/sdk"
)

// MaxIndexedDim is the largest dimension the PostgreSQL index builds an
// HNSW index for (pgvector's limit for the vector type); larger vectors
// are searched exactly.
const MaxIndexedDim = 2000

// PostgresOptions tune the PostgreSQL index.
type PostgresOptions struct {
	// EFSearch is hnsw.ef_search for searches (0 means 100); it is raised
	// to the number of candidates asked for when that is larger.
	EFSearch int
	// MaxConns caps the index's own connection pool (0 means 4).
	MaxConns int32
}

// Postgres is the index in a PostgreSQL database with pgvector. It is
// safe for concurrent use.
type Postgres struct {
	pool *pgxpool.Pool
	dim  int
	ef   int
}

var _ Index = (*Postgres)(nil)

// lockKey is the advisory lock held while migrating ("solved").
const lockKey = 0x736f6c766564

var postgresMigrations = []string{
	`CREATE TABLE kb_solved_tickets (
		connector  text NOT NULL,
		ticket_id  text NOT NULL,
		subject    text NOT NULL,
		text       text NOT NULL,
		priority   text NOT NULL,
		tags       text[] NOT NULL,
		reply      text NOT NULL,
		solved_at  timestamptz NOT NULL,
		url        text NOT NULL,
		terms      text NOT NULL,
		tsv        tsvector GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED,
		dim        integer NOT NULL,
		embedding  vector NOT NULL,
		updated_at timestamptz NOT NULL,
		PRIMARY KEY (connector, ticket_id)
	);
	CREATE INDEX kb_solved_tickets_tsv ON kb_solved_tickets USING gin (tsv);
	CREATE INDEX kb_solved_tickets_dim ON kb_solved_tickets (dim, connector);`,
}

// OpenPostgres connects to url with a pool of its own (the pgvector
// types registered on every connection), creates the vector extension if
// needed, migrates the index's table and makes sure an HNSW index exists
// for dim dimensions (a partial index over the rows of that dimension,
// so a later embedder of another dimension gets its own).
func OpenPostgres(ctx context.Context, url string, dim int, opts PostgresOptions) (*Postgres, error) {
	if dim <= 0 || dim > 16000 {
		return nil, fmt.Errorf("solved tickets: dimension %d: want 1 to 16000: %w", dim, sdk.ErrInvalid)
	}
	if opts.EFSearch == 0 {
		opts.EFSearch = 100
	}
	if opts.EFSearch < 1 || opts.EFSearch > 1000 {
		return nil, fmt.Errorf("solved tickets: ef_search %d: want 1 to 1000: %w", opts.EFSearch, sdk.ErrInvalid)
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 4
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can echo the URL with its password; keep it out.
		return nil, fmt.Errorf("solved tickets: malformed PostgreSQL URL: %w", sdk.ErrInvalid)
	}
	cfg.MaxConns = opts.MaxConns
	if err := migratePostgres(ctx, cfg.ConnConfig, dim); err != nil {
		return nil, err
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if err := pgxvec.RegisterTypes(ctx, c); err != nil {
			return fmt.Errorf("registering pgvector types: %w", err)
		}
		// Every search of the pool's connections scans iteratively, and
		// most need no larger ef_search: their settings are the
		// session's, so that a search is one round trip without a
		// transaction (see Similar). opts.EFSearch is a validated int.
		if _, err := c.Exec(ctx, fmt.Sprintf(`SET hnsw.ef_search = %d; SET hnsw.iterative_scan = relaxed_order`, opts.EFSearch)); err != nil {
			return fmt.Errorf("configuring the session: %w", err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("solved tickets: connecting to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("solved tickets: connecting to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	return &Postgres{pool: pool, dim: dim, ef: opts.EFSearch}, nil
}

// migratePostgres runs on a connection of its own, before the pool
// exists: the pool registers the vector type on connect, which needs the
// extension.
func migratePostgres(ctx context.Context, cc *pgx.ConnConfig, dim int) error {
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return fmt.Errorf("solved tickets: connecting to PostgreSQL at %s: %w", cc.Host, err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(lockKey)); err != nil {
		return fmt.Errorf("solved tickets: taking migration lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(lockKey)) }()
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector SCHEMA public`); err != nil {
		return fmt.Errorf("solved tickets: creating the vector extension (pgvector must be installed): %w", err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS kb_solved_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("solved tickets: creating migrations table: %w", err)
	}
	for i, m := range postgresMigrations {
		v := i + 1
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM kb_solved_migrations WHERE version = $1`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, m); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO kb_solved_migrations (version, applied_at) VALUES ($1, now())`, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("solved tickets migration %d: %w", v, err)
		}
	}
	if dim > MaxIndexedDim {
		return nil
	}
	// dim is a validated int: formatting it into the statement is safe.
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS kb_solved_tickets_hnsw_%d ON kb_solved_tickets
		USING hnsw ((embedding::vector(%d)) vector_cosine_ops) WHERE dim = %d`, dim, dim, dim)
	if _, err := conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("solved tickets: building the HNSW index for %d dimensions: %w", dim, err)
	}
	return nil
}

// Dim implements Index.
func (p *Postgres) Dim() int { return p.dim }

// Close implements Index.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// Upsert implements Index.
func (p *Postgres) Upsert(ctx context.Context, t Ticket) error {
	if err := checkTicket(t, p.dim); err != nil {
		return err
	}
	_, err := p.pool.Exec(ctx, `INSERT INTO kb_solved_tickets
		(connector, ticket_id, subject, text, priority, tags, reply, solved_at, url, terms, dim, embedding, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
		ON CONFLICT (connector, ticket_id) DO UPDATE SET
			subject = excluded.subject, text = excluded.text, priority = excluded.priority, tags = excluded.tags,
			reply = excluded.reply, solved_at = excluded.solved_at, url = excluded.url, terms = excluded.terms,
			dim = excluded.dim, embedding = excluded.embedding, updated_at = excluded.updated_at`,
		t.Connector, t.ID, t.Subject, t.Text, t.Priority, nonNil(t.Tags), t.Reply, t.SolvedAt.UTC(), t.URL, termsOf(t), p.dim, pgvector.NewVector(t.Vector))
	if err != nil {
		return fmt.Errorf("storing solved ticket %s/%s: %w", t.Connector, t.ID, err)
	}
	return nil
}

// Delete implements Index.
func (p *Postgres) Delete(ctx context.Context, connector, id string) error {
	if _, err := p.pool.Exec(ctx, `DELETE FROM kb_solved_tickets WHERE connector = $1 AND ticket_id = $2`, connector, id); err != nil {
		return fmt.Errorf("deleting solved ticket %s/%s: %w", connector, id, err)
	}
	return nil
}

// Count implements Index.
func (p *Postgres) Count(ctx context.Context, connector string) (int, error) {
	var n int
	err := p.pool.QueryRow(ctx, `SELECT count(*) FROM kb_solved_tickets WHERE dim = $1 AND ($2 = '' OR connector = $2)`, p.dim, connector).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting solved tickets: %w", err)
	}
	return n, nil
}

const solvedCols = `connector, ticket_id, subject, text, priority, tags, reply, solved_at, url, terms`

// List implements Index.
func (p *Postgres) List(ctx context.Context, connector string, since time.Time) ([]Ticket, error) {
	rows, err := p.pool.Query(ctx, `SELECT connector, ticket_id, subject, text, priority, tags, reply, solved_at, url
		FROM kb_solved_tickets WHERE ($1 = '' OR connector = $1) AND solved_at >= $2 ORDER BY solved_at, connector, ticket_id`, connector, since)
	if err != nil {
		return nil, fmt.Errorf("listing solved tickets: %w", err)
	}
	var out []Ticket
	var t Ticket
	var solved time.Time
	_, err = pgx.ForEachRow(rows, []any{&t.Connector, &t.ID, &t.Subject, &t.Text, &t.Priority, &t.Tags, &t.Reply, &solved, &t.URL}, func() error {
		t.SolvedAt = solved.UTC()
		out = append(out, t)
		t.Tags = nil // the next row scans into a slice of its own
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing solved tickets: %w", err)
	}
	return out, nil
}

// Similar implements Index. The candidates are the 4·k (at least
// Candidates) nearest tickets by the HNSW index, scanned iteratively
// (pgvector's hnsw.iterative_scan) so a connector filter still fills
// the list, and as many by full-text rank over the query's terms; each
// is scored in Go. Both lists are one batch, one round trip, under the
// session's settings; only a list longer than ef_search raises it, in a
// read-only transaction sent in the same batch.
func (p *Postgres) Similar(ctx context.Context, connector string, vector []float32, text string, k int) ([]Match, error) {
	k, err := checkQuery(vector, p.dim, k)
	if err != nil {
		return nil, err
	}
	n := max(Candidates, 4*k)
	qTerms := queryTerms(text)
	// dim is a validated int: formatting it into the statements is safe,
	// and the literal lets the planner use the partial HNSW index.
	vec := fmt.Sprintf(`embedding::vector(%d)`, p.dim)
	byID := map[[2]string]candidate{}
	var order [][2]string
	add := func(rows pgx.Rows) error {
		var c candidate
		var solved time.Time
		_, err := pgx.ForEachRow(rows, []any{&c.Connector, &c.ID, &c.Subject, &c.Text, &c.Priority, &c.Tags, &c.Reply, &solved, &c.URL, &c.terms, &c.sim},
			func() error {
				c.SolvedAt = solved.UTC()
				key := [2]string{c.Connector, c.ID}
				if _, ok := byID[key]; !ok {
					order = append(order, key)
				}
				byID[key] = c
				c.Tags = nil // the next row scans into a slice of its own
				return nil
			})
		return err
	}
	qv := pgvector.NewVector(vector)
	b := &pgx.Batch{}
	ef := max(p.ef, n)
	tx := ef != p.ef
	if tx {
		b.Queue(`BEGIN READ ONLY`)
		b.Queue(`SELECT set_config('hnsw.ef_search', $1, true)`, fmt.Sprint(ef))
	}
	b.Queue(p.vectorQuery(), qv, connector, n)
	if len(qTerms) > 0 {
		b.Queue(fmt.Sprintf(`SELECT %s, 1 - (%s <=> $1::vector(%d)) FROM kb_solved_tickets
			WHERE dim = %d AND ($2 = '' OR connector = $2) AND tsv @@ $3::tsquery
			ORDER BY ts_rank(tsv, $3::tsquery) DESC, solved_at DESC LIMIT $4`, solvedCols, vec, p.dim, p.dim), qv, connector, tsQuery(qTerms), n)
	}
	if tx {
		b.Queue(`COMMIT`)
	}
	br := p.pool.SendBatch(ctx, b)
	err = func() error {
		if tx {
			for range 2 {
				if _, err := br.Exec(); err != nil {
					return fmt.Errorf("configuring the search: %w", err)
				}
			}
		}
		for range min(2, 1+len(qTerms)) {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			if err := add(rows); err != nil {
				return err
			}
		}
		if tx {
			_, err := br.Exec()
			return err
		}
		return nil
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("similar solved tickets: %w", err)
	}
	cs := make([]candidate, 0, len(order))
	for _, key := range order {
		cs = append(cs, byID[key])
	}
	return rank(qTerms, cs, k), nil
}

// vectorQuery returns the n ($3) tickets of connector ($2, "" for all)
// nearest to the vector $1, with their similarity. The dimension is
// formatted into the statement (a validated int) so the planner can use
// the partial HNSW index of that dimension.
func (p *Postgres) vectorQuery() string {
	vec := fmt.Sprintf(`embedding::vector(%d)`, p.dim)
	return fmt.Sprintf(`SELECT %s, 1 - dist FROM (
			SELECT *, %s <=> $1::vector(%d) AS dist FROM kb_solved_tickets
			WHERE dim = %d AND ($2 = '' OR connector = $2)
			ORDER BY %s <=> $1::vector(%d) LIMIT $3) t
		ORDER BY dist`, solvedCols, vec, p.dim, p.dim, vec, p.dim)
}

// tsQuery is a tsquery matching any of the lexemes.
func tsQuery(ts []string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
	}
	return strings.Join(parts, " | ")
}
