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
			c := queueAge{oldest: func(context.Context) (time.Time, error) { return tt.oldest, tt.err }, now: func() time.Time { return now }}
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
