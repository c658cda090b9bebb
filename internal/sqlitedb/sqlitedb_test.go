package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

func open(t *testing.T) *sql.DB {
	t.Helper()
	db := Open("file:" + filepath.Join(t.TempDir(), "t.db") + "?_pragma=journal_mode(WAL)&_txlock=immediate")
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (id, v) VALUES (?, ?)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// cachedCount is how many statements the one connection keeps prepared.
func cachedCount(t *testing.T, db *sql.DB) int {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n := -1
	if err := c.Raw(func(dc any) error {
		cc, ok := dc.(*conn)
		if !ok {
			return fmt.Errorf("driver connection is a %T, not the caching conn", dc)
		}
		n = cc.stmts.Len()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func values(t *testing.T, rows *sql.Rows) []string {
	t.Helper()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRepeatedQueryIsPreparedOnce(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	before := cachedCount(t, db)
	for i := range 50 {
		var v string
		if err := db.QueryRowContext(ctx, `SELECT v FROM t WHERE id = ?`, i%5).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("v", i%5); v != want {
			t.Fatalf("query %d: got %q, want %q", i, v, want)
		}
	}
	if got := cachedCount(t, db); got != before+1 {
		t.Fatalf("cached statements: got %d, want %d (one more for the one query)", got, before+1)
	}
}

// The same query run again while its first rows are still open must not
// reset the first statement under its reader.
func TestNestedSameQuery(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	const q = `SELECT v FROM t WHERE id >= ? ORDER BY id`
	outer, err := tx.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	var got []string
	for outer.Next() {
		var v string
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.QueryContext(ctx, q, 3)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v+fmt.Sprint(values(t, inner)))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"v0[v3 v4]", "v1[v3 v4]", "v2[v3 v4]", "v3[v3 v4]", "v4[v3 v4]"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// A statement evicted while its rows are open keeps working until they
// close.
func TestEvictedWhileBusy(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT v FROM t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no first row")
	}
	for i := range CacheSize + 10 {
		var n int
		if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d + count(*) FROM t`, i)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i+5 {
			t.Fatalf("query %d: got %d, want %d", i, n, i+5)
		}
	}
	var first string
	if err := rows.Scan(&first); err != nil {
		t.Fatal(err)
	}
	rest := values(t, rows)
	if first != "v0" || fmt.Sprint(rest) != "[v1 v2 v3 v4]" {
		t.Fatalf("got %q then %v", first, rest)
	}
}

func TestErrorsAndScriptsAndSchemaChanges(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	const ins = `INSERT INTO t (id, v) VALUES (?, ?)`
	if _, err := db.ExecContext(ctx, ins, 10, "v1"); err == nil {
		t.Fatal("duplicate v: want a constraint error")
	}
	if _, err := db.ExecContext(ctx, ins, 10, "v10"); err != nil {
		t.Fatalf("the statement after a failed run: %v", err)
	}
	script := `CREATE TABLE IF NOT EXISTS a (x); CREATE TABLE IF NOT EXISTS b (y); INSERT INTO a VALUES (1);`
	for range 2 {
		if _, err := db.ExecContext(ctx, script); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM a`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("script ran %d times (err %v), want 2", n, err)
	}
	const sel = `SELECT * FROM t WHERE id = 10`
	var id int
	var v string
	if err := db.QueryRowContext(ctx, sel).Scan(&id, &v); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'w'`); err != nil {
		t.Fatal(err)
	}
	var w string
	if err := db.QueryRowContext(ctx, sel).Scan(&id, &v, &w); err != nil || w != "w" {
		t.Fatalf("after a schema change: w %q, err %v", w, err)
	}
}

func TestCanceledQueryLeavesStatementUsable(t *testing.T) {
	db := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	const q = `SELECT v FROM t WHERE id = ?`
	if err := db.QueryRowContext(ctx, q, 1).Scan(new(string)); err == nil {
		t.Fatal("canceled context: want an error")
	}
	var v string
	if err := db.QueryRowContext(context.Background(), q, 2).Scan(&v); err != nil || v != "v2" {
		t.Fatalf("got %q, %v", v, err)
	}
}

func BenchmarkQuery(b *testing.B) {
	for _, tc := range []struct {
		name string
		open func(string) *sql.DB
	}{
		{"cached", Open},
		{"driver", func(dsn string) *sql.DB { db, _ := sql.Open("sqlite", dsn); return db }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			db := tc.open("file:" + filepath.Join(b.TempDir(), "b.db"))
			db.SetMaxOpenConns(1)
			defer db.Close()
			ctx := context.Background()
			if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, state TEXT, queue TEXT, v TEXT)`); err != nil {
				b.Fatal(err)
			}
			const q = `SELECT id, v FROM t WHERE state = 'available' AND queue = ? AND id > ? ORDER BY id LIMIT 10`
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				var id int
				err := db.QueryRowContext(ctx, q, "default", i).Scan(&id, new(string))
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					b.Fatal(err)
				}
			}
		})
	}
}
