package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/retrain"
	"github.com/heardhq/heard/classify/learned/synth"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/kb/solved"
	"github.com/heardhq/heard/sdk"
)

// seedSolved indexes n synthetic solved tickets from several businesses.
func seedSolved(t *testing.T, ix solved.Index, n int, solvedAt time.Time) {
	t.Helper()
	emb, err := embed.NewHashed(ix.Dim())
	if err != nil {
		t.Fatal(err)
	}
	x, err := solved.NewIndexer(ix, emb, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range synth.Generate(n, 5) {
		p, _ := sdk.ParsePriority(h.Priority)
		tk := &sdk.Ticket{Ref: sdk.TicketRef{Connector: "acme", ID: fmt.Sprint(i)}, Subject: h.Subject, Priority: p, Tags: h.Tags,
			UpdatedAt: solvedAt.Add(time.Duration(i) * time.Minute), Messages: []sdk.Message{{Body: h.Body}}}
		if err := x.IndexSolved(t.Context(), tk); err != nil {
			t.Fatal(err)
		}
	}
}

func modelCount(t *testing.T, st store.Store) int {
	t.Helper()
	ms, err := st.Models(context.WithoutCancel(t.Context()), retrain.Kind)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

// TestPeriodicRetrainIsTriggeredByNewLabels runs the periodic job: with a
// current model and nothing new it does not retrain; agents' corrections
// (agreement rows that disagreed) since the model was trained make it
// retrain on the indexed solved tickets.
func TestPeriodicRetrainIsTriggeredByNewLabels(t *testing.T) {
	st, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := solved.NewSQLite(t.Context(), st.DB(), 256)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	seedSolved(t, ix, 400, now.Add(-30*24*time.Hour))
	job := &periodicRetrain{st: st, ix: ix, cfg: retrain.PeriodicConfig{MinNewLabels: 5, Since: config.Duration(180 * 24 * time.Hour)},
		tags: learned.DefaultTags(), log: storeLogger(t), now: func() time.Time { return now }}

	// No model yet: every indexed ticket is new, so it trains and promotes.
	if err := job.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := modelCount(t, st); n != 1 {
		t.Fatalf("%d models after the first run; want 1", n)
	}
	cur, err := st.CurrentModel(t.Context(), retrain.Kind)
	if err != nil {
		t.Fatalf("no current model after the first run: %v", err)
	}
	// Nothing new since that model: no retrain.
	if err := job.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := modelCount(t, st); n != 1 {
		t.Fatalf("%d models with no new labels; want still 1", n)
	}
	// Four corrections are below min_new_labels; the fifth triggers it.
	var rows []store.Feedback
	for i := range 5 {
		rows = append(rows, store.Feedback{Connector: "acme", TicketID: fmt.Sprint(i), Field: sdk.FieldPriority, Predicted: "P1", Final: "P3",
			At: cur.CreatedAt.Add(time.Minute)})
	}
	if err := st.SaveFeedback(t.Context(), rows[:4]); err != nil {
		t.Fatal(err)
	}
	if err := job.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := modelCount(t, st); n != 1 {
		t.Fatalf("%d models after 4 corrections; want 1 (min_new_labels is 5)", n)
	}
	if err := st.SaveFeedback(t.Context(), rows[4:]); err != nil {
		t.Fatal(err)
	}
	if err := job.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := modelCount(t, st); n != 2 {
		t.Fatalf("%d models after 5 corrections; want 2 (a retrain)", n)
	}
}

// TestPeriodicRetrainRunsOnOneReplica starts two replicas' queues on one
// PostgreSQL database with the retrain job due at start: exactly one of
// them trains.
func TestPeriodicRetrainRunsOnOneReplica(t *testing.T) {
	url := storetest.PostgresURL(t)
	var runs atomic.Int32
	var queues []queue.Queue
	var first store.Store
	for i := range 2 {
		st, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		ix, err := solved.OpenPostgres(t.Context(), url, 256, solved.PostgresOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ix.Close() })
		if i == 0 {
			first = st
			seedSolved(t, ix, 300, time.Now().Add(-time.Hour))
		}
		job := &periodicRetrain{st: st, ix: ix, cfg: retrain.PeriodicConfig{MinNewLabels: 1, Since: config.Duration(24 * time.Hour)},
			tags: learned.DefaultTags(), log: storeLogger(t), now: time.Now}
		q, err := st.Queue(queue.Config{Workers: 2, Periodic: []queue.Periodic{{Name: "classify.learned.retrain", Every: time.Hour,
			Run: func(ctx context.Context) error { runs.Add(1); return job.run(ctx) }}}}, storeLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		queues = append(queues, q)
	}
	for _, q := range queues {
		if err := q.Start(t.Context(), queue.HandlerFunc(func(context.Context, queue.Job, queue.Attempt) error { return nil })); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = q.Stop(context.WithoutCancel(t.Context())) })
	}
	deadline := time.Now().Add(60 * time.Second)
	for modelCount(t, first) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no replica retrained within 60s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // a second replica running it would have started by now
	if n, r := modelCount(t, first), runs.Load(); n != 1 || r != 1 {
		t.Errorf("%d models from %d runs; want one run on one replica", n, r)
	}
}
