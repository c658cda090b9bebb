package webhooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/webhooks"
)

// TestPoisonedDeliveriesLeaveNeighboursAcceptedOnPostgres sends 400
// deliveries whose event ids hold a NUL (which PostgreSQL's jsonb refuses)
// concurrently with legitimate ones through a real queue: every poisoned one
// is a 400 naming the field, every legitimate one a 202.
func TestPoisonedDeliveriesLeaveNeighboursAcceptedOnPostgres(t *testing.T) {
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
	// Room for every request at once: this is about poison, not the cap.
	h := serve(t, fakeConn{}, q, webhooks.Config{MaxConcurrent: 2000})
	const legit, poisoned = 1000, 400
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		legitBad  = map[int]int{}
		poisonBad = map[int]int{}
		named     int
	)
	for i := range legit + poisoned {
		wg.Go(func() {
			body, bad := fmt.Sprintf("legit-%d", i), i >= legit
			if bad {
				body = fmt.Sprintf("bad\x00%d", i)
			}
			rec := do(h, http.MethodPost, "/v1/webhooks/acme", body, "ok")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case bad && rec.Code != http.StatusBadRequest:
				poisonBad[rec.Code]++
			case bad && strings.Contains(rec.Body.String(), "event id contains a NUL"):
				named++
			case !bad && rec.Code != http.StatusAccepted:
				legitBad[rec.Code]++
			}
		})
	}
	wg.Wait()
	if len(legitBad) != 0 {
		t.Errorf("legitimate deliveries not accepted, by status: %v; want all %d answered 202", legitBad, legit)
	}
	if len(poisonBad) != 0 || named != poisoned {
		t.Errorf("poisoned deliveries: wrong statuses %v, %d of %d naming the field; want all 400 naming it", poisonBad, named, poisoned)
	}
	counts, err := st.QueueCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := counts["available"] + counts["running"] + counts["completed"]; got != legit {
		t.Errorf("queue holds %d jobs; want %d", got, legit)
	}
}
