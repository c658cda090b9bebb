package webhooks

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Scrapes closer together than queueCountsMaxAge reuse one count; a
// scrape after it counts again.
func TestQueueCollectorReusesACountForMaxAge(t *testing.T) {
	calls := 0
	q := &queueCollector{
		counts: func(context.Context) (map[string]int64, error) {
			calls++
			return map[string]int64{"available": int64(10 * calls)}, nil
		},
		log: slog.New(slog.DiscardHandler),
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(q)
	available := func() float64 {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			for _, m := range mf.GetMetric() {
				if m.GetLabel()[0].GetValue() == "available" {
					return m.GetGauge().GetValue()
				}
			}
		}
		t.Fatal("no available gauge")
		return 0
	}
	for range 5 {
		if got := available(); got != 10 {
			t.Fatalf("available = %v, want 10 (the first count)", got)
		}
	}
	if calls != 1 {
		t.Fatalf("5 scrapes counted the queue %d times, want 1", calls)
	}
	q.last.at = time.Now().Add(-queueCountsMaxAge) // the count is now old
	if got := available(); got != 20 || calls != 2 {
		t.Fatalf("after max age: available = %v after %d counts, want 20 after 2", got, calls)
	}
	mfs, err := reg.Gather()
	if err != nil || len(mfs) != 1 || len(mfs[0].GetMetric()) != 7 {
		t.Fatalf("want one gauge with 7 states, got %v (err %v)", mfs, err)
	}
}
