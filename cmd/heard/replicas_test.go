package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sandbox"
)

// roundRobin forwards webhooks to the live replicas in turn, as a load
// balancer would; a replica marked down gets nothing more.
type roundRobin struct {
	mu    sync.Mutex
	addrs []string
	down  map[string]bool
	next  int
}

func (rr *roundRobin) pick() string {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for range rr.addrs {
		a := rr.addrs[rr.next%len(rr.addrs)]
		rr.next++
		if !rr.down[a] {
			return a
		}
	}
	return ""
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	addr := rr.pick()
	if addr == "" {
		http.Error(w, "no replica", http.StatusBadGateway)
		return
	}
	target, _ := url.Parse("http://" + addr)
	httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
}

// TestReplicaKilledMidLoad runs two heard replicas on one PostgreSQL
// database behind a round-robin balancer, in live mode against the
// sandbox Zendesk. One replica is SIGKILLed while tickets are arriving;
// the help desk redelivers what was not acknowledged, to the survivor.
// Every ticket must end with exactly one heard note and every
// acknowledged event with exactly one record.
func TestReplicaKilledMidLoad(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	rr := &roundRobin{down: map[string]bool{}}
	lb := httptest.NewServer(rr)
	t.Cleanup(lb.Close)
	env, err := startSandbox("127.0.0.1:0", lb.URL, "acme", false, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	// A generous client-side vendor budget: the load is the point here.
	conns := liveConnectors(env, "rate_per_minute: 60000, burst: 1000")
	replicaConfig := func() string {
		return writeConfig(t, fmt.Sprintf("listen: \"127.0.0.1:0\"\ndata_dir: %q\ndatabase_url: %q\nlog_level: info\nlog_format: json\nqueue:\n  retry_base: 200ms\n  orphan_after: 3s\n%s",
			filepath.Join(t.TempDir(), "data"), dbURL, conns))
	}
	cfgA, cfgB := replicaConfig(), replicaConfig()
	a, b := startProc(t, cfgA), startProc(t, cfgB)
	rr.mu.Lock()
	rr.addrs = []string{a.addr, b.addr}
	rr.mu.Unlock()

	const n = 60
	desk := env.Desks["zendesk"]
	ids := ticketsUnderFault(t, desk, n, 6, 100, 50, func() {
		_ = a.cmd.Process.Signal(syscall.SIGKILL)
		rr.mu.Lock()
		rr.down[a.addr] = true
		rr.mu.Unlock()
	})
	if err := <-a.done; err == nil {
		t.Fatal("replica A exited cleanly; want it killed")
	}
	// Every ticket gets its note (jobs A held are rescued by B), and after
	// the orphan window and more nothing is written twice.
	waitForNotes(t, desk, ids, 45*time.Second, b.logText)
	time.Sleep(6 * time.Second)
	wantOneNoteAndRecordEach(t, desk, ids, cfgB)
	for _, v := range env.Server.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}

// ticketsUnderFault opens n tickets on desk from senders concurrent
// customers (subjects numbered from base). A delivery heard does not
// acknowledge is redelivered, as the vendor would, up to maxRedeliveries
// times; fault runs once, when a third of the tickets are acknowledged.
// It returns the tickets' IDs.
func ticketsUnderFault(t *testing.T, desk sandbox.Desk, n, senders, base, maxRedeliveries int, fault func()) []string {
	t.Helper()
	ids := make([]string, n)
	var acked atomic.Int64
	var once sync.Once
	work := make(chan int, n)
	for i := range n {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for i := range work {
				ctx := context.WithoutCancel(t.Context())
				id, err := desk.CreateTicket(ctx, "acme", doubleCharge(base+i))
				ids[i] = id
				for attempt := 0; err != nil; attempt++ {
					if id == "" || attempt == maxRedeliveries {
						t.Errorf("ticket %d: %v", i, err)
						break
					}
					time.Sleep(100 * time.Millisecond) // the vendor retries the delivery
					err = desk.Redeliver(ctx, "acme", id)
				}
				if acked.Add(1) == int64(n/3) {
					once.Do(fault)
				}
			}
		})
	}
	wg.Wait()
	return ids
}

// waitForNotes waits until every ticket shows a heard note, failing with
// heard's log once limit has passed.
func waitForNotes(t *testing.T, desk sandbox.Desk, ids []string, limit time.Duration, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for i, id := range ids {
		for {
			st, err := desk.State("acme", id)
			if err != nil {
				t.Fatal(err)
			}
			if heardNotes(st) >= 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("ticket %d (%s) has no heard note after %v; heard's log:\n%s", i, id, limit, logs())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// wantOneNoteAndRecordEach checks that every ticket has exactly one heard
// note and, in the store cfgPath configures, every event exactly one
// record and every ticket an enriched one.
func wantOneNoteAndRecordEach(t *testing.T, desk sandbox.Desk, ids []string, cfgPath string) {
	t.Helper()
	for i, id := range ids {
		st, err := desk.State("acme", id)
		if err != nil {
			t.Fatal(err)
		}
		if c := heardNotes(st); c != 1 {
			t.Errorf("ticket %d (%s) has %d heard notes; want exactly 1", i, id, c)
		}
	}
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.Records(t.Context(), store.Filter{Limit: 10 * len(ids)})
	if err != nil {
		t.Fatal(err)
	}
	perKey, enriched := map[string]int{}, 0
	for _, r := range recs {
		perKey[r.EventKey]++
		if r.Status == "enriched" {
			enriched++
		}
	}
	for k, c := range perKey {
		if c != 1 {
			t.Errorf("event %s recorded %d times; want 1", k, c)
		}
	}
	if enriched != len(ids) {
		t.Errorf("%d tickets enriched; want %d", enriched, len(ids))
	}
}
