// Package storetest is the conformance suite every store driver passes, and
// the helpers tests use to get a real, isolated database: a fresh SQLite
// directory or a fresh PostgreSQL database on the server named by
// HEARD_TEST_DATABASE_URL (which `make test` starts through scripts/pg.sh).
//
// This package is not a public API.
package storetest
