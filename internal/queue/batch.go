package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// batcher merges concurrent Enqueue calls into shared insert transactions.
// A flusher takes whatever requests are waiting (up to max jobs), inserts
// them in one transaction and answers each caller; while it works, new
// requests pile up for the next round. An idle queue adds no delay, and a
// busy one pays one commit for many events.
type batcher struct {
	quit   chan struct{}
	reqs   chan *batchReq
	max    int
	insert func(context.Context, []Job) ([]Result, error)
}

type batchReq struct {
	ctx  context.Context //nolint:containedctx // carried only until the flusher picks the request up
	jobs []Job
	done chan batchResp
}

type batchResp struct {
	res []Result
	err error
}

func newBatcher(flushers, maxBatch int, insert func(context.Context, []Job) ([]Result, error)) *batcher {
	b := &batcher{quit: make(chan struct{}), reqs: make(chan *batchReq, 4*maxBatch), max: maxBatch, insert: insert}
	for range flushers {
		go b.loop()
	}
	return b
}

func (b *batcher) submit(ctx context.Context, jobs []Job) ([]Result, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	r := &batchReq{ctx: ctx, jobs: jobs, done: make(chan batchResp, 1)}
	select {
	case b.reqs <- r:
	case <-b.quit:
		return nil, errClosed
	case <-ctx.Done():
		return nil, fmt.Errorf("enqueueing: %w", ctx.Err())
	}
	// Once submitted, wait for the answer even if ctx ends: the jobs may
	// already be committed, and the caller must not report a failure for
	// work that was stored.
	resp := <-r.done
	return resp.res, resp.err
}

// errClosed is returned by Enqueue after Close.
var errClosed = fmt.Errorf("queue closed: %w", errors.ErrUnsupported)

func (b *batcher) close() { close(b.quit) }

func (b *batcher) loop() {
	for {
		var first *batchReq
		select {
		case first = <-b.reqs:
		case <-b.quit:
			// Answer anyone who got in before the close.
			for {
				select {
				case r := <-b.reqs:
					r.done <- batchResp{err: errClosed}
				default:
					return
				}
			}
		}
		batch := []*batchReq{first}
		n := len(first.jobs)
	gather:
		for n < b.max {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
				n += len(r.jobs)
			default:
				break gather
			}
		}
		b.flush(batch, n)
	}
}

func (b *batcher) flush(batch []*batchReq, n int) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- batchResp{err: fmt.Errorf("enqueueing: %w", err)}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	jobs := make([]Job, 0, n)
	for _, r := range live {
		jobs = append(jobs, r.jobs...)
	}
	// The transaction outlives any one caller's context so that a caller
	// going away cannot roll back its neighbours' events.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(live[0].ctx), insertTimeout)
	res, err := b.insert(ctx, jobs)
	cancel()
	if err != nil && len(live) > 1 && rejectedRow(err) {
		// One request's rows were refused by the database (a value it
		// cannot store, say); the transaction rolled back everyone's.
		// Retry each request alone so only the guilty one fails.
		for _, r := range live {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), insertTimeout)
			res, err := b.insert(ctx, r.jobs)
			cancel()
			r.done <- batchResp{res: res, err: err}
		}
		return
	}
	off := 0
	for _, r := range live {
		if err != nil {
			r.done <- batchResp{err: err}
			continue
		}
		r.done <- batchResp{res: res[off : off+len(r.jobs)]}
		off += len(r.jobs)
	}
}

// rejectedRow reports whether err is the database refusing a row's data
// rather than being unreachable or overloaded: a PostgreSQL SQLSTATE of
// class 22 (data exception, such as a NUL in jsonb) or 23 (integrity
// constraint), or a JSON encoding failure. Only then is a failed batch
// worth splitting; when the database is down, one attempt is enough.
func rejectedRow(err error) bool {
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		st := coded.SQLState()
		return strings.HasPrefix(st, "22") || strings.HasPrefix(st, "23")
	}
	var (
		syn *json.SyntaxError
		typ *json.UnsupportedValueError
		mar *json.MarshalerError
	)
	return errors.As(err, &syn) || errors.As(err, &typ) || errors.As(err, &mar)
}

func decodeArgs(raw []byte, j *Job) error { return json.Unmarshal(raw, j) }

// insertTimeout bounds one insert transaction.
const insertTimeout = 10 * time.Second
