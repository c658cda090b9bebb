package webhooks

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestQueueAgeCollector(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		oldest time.Time
		err    error
		want   float64
		series int
	}{
		{"a job waiting 90s", now.Add(-90 * time.Second), nil, 90, 1},
		{"empty queue", time.Time{}, nil, 0, 1},
		{"store down", time.Time{}, errors.New("down"), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &queueAge{oldest: func(context.Context) (time.Time, error) { return tt.oldest, tt.err }, now: func() time.Time { return now }}
			reg := prometheus.NewRegistry()
			reg.MustRegister(c)
			if n, err := testutil.GatherAndCount(reg, "heard_queue_oldest_seconds"); err != nil || n != tt.series {
				t.Fatalf("%d series, %v; want %d", n, err, tt.series)
			}
			if tt.series == 1 {
				if got := testutil.ToFloat64(c); got != tt.want {
					t.Errorf("heard_queue_oldest_seconds = %v; want %v", got, tt.want)
				}
			}
		})
	}
}

// TestQueueAgeCollectorReadsStoreAtMostEvery5s: frequent scrapes reuse one
// read and the age still grows between reads; after the interval the store
// is read again and a finished oldest job is seen; a failed read is retried
// at the next scrape.
func TestQueueAgeCollectorReadsStoreAtMostEvery5s(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	oldest := now.Add(-10 * time.Second)
	var reads int
	var fail bool
	c := &queueAge{
		oldest: func(context.Context) (time.Time, error) {
			reads++
			if fail {
				return time.Time{}, errors.New("down")
			}
			return oldest, nil
		},
		now: func() time.Time { return now },
	}
	scrape := func() float64 { t.Helper(); return testutil.ToFloat64(c) }

	if got := scrape(); got != 10 || reads != 1 {
		t.Fatalf("first scrape: age %v after %d reads; want 10 after 1", got, reads)
	}
	now = now.Add(2 * time.Second)
	oldest = now // the oldest job finished; not seen until the next read
	if got := scrape(); got != 12 || reads != 1 {
		t.Fatalf("scrape 2s later: age %v after %d reads; want 12 from the cached time, 1 read", got, reads)
	}
	now = now.Add(queueCountsMaxAge)
	if got := scrape(); got != 5 || reads != 2 {
		t.Fatalf("scrape after the interval: age %v after %d reads; want 5 from a new read, 2 reads", got, reads)
	}
	now = now.Add(queueCountsMaxAge)
	fail = true
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	if n, err := testutil.GatherAndCount(reg, "heard_queue_oldest_seconds"); err != nil || n != 0 || reads != 3 {
		t.Fatalf("failed read: %d series, %v, %d reads; want 0 series, 3 reads", n, err, reads)
	}
	fail = false
	if got := scrape(); reads != 4 || got != 10 {
		t.Fatalf("after a failed read: age %v, %d reads; want the store read again (4 reads), age 10", got, reads)
	}
}
