package queue

import (
	"errors"
	"fmt"
	"testing"

	"github.com/heardhq/heard/internal/groupcommit"
)

// sqlStateError is a driver error carrying a SQLSTATE, as pgconn.PgError
// does.
type sqlStateError struct{ state string }

func (e *sqlStateError) Error() string    { return "sqlstate " + e.state }
func (e *sqlStateError) SQLState() string { return e.state }

// Only a database refusing a row's data splits a failed batch; an
// unreachable database is answered once for everyone.
func TestRejectedRowSplitsOnlyOnDataErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"untranslatable character (22P05)", &sqlStateError{"22P05"}, true},
		{"wrapped data exception", fmt.Errorf("inserting: %w", &sqlStateError{"22021"}), true},
		{"unique violation (23505)", &sqlStateError{"23505"}, true},
		{"connection failure (08006)", &sqlStateError{"08006"}, false},
		{"plain error", errors.New("database unreachable"), false},
	}
	for _, tc := range cases {
		if got := groupcommit.RefusedData(tc.err); got != tc.want {
			t.Errorf("%s: RefusedData = %v, want %v", tc.name, got, tc.want)
		}
	}
}
