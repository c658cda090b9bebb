// Package trace builds one ticket's decision trace from the store: every
// event heard recorded for it, oldest first, with its decoded decision
// detail. `heard show` prints it and the admin console renders it.
//
// It is not a public API.
package trace
