package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Opener returns a fresh, empty, migrated store; the test owns closing it
// (register it with t.Cleanup).
type Opener func(t *testing.T) store.Store

// Run runs the conformance suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	t.Run("records", func(t *testing.T) { testRecords(t, open(t)) })
	t.Run("record_once_concurrently", func(t *testing.T) { testRecordOnce(t, open(t)) })
	t.Run("records_shared_commits", func(t *testing.T) { testRecordsSharedCommits(t, open(t)) })
	t.Run("count_similar", func(t *testing.T) { testCountSimilar(t, open(t)) })
	t.Run("count_similar_step", func(t *testing.T) { testCountSimilarStep(t, open(t)) })
	t.Run("records_one_refused", func(t *testing.T) { testRecordsOneRefused(t, open(t)) })
	t.Run("feedback_and_latest_enrichment", func(t *testing.T) { testFeedback(t, open(t)) })
	t.Run("models", func(t *testing.T) { testModels(t, open(t)) })
	t.Run("model_promote_concurrently", func(t *testing.T) { testModelPromoteConcurrently(t, open(t)) })
	t.Run("queue_unique", func(t *testing.T) { testQueueUnique(t, open(t)) })
	t.Run("queue_work_each_once", func(t *testing.T) { testQueueWork(t, open(t)) })
	t.Run("queue_retry_then_succeed", func(t *testing.T) { testQueueRetry(t, open(t)) })
	t.Run("queue_honours_retry_after", func(t *testing.T) { testQueueRetryAfter(t, open(t)) })
	t.Run("queue_dead_letter_keeps_payload", func(t *testing.T) { testQueueDead(t, open(t)) })
	t.Run("queue_graceful_drain", func(t *testing.T) { testQueueDrain(t, open(t)) })
	t.Run("queue_periodic_task", func(t *testing.T) { testQueuePeriodic(t, open(t)) })
	t.Run("check_write", func(t *testing.T) { testCheckWrite(t, open(t)) })
	t.Run("credits", func(t *testing.T) { testCredits(t, open(t)) })
	t.Run("credits_concurrently", func(t *testing.T) { testCreditsConcurrently(t, open(t)) })
	runTimeline(t, open)
	t.Run("timeline_between", func(t *testing.T) { testTimelineBetween(t, open(t)) })
	runAlerts(t, open)
	t.Run("audit", func(t *testing.T) { testAudit(t, open(t)) })
	t.Run("records_filter", func(t *testing.T) { testRecordsFilter(t, open(t)) })
	runConsole(t, open)
}

// testCheckWrite: a healthy store passes the write probe again and again,
// and the probe leaves the data alone. The drivers' own tests make it fail
// (read-only, full).
func testCheckWrite(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.SaveRecord(ctx, store.Record{EventKey: "k1", Connector: "c", Kind: "ticket.created", TicketID: "1", Status: "processed", Attempt: 1}); err != nil {
		t.Fatalf("SaveRecord: %v", err)
	}
	for i := range 3 {
		if err := s.CheckWrite(ctx); err != nil {
			t.Fatalf("CheckWrite #%d on a healthy store: %v", i+1, err)
		}
	}
	if r, err := s.Record(ctx, "k1"); err != nil || r.TicketID != "1" {
		t.Errorf("Record after CheckWrite = %+v, %v; want the saved record", r, err)
	}
}

// Logger returns a logger that writes to the test log at debug level when
// -v is set and discards otherwise.
func Logger(t *testing.T) *slog.Logger {
	t.Helper()
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

var _ io.Writer = tWriter{}

func event(id string) sdk.Event {
	return sdk.Event{
		ID: id, Kind: sdk.EventTicketCreated,
		Ticket:     sdk.TicketRef{Connector: "acme", Account: "acme", ID: "T-" + id},
		OccurredAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Payload:    json.RawMessage(`{"id":"` + id + `","n":1}`),
	}
}

func testRecords(t *testing.T, s store.Store) {
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	base := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
	want := store.Record{EventKey: "acme:e1", Connector: "acme", Kind: sdk.EventTicketCreated, TicketID: "42",
		Status: "processed", Attempt: 2, Detail: json.RawMessage(`{"a":1}`), ProcessedAt: base}
	ok, err := s.SaveRecord(ctx, want)
	if err != nil || !ok {
		t.Fatalf("SaveRecord first = %v, %v; want true, nil", ok, err)
	}
	dup := want
	dup.Status = "other"
	ok, err = s.SaveRecord(ctx, dup)
	if err != nil || ok {
		t.Fatalf("SaveRecord duplicate = %v, %v; want false, nil", ok, err)
	}
	got, err := s.Record(ctx, "acme:e1")
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	var gotDetail map[string]any
	if err := json.Unmarshal(got.Detail, &gotDetail); err != nil || gotDetail["a"] != float64(1) {
		t.Errorf("Detail = %s (%v); want {\"a\":1}", got.Detail, err)
	}
	if got.Status != "processed" || got.Kind != want.Kind || got.TicketID != "42" || got.Attempt != 2 || got.Connector != "acme" {
		t.Errorf("Record = %+v; want the first save %+v", got, want)
	}
	if d := got.ProcessedAt.Sub(base); d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("ProcessedAt = %v; want %v", got.ProcessedAt, base)
	}
	if _, err := s.Record(ctx, "acme:missing"); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Record(missing) error = %v; want ErrNotFound", err)
	}
	for i := range 5 {
		r := want
		r.EventKey = fmt.Sprintf("other:e%d", i)
		r.Connector = "other"
		r.TicketID = fmt.Sprint(40 + i%2) // 40, 41, 40, 41, 40
		r.ProcessedAt = base.Add(time.Duration(i+1) * time.Minute)
		if _, err := s.SaveRecord(ctx, r); err != nil {
			t.Fatalf("SaveRecord: %v", err)
		}
	}
	list, err := s.Records(ctx, store.Filter{Connector: "other", Limit: 3})
	if err != nil {
		t.Fatalf("Records: %v", err)
	}
	var keys []string
	for _, r := range list {
		keys = append(keys, r.EventKey)
	}
	if fmt.Sprint(keys) != "[other:e4 other:e3 other:e2]" {
		t.Errorf("Records(other, 3) = %v; want newest first [other:e4 other:e3 other:e2]", keys)
	}
	all, err := s.Records(ctx, store.Filter{})
	if err != nil || len(all) != 6 {
		t.Errorf("Records(all) = %d records, %v; want 6", len(all), err)
	}
	one, err := s.Records(ctx, store.Filter{Connector: "other", TicketID: "40"})
	keys = nil
	for _, r := range one {
		keys = append(keys, r.EventKey)
	}
	if err != nil || fmt.Sprint(keys) != "[other:e4 other:e2 other:e0]" {
		t.Errorf("Records(other, ticket 40) = %v, %v; want [other:e4 other:e2 other:e0]", keys, err)
	}
}

func testCountSimilar(t *testing.T, s store.Store) {
	ctx := t.Context()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, r := range []struct {
		conn, cat, who string
		ago            time.Duration
	}{
		{"acme", "bug", "u1", time.Hour}, {"acme", "bug", "u1", 2 * time.Hour}, // same customer twice
		{"acme", "bug", "u2", 3 * time.Hour}, {"acme", "bug", "u3", 30 * time.Hour}, // u3 too old
		{"acme", "billing", "u4", time.Hour}, {"other", "bug", "u5", time.Hour}, {"acme", "bug", "", time.Hour},
		{"acme", "bug", "me", time.Hour},
	} {
		rec := store.Record{EventKey: fmt.Sprintf("k%d", i), Connector: r.conn, Kind: sdk.EventTicketCreated, TicketID: "1",
			Status: "enriched", Attempt: 1, Category: r.cat, Requester: r.who, ProcessedAt: base.Add(-r.ago)}
		if _, err := s.SaveRecord(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	// A redelivered event (same key) is not a new report: u3 stays too old.
	if stored, err := s.SaveRecord(ctx, store.Record{EventKey: "k3", Connector: "acme", Kind: sdk.EventTicketCreated, TicketID: "1",
		Status: "enriched", Attempt: 2, Category: "bug", Requester: "u3", ProcessedAt: base}); err != nil || stored {
		t.Fatalf("SaveRecord(k3 again) = %v, %v; want not stored", stored, err)
	}
	n, err := s.CountSimilar(ctx, "acme", "bug", "me", base.Add(-24*time.Hour))
	if err != nil {
		t.Fatalf("CountSimilar: %v", err)
	}
	if n != 2 {
		t.Errorf("CountSimilar(acme, bug, last 24h, excluding me) = %d; want 2 (u1, u2)", n)
	}
	// Windows are exact to the microsecond (PostgreSQL's precision).
	for _, tc := range []struct {
		since time.Time
		want  int
	}{{base.Add(-3 * time.Hour), 2}, {base.Add(-3*time.Hour + time.Microsecond), 1}, {base.Add(-time.Hour + time.Microsecond), 0}, {base.Add(-31 * time.Hour), 3}} {
		if n, err := s.CountSimilar(ctx, "acme", "bug", "me", tc.since); err != nil || n != tc.want {
			t.Errorf("CountSimilar since %s = %d, %v; want %d", tc.since.Format(time.RFC3339Nano), n, err, tc.want)
		}
	}
	r, err := s.Record(ctx, "k0")
	if err != nil || r.Category != "bug" || r.Requester != "u1" {
		t.Errorf("Record(k0) = %+v, %v; want category and requester kept", r, err)
	}
}

func testFeedback(t *testing.T, s store.Store) {
	ctx := t.Context()
	base := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	for i, st := range []string{"enriched", "enriched", "skipped"} {
		r := store.Record{EventKey: fmt.Sprintf("e%d", i), Connector: "acme", Kind: sdk.EventTicketCreated, TicketID: "7",
			Status: st, Attempt: 1, Detail: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)), ProcessedAt: base.Add(time.Duration(i) * time.Minute)}
		if _, err := s.SaveRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.LatestEnriched(ctx, "acme", "7")
	if err != nil || r.EventKey != "e1" {
		t.Errorf("LatestEnriched = %+v, %v; want e1 (the newest enriched, not the skipped one)", r.EventKey, err)
	}
	if _, err := s.LatestEnriched(ctx, "acme", "8"); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("LatestEnriched(missing) = %v; want ErrNotFound", err)
	}
	rows := []store.Feedback{
		{Connector: "acme", TicketID: "7", Field: "priority", Predicted: "P1", Confidence: 0.8, Final: "P2", Agreed: false, At: base},
		{Connector: "acme", TicketID: "7", Field: "tag.primary", Predicted: "billing", Confidence: 0.9, Final: "billing", Agreed: true, At: base},
		{Connector: "other", TicketID: "1", Field: "priority", Predicted: "P3", Confidence: 0.5, Final: "P3", Agreed: true, At: base.Add(-48 * time.Hour)},
	}
	if err := s.SaveFeedback(ctx, rows); err != nil {
		t.Fatalf("SaveFeedback: %v", err)
	}
	// A later event: the agent changed the priority again.
	upd := rows[0]
	upd.Final, upd.Agreed, upd.At = "P1", true, base.Add(time.Hour)
	if err := s.SaveFeedback(ctx, []store.Feedback{upd}); err != nil {
		t.Fatalf("SaveFeedback update: %v", err)
	}
	got, err := s.Feedback(ctx, store.FeedbackFilter{Connector: "acme", Since: base.Add(-time.Hour)})
	if err != nil {
		t.Fatalf("Feedback: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("Feedback(acme) = %+v; want 2 rows", got)
	}
	byField := map[string]store.Feedback{}
	for _, f := range got {
		byField[f.Field] = f
	}
	if p := byField["priority"]; p.Final != "P1" || !p.Agreed || !p.At.Equal(base.Add(time.Hour)) || p.Confidence != 0.8 {
		t.Errorf("priority feedback = %+v; want the later final value P1, agreed", p)
	}
	all, err := s.Feedback(ctx, store.FeedbackFilter{})
	if err != nil || len(all) != 3 {
		t.Errorf("Feedback(all) = %d rows, %v; want 3", len(all), err)
	}
}

// Many workers saving at once share commits: every record lands, each
// save answers for its own record, and the requester index sees each new
// record once.
func testRecordsSharedCommits(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 200
	var fresh atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Every fourth key is saved twice; only one of the two is new.
			key := sharedKey(i)
			ok, err := s.SaveRecord(ctx, store.Record{EventKey: key, Connector: "c", Kind: sdk.EventTicketCreated, TicketID: fmt.Sprint(i),
				Status: "processed", Attempt: 1, Category: "billing", Requester: fmt.Sprintf("r%d", i%10), ProcessedAt: time.Now()})
			if err != nil {
				t.Errorf("SaveRecord %s: %v", key, err)
			}
			if ok {
				fresh.Add(1)
			}
		})
	}
	wg.Wait()
	keys := map[string]bool{}
	for i := range n {
		keys[sharedKey(i)] = true
	}
	if got := fresh.Load(); got != int64(len(keys)) {
		t.Errorf("%d saves reported new; want %d (one per distinct key)", got, len(keys))
	}
	for k := range keys {
		if r, err := s.Record(ctx, k); err != nil || r.EventKey != k {
			t.Errorf("record %s: %+v, %v", k, r, err)
		}
	}
	// Ten requesters saved records in billing; all but r3 are "others".
	if got, err := s.CountSimilar(ctx, "c", "billing", "r3", time.Now().Add(-time.Hour)); err != nil || got != 9 {
		t.Errorf("CountSimilar after shared commits = %d, %v; want 9", got, err)
	}
}

// sharedKey is save i's event key: saves 4k+2 and 4k+3 share one.
func sharedKey(i int) string {
	if i%4 == 3 {
		i--
	}
	return fmt.Sprintf("shared-%d", i)
}

func testRecordOnce(t *testing.T, s store.Store) {
	var wins atomic.Int64
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			ok, err := s.SaveRecord(t.Context(), store.Record{EventKey: "k", Connector: "c", Kind: sdk.EventTicketUpdated, TicketID: "1", Status: fmt.Sprint(i), Attempt: 1})
			if err != nil {
				t.Errorf("SaveRecord: %v", err)
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if n := wins.Load(); n != 1 {
		t.Errorf("%d concurrent saves of one key stored %d records; want 1", 16, n)
	}
}

func newQueue(t *testing.T, s store.Store, cfg queue.Config) queue.Queue {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	q, err := s.Queue(cfg, Logger(t))
	if err != nil {
		t.Fatalf("Queue: %v", err)
	}
	t.Cleanup(func() {
		if err := q.Stop(t.Context()); err != nil {
			t.Errorf("Stop: %v", err)
		}
		q.Close()
	})
	return q
}

func testQueueUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	q := newQueue(t, s, queue.Config{})
	if o, err := s.OldestQueued(ctx); err != nil || !o.IsZero() {
		t.Errorf("OldestQueued on an empty queue = %v, %v; want the zero time", o, err)
	}
	a, b := queue.NewJob("acme", event("a")), queue.NewJob("acme", event("b"))
	res, err := q.Enqueue(ctx, []queue.Job{a, b, a})
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	if want := []queue.Result{queue.Enqueued, queue.Enqueued, queue.Duplicate}; fmt.Sprint(res) != fmt.Sprint(want) {
		t.Errorf("Enqueue(a, b, a) = %v; want %v", res, want)
	}
	res, err = q.Enqueue(ctx, []queue.Job{b})
	if err != nil || len(res) != 1 || res[0] != queue.Duplicate {
		t.Errorf("Enqueue(b) again = %v, %v; want [Duplicate]", res, err)
	}
	// The same event ID under another connector is a different event.
	res, err = q.Enqueue(ctx, []queue.Job{queue.NewJob("other", event("a"))})
	if err != nil || len(res) != 1 || res[0] != queue.Enqueued {
		t.Errorf("Enqueue(other:a) = %v, %v; want [Enqueued]", res, err)
	}
	// Many concurrent deliveries of one event: exactly one is enqueued.
	var enq atomic.Int64
	var wg sync.WaitGroup
	for range 24 {
		wg.Go(func() {
			r, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event("c"))})
			if err != nil {
				t.Errorf("Enqueue: %v", err)
				return
			}
			if r[0] == queue.Enqueued {
				enq.Add(1)
			}
		})
	}
	wg.Wait()
	if n := enq.Load(); n != 1 {
		t.Errorf("24 concurrent deliveries of one event enqueued %d jobs; want 1", n)
	}
	counts, err := s.QueueCounts(ctx)
	if err != nil {
		t.Fatalf("QueueCounts: %v", err)
	}
	if counts["available"] != 4 {
		t.Errorf("available jobs = %d (%v); want 4", counts["available"], counts)
	}
	oldest, err := s.OldestQueued(ctx)
	if err != nil {
		t.Fatalf("OldestQueued: %v", err)
	}
	if oldest.IsZero() || time.Since(oldest) < -time.Second || time.Since(oldest) > time.Minute {
		t.Errorf("OldestQueued = %v; want the moment the first of the 4 waiting jobs was queued", oldest)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func testQueueWork(t *testing.T, s store.Store) {
	ctx := t.Context()
	q := newQueue(t, s, queue.Config{Workers: 4})
	var mu sync.Mutex
	seen := map[string]int{}
	payloads := map[string]string{}
	err := q.Start(ctx, queue.HandlerFunc(func(_ context.Context, j queue.Job, _ queue.Attempt) error {
		mu.Lock()
		defer mu.Unlock()
		seen[j.Key]++
		payloads[j.Key] = string(j.Event.Payload)
		return nil
	}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	const n = 30
	for i := range n {
		if _, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event(fmt.Sprint(i)))}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
	}
	waitFor(t, "all jobs completed", 20*time.Second, func() bool {
		c, err := s.QueueCounts(ctx)
		return err == nil && c["completed"] == n
	})
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != n {
		t.Errorf("handled %d distinct jobs; want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("job %s handled %d times; want 1", k, c)
		}
	}
	if got := payloads["acme:7"]; got != `{"id":"7","n":1}` {
		t.Errorf("payload of acme:7 = %s; want the event's own JSON", got)
	}
	// A redelivery after the job finished is still a duplicate.
	res, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event("7"))})
	if err != nil || res[0] != queue.Duplicate {
		t.Errorf("redelivery after completion = %v, %v; want Duplicate", res, err)
	}
}

func testQueueRetry(t *testing.T, s store.Store) {
	ctx := t.Context()
	q := newQueue(t, s, queue.Config{RetryBase: 20 * time.Millisecond, RetryMax: 50 * time.Millisecond, MaxAttempts: 5})
	var attempts []int
	var mu sync.Mutex
	done := make(chan struct{})
	err := q.Start(ctx, queue.HandlerFunc(func(_ context.Context, _ queue.Job, at queue.Attempt) error {
		mu.Lock()
		defer mu.Unlock()
		attempts = append(attempts, at.Number)
		if at.Number < 3 {
			return fmt.Errorf("vendor down: %w", sdk.ErrUnavailable)
		}
		close(done)
		return nil
	}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if _, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event("r"))}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("job never succeeded after retries")
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(attempts) != "[1 2 3]" {
		t.Errorf("attempts = %v; want [1 2 3]", attempts)
	}
}

func testQueueRetryAfter(t *testing.T, s store.Store) {
	ctx := t.Context()
	q := newQueue(t, s, queue.Config{RetryBase: time.Hour, RetryMax: time.Hour, MaxAttempts: 2})
	var mu sync.Mutex
	var calls []queue.Attempt
	var first time.Time
	done := make(chan time.Duration, 1)
	err := q.Start(ctx, queue.HandlerFunc(func(_ context.Context, _ queue.Job, at queue.Attempt) error {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, at)
		if len(calls) == 1 {
			first = time.Now()
			return &sdk.RetryAfterError{Err: sdk.ErrUnavailable, Wait: 300 * time.Millisecond}
		}
		done <- time.Since(first)
		return nil
	}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if _, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event("ra"))}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	select {
	case waited := <-done:
		// The hour-long backoff would never have run it again this soon.
		if waited < 300*time.Millisecond {
			t.Errorf("ran again after %v; want at least the vendor's 300ms", waited)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("job not run again after the vendor's Retry-After")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 2 || calls[1].Number > calls[0].Number {
		t.Errorf("attempts %v; want two runs, the snooze not counted as an attempt", calls)
	}
}

func testQueueDead(t *testing.T, s store.Store) {
	ctx := t.Context()
	q := newQueue(t, s, queue.Config{RetryBase: 10 * time.Millisecond, RetryMax: 20 * time.Millisecond, MaxAttempts: 2})
	err := q.Start(ctx, queue.HandlerFunc(func(_ context.Context, j queue.Job, _ queue.Attempt) error {
		if j.Event.ID == "bad" {
			return fmt.Errorf("ticket payload rejected: %w", sdk.ErrInvalid)
		}
		return errors.New("always failing")
	}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if _, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event("d")), queue.NewJob("acme", event("bad"))}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var dead []queue.DeadJob
	waitFor(t, "two dead jobs", 20*time.Second, func() bool {
		dead, err = q.Dead(ctx, 10)
		return err == nil && len(dead) == 2
	})
	byID := map[string]queue.DeadJob{}
	for _, d := range dead {
		byID[d.Job.Event.ID] = d
	}
	d := byID["d"]
	if d.Attempts != 2 || len(d.Errors) != 2 {
		t.Errorf("retryable failure: attempts=%d errors=%d; want 2 and 2", d.Attempts, len(d.Errors))
	}
	if string(d.Job.Event.Payload) != `{"id":"d","n":1}` || d.Job.Key != "acme:d" || d.Job.Event.Ticket.ID != "T-d" {
		t.Errorf("dead job lost its payload: %+v", d.Job)
	}
	if b := byID["bad"]; b.Attempts != 1 {
		t.Errorf("invalid-input failure: attempts=%d; want 1 (not retried)", b.Attempts)
	}
	// An admin retry puts it back to work.
	if err := q.Retry(ctx, d.ID); err != nil {
		t.Fatalf("Retry: %v", err)
	}
	if err := q.Retry(ctx, 1<<40); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Retry(unknown) = %v; want ErrNotFound", err)
	}
}

func testQueuePeriodic(t *testing.T, s store.Store) {
	ran := make(chan struct{}, 10)
	q := newQueue(t, s, queue.Config{Periodic: []queue.Periodic{{Name: "kb.sync", Every: time.Hour, Run: func(context.Context) error {
		ran <- struct{}{}
		return nil
	}}}})
	if err := q.Start(t.Context(), queue.HandlerFunc(func(context.Context, queue.Job, queue.Attempt) error { return nil })); err != nil {
		t.Fatalf("Start: %v", err)
	}
	select {
	case <-ran: // run on start by the elected leader
	case <-time.After(30 * time.Second):
		t.Fatal("periodic task never ran on start")
	}
	if _, err := s.Queue(queue.Config{Periodic: []queue.Periodic{{Name: "x"}}}, nil); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("periodic task without interval: %v; want ErrInvalid", err)
	}
}

func testQueueDrain(t *testing.T, s store.Store) {
	ctx := t.Context()
	q, err := s.Queue(queue.Config{PollInterval: 20 * time.Millisecond}, Logger(t))
	if err != nil {
		t.Fatalf("Queue: %v", err)
	}
	defer q.Close()
	started := make(chan struct{})
	release := make(chan struct{})
	var finished atomic.Bool
	err = q.Start(ctx, queue.HandlerFunc(func(context.Context, queue.Job, queue.Attempt) error {
		close(started)
		<-release
		finished.Store(true)
		return nil
	}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if _, err := q.Enqueue(ctx, []queue.Job{queue.NewJob("acme", event("slow"))}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- q.Stop(ctx) }()
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while a job was still running; want it to wait", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !finished.Load() {
		t.Error("Stop returned before the running job finished")
	}
	c, err := s.QueueCounts(ctx)
	if err != nil || c["completed"] != 1 {
		t.Errorf("after drain: counts %v, %v; want the job completed", c, err)
	}
	if q.Running() {
		t.Error("Running() = true after Stop")
	}
}
