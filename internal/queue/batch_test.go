package queue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// sqlStateError is a driver error carrying a SQLSTATE, as pgconn.PgError
// does.
type sqlStateError struct{ state string }

func (e *sqlStateError) Error() string    { return "sqlstate " + e.state }
func (e *sqlStateError) SQLState() string { return e.state }

func TestBatchFailureSplitsOnlyOnRejectedRows(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		wantGood  bool // good requests batched with the bad one succeed
		wantCalls int  // insert calls for one batch of 4 requests
	}{
		{"untranslatable character (22P05)", &sqlStateError{"22P05"}, true, 5},
		{"wrapped data exception", fmt.Errorf("inserting: %w", &sqlStateError{"22021"}), true, 5},
		{"unique violation (23505)", &sqlStateError{"23505"}, true, 5},
		{"connection failure (08006) is not split", &sqlStateError{"08006"}, false, 1},
		{"plain error is not split", errors.New("database unreachable"), false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			insert := func(_ context.Context, jobs []Job) ([]Result, error) {
				calls++
				for _, j := range jobs {
					if strings.HasPrefix(j.Key, "bad") {
						return nil, tc.err
					}
				}
				if tc.wantCalls == 1 && len(jobs) < 4 {
					t.Errorf("unexpected split insert of %d jobs", len(jobs))
				}
				return make([]Result, len(jobs)), nil
			}
			b := &batcher{insert: insert}
			var reqs []*batchReq
			n := 0
			for _, key := range []string{"good1", "bad", "good2", "good3"} {
				r := &batchReq{ctx: t.Context(), jobs: []Job{{Key: key, Event: sdk.Event{ID: key}}}, done: make(chan batchResp, 1)}
				reqs = append(reqs, r)
				n += len(r.jobs)
			}
			b.flush(reqs, n)
			if calls != tc.wantCalls {
				t.Errorf("%d insert calls; want %d", calls, tc.wantCalls)
			}
			for _, r := range reqs {
				resp := <-r.done
				bad := r.jobs[0].Key == "bad"
				switch {
				case bad && resp.err == nil:
					t.Errorf("%s: no error; want the database's", r.jobs[0].Key)
				case !bad && tc.wantGood && (resp.err != nil || len(resp.res) != 1 || resp.res[0] != Enqueued):
					t.Errorf("%s: %v %v; want enqueued", r.jobs[0].Key, resp.res, resp.err)
				case !bad && !tc.wantGood && resp.err == nil:
					t.Errorf("%s: no error; want the batch's error", r.jobs[0].Key)
				}
			}
		})
	}
}
