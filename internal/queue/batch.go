package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/groupcommit"
)

// batcher merges concurrent Enqueue calls into shared insert transactions
// (package groupcommit): an idle queue adds no delay, and a busy one pays
// one commit for many events. A request is one delivery's jobs.
type batcher struct {
	c *groupcommit.Committer[[]Job, []Result]
}

func newBatcher(flushers, maxBatch int, insert func(context.Context, []Job) ([]Result, error)) *batcher {
	return &batcher{c: groupcommit.New(groupcommit.Config[[]Job, []Result]{
		Commit: func(ctx context.Context, reqs [][]Job) ([][]Result, error) {
			var jobs []Job
			for _, r := range reqs {
				jobs = append(jobs, r...)
			}
			res, err := insert(ctx, jobs)
			if err != nil {
				return nil, err
			}
			if len(res) != len(jobs) {
				return nil, fmt.Errorf("enqueueing: %d results for %d jobs", len(res), len(jobs))
			}
			out := make([][]Result, len(reqs))
			off := 0
			for i, r := range reqs {
				out[i] = res[off : off+len(r)]
				off += len(r)
			}
			return out, nil
		},
		Size:     func(jobs []Job) int { return len(jobs) },
		Max:      maxBatch,
		Flushers: flushers,
		Timeout:  insertTimeout,
		Isolate:  groupcommit.RefusedData,
		What:     "enqueueing",
	})}
}

func (b *batcher) submit(ctx context.Context, jobs []Job) ([]Result, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	return b.c.Submit(ctx, jobs)
}

func (b *batcher) close() { b.c.Close() }

// errClosed is returned by Enqueue after Close.
var errClosed = groupcommit.ErrClosed

func decodeArgs(raw []byte, j *Job) error { return json.Unmarshal(raw, j) }

// insertTimeout bounds one insert transaction.
const insertTimeout = 10 * time.Second
