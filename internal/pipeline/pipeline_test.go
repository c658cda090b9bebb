package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// memRecorder keeps records in a map with the store's first-wins rule.
type memRecorder struct {
	mu   sync.Mutex
	recs map[string]store.Record
	fail error
}

func (m *memRecorder) SaveRecord(_ context.Context, r store.Record) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	if _, ok := m.recs[r.EventKey]; ok {
		return false, nil
	}
	m.recs[r.EventKey] = r
	return true, nil
}

func TestHandleRecordsOncePerEvent(t *testing.T) {
	rec := &memRecorder{recs: map[string]store.Record{}}
	reg := prometheus.NewRegistry()
	p, err := New(rec, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	p.now = func() time.Time { return at }
	job := queue.NewJob("acme", sdk.Event{ID: "e1", Kind: sdk.EventMessageCreated, Ticket: sdk.TicketRef{Connector: "acme", Account: "a", ID: "42"}, Actor: "7"})
	for i := 1; i <= 2; i++ { // the second run is a retry after a crash
		if err := p.Handle(t.Context(), job, queue.Attempt{Number: i, MaxAttempts: 5}); err != nil {
			t.Fatalf("Handle attempt %d: %v", i, err)
		}
	}
	r, ok := rec.recs["acme:e1"]
	if !ok || len(rec.recs) != 1 {
		t.Fatalf("records = %v; want exactly acme:e1", rec.recs)
	}
	if r.Attempt != 1 || r.Status != StatusProcessed || r.TicketID != "42" || r.Kind != sdk.EventMessageCreated || !r.ProcessedAt.Equal(at) {
		t.Errorf("record = %+v; want the first attempt's record for ticket 42", r)
	}
	if got := count(t, p.jobs.WithLabelValues("processed")); got != 1 {
		t.Errorf("processed = %v; want 1", got)
	}
	if got := count(t, p.jobs.WithLabelValues("duplicate")); got != 1 {
		t.Errorf("duplicate = %v; want 1", got)
	}
}

func TestHandleFailureOutcomes(t *testing.T) {
	cases := []struct {
		name    string
		fail    error
		attempt int
		want    string
	}{
		{"transient, attempts left", errors.New("connection reset"), 1, "retry"},
		{"transient, last attempt", errors.New("connection reset"), 5, "dead"},
		{"invalid input is never retried", fmt.Errorf("bad: %w", sdk.ErrInvalid), 1, "dead"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(&memRecorder{recs: map[string]store.Record{}, fail: tc.fail}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = p.Handle(t.Context(), queue.NewJob("acme", sdk.Event{ID: "x"}), queue.Attempt{Number: tc.attempt, MaxAttempts: 5})
			if !errors.Is(err, tc.fail) {
				t.Errorf("Handle error = %v; want it to wrap %v", err, tc.fail)
			}
			if got := count(t, p.jobs.WithLabelValues(tc.want)); got != 1 {
				t.Errorf("outcome %q counted %v times; want 1", tc.want, got)
			}
		})
	}
}

func count(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
