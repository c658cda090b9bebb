package webhooks

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var queueAgeDesc = prometheus.NewDesc("heard_queue_oldest_seconds",
	"Age of the oldest event job not yet finished (waiting, retrying or running); 0 when the queue is empty.", nil, nil)

// QueueAgeCollector reports heard_queue_oldest_seconds from oldest (the
// store's OldestQueued: the zero time when nothing waits). The store is
// read at most once per queueCountsMaxAge however often /metrics is
// scraped — the query walks the unfinished jobs, and a busy scraper must
// not become the load; between reads the age keeps growing from the last
// oldest time seen. A scrape that cannot read it leaves the metric out.
func QueueAgeCollector(oldest func(ctx context.Context) (time.Time, error)) prometheus.Collector {
	return &queueAge{oldest: oldest, now: time.Now}
}

type queueAge struct {
	oldest func(ctx context.Context) (time.Time, error)
	now    func() time.Time

	mu     sync.Mutex
	last   time.Time // the oldest job's time at the last read
	readAt time.Time // when the store was last read; zero: never
}

func (q *queueAge) Describe(ch chan<- *prometheus.Desc) { ch <- queueAgeDesc }

func (q *queueAge) Collect(ch chan<- prometheus.Metric) {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	if q.readAt.IsZero() || now.Sub(q.readAt) >= queueCountsMaxAge || now.Before(q.readAt) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		at, err := q.oldest(ctx)
		cancel()
		if err != nil {
			q.readAt = time.Time{}
			return
		}
		q.last, q.readAt = at, now
	}
	age := 0.0
	if !q.last.IsZero() {
		age = max(now.Sub(q.last).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, age)
}
