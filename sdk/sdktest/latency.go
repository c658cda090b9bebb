package sdktest

import (
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// MeasureClassify is the body of a latency benchmark for a classifier: it
// calls c warmup times untimed (connections, caches, a JIT), then once per
// benchmark iteration, timing each call, and reports the median and 99th
// percentile latency (p50-µs, p99-µs) and calls per second. A call that
// fails or predicts nothing fails the benchmark.
func MeasureClassify(b *testing.B, c sdk.Classifier, req *sdk.ClassifyRequest, warmup int) {
	b.Helper()
	ctx := b.Context()
	for range warmup {
		if _, err := c.Classify(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		t0 := time.Now()
		resp, err := c.Classify(ctx, req)
		lat = append(lat, time.Since(t0))
		if err != nil || len(resp.Predictions) == 0 {
			b.Fatalf("Classify = %+v, %v", resp, err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "calls/s")
}
