package queue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// errLeaseLost is the cause of a job's cancelled context when this process
// could not renew its lease in time: another replica may rescue the job
// soon, so this one must stop working on it.
var errLeaseLost = errors.New("job lease lost: the heartbeat could not reach the database")

// leases are the jobs this process is working. The heartbeat names them
// to the store (renewing their leases); when renewals stop getting
// through, lose cancels every one of them. A job fetched meanwhile needs no
// renewal yet: the store leaves a job alone for a whole silence window
// after its fetch, and lose runs again within half of one.
type leases struct {
	mu   sync.Mutex
	jobs map[int64]context.CancelCauseFunc
}

func newLeases() *leases { return &leases{jobs: map[int64]context.CancelCauseFunc{}} }

// hold registers job id, worked under a context that cancel cancels, and
// returns the function that releases it when the work is over.
func (l *leases) hold(id int64, cancel context.CancelCauseFunc) (release func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.jobs[id] = cancel
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.jobs, id)
	}
}

// held lists the jobs being worked, sorted.
func (l *leases) held() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]int64, 0, len(l.jobs))
	for id := range l.jobs {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// lose cancels every job being worked and returns how many there were.
func (l *leases) lose() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, cancel := range l.jobs {
		cancel(errLeaseLost)
	}
	return len(l.jobs)
}

// work runs fn for job id under a lease. A failure caused by losing the
// lease is reported as such and is always retryable: the job is not at
// fault.
func (l *leases) work(ctx context.Context, id int64, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	release := l.hold(id, cancel)
	defer release()
	err := fn(ctx)
	if err != nil && errors.Is(context.Cause(ctx), errLeaseLost) {
		return fmt.Errorf("%w (job stopped so that it never runs twice at once): %s", errLeaseLost, err.Error())
	}
	return err
}
