package sqlitedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"modernc.org/sqlite"
)

// CacheSize is how many prepared statements each connection keeps.
const CacheSize = 128

// Open returns a database for the modernc.org/sqlite data source name
// dsn ("file:path?_pragma=..."), with a prepared statement cache on every
// connection. Like sql.Open it does not connect until first used.
func Open(dsn string) *sql.DB {
	return sql.OpenDB(&connector{dsn: dsn})
}

type connector struct {
	dsn string
	drv sqlite.Driver
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	dc, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(innerConn)
	if !ok {
		_ = dc.Close()
		return nil, fmt.Errorf("sqlitedb: driver connection %T lacks the context methods", dc)
	}
	cc := &conn{inner: inner}
	cc.stmts, err = simplelru.NewLRU[string, *cached](CacheSize, func(_ string, s *cached) {
		s.evicted = true
		if !s.busy {
			_ = s.stmt.Close()
		}
	})
	if err != nil {
		_ = dc.Close()
		return nil, err
	}
	return cc, nil
}

func (c *connector) Driver() driver.Driver { return &c.drv }

// innerConn is what the modernc connection provides and conn relies on.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// preparedStmt is what a modernc statement provides.
type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// typedRows is what modernc rows provide beyond driver.Rows; the wrapper
// passes it all on so ColumnTypes reads the same with or without the cache.
type typedRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cached is one prepared statement. database/sql uses a connection from
// one goroutine at a time, so its fields need no lock.
type cached struct {
	stmt    preparedStmt
	busy    bool // rows from it are open: a second use must not reset it
	evicted bool // dropped from the cache: close once no longer busy
}

func (s *cached) release() {
	s.busy = false
	if s.evicted {
		_ = s.stmt.Close()
	}
}

type conn struct {
	inner innerConn
	stmts *simplelru.LRU[string, *cached]
}

var (
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

// stmt returns the free prepared statement for query, preparing and
// caching it when absent; nil means use the one-shot path.
func (c *conn) stmt(ctx context.Context, query string) *cached {
	if s, ok := c.stmts.Get(query); ok {
		if s.busy {
			return nil
		}
		return s
	}
	ds, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil // the one-shot path reports the error
	}
	ps, ok := ds.(preparedStmt)
	if !ok {
		_ = ds.Close()
		return nil
	}
	s := &cached{stmt: ps}
	c.stmts.Add(query, s)
	return s
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.stmt(ctx, query)
	if s == nil {
		return c.inner.QueryContext(ctx, query, args)
	}
	s.busy = true
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		s.release()
		return nil, err
	}
	tr, ok := rows.(typedRows)
	if !ok {
		_ = rows.Close()
		s.release()
		return nil, fmt.Errorf("sqlitedb: driver rows %T lack column types", rows)
	}
	return &cachedRows{typedRows: tr, s: s}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s := c.stmt(ctx, query)
	if s == nil {
		return c.inner.ExecContext(ctx, query, args)
	}
	s.busy = true
	defer s.release()
	return s.stmt.ExecContext(ctx, args)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.PrepareContext(ctx, query)
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.inner.PrepareContext(context.Background(), query)
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}

func (c *conn) Ping(ctx context.Context) error              { return c.inner.Ping(ctx) }
func (c *conn) ResetSession(ctx context.Context) error      { return c.inner.ResetSession(ctx) }
func (c *conn) IsValid() bool                               { return c.inner.IsValid() }
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error { return checkNamedValue(c.inner, nv) }

// Close finalizes every free cached statement (a busy one is finalized
// when its rows close), then closes the connection.
func (c *conn) Close() error {
	c.stmts.Purge() // the eviction callback closes every free statement
	return c.inner.Close()
}

// checkNamedValue keeps the driver's own argument conversion when it has
// one; otherwise database/sql's default applies.
func checkNamedValue(inner driver.Conn, nv *driver.NamedValue) error {
	if nc, ok := inner.(driver.NamedValueChecker); ok {
		return nc.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type cachedRows struct {
	typedRows
	s      *cached
	closed bool
}

func (r *cachedRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.typedRows.Close()
	r.s.release()
	return err
}
