// Package postgres is the production store: PostgreSQL through a pgx/v5
// pool, with the pgvector extension created by the first migration. Several
// heard replicas may share one database; migrations take an advisory lock
// so that replicas starting together do not race.
//
// This package is not a public API.
package postgres
