package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

// keyLog counts, per job key, how often the handler was entered, how many
// copies run right now, and whether one ever finished.
type keyLog struct {
	mu       sync.Mutex
	entries  map[string]int
	inflight map[string]int
	done     map[string]bool
	overlaps []string
}

func (l *keyLog) enter(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[key]++
	l.inflight[key]++
	if l.inflight[key] > 1 {
		l.overlaps = append(l.overlaps, key)
	}
}

func (l *keyLog) leave(key string, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight[key]--
	if ok {
		l.done[key] = true
	}
}

func (l *keyLog) doneCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.done)
}

// freezeDatabase stops every server process serving database name (and
// refuses new connections to it), as a hung server or a partition would
// look to heard: queries neither answer nor fail. The returned function
// thaws it.
func freezeDatabase(t *testing.T, admin *pgx.Conn, name string) (thaw func()) {
	t.Helper()
	ctx := t.Context()
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatalf("refusing connections to %s: %v", name, err)
	}
	rows, err := admin.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
	if err != nil {
		t.Fatalf("listing backends: %v", err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil || len(pids) == 0 {
		t.Fatalf("backends of %s = %v, %v; want some (the queue's connections)", name, pids, err)
	}
	var stopped []int
	for _, pid := range pids {
		if err := syscall.Kill(int(pid), syscall.SIGSTOP); err != nil {
			t.Errorf("SIGSTOP %d: %v", pid, err)
			continue
		}
		stopped = append(stopped, int(pid))
	}
	var once sync.Once
	thaw = func() {
		once.Do(func() {
			for _, pid := range stopped {
				if err := syscall.Kill(pid, syscall.SIGCONT); err != nil && !errors.Is(err, syscall.ESRCH) {
					t.Errorf("SIGCONT %d: %v", pid, err)
				}
			}
			if _, err := admin.Exec(context.Background(), "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true"); err != nil {
				t.Errorf("allowing connections to %s again: %v", name, err)
			}
		})
	}
	t.Cleanup(thaw)
	t.Logf("froze %d backends of %s", len(stopped), name)
	return thaw
}

// TestFrozenDatabaseStrandsNoJob freezes PostgreSQL under a live worker
// for longer than River's completer keeps retrying, so some jobs' outcomes
// cannot be recorded and they would stay "running" under a live client
// (River alone rescues them after an hour). Every job must still be
// completed within orphan_after (plus the time to work the backlog) after
// the thaw, and no job may ever run twice at once.
func TestFrozenDatabaseStrandsNoJob(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := pgx.Connect(t.Context(), os.Getenv(storetest.EnvDatabaseURL))
	if err != nil {
		t.Fatalf("admin connection: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close(context.Background()) })

	s, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })

	const orphanAfter = 2 * time.Second
	q, err := s.Queue(queue.Config{
		Workers: 8, OrphanAfter: orphanAfter, PollInterval: 50 * time.Millisecond,
		RetryBase: 50 * time.Millisecond, RetryMax: 200 * time.Millisecond, MaxAttempts: 25,
	}, storetest.Logger(t))
	if err != nil {
		t.Fatalf("Queue: %v", err)
	}
	log := &keyLog{entries: map[string]int{}, inflight: map[string]int{}, done: map[string]bool{}}
	h := queue.HandlerFunc(func(ctx context.Context, job queue.Job, at queue.Attempt) (err error) {
		log.enter(job.Key)
		defer func() { log.leave(job.Key, err == nil) }()
		// The pipeline's round trips (the duplicate check and the record),
		// then work that needs no database (a vendor call): jobs keep
		// finishing while the database is frozen, and River cannot record it.
		if _, err := s.Record(ctx, job.Key); err == nil {
			return nil
		} else if !errors.Is(err, sdk.ErrNotFound) {
			return err
		}
		if _, err := s.SaveRecord(ctx, store.Record{EventKey: job.Key, Connector: job.Connector, Kind: job.Event.Kind,
			TicketID: job.Event.Ticket.ID, Status: "processed", Attempt: at.Number, ProcessedAt: time.Now()}); err != nil {
			return err
		}
		select {
		case <-time.After(150 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	})
	if err := q.Start(t.Context(), h); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
		q.Close()
	})

	const n = 160
	jobs := make([]queue.Job, n)
	for i := range jobs {
		jobs[i] = queue.NewJob("acme", sdk.Event{ID: fmt.Sprintf("e%03d", i), Kind: sdk.EventTicketCreated,
			Ticket: sdk.TicketRef{Connector: "acme", ID: fmt.Sprint(i)}, OccurredAt: time.Now()})
	}
	if _, err := q.Enqueue(t.Context(), jobs); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for log.doneCount() < 16 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d jobs done before the freeze", log.doneCount())
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Longer than River's completer retries (about 7 s when connections are
	// refused): outcomes of jobs running at the freeze are lost.
	thaw := freezeDatabase(t, admin, name)
	time.Sleep(12 * time.Second)
	thaw()
	thawed := time.Now()

	// Every job is completed within orphan_after of the thaw, plus the time
	// to work the rest of the backlog (8 workers, 150 ms each: about 3 s)
	// and a margin for the shared machine.
	limit := orphanAfter + 3*time.Second + 10*time.Second
	var left int
	for {
		err := s.Pool().QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'heard.event' AND state <> 'completed'`).Scan(&left)
		if err == nil && left == 0 {
			break
		}
		if time.Since(thawed) > limit {
			counts, _ := s.QueueCounts(t.Context())
			t.Fatalf("%d jobs not completed %v after the thaw (states %v): stranded", left, limit, counts)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("all %d jobs completed %v after the thaw", n, time.Since(thawed).Round(time.Millisecond))

	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.overlaps) > 0 {
		t.Errorf("jobs ran twice at once: %v", log.overlaps)
	}
	if len(log.done) != n {
		t.Errorf("%d of %d jobs finished in the handler", len(log.done), n)
	}
	again := 0
	for _, c := range log.entries {
		if c > 1 {
			again++
		}
	}
	t.Logf("%d jobs were entered more than once (retried after the freeze), none concurrently", again)
}
