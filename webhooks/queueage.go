package webhooks

import (
	"context"
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
	last   reused[time.Time] // the oldest job's time at the last read
}

func (q *queueAge) Describe(ch chan<- *prometheus.Desc) { ch <- queueAgeDesc }

func (q *queueAge) Collect(ch chan<- prometheus.Metric) {
	now := q.now()
	at, err := q.last.get(now, q.oldest)
	if err != nil {
		return
	}
	age := 0.0
	if !at.IsZero() {
		age = max(now.Sub(at).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, age)
}
