package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
)

// TestAgentCommand drives a sandbox through `heard-sandbox agent` as a
// person would: each action changes the ticket, prints what the agent sees
// and sends heard a webhook; mistakes are usage errors.
func TestAgentCommand(t *testing.T) {
	var mu sync.Mutex
	var hooks []string
	heard := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hooks = append(hooks, r.URL.Path+" "+string(b))
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(heard.Close)
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: heard.URL, Account: "acme", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	id, err := env.Desks["freshdesk"].CreateTicket(t.Context(), "acme", sandbox.NewTicket{Subject: "Locked out", Body: "Please unlock my account.",
		Requester: sandbox.Person{Name: "Rita", Email: "rita@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := func(args ...string) (int, sandbox.TicketState, string) {
		var out, errOut bytes.Buffer
		code := run(t.Context(), append([]string{"agent", "--sandbox", env.Root}, args...), &out, &errOut)
		var st sandbox.TicketState
		if code == 0 {
			if err := json.Unmarshal(out.Bytes(), &st); err != nil {
				t.Fatalf("agent %v printed %q: %v", args, out.String(), err)
			}
		}
		return code, st, errOut.String()
	}
	mu.Lock()
	before := len(hooks)
	mu.Unlock()
	if code, st, msg := agent("freshdesk", id, "update", "--priority", "p1", "--tags", "account,login", "--field", "cf_reason=unlock"); code != 0 ||
		st.Priority != "3" || strings.Join(st.Tags, ",") != "account,login" || st.Fields["cf_reason"] != "unlock" {
		t.Fatalf("update: exit %d, state %+v, stderr %s", code, st, msg)
	}
	// Flags may also come first.
	if code, st, msg := agent("--priority", "P2", "freshdesk", id, "solve"); code != 0 || st.Status != "4" || st.Priority != "2" {
		t.Fatalf("solve: exit %d, state %+v, stderr %s", code, st, msg)
	}
	if code, st, msg := agent("freshdesk", id, "rate", "--rating", "2", "--body", "slow"); code != 0 || st.Rating != "-102" {
		t.Fatalf("rate: exit %d, state %+v, stderr %s", code, st, msg)
	}
	mu.Lock()
	got := hooks[before:]
	mu.Unlock()
	want := []string{`"event":"ticket_updated"`, `"event":"ticket_resolved"`, `"event":"customer_feedback_received"`}
	if len(got) != len(want) {
		t.Fatalf("webhooks %q; want %d", got, len(want))
	}
	for i, w := range want {
		if !strings.Contains(got[i], "/v1/webhooks/sandbox-freshdesk") || !strings.Contains(got[i], w) {
			t.Errorf("webhook %d = %s; want %s to sandbox-freshdesk", i, got[i], w)
		}
	}
	for _, bad := range [][]string{
		{"freshdesk", id},                          // no action
		{"freshdesk", id, "rate", "--rating", "9"}, // out of range
		{"freshdesk", id, "dance"},                 // no such action
	} {
		if code, _, _ := agent(bad...); code != 2 {
			t.Errorf("agent %v: exit %d; want 2 (usage)", bad, code)
		}
	}
	// The desk refuses what it cannot do: reopening an open ticket.
	if code, _, _ := agent("freshdesk", id, "reopen"); code != 0 {
		t.Fatalf("reopen of a resolved ticket: exit %d", code)
	}
	if code, _, msg := agent("freshdesk", id, "reopen"); code != 1 || !strings.Contains(msg, "not resolved") {
		t.Errorf("second reopen: exit %d, stderr %q; want 1 and the desk's reason", code, msg)
	}
	if v := env.Server.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}
