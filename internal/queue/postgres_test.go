package queue_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

// TestPoisonedRowFailsAloneOnPostgres enqueues jobs PostgreSQL cannot store
// (a NUL in jsonb) concurrently with good ones, so they share insert
// transactions: only the poisoned callers may see an error.
func TestPoisonedRowFailsAloneOnPostgres(t *testing.T) {
	ctx := t.Context()
	st, err := postgres.Open(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	q, err := st.Queue(queue.Config{}, storetest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	const good, bad = 300, 100
	var (
		wg               sync.WaitGroup
		mu               sync.Mutex
		goodErr, badOK   int
		firstGoodFailure error
	)
	for i := range good + bad {
		wg.Go(func() {
			id := fmt.Sprintf("good-%d", i)
			poisoned := i%4 == 3 && i/4 < bad
			if poisoned {
				id = fmt.Sprintf("bad\x00-%d", i)
			}
			_, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", sdk.Event{ID: id, Kind: sdk.EventTicketUpdated})})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case poisoned && err == nil:
				badOK++
			case !poisoned && err != nil:
				goodErr++
				if firstGoodFailure == nil {
					firstGoodFailure = err
				}
			}
		})
	}
	wg.Wait()
	if goodErr != 0 {
		t.Errorf("%d good jobs failed alongside poisoned ones (first: %v); want 0", goodErr, firstGoodFailure)
	}
	if badOK != 0 {
		t.Errorf("%d poisoned jobs were stored; want every one refused", badOK)
	}
	counts, err := st.QueueCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := counts["available"] + counts["running"] + counts["completed"]; got != good {
		t.Errorf("queue holds %d jobs; want the %d good ones", got, good)
	}
}
