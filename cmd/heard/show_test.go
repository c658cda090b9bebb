package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/trace"
	"github.com/heardhq/heard/sdk"
)

// TestShowDecisionTrace processes a ticket end to end (sandbox Zendesk,
// live mode) on both stores and reads its decision trace back with
// `heard show`, as JSON and as text.
func TestShowDecisionTrace(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		addr := freePort(t)
		env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = env.Close() })
		cfgPath := sandboxConfig(t, env, addr, dbURL)
		m := startMain(t, cfgPath)
		desk := env.Desks["zendesk"]
		id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(7))
		if err != nil {
			t.Fatal(err)
		}
		st := waitNotes(t, desk, "acme", id, 1)
		waitMetric(t, m, `heard_jobs_total{outcome="processed"} 1`)

		var out, errOut bytes.Buffer
		if code := run(t.Context(), []string{"show", connectorName("zendesk"), id, "--json", "--config", cfgPath}, &out, &errOut); code != 0 {
			t.Fatalf("show exit %d: %s", code, errOut.String())
		}
		var events []trace.Event
		if err := json.Unmarshal(out.Bytes(), &events); err != nil {
			t.Fatalf("show --json: %v\n%s", err, out.String())
		}
		if len(events) == 0 || events[0].Kind != "ticket.created" || events[0].Status != "enriched" || events[0].Detail == nil {
			t.Fatalf("events %+v; want the ticket.created event, enriched, with its detail", events)
		}
		d := events[0].Detail
		if len(d.Predictions) == 0 || d.Decision == nil || d.Written == nil {
			t.Fatalf("detail %+v; want predictions, a decision and what was written", d)
		}
		var noteGate *gate.Decision
		for i, g := range d.Decision.Gate {
			if g.Field == gate.GateNote {
				noteGate = &d.Decision.Gate[i]
			}
		}
		if noteGate == nil || !noteGate.Written {
			t.Errorf("gates %+v; want the note written", d.Decision.Gate)
		}
		if len(st.Notes) == 0 || !strings.Contains(st.Notes[0].Body, firstLine(d.Written.InternalNote)) {
			t.Errorf("the trace's written note does not match what the agent sees:\n%s\nvs\n%v", d.Written.InternalNote, st.Notes)
		}
		if d.Written.Priority == nil || *d.Written.Priority != d.Decision.Priority {
			t.Errorf("written priority %v; want the decision's %s", d.Written.Priority, d.Decision.Priority)
		}

		out.Reset()
		if code := run(t.Context(), []string{"show", connectorName("zendesk"), id, "--config", cfgPath}, &out, &errOut); code != 0 {
			t.Fatalf("show exit %d: %s", code, errOut.String())
		}
		t.Logf("heard show:\n%s", out.String())
		for _, want := range []string{"ticket.created  enriched", "  event seen: occurred ", "predictions (merged from classify.", "gates:",
			"  sla (", "  route: " + d.Decision.Route.Route, "first contact", "  written at ", ": priority " + string(d.Decision.Priority)} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("show text lacks %q:\n%s", want, out.String())
			}
		}
		errOut.Reset()
		if code := run(t.Context(), []string{"show", connectorName("zendesk"), "999999", "--config", cfgPath}, &out, &errOut); code != 1 ||
			!strings.Contains(errOut.String(), "recorded nothing for ticket 999999") {
			t.Errorf("show of an unknown ticket = %d, %q; want 1 and a clear error", code, errOut.String())
		}
	})
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

// TestShowTraceShadowAndErrors renders a shadow-mode event with a held-back
// field and failed stages: the trace says nothing was written and why, and
// lists the errors in a stable order.
func TestShowTraceShadowAndErrors(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	x := &enrich.Explanation{Priority: sdk.P2, PriorityReason: "matched \"slow\"", Route: route.Decision{Route: "support"},
		FirstContact: "first contact unknown: no ticket history from the help desk and no signup date",
		HeldBack:     []string{`priority P2 not written: shadow mode (connector mode "shadow"); live mode would write it`},
		Gate:         []gate.Decision{{Field: "priority", Value: "P2", Confidence: 0.8, Threshold: 0.7, WouldWrite: true, Reason: gate.ReasonShadow}},
		Errors:       []string{"knowledge base: timeout"}}
	ev := trace.Event{EventKey: "acme:1", Kind: "ticket.created", Status: "enriched", Attempt: 1, ProcessedAt: at,
		Detail: &pipeline.Detail[enrich.Explanation]{OccurredAt: at, Actor: "u7", Mode: "shadow",
			Predictions: []sdk.Prediction{{Field: "priority", Value: "P2", Confidence: 0.8, Source: "classify.rules", Reason: `matched "slow"`}},
			Decision:    x, Errors: map[string]string{"fetch": "b failed", "classify.llm": "a failed"}}}
	var b bytes.Buffer
	writeTrace(&b, "acme", "1", []trace.Event{ev})
	out := b.String()
	for _, want := range []string{"event seen: occurred", "by u7", "merged from classify.rules", "route: support (no rule matched: the default route)",
		"first contact unknown", "held back by the gates:", "shadow mode", "would be written in live mode", "written: nothing (mode shadow)",
		"decide error: knowledge base: timeout", "classify.llm failed: a failed\n  fetch failed: b failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}
