package main

import (
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
)

// heard serve records each ticket's timeline from the desk's webhooks: the
// creation, the customer's first message, the priority heard wrote back,
// and the agent's solve with the priority the agent set.
func TestTimelineThroughSandbox(t *testing.T) {
	addr := freePort(t)
	env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	m := startMain(t, sandboxConfig(t, env, addr, ""))
	desk := env.Desks["zendesk"]
	id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(3))
	if err != nil {
		t.Fatal(err)
	}
	waitMetric(t, m, `heard_jobs_total{outcome="processed"} 1`)
	if err := desk.Solve(t.Context(), "acme", id, "P2", []string{"billing"}); err != nil {
		t.Fatal(err)
	}
	waitMetric(t, m, `heard_jobs_total{outcome="processed"} 2`)
	var kinds []string
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, err := m.store.Timeline(t.Context(), connectorName("zendesk"), id)
		if err != nil {
			t.Fatal(err)
		}
		kinds = kinds[:0]
		solved := false
		for _, e := range entries {
			kinds = append(kinds, e.Kind+"="+e.Value)
			solved = solved || e.Kind == store.TimelineSolved
		}
		if solved || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	has := func(k string) bool {
		for _, g := range kinds {
			if g == k {
				return true
			}
		}
		return false
	}
	// heard wrote P1 (live mode) when it enriched the ticket; the agent set P2.
	for _, want := range []string{"created=new", "priority=P1", "solved=solved", "priority=P2"} {
		if !has(want) {
			t.Errorf("timeline %v lacks %s", kinds, want)
		}
	}
	t.Logf("timeline: %v", kinds)
	open, err := m.store.OpenTickets(t.Context(), connectorName("zendesk"))
	if err != nil || len(open) != 0 {
		t.Errorf("open tickets %v, %v; want none after the solve", open, err)
	}
}
