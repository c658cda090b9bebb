package solved

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/heardhq/heard/sdk"
)

// SQLite is the index in an SQLite database. It is safe for concurrent
// use.
type SQLite struct {
	db  *sql.DB
	dim int
}

var _ Index = (*SQLite)(nil)

var sqliteMigrations = []string{
	`CREATE TABLE kb_solved_tickets (
		connector  TEXT NOT NULL,
		ticket_id  TEXT NOT NULL,
		subject    TEXT NOT NULL,
		text       TEXT NOT NULL,
		priority   TEXT NOT NULL,
		tags       TEXT NOT NULL,
		reply      TEXT NOT NULL,
		solved_at  TEXT NOT NULL,
		url        TEXT NOT NULL,
		terms      TEXT NOT NULL,
		dim        INTEGER NOT NULL,
		embedding  BLOB NOT NULL,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (connector, ticket_id)
	);
	CREATE INDEX kb_solved_tickets_dim ON kb_solved_tickets (dim, connector);`,
}

// NewSQLite uses db, an open SQLite database (heard's own, from
// internal/store/sqlite's Store.DB), migrates the index's table in it and
// takes vectors of dim dimensions. Close does not close db.
func NewSQLite(ctx context.Context, db *sql.DB, dim int) (*SQLite, error) {
	if dim <= 0 {
		return nil, fmt.Errorf("solved tickets: dimension %d: %w", dim, sdk.ErrInvalid)
	}
	s := &SQLite{db: db, dim: dim}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS kb_solved_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("solved tickets: creating migrations table: %w", err)
	}
	for i, m := range sqliteMigrations {
		v := i + 1
		err := func() error {
			tx, err := s.db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer func() { _ = tx.Rollback() }()
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kb_solved_migrations WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO kb_solved_migrations (version, applied_at) VALUES (?, ?)`, v, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return fmt.Errorf("solved tickets migration %d: %w", v, err)
		}
	}
	return nil
}

// Dim implements Index.
func (s *SQLite) Dim() int { return s.dim }

// Close implements Index; db stays open.
func (s *SQLite) Close() error { return nil }

func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decodeVector(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// Upsert implements Index.
func (s *SQLite) Upsert(ctx context.Context, t Ticket) error {
	if err := checkTicket(t, s.dim); err != nil {
		return err
	}
	tags, err := json.Marshal(nonNil(t.Tags))
	if err != nil {
		return fmt.Errorf("storing solved ticket %s/%s: %w", t.Connector, t.ID, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO kb_solved_tickets
		(connector, ticket_id, subject, text, priority, tags, reply, solved_at, url, terms, dim, embedding, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (connector, ticket_id) DO UPDATE SET
			subject = excluded.subject, text = excluded.text, priority = excluded.priority, tags = excluded.tags,
			reply = excluded.reply, solved_at = excluded.solved_at, url = excluded.url, terms = excluded.terms,
			dim = excluded.dim, embedding = excluded.embedding, updated_at = excluded.updated_at`,
		t.Connector, t.ID, t.Subject, t.Text, t.Priority, string(tags), t.Reply, t.SolvedAt.UTC().Format(time.RFC3339Nano),
		t.URL, termsOf(t), s.dim, encodeVector(t.Vector), time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("storing solved ticket %s/%s: %w", t.Connector, t.ID, err)
	}
	return nil
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// Delete implements Index.
func (s *SQLite) Delete(ctx context.Context, connector, id string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM kb_solved_tickets WHERE connector = ? AND ticket_id = ?`, connector, id); err != nil {
		return fmt.Errorf("deleting solved ticket %s/%s: %w", connector, id, err)
	}
	return nil
}

// Count implements Index.
func (s *SQLite) Count(ctx context.Context, connector string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM kb_solved_tickets WHERE dim = ? AND (? = '' OR connector = ?)`,
		s.dim, connector, connector).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting solved tickets: %w", err)
	}
	return n, nil
}

// List implements Index.
func (s *SQLite) List(ctx context.Context, connector string, since time.Time) ([]Ticket, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, subject, text, priority, tags, reply, solved_at, url
		FROM kb_solved_tickets WHERE (? = '' OR connector = ?)`, connector, connector)
	if err != nil {
		return nil, fmt.Errorf("listing solved tickets: %w", err)
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		var t Ticket
		var tags, solved string
		if err := rows.Scan(&t.Connector, &t.ID, &t.Subject, &t.Text, &t.Priority, &tags, &t.Reply, &solved, &t.URL); err != nil {
			return nil, fmt.Errorf("listing solved tickets: %w", err)
		}
		if err := json.Unmarshal([]byte(tags), &t.Tags); err != nil {
			return nil, fmt.Errorf("listing solved tickets: tags of %s/%s: %w", t.Connector, t.ID, err)
		}
		if t.SolvedAt, err = time.Parse(time.RFC3339Nano, solved); err != nil {
			return nil, fmt.Errorf("listing solved tickets: solved_at of %s/%s: %w", t.Connector, t.ID, err)
		}
		if t.SolvedAt.Before(since) { // RFC 3339 text does not sort by time: compare parsed
			continue
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing solved tickets: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Ticket) int {
		return cmp.Or(a.SolvedAt.Compare(b.SolvedAt), cmp.Compare(a.Connector, b.Connector), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Similar implements Index. It reads every ticket of connector at the
// index's dimension and scores each: exact, and linear in their number.
func (s *SQLite) Similar(ctx context.Context, connector string, vector []float32, text string, k int) ([]Match, error) {
	k, err := checkQuery(vector, s.dim, k)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, subject, text, priority, tags, reply, solved_at, url, terms, embedding
		FROM kb_solved_tickets WHERE dim = ? AND (? = '' OR connector = ?)`, s.dim, connector, connector)
	if err != nil {
		return nil, fmt.Errorf("similar solved tickets: %w", err)
	}
	defer rows.Close()
	qTerms := queryTerms(text)
	var ms []Match
	for rows.Next() {
		var c candidate
		var tags, solved string
		var blob []byte
		if err := rows.Scan(&c.Connector, &c.ID, &c.Subject, &c.Text, &c.Priority, &tags, &c.Reply, &solved, &c.URL, &c.terms, &blob); err != nil {
			return nil, fmt.Errorf("similar solved tickets: %w", err)
		}
		if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
			return nil, fmt.Errorf("similar solved tickets: tags of %s/%s: %w", c.Connector, c.ID, err)
		}
		if c.SolvedAt, err = time.Parse(time.RFC3339Nano, solved); err != nil {
			return nil, fmt.Errorf("similar solved tickets: solved_at of %s/%s: %w", c.Connector, c.ID, err)
		}
		if len(blob) != 4*s.dim {
			return nil, fmt.Errorf("similar solved tickets: %s/%s has a vector of %d bytes, want %d", c.Connector, c.ID, len(blob), 4*s.dim)
		}
		c.sim = cosine(vector, decodeVector(blob))
		ms = append(ms, score(qTerms, c))
		if len(ms) >= 8*k+64 { // keep memory bounded on large tables
			ms = best(ms, k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("similar solved tickets: %w", err)
	}
	return best(ms, k), nil
}
