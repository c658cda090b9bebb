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
	"strings"
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

// Similar implements Index. It scores every ticket of connector at the
// index's dimension: exact, and linear in their number. The scan reads
// only what scoring and ranking need (the vector, the terms, the keys and
// solved_at); the other columns are read for the best k alone.
func (s *SQLite) Similar(ctx context.Context, connector string, vector []float32, text string, k int) ([]Match, error) {
	k, err := checkQuery(vector, s.dim, k)
	if err != nil {
		return nil, err
	}
	ms, err := s.scan(ctx, connector, vector, queryTerms(text), k)
	if err != nil {
		return nil, fmt.Errorf("similar solved tickets: %w", err)
	}
	found, err := s.fill(ctx, ms)
	if err != nil {
		return nil, fmt.Errorf("similar solved tickets: %w", err)
	}
	out := ms[:0]
	for i, m := range ms {
		if found[i] {
			out = append(out, m)
		}
	}
	return out, nil
}

// scan scores every ticket of connector and returns the best k, each with
// its keys, solved_at and scores only.
func (s *SQLite) scan(ctx context.Context, connector string, vector []float32, qTerms []string, k int) ([]Match, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, solved_at, terms, embedding
		FROM kb_solved_tickets WHERE dim = ? AND (? = '' OR connector = ?)`, s.dim, connector, connector)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []Match
	var solved, terms string
	var blob sql.RawBytes
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.Connector, &c.ID, &solved, &terms, &blob); err != nil {
			return nil, err
		}
		if c.SolvedAt, err = time.Parse(time.RFC3339Nano, solved); err != nil {
			return nil, fmt.Errorf("solved_at of %s/%s: %w", c.Connector, c.ID, err)
		}
		if len(blob) != 4*s.dim {
			return nil, fmt.Errorf("%s/%s has a vector of %d bytes, want %d", c.Connector, c.ID, len(blob), 4*s.dim)
		}
		c.sim = cosineBlob(vector, blob)
		c.terms = terms
		ms = append(ms, score(qTerms, c))
		if len(ms) >= 8*k+64 { // keep memory bounded on large tables
			ms = best(ms, k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return best(ms, k), nil
}

// fill reads the other columns of the tickets ms found and reports which
// it found (not one deleted since the scan).
func (s *SQLite) fill(ctx context.Context, ms []Match) ([]bool, error) {
	found := make([]bool, len(ms))
	if len(ms) == 0 {
		return found, nil
	}
	ph := make([]string, len(ms))
	args := []any{s.dim}
	at := map[[2]string]int{}
	for i, m := range ms {
		ph[i] = "(?, ?)"
		args = append(args, m.Connector, m.ID)
		at[[2]string{m.Connector, m.ID}] = i
	}
	//nolint:gosec // only "(?, ?)" placeholders are joined into the query
	rows, err := s.db.QueryContext(ctx, `SELECT connector, ticket_id, subject, text, priority, tags, reply, url
		FROM kb_solved_tickets WHERE dim = ? AND (connector, ticket_id) IN (VALUES `+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t Ticket
		var tags string
		if err := rows.Scan(&t.Connector, &t.ID, &t.Subject, &t.Text, &t.Priority, &tags, &t.Reply, &t.URL); err != nil {
			return nil, err
		}
		i, ok := at[[2]string{t.Connector, t.ID}]
		if !ok {
			continue
		}
		m := &ms[i]
		if err := json.Unmarshal([]byte(tags), &m.Tags); err != nil {
			return nil, fmt.Errorf("tags of %s/%s: %w", t.Connector, t.ID, err)
		}
		m.Subject, m.Text, m.Priority, m.Reply, m.URL = t.Subject, t.Text, t.Priority, t.Reply, t.URL
		found[i] = true
	}
	return found, rows.Err()
}

// cosineBlob is the cosine similarity of a and b, a vector as
// encodeVector stores it, read in place (0 if either is zero).
func cosineBlob(a []float32, b []byte) float64 {
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
