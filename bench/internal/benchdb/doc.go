// Package benchdb gives each benchmark run a database of its own on a
// PostgreSQL server. It is not a public API.
package benchdb
