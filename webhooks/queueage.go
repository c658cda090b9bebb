package webhooks

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var queueAgeDesc = prometheus.NewDesc("heard_queue_oldest_seconds",
	"Age of the oldest event job not yet finished (waiting, retrying or running); 0 when the queue is empty.", nil, nil)

// QueueAgeCollector reports heard_queue_oldest_seconds from oldest (the
// store's OldestQueued: the zero time when nothing waits), read at each
// scrape; a scrape that cannot read it leaves the metric out.
func QueueAgeCollector(oldest func(ctx context.Context) (time.Time, error)) prometheus.Collector {
	return queueAge{oldest: oldest, now: time.Now}
}

type queueAge struct {
	oldest func(ctx context.Context) (time.Time, error)
	now    func() time.Time
}

func (q queueAge) Describe(ch chan<- *prometheus.Desc) { ch <- queueAgeDesc }

func (q queueAge) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	at, err := q.oldest(ctx)
	if err != nil {
		return
	}
	age := 0.0
	if !at.IsZero() {
		age = max(q.now().Sub(at).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, age)
}
