package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/sdk"
)

// Store is the SQLite knowledge base store. It is safe for concurrent use.
type Store struct {
	db  *sql.DB
	own bool // Close closes db
	// rdb serves searches: a pool of read-only connections of the store's
	// own on the same file, so that concurrent searches do not queue for
	// db's connection (heard's and Open's have one, which SQLite writes
	// need). It is db itself for a database without a file.
	rdb *sql.DB
	// gen reads the generation counter on rdb. Every search reads it, so
	// it is prepared once (per connection, by database/sql) instead of
	// parsed by SQLite for each search.
	gen *sql.Stmt

	mu  sync.RWMutex
	idx *index // vectors in memory, reloaded when the generation changes
}

var _ kb.BatchStore = (*Store)(nil)

// New uses db, an open SQLite database (heard's own, from
// internal/store/sqlite's Store.DB), and migrates the knowledge-base
// tables in it. Searches read through a pool of read-only connections
// New opens on db's file (db itself for a database without a file).
// Close closes that pool but not db.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	s := &Store{db: db, rdb: db}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.openReaders(ctx); err != nil {
		return nil, err
	}
	gen, err := s.rdb.PrepareContext(ctx, generationQuery)
	if err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("knowledge base: preparing the generation query: %w", err)
	}
	s.gen = gen
	return s, nil
}

// generationQuery reads the counter every write to the chunks bumps.
const generationQuery = `SELECT CAST(value AS INTEGER) FROM kb_meta WHERE key = 'generation'`

// openReaders opens the read pool on db's file, unless it has none.
func (s *Store) openReaders(ctx context.Context) error {
	var path string
	if err := s.db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		return fmt.Errorf("knowledge base: locating the database file: %w", err)
	}
	if path == "" {
		return nil
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "query_only(1)", "mmap_size(268435456)"} {
		q.Add("_pragma", p)
	}
	rdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("knowledge base: opening %s for reading: %w", path, err)
	}
	n := max(2, runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	if err := rdb.PingContext(ctx); err != nil {
		_ = rdb.Close()
		return fmt.Errorf("knowledge base: opening %s for reading: %w", path, err)
	}
	s.rdb = rdb
	return nil
}

// Open opens (creating if needed) a database file of its own at path,
// for a standalone knowledge base such as `heard kb eval`'s. Close closes
// it.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s, err := New(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// Driver implements kb.Store.
func (s *Store) Driver() string { return "sqlite" }

// Close implements kb.Store.
func (s *Store) Close() error {
	var err error
	if s.gen != nil {
		err = s.gen.Close()
	}
	if s.rdb != nil && s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	if s.own {
		err = errors.Join(err, s.db.Close())
	}
	return err
}

var migrations = []string{
	`CREATE TABLE kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	INSERT INTO kb_meta (key, value) VALUES ('generation', '0');
	CREATE TABLE kb_articles (
		source      TEXT NOT NULL,
		id          TEXT NOT NULL,
		hash        TEXT NOT NULL,
		title       TEXT NOT NULL,
		url         TEXT NOT NULL,
		locale      TEXT NOT NULL,
		lang        TEXT NOT NULL,
		section     TEXT NOT NULL,
		updated_at  TEXT NOT NULL,
		title_terms TEXT NOT NULL,
		PRIMARY KEY (source, id)
	);
	CREATE TABLE kb_chunks (
		id         INTEGER PRIMARY KEY,
		source     TEXT NOT NULL,
		article_id TEXT NOT NULL,
		idx        INTEGER NOT NULL,
		lang       TEXT NOT NULL,
		heading    TEXT NOT NULL,
		text       TEXT NOT NULL,
		embedding  BLOB NOT NULL,
		UNIQUE (source, article_id, idx)
	);
	CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0');
	CREATE TABLE kb_sync (
		source    TEXT PRIMARY KEY,
		last_sync TEXT NOT NULL,
		last_full TEXT NOT NULL
	);`,
	`CREATE VIRTUAL TABLE kb_fts_vocab USING fts5vocab(kb_fts, row);`,
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS kb_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating knowledge base migrations table: %w", err)
	}
	for i, m := range migrations {
		v := i + 1
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kb_schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
				return fmt.Errorf("checking: %w", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("applying: %w", err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO kb_schema_migrations (version, applied_at) VALUES (?, ?)`, v, formatTime(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("knowledge base migration %d: %w", v, err)
		}
	}
	return nil
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// readTx runs fn in a read-only transaction on the read pool: one
// snapshot, which takes no write lock.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// bump marks a change to the chunks, so every Store on this file reloads
// its vectors.
func bump(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE kb_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`)
	return err
}

func readMeta(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}) (kb.Meta, error) {
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM kb_meta WHERE key IN ('model', 'dim')`)
	if err != nil {
		return kb.Meta{}, fmt.Errorf("reading knowledge base meta: %w", err)
	}
	defer rows.Close()
	var m kb.Meta
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return kb.Meta{}, fmt.Errorf("reading knowledge base meta: %w", err)
		}
		switch k {
		case "model":
			m.Model = v
		case "dim":
			if _, err := fmt.Sscan(v, &m.Dim); err != nil {
				return kb.Meta{}, fmt.Errorf("reading knowledge base meta: dim %q: %w", v, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return kb.Meta{}, fmt.Errorf("reading knowledge base meta: %w", err)
	}
	return m, nil
}

func writeMeta(ctx context.Context, tx *sql.Tx, m kb.Meta) error {
	for k, v := range map[string]string{"model": m.Model, "dim": fmt.Sprint(m.Dim)} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO kb_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return fmt.Errorf("recording knowledge base meta: %w", err)
		}
	}
	return nil
}

// Meta implements kb.Store.
func (s *Store) Meta(ctx context.Context) (kb.Meta, error) { return readMeta(ctx, s.db) }

// Prepare implements kb.Store.
func (s *Store) Prepare(ctx context.Context, m kb.Meta) error {
	if m.Model == "" || m.Dim <= 0 {
		return fmt.Errorf("preparing knowledge base: model %q, dimension %d: %w", m.Model, m.Dim, sdk.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		have, err := readMeta(ctx, tx)
		if err != nil {
			return err
		}
		if have == m {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kb_chunks`).Scan(&n); err != nil {
			return fmt.Errorf("counting chunks: %w", err)
		}
		if n > 0 && have.Model != "" {
			return &kb.MismatchError{Have: have, Want: m}
		}
		return writeMeta(ctx, tx, m)
	})
}

func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decodeVector(b []byte, dst []float32) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// Upsert implements kb.Store.
func (s *Store) Upsert(ctx context.Context, e kb.Entry) error {
	if e.Source == "" || e.ID == "" {
		return fmt.Errorf("storing article: source and id are required: %w", sdk.ErrInvalid)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := readMeta(ctx, tx)
		if err != nil {
			return err
		}
		if m.Dim == 0 {
			return fmt.Errorf("the knowledge base has no model yet (call Prepare): %w", sdk.ErrInvalid)
		}
		for _, c := range e.Chunks {
			if len(c.Vector) != m.Dim {
				return &kb.MismatchError{Have: m, Want: kb.Meta{Model: "(unknown)", Dim: len(c.Vector)}}
			}
		}
		if err := deleteArticle(ctx, tx, e.Source, e.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kb_articles (source, id, hash, title, url, locale, lang, section, updated_at, title_terms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Source, e.ID, e.Hash, e.Title, e.URL, e.Locale, e.Lang, e.Section, formatTime(e.UpdatedAt), e.TitleTerms); err != nil {
			return err
		}
		for _, c := range e.Chunks {
			res, err := tx.ExecContext(ctx, `INSERT INTO kb_chunks (source, article_id, idx, lang, heading, text, embedding) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				e.Source, e.ID, c.Index, e.Lang, c.Heading, c.Text, encodeVector(c.Vector))
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO kb_fts (rowid, title, body) VALUES (?, ?, ?)`, id, e.TitleTerms, c.Terms); err != nil {
				return err
			}
		}
		return bump(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("storing article %s/%s: %w", e.Source, e.ID, err)
	}
	return nil
}

func deleteArticle(ctx context.Context, tx *sql.Tx, source, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM kb_fts WHERE rowid IN (SELECT id FROM kb_chunks WHERE source = ? AND article_id = ?)`, source, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM kb_chunks WHERE source = ? AND article_id = ?`, source, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM kb_articles WHERE source = ? AND id = ?`, source, id)
	return err
}

// Delete implements kb.Store.
func (s *Store) Delete(ctx context.Context, source, id string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := deleteArticle(ctx, tx, source, id); err != nil {
			return err
		}
		return bump(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("deleting article %s/%s: %w", source, id, err)
	}
	return nil
}

// Hashes implements kb.Store.
func (s *Store) Hashes(ctx context.Context, source string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, hash FROM kb_articles WHERE source = ?`, source)
	if err != nil {
		return nil, fmt.Errorf("listing article hashes of %s: %w", source, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, fmt.Errorf("listing article hashes of %s: %w", source, err)
		}
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing article hashes of %s: %w", source, err)
	}
	return out, nil
}

// SyncState implements kb.Store.
func (s *Store) SyncState(ctx context.Context, source string) (kb.SyncState, error) {
	var last, full string
	err := s.db.QueryRowContext(ctx, `SELECT last_sync, last_full FROM kb_sync WHERE source = ?`, source).Scan(&last, &full)
	if errors.Is(err, sql.ErrNoRows) {
		return kb.SyncState{}, nil
	}
	if err != nil {
		return kb.SyncState{}, fmt.Errorf("reading sync state of %s: %w", source, err)
	}
	var st kb.SyncState
	if st.LastSync, err = parseTime(last); err == nil {
		st.LastFull, err = parseTime(full)
	}
	if err != nil {
		return kb.SyncState{}, fmt.Errorf("reading sync state of %s: %w", source, err)
	}
	return st, nil
}

// SetSyncState implements kb.Store.
func (s *Store) SetSyncState(ctx context.Context, source string, st kb.SyncState) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO kb_sync (source, last_sync, last_full) VALUES (?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET last_sync = excluded.last_sync, last_full = excluded.last_full`,
		source, formatTime(st.LastSync), formatTime(st.LastFull))
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
	rows, err := s.db.QueryContext(ctx, `SELECT s.source, coalesce(a.n, 0), coalesce(c.n, 0), coalesce(y.last_sync, ''), coalesce(y.last_full, '')
		FROM (SELECT source FROM kb_articles UNION SELECT source FROM kb_sync) s
		LEFT JOIN (SELECT source, count(*) AS n FROM kb_articles GROUP BY source) a ON a.source = s.source
		LEFT JOIN (SELECT source, count(*) AS n FROM kb_chunks GROUP BY source) c ON c.source = s.source
		LEFT JOIN kb_sync y ON y.source = s.source
		ORDER BY s.source`)
	if err != nil {
		return kb.Stats{}, fmt.Errorf("counting the knowledge base: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ss kb.SourceStats
		var last, full string
		if err := rows.Scan(&ss.Source, &ss.Articles, &ss.Chunks, &last, &full); err != nil {
			return kb.Stats{}, fmt.Errorf("counting the knowledge base: %w", err)
		}
		if ss.LastSync, err = parseTime(last); err == nil {
			ss.LastFull, err = parseTime(full)
		}
		if err != nil {
			return kb.Stats{}, fmt.Errorf("counting the knowledge base: %w", err)
		}
		st.Articles += ss.Articles
		st.Chunks += ss.Chunks
		if ss.LastSync.After(st.LastSync) {
			st.LastSync = ss.LastSync
		}
		st.Sources = append(st.Sources, ss)
	}
	if err := rows.Err(); err != nil {
		return kb.Stats{}, fmt.Errorf("counting the knowledge base: %w", err)
	}
	return st, nil
}

// reembedBatch is how many chunks go to the embedder at once.
const reembedBatch = 256

// Reembed implements kb.Store.
func (s *Store) Reembed(ctx context.Context, m kb.Meta, embed kb.ReembedFunc, progress func(done, total int)) error {
	if m.Model == "" || m.Dim <= 0 {
		return fmt.Errorf("re-embedding: model %q, dimension %d: %w", m.Model, m.Dim, sdk.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		type row struct {
			id int64
			kb.ReembedChunk
		}
		all, err := func() ([]row, error) {
			rows, err := tx.QueryContext(ctx, `SELECT c.id, a.title, c.heading, c.text FROM kb_chunks c
				JOIN kb_articles a ON a.source = c.source AND a.id = c.article_id ORDER BY c.id`)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var all []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.Title, &r.Heading, &r.Text); err != nil {
					return nil, err
				}
				all = append(all, r)
			}
			return all, rows.Err()
		}()
		if err != nil {
			return fmt.Errorf("reading chunks: %w", err)
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
			for i, r := range batch {
				if len(vs[i]) != m.Dim {
					return fmt.Errorf("re-embedding: a vector of %d dimensions, want %d: %w", len(vs[i]), m.Dim, sdk.ErrInvalid)
				}
				if _, err := tx.ExecContext(ctx, `UPDATE kb_chunks SET embedding = ? WHERE id = ?`, encodeVector(vs[i]), r.id); err != nil {
					return fmt.Errorf("storing vectors: %w", err)
				}
			}
			if progress != nil {
				progress(start+len(batch), len(all))
			}
		}
		if err := writeMeta(ctx, tx, m); err != nil {
			return err
		}
		return bump(ctx, tx)
	})
}

// index is every chunk's vector in memory, for exact search.
type index struct {
	gen    int64
	dim    int
	ids    []int64
	lang   []string
	source []string
	vecs   []float32 // len(ids) × dim
	pos    map[int64]int
	text   *textIndex

	// cached are chunks read for searches (see Store.hits), at most
	// maxCachedHits: the index is replaced when a write bumps the
	// generation, and they with it.
	mu     sync.Mutex
	cached map[int64]kb.Hit
}

// maxCachedHits bounds index.cached: about 1 KiB each (a chunk's text and
// terms), and a help desk's questions keep finding the same few articles.
const maxCachedHits = 4096

// current returns the in-memory index, reloading it when another write
// (from this process or another) changed the chunks.
func (s *Store) current(ctx context.Context) (*index, error) {
	var gen int64
	if err := s.gen.QueryRowContext(ctx).Scan(&gen); err != nil {
		return nil, fmt.Errorf("reading knowledge base generation: %w", err)
	}
	s.mu.RLock()
	idx := s.idx
	s.mu.RUnlock()
	if idx != nil && idx.gen == gen {
		return idx, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil && s.idx.gen == gen {
		return s.idx, nil
	}
	idx, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	s.idx = idx
	return idx, nil
}

func (s *Store) load(ctx context.Context) (*index, error) {
	idx := &index{pos: map[int64]int{}, text: newTextIndex()}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, generationQuery).Scan(&idx.gen); err != nil {
			return err
		}
		m, err := readMeta(ctx, tx)
		if err != nil {
			return err
		}
		idx.dim = m.Dim
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kb_chunks`).Scan(&n); err != nil {
			return err
		}
		idx.ids = make([]int64, 0, n)
		idx.vecs = make([]float32, 0, n*m.Dim)
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.source, c.lang, c.embedding, coalesce(f.title, ''), coalesce(f.body, '')
			FROM kb_chunks c LEFT JOIN kb_fts f ON f.rowid = c.id ORDER BY c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		intern := map[string]string{}
		in := func(s string) string {
			if v, ok := intern[s]; ok {
				return v
			}
			intern[s] = s
			return s
		}
		for rows.Next() {
			var id int64
			var source, lang, title, body string
			var blob []byte
			if err := rows.Scan(&id, &source, &lang, &blob, &title, &body); err != nil {
				return err
			}
			if len(blob) != 4*m.Dim {
				return fmt.Errorf("chunk %d has a vector of %d bytes, want %d", id, len(blob), 4*m.Dim)
			}
			idx.pos[id] = len(idx.ids)
			idx.text.add(len(idx.ids), title, body)
			idx.ids = append(idx.ids, id)
			idx.source = append(idx.source, in(source))
			idx.lang = append(idx.lang, in(lang))
			off := len(idx.vecs)
			idx.vecs = append(idx.vecs, make([]float32, m.Dim)...)
			decodeVector(blob, idx.vecs[off:])
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("loading knowledge base vectors: %w", err)
	}
	return idx, nil
}

func (idx *index) matches(i int, f kb.Filter) bool {
	if f.Source != "" && idx.source[i] != f.Source {
		return false
	}
	if f.Lang != "" && idx.lang[i] != "" && idx.lang[i] != f.Lang {
		return false
	}
	return true
}

// Candidates implements kb.Store: exact cosine similarity over every
// chunk that passes the filter, and BM25 as FTS5's bm25 computes it (title
// weighted 2, body 1) over chunks that contain any selective query term,
// both from the in-memory index (see text.go).
func (s *Store) Candidates(ctx context.Context, q kb.CandidateQuery) (vector, text []kb.Hit, err error) {
	vs, ts, err := s.CandidatesEach(ctx, []kb.CandidateQuery{q})
	if err != nil {
		return nil, nil, err
	}
	return vs[0], ts[0], nil
}

// CandidatesEach implements kb.BatchStore: Candidates for each query,
// from one check of the generation and one read of the chunks found.
func (s *Store) CandidatesEach(ctx context.Context, qs []kb.CandidateQuery) (vector, text [][]kb.Hit, err error) {
	idx, err := s.current(ctx)
	if err != nil {
		return nil, nil, err
	}
	type found struct {
		vecIDs, textIDs []int64
		sims            map[int64]float64
	}
	fs := make([]found, len(qs))
	var all []int64
	for i, q := range qs {
		if len(q.Vector) != idx.dim && len(idx.ids) > 0 {
			return nil, nil, fmt.Errorf("searching: query vector has %d dimensions, the knowledge base %d: %w", len(q.Vector), idx.dim, sdk.ErrInvalid)
		}
		f := found{sims: map[int64]float64{}}
		if q.VectorK > 0 && len(idx.ids) > 0 {
			top := idx.search(q.Vector, q.Filter, q.VectorK)
			for _, c := range top {
				f.vecIDs = append(f.vecIDs, idx.ids[c.i])
				f.sims[idx.ids[c.i]] = float64(c.sim)
			}
		}
		if q.TextK > 0 && len(q.Terms) > 0 {
			for _, p := range idx.textSearch(q.Terms, q.Filter, q.TextK) {
				f.textIDs = append(f.textIDs, idx.ids[p])
			}
			for _, id := range f.textIDs {
				if _, ok := f.sims[id]; !ok {
					if p, ok := idx.pos[id]; ok && len(q.Vector) == idx.dim {
						f.sims[id] = float64(dot(q.Vector, idx.vecs[p*idx.dim:(p+1)*idx.dim]))
					}
				}
			}
		}
		all = append(append(all, f.vecIDs...), f.textIDs...)
		fs[i] = f
	}
	slices.Sort(all)
	rows, err := s.hits(ctx, idx, slices.Compact(all))
	if err != nil {
		return nil, nil, err
	}
	pick := func(ids []int64, sims map[int64]float64) []kb.Hit {
		out := make([]kb.Hit, 0, len(ids))
		for _, id := range ids {
			if h, ok := rows[id]; ok {
				h.Similarity = sims[id]
				out = append(out, h)
			}
		}
		return out
	}
	vector, text = make([][]kb.Hit, len(qs)), make([][]kb.Hit, len(qs))
	for i, f := range fs {
		vector[i], text[i] = pick(f.vecIDs, f.sims), pick(f.textIDs, f.sims)
	}
	return vector, text, nil
}

// hits returns the chunks with the given ids and their articles: those
// idx has cached, and the others read in one query (and cached).
func (s *Store) hits(ctx context.Context, idx *index, all []int64) (map[int64]kb.Hit, error) {
	out := make(map[int64]kb.Hit, len(all))
	var ids []int64
	idx.mu.Lock()
	for _, id := range all {
		if h, ok := idx.cached[id]; ok {
			out[id] = h
		} else {
			ids = append(ids, id)
		}
	}
	idx.mu.Unlock()
	if len(ids) == 0 {
		return out, nil
	}
	read, err := s.readHits(ctx, ids)
	if err != nil {
		return nil, err
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if idx.cached == nil || len(idx.cached)+len(read) > maxCachedHits {
		idx.cached = make(map[int64]kb.Hit, len(read))
	}
	for id, h := range read {
		out[id] = h
		idx.cached[id] = h
	}
	return out, nil
}

// readHits reads the chunks with the given ids and their articles.
func (s *Store) readHits(ctx context.Context, ids []int64) (map[int64]kb.Hit, error) {
	out := map[int64]kb.Hit{}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = "?"
		args[i] = id
	}
	//nolint:gosec // only "?" placeholders are joined into the query
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.id, c.source, c.article_id, c.idx, c.heading, c.text, a.title, a.url, a.locale, a.section,
			f.title || ' ' || f.body
		FROM kb_chunks c JOIN kb_articles a ON a.source = c.source AND a.id = c.article_id JOIN kb_fts f ON f.rowid = c.id
		WHERE c.id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading chunks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var h kb.Hit
		if err := rows.Scan(&id, &h.Source, &h.ArticleID, &h.Chunk, &h.Heading, &h.Text, &h.Title, &h.URL, &h.Locale, &h.Section, &h.Terms); err != nil {
			return nil, fmt.Errorf("reading chunks: %w", err)
		}
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading chunks: %w", err)
	}
	return out, nil
}
