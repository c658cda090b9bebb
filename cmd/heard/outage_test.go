package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sandbox"
)

// TestVendorOutageIsRiddenOut makes the sandbox Zendesk answer 503 to
// every API call while tickets arrive (an outage, scaled down from an hour
// to seconds with a faster backoff), then recovers it. Jobs back off and
// none is dead-lettered while attempts remain, the connector's breaker
// opens during the outage and closes after it, and every ticket ends with
// exactly one note.
func TestVendorOutageIsRiddenOut(t *testing.T) {
	addr := freePort(t)
	env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	// Backoff 20ms doubling to 200ms over 24 attempts: at least ~2s of
	// waiting per job, scaled like the defaults' hour; the outage lasts 1.2s.
	conns := liveConnectors(env, "rate_per_minute: 60000, burst: 1000, max_retries: 1, retry_base: 5ms, retry_max: 20ms, breaker_failures: 3, breaker_cooldown: 100ms")
	cfgPath := writeConfig(t, fmt.Sprintf("listen: %q\ndata_dir: %q\nlog_level: info\nlog_format: json\nqueue:\n  retry_base: 20ms\n  retry_max: 200ms\n  max_attempts: 24\n%s",
		addr, filepath.Join(t.TempDir(), "data"), conns))
	p := startProc(t, cfgPath)
	desk := env.Desks["zendesk"]

	env.Server.Faults.Add(sandbox.Fault{Vendor: "zendesk", Account: "acme", Status: http.StatusServiceUnavailable, Times: -1})
	const n = 8
	ids := make([]string, n)
	for i := range n {
		if ids[i], err = desk.CreateTicket(t.Context(), "acme", doubleCharge(300+i)); err != nil {
			t.Fatal(err) // the webhook is acknowledged: heard queues before it calls the vendor
		}
	}
	time.Sleep(1200 * time.Millisecond)
	// The breaker spares the vendor: after 3 failed calls the others fail
	// fast inside heard, and every job is retried.
	if fired := env.Server.Faults.Fired(); fired < 3 {
		t.Fatalf("the outage answered %d calls; want at least the breaker's 3", fired)
	}
	if retries := strings.Count(p.logText(), `"outcome":"retry"`); retries < n {
		t.Errorf("%d job retries logged during the outage; want every ticket's job retried", retries)
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
	counts, err := st.QueueCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if counts["discarded"] != 0 || counts["completed"] != 0 {
		t.Fatalf("during the outage jobs by state %v; want none dead or done", counts)
	}
	if !strings.Contains(p.logText(), "vendor circuit opened") {
		t.Errorf("the breaker never opened during the outage:\n%s", p.logText())
	}
	env.Server.Faults.Clear()
	for _, id := range ids {
		waitNotes(t, desk, "acme", id, 1)
	}
	time.Sleep(300 * time.Millisecond)
	for i, id := range ids {
		s, err := desk.State("acme", id)
		if err != nil {
			t.Fatal(err)
		}
		if c := heardNotes(s); c != 1 {
			t.Errorf("ticket %d has %d notes; want 1", i, c)
		}
	}
	if !strings.Contains(p.logText(), "vendor circuit closed") {
		t.Errorf("the breaker never closed after the outage")
	}
	if counts, err = st.QueueCounts(t.Context()); err != nil || counts["discarded"] != 0 {
		t.Errorf("after the outage jobs by state %v (%v); want none dead", counts, err)
	}
	for _, v := range env.Server.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}
