package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDatabaseURL names the variable holding the test server's URL.
const EnvDatabaseURL = "HEARD_TEST_DATABASE_URL"

var dbSeq atomic.Int64

// PostgresURL creates a fresh, empty database on the test server and
// returns its URL; the database is dropped when the test ends. A missing
// server is a test failure, never a skip: run `make test`, which starts one,
// or set HEARD_TEST_DATABASE_URL to a server where you may create databases.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		tb.Fatalf("%s is not set: PostgreSQL tests need a real server; run `make test` (it starts one with scripts/pg.sh) or `scripts/pg.sh run go test ./...`", EnvDatabaseURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connecting to the test server from %s: %v", EnvDatabaseURL, err)
	}
	defer func() { _ = admin.Close(context.Background()) }()
	name := fmt.Sprintf("heard_t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, dbSeq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("creating test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("dropping test database %s: %v", name, err)
			return
		}
		defer func() { _ = c.Close(context.Background()) }()
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("dropping test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parsing %s: %v", EnvDatabaseURL, err)
	}
	u.Path = "/" + strings.TrimPrefix(name, "/")
	return u.String()
}
