package groupcommit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = fmt.Errorf("closed: %w", errors.ErrUnsupported)

// Config configures a Committer of requests T answered with R.
type Config[T, R any] struct {
	// Commit stores reqs in one transaction and answers each, in order
	// (len(result) == len(reqs) when err is nil).
	Commit func(ctx context.Context, reqs []T) ([]R, error)
	// Size is a request's weight against Max (nil: 1 each).
	Size func(T) int
	// Max caps the total Size of one commit (default 256).
	Max int
	// Flushers is how many commits may run at once (default 1).
	Flushers int
	// Timeout bounds one commit (default 10s). A commit outlives its
	// callers' contexts so that one caller going away cannot roll back
	// its neighbours' writes.
	Timeout time.Duration
	// Isolate reports whether a failed commit's error means the database
	// refused some request's data; the requests are then retried one by
	// one. Nil: never.
	Isolate func(error) bool
	// What names the writes in errors ("saving records").
	What string
}

// Committer merges concurrent Submit calls into shared commits.
type Committer[T, R any] struct {
	cfg  Config[T, R]
	quit chan struct{}
	reqs chan *request[T, R]
}

type request[T, R any] struct {
	ctx  context.Context //nolint:containedctx // carried only until a flusher picks the request up
	item T
	done chan response[R]
}

type response[R any] struct {
	res R
	err error
}

// New starts a Committer's flushers; Close stops them.
func New[T, R any](cfg Config[T, R]) *Committer[T, R] {
	if cfg.Max <= 0 {
		cfg.Max = 256
	}
	if cfg.Flushers <= 0 {
		cfg.Flushers = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Size == nil {
		cfg.Size = func(T) int { return 1 }
	}
	if cfg.What == "" {
		cfg.What = "committing"
	}
	c := &Committer[T, R]{cfg: cfg, quit: make(chan struct{}), reqs: make(chan *request[T, R], 4*cfg.Max)}
	for range cfg.Flushers {
		go c.loop()
	}
	return c
}

// Submit commits item, together with whatever else is waiting, and
// returns its answer. Once a request is handed to a flusher Submit waits
// for the outcome even if ctx ends: the write may already be committed,
// and the caller must not report a failure for work that was stored.
func (c *Committer[T, R]) Submit(ctx context.Context, item T) (R, error) {
	var zero R
	r := &request[T, R]{ctx: ctx, item: item, done: make(chan response[R], 1)}
	select {
	case c.reqs <- r:
	case <-c.quit:
		return zero, fmt.Errorf("%s: %w", c.cfg.What, ErrClosed)
	case <-ctx.Done():
		return zero, fmt.Errorf("%s: %w", c.cfg.What, ctx.Err())
	}
	resp := <-r.done
	return resp.res, resp.err
}

// Close stops the flushers; requests not yet picked up get ErrClosed.
func (c *Committer[T, R]) Close() { close(c.quit) }

func (c *Committer[T, R]) loop() {
	for {
		var first *request[T, R]
		select {
		case first = <-c.reqs:
		case <-c.quit:
			for { // answer anyone who got in before the close
				select {
				case r := <-c.reqs:
					r.done <- response[R]{err: fmt.Errorf("%s: %w", c.cfg.What, ErrClosed)}
				default:
					return
				}
			}
		}
		batch := []*request[T, R]{first}
		n := c.cfg.Size(first.item)
	gather:
		for n < c.cfg.Max {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
				n += c.cfg.Size(r.item)
			default:
				break gather
			}
		}
		c.flush(batch)
	}
}

func (c *Committer[T, R]) flush(batch []*request[T, R]) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- response[R]{err: fmt.Errorf("%s: %w", c.cfg.What, err)}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	items := make([]T, len(live))
	for i, r := range live {
		items[i] = r.item
	}
	res, err := c.commit(live[0].ctx, items)
	if err != nil && len(live) > 1 && c.cfg.Isolate != nil && c.cfg.Isolate(err) {
		for _, r := range live {
			res, err := c.commit(r.ctx, []T{r.item})
			if err != nil {
				r.done <- response[R]{err: err}
				continue
			}
			r.done <- response[R]{res: res[0]}
		}
		return
	}
	for i, r := range live {
		if err != nil {
			r.done <- response[R]{err: err}
			continue
		}
		r.done <- response[R]{res: res[i]}
	}
}

func (c *Committer[T, R]) commit(ctx context.Context, items []T) ([]R, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
	defer cancel()
	res, err := c.cfg.Commit(ctx, items)
	if err == nil && len(res) != len(items) {
		err = fmt.Errorf("%s: %d answers for %d requests", c.cfg.What, len(res), len(items))
	}
	return res, err
}

// RefusedData reports whether err is the database refusing a row's data
// rather than being unreachable or overloaded: a PostgreSQL SQLSTATE of
// class 22 (data exception, such as a NUL in jsonb) or 23 (integrity
// constraint), or a JSON encoding failure. Only then is a failed shared
// commit worth splitting (Config.Isolate); when the database is down, one
// attempt is enough.
func RefusedData(err error) bool {
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
