package queue

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/heardhq/heard/sdk"
)

func TestBackoffDoublesWithJitterAndCap(t *testing.T) {
	b := backoff{base: time.Second, max: 10 * time.Second}
	cases := []struct {
		errors   int
		min, max time.Duration
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{3, 2 * time.Second, 4 * time.Second},
		{4, 4 * time.Second, 8 * time.Second},
		{5, 5 * time.Second, 10 * time.Second}, // capped
		{30, 5 * time.Second, 10 * time.Second},
	}
	for _, tc := range cases {
		row := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, tc.errors)}
		for range 50 {
			d := time.Until(b.NextRetry(row))
			if d < tc.min-50*time.Millisecond || d > tc.max+50*time.Millisecond {
				t.Fatalf("after %d errors: retry in %v; want within [%v, %v]", tc.errors, d, tc.min, tc.max)
			}
		}
	}
}

func TestJobJSONKeepsPayloadBytes(t *testing.T) {
	raw := json.RawMessage(`{"b": 2,  "a": [1, 2]}`)
	j := NewJob("acme", sdk.Event{ID: "e", Kind: sdk.EventTicketCreated, Payload: raw})
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	var back Job
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if string(back.Event.Payload) != string(raw) || back.Key != "acme:e" || back.Event.Kind != sdk.EventTicketCreated {
		t.Errorf("round trip = %+v (payload %s); want key acme:e and payload byte-identical", back, back.Event.Payload)
	}
}

func TestBatcherMergesAndAnswersEachCaller(t *testing.T) {
	var calls atomic.Int64
	var maxBatch atomic.Int64
	release := make(chan struct{})
	insert := func(_ context.Context, jobs []Job) ([]Result, error) {
		if calls.Add(1) == 1 {
			<-release // hold the first flush so the rest pile up
		}
		if n := int64(len(jobs)); n > maxBatch.Load() {
			maxBatch.Store(n)
		}
		out := make([]Result, len(jobs))
		for i, j := range jobs {
			if j.Event.ID == "dup" {
				out[i] = Duplicate
			}
		}
		return out, nil
	}
	b := newBatcher(1, 256, insert)
	defer b.close()
	var wg sync.WaitGroup
	results := make([][]Result, 20)
	for i := range 20 {
		wg.Go(func() {
			id := "e"
			if i%2 == 0 {
				id = "dup"
			}
			res, err := b.submit(t.Context(), []Job{{Key: id, Event: sdk.Event{ID: id}}})
			if err != nil {
				t.Errorf("submit: %v", err)
			}
			results[i] = res
		})
	}
	time.Sleep(50 * time.Millisecond) // let the callers queue up behind the held flush
	close(release)
	wg.Wait()
	for i, r := range results {
		want := Enqueued
		if i%2 == 0 {
			want = Duplicate
		}
		if len(r) != 1 || r[0] != want {
			t.Errorf("caller %d got %v; want [%v]", i, r, want)
		}
	}
	if calls.Load() >= 20 || maxBatch.Load() < 2 {
		t.Errorf("%d inserts, largest batch %d; want concurrent callers merged", calls.Load(), maxBatch.Load())
	}
}

func TestBatcherErrorsReachEveryCallerAndCloseRefuses(t *testing.T) {
	boom := errors.New("db down")
	b := newBatcher(1, 8, func(context.Context, []Job) ([]Result, error) { return nil, boom })
	if _, err := b.submit(t.Context(), []Job{{Key: "a"}}); !errors.Is(err, boom) {
		t.Errorf("submit error = %v; want %v", err, boom)
	}
	b.close()
	if _, err := b.submit(t.Context(), []Job{{Key: "b"}}); !errors.Is(err, errClosed) {
		t.Errorf("submit after close = %v; want errClosed", err)
	}
}
