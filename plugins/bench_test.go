package plugins_test

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/plugins/internal/keywords"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

const pkgKeywords = "./testdata/keywords"

// BenchmarkClassify measures a classifier call's overhead: the same
// keyword classifier in-process, over gRPC in memory, and as a plugin
// process behind the host (Unix socket, mTLS, supervision), with the
// default max_procs 1 and with 0 (Go's default GOMAXPROCS). Each reports
// p50 and p99 latency and calls/s; "plugin-parallel" runs calls from 8
// goroutines at once (heard's default queue.workers) for the throughput of
// one plugin. "plugin-python" is the same classifier as a Python plugin
// (sdk/python), behind the same host.
//
//	go test -run '^$' -bench Classify -benchtime 20000x ./plugins/
func BenchmarkClassify(b *testing.B) {
	req := &sdk.ClassifyRequest{Ticket: sdktest.Tickets()[1], Fields: sdktest.Fields()}

	b.Run("in-process", func(b *testing.B) { measure(b, keywords.Classifier{}, req) })

	b.Run("grpc-loopback", func(b *testing.B) {
		c, stop, err := sdkplugin.Loopback(sdkplugin.Options{Classifier: keywords.Classifier{}}, sdkplugin.ProtocolVersion)
		if err != nil {
			b.Fatal(err)
		}
		defer stop()
		measure(b, c.Classifier(), req)
	})

	host := func(b *testing.B, maxProcs int) sdk.Classifier {
		b.Helper()
		log, _ := testLogger(b)
		cat := installed(b, log, map[string]string{"": pluginBinary(b, pkgKeywords)})
		h := load(b, cat.Path(), fmt.Sprintf("plugins:\n  max_procs: %d\n  enabled: [{name: keywords}]\n", maxProcs), nil)
		return h.Classifiers("")[0].Impl
	}
	// The same classifier written in Python with sdk/python's helper.
	b.Run("plugin-python", func(b *testing.B) {
		log, _ := testLogger(b)
		cat := installed(b, log, map[string]string{"keywords": pythonPlugin(b)})
		h := load(b, cat.Path(), "plugins:\n  enabled: [{name: keywords}]\n", nil)
		measure(b, h.Classifiers("")[0].Impl, req)
	})
	// max_procs 1 is the default; 0 leaves the plugin Go's default GOMAXPROCS.
	for _, mp := range []int{1, 0} {
		b.Run(fmt.Sprintf("plugin/max_procs=%d", mp), func(b *testing.B) { measure(b, host(b, mp), req) })
		b.Run(fmt.Sprintf("plugin-parallel/max_procs=%d", mp), func(b *testing.B) {
			c := host(b, mp)
			var n atomic.Int64
			b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.Classify(b.Context(), req); err != nil {
						b.Error(err)
						return
					}
					n.Add(1)
				}
			})
			b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "calls/s")
		})
	}
}

// measure is sdktest.MeasureClassify after 50 warm-up calls.
func measure(b *testing.B, c sdk.Classifier, req *sdk.ClassifyRequest) {
	b.Helper()
	sdktest.MeasureClassify(b, c, req, 50)
}
