package webhooks_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/webhooks"
)

// TestSlowUploadFloodKeepsMemoryBounded opens many real TCP connections
// that each declare a 1 MiB body, send its first kilobyte and stall. The
// server may admit only as many as its buffered-bytes budget holds; every
// other one must be answered 503 at once (without heard waiting for its
// body), and the heap must grow by about the budget, not by the bytes the
// flood declared.
func TestSlowUploadFloodKeepsMemoryBounded(t *testing.T) {
	const (
		conns    = 300
		declared = 1 << 20
		budget   = 8 << 20
	)
	h := serve(t, fakeConn{}, fakeQueue{enqueue: acceptAll}, webhooks.Config{
		MaxBodyBytes: declared, MaxBufferedBytes: budget, MaxConcurrent: 1000,
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	before := heapInUse()
	head := fmt.Sprintf("POST /v1/webhooks/acme HTTP/1.1\r\nHost: heard\r\nX-Sig: ok\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", declared)
	first := strings.Repeat("x", 1024)

	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		stalled  []net.Conn
		wg       sync.WaitGroup
	)
	t.Cleanup(func() {
		for _, c := range stalled {
			_ = c.Close()
		}
	})
	for range conns {
		wg.Go(func() {
			c, err := net.DialTimeout("tcp", addr, 10*time.Second)
			if err != nil {
				t.Errorf("dial: %v", err)
				return
			}
			if _, err := c.Write([]byte(head + first)); err != nil {
				_ = c.Close()
				t.Errorf("write: %v", err)
				return
			}
			// A refused upload is answered while its body is still owed;
			// an admitted one gets nothing until its body arrives.
			_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				stalled = append(stalled, c)
				return
			}
			_ = resp.Body.Close()
			statuses[resp.StatusCode]++
			if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			_ = c.Close()
		})
	}
	wg.Wait()
	grown := heapInUse() - before

	admitted := len(stalled)
	if most := budget / declared; admitted > most || admitted == 0 {
		t.Errorf("%d uploads admitted while stalled; want 1..%d (the budget holds %d bodies)", admitted, most, most)
	}
	if statuses[http.StatusServiceUnavailable] != conns-admitted {
		t.Errorf("answers %v with %d stalled; want every other upload refused with 503", statuses, admitted)
	}
	// The flood declared conns MiB; heard may hold the budget plus
	// per-connection buffers, nowhere near the declared total.
	if limit := uint64(budget + 24<<20); grown > limit {
		t.Errorf("heap grew by %d MiB during a %d-connection flood declaring %d MiB; want under %d MiB",
			grown>>20, conns, conns*declared>>20, limit>>20)
	}
	t.Logf("flood of %d × 1 MiB: %d admitted, answers %v, heap +%.1f MiB", conns, admitted, statuses, float64(grown)/(1<<20))

	// Once the stalled uploads go away their budget is free again.
	for _, c := range stalled {
		_ = c.Close()
	}
	stalled = nil
	deadline := time.Now().Add(10 * time.Second)
	for {
		rec := do(h, http.MethodPost, "/v1/webhooks/acme", "after-flood", "ok")
		if rec.Code == http.StatusAccepted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the flood ended a small delivery still gets %d; the budget was not released", rec.Code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
