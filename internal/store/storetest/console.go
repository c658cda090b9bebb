package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

func runConsole(t *testing.T, open Opener) {
	t.Run("records_decision_filters", func(t *testing.T) { testDecisionFilters(t, open(t)) })
	t.Run("write_failures", func(t *testing.T) { testWriteFailures(t, open(t)) })
	t.Run("console_sessions", func(t *testing.T) { testConsoleSessions(t, open(t)) })
	t.Run("summarize_records", func(t *testing.T) { testSummarizeRecords(t, open(t)) })
}

// testSummarizeRecords: the overview's counts come from the traces of the
// newest records in the window, per connector.
func testSummarizeRecords(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	held := `{"field":"primary_tag","written":false,"would_write":false}`
	recs := []struct {
		connector, detail string
		ago               time.Duration
	}{
		{"acme", `{"written":{"internal_note":"n","public_reply":"hello"},"decision":{"gate":[{"field":"priority","written":true,"would_write":true},` + held + `]}}`, time.Minute},
		{"acme", `{"written":{"internal_note":"n"},"decision":{"gate":[` + held + `,` + held + `]}}`, 10 * time.Minute},
		{"acme", `{"errors":{"classify":"timeout"},"decision":{"gate":[{"field":"priority","written":false,"would_write":true}]}}`, 20 * time.Minute},
		{"beta", `{"reason":"event kind ticket.deleted is not enriched"}`, 30 * time.Minute},
		{"beta", `{"written":{"internal_note":"n"}}`, 2 * time.Hour},
		{"acme", `{"written":{"internal_note":"old"}}`, 48 * time.Hour}, // outside the window
	}
	for i, r := range recs {
		if _, err := s.SaveRecord(ctx, store.Record{EventKey: fmt.Sprint("s", i), Connector: r.connector, Kind: sdk.EventTicketCreated, TicketID: fmt.Sprint(i),
			Status: "enriched", Attempt: 1, Detail: json.RawMessage(r.detail), ProcessedAt: t0.Add(-r.ago)}); err != nil {
			t.Fatalf("SaveRecord: %v", err)
		}
	}
	got, err := s.SummarizeRecords(ctx, store.SummaryFilter{Since: t0.Add(-24 * time.Hour), RecentSince: t0.Add(-15 * time.Minute), Limit: 100})
	if err != nil {
		t.Fatalf("SummarizeRecords: %v", err)
	}
	want := []store.RecordStats{
		{Connector: "acme", Events: 3, Recent: 2, Written: 2, AutoReplies: 1, Errors: 1, GateHolds: 3},
		{Connector: "beta", Events: 2, Written: 1},
	}
	if !slices.Equal(got.Connectors, want) || got.Read != 5 || !got.Oldest.Equal(t0.Add(-2*time.Hour)) {
		t.Errorf("SummarizeRecords = %+v\nwant %+v, 5 read, oldest %v", got, want, t0.Add(-2*time.Hour))
	}
	// The limit keeps the newest records.
	got, err = s.SummarizeRecords(ctx, store.SummaryFilter{Since: t0.Add(-24 * time.Hour), RecentSince: t0, Limit: 2})
	if err != nil {
		t.Fatalf("SummarizeRecords: %v", err)
	}
	if len(got.Connectors) != 1 || got.Connectors[0].Events != 2 || got.Connectors[0].GateHolds != 3 || got.Read != 2 || !got.Oldest.Equal(t0.Add(-10*time.Minute)) {
		t.Errorf("SummarizeRecords(limit 2) = %+v; want acme's two newest", got)
	}
}

// testDecisionFilters: the decision filters read each record's trace in
// the database, so an old record matches as well as a new one, and
// records without a decision match none.
func testDecisionFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	detail := func(mode, prio, primary, churn string, tags ...string) json.RawMessage {
		d := map[string]any{"mode": mode, "decision": map[string]any{"priority": prio, "primary_tag": primary, "tags": tags, "churn": map[string]any{"level": churn}}}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	recs := []store.Record{
		{EventKey: "d1", TicketID: "1", Detail: detail("live", "P0", "billing", "high", "billing", "vip")},
		{EventKey: "d2", TicketID: "2", Detail: detail("shadow", "P2", "login", "low", "r&d")},
		{EventKey: "d3", TicketID: "3", Detail: detail("shadow", "P0", "bug", "medium", "bug", "VIP", `say "hi"`)},
		{EventKey: "d4", TicketID: "4", Detail: json.RawMessage(`{"reason":"event kind ticket.deleted is not enriched"}`)},
		{EventKey: "d5", TicketID: "5", Detail: detail("live", "P1", "shipping", "High")},
	}
	for i, r := range recs {
		r.Connector, r.Kind, r.Status, r.Attempt = "acme", sdk.EventTicketCreated, "enriched", 1
		r.ProcessedAt = t0.Add(time.Duration(i) * time.Hour)
		if _, err := s.SaveRecord(ctx, r); err != nil {
			t.Fatalf("SaveRecord %s: %v", r.EventKey, err)
		}
	}
	for _, tc := range []struct {
		f    store.Filter
		want []string
	}{
		{store.Filter{Priority: "P0"}, []string{"d3", "d1"}},
		{store.Filter{Priority: "p2"}, []string{"d2"}},
		{store.Filter{Mode: "live"}, []string{"d5", "d1"}},
		{store.Filter{Mode: "shadow", Priority: "P0"}, []string{"d3"}},
		{store.Filter{Tag: "vip"}, []string{"d3", "d1"}},
		{store.Filter{Tag: "LOGIN"}, []string{"d2"}}, // the primary tag alone
		{store.Filter{Tag: "refund"}, nil},
		{store.Filter{Tag: "R&D"}, []string{"d2"}},      // escaped in the JSON text
		{store.Filter{Tag: "bil"}, nil},                 // part of a tag is no tag
		{store.Filter{Tag: "ug"}, nil},                  // nor the end of one
		{store.Filter{Tag: `SAY "HI"`}, []string{"d3"}}, // quotes inside a tag
		{store.Filter{Tag: "vip", Mode: "live"}, []string{"d1"}},
		{store.Filter{Churn: "high"}, []string{"d5", "d1"}},
		{store.Filter{Since: t0.Add(time.Hour), Before: t0.Add(3 * time.Hour)}, []string{"d3", "d2"}},
		{store.Filter{Since: t0.Add(2 * time.Hour), Priority: "P0"}, []string{"d3"}},
		{store.Filter{Priority: "P0", Limit: 1}, []string{"d3"}},
		{store.Filter{Connector: "beta", Priority: "P0"}, nil},
	} {
		got, err := s.Records(ctx, tc.f)
		if err != nil {
			t.Fatalf("Records(%+v): %v", tc.f, err)
		}
		var keys []string
		for _, r := range got {
			keys = append(keys, r.EventKey)
		}
		if !slices.Equal(keys, tc.want) {
			t.Errorf("Records(%+v) = %v, want %v", tc.f, keys, tc.want)
		}
	}
}

// testWriteFailures: failed write-backs are counted from the queue's job
// errors per connector, other failures are not, and a job that ran out of
// attempts or failed permanently counts as dead.
func testWriteFailures(t *testing.T, s store.Store) {
	ctx := t.Context()
	start := time.Now().Add(-time.Minute)
	q := newQueue(t, s, queue.Config{RetryBase: 10 * time.Millisecond, RetryMax: 20 * time.Millisecond, MaxAttempts: 2})
	err := q.Start(ctx, queue.HandlerFunc(func(_ context.Context, j queue.Job, _ queue.Attempt) error {
		switch j.Event.ID {
		case "w":
			return fmt.Errorf("%s %s: %w", store.WriteBackError, j.Event.Ticket, errors.New("zendesk answered 503"))
		case "f":
			return errors.New("fetching ticket: timeout")
		case "p": // permanent: dead at once (cancelled, not discarded)
			return fmt.Errorf("%s %s: %w", store.WriteBackError, j.Event.Ticket, sdk.ErrInvalid)
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	jobs := []queue.Job{queue.NewJob("acme", event("w")), queue.NewJob("acme", event("f")), queue.NewJob("beta", event("w")), queue.NewJob("beta", event("ok")), queue.NewJob("gamma", event("p"))}
	if _, err := q.Enqueue(ctx, jobs); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	waitFor(t, "four dead jobs", 20*time.Second, func() bool {
		dead, err := q.Dead(ctx, 10)
		return err == nil && len(dead) == 4
	})
	got, err := s.WriteFailures(ctx, start)
	if err != nil {
		t.Fatalf("WriteFailures: %v", err)
	}
	want := []store.WriteFailures{{Connector: "acme", Attempts: 2, Dead: 1}, {Connector: "beta", Attempts: 2, Dead: 1}, {Connector: "gamma", Attempts: 1, Dead: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("WriteFailures = %+v, want %+v", got, want)
	}
	later, err := s.WriteFailures(ctx, time.Now().Add(time.Hour))
	if err != nil || len(later) != 0 {
		t.Errorf("WriteFailures(an hour from now) = %+v, %v; want none", later, err)
	}
}

// testConsoleSessions: a saved session is found by its hash until it
// expires, and deleted ones are gone.
func testConsoleSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a := store.ConsoleSession{Hash: "aaa", User: "admin", Created: now, Expires: now.Add(time.Hour)}
	b := store.ConsoleSession{Hash: "bbb", User: "sam", Created: now, Expires: now.Add(time.Minute)}
	for _, x := range []store.ConsoleSession{a, b} {
		if err := s.SaveSession(ctx, x); err != nil {
			t.Fatalf("SaveSession: %v", err)
		}
	}
	if err := s.SaveSession(ctx, store.ConsoleSession{Hash: "", User: "x"}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("SaveSession without a hash = %v; want ErrInvalid", err)
	}
	got, err := s.Session(ctx, "aaa", now.Add(30*time.Minute))
	if err != nil || got.User != "admin" || !got.Expires.Equal(a.Expires) || !got.Created.Equal(now) {
		t.Errorf("Session(aaa) = %+v, %v; want admin expiring %v", got, err, a.Expires)
	}
	if _, err := s.Session(ctx, "bbb", now.Add(2*time.Minute)); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("expired Session(bbb) = %v; want ErrNotFound", err)
	}
	if _, err := s.Session(ctx, "zzz", now); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Session(unknown) = %v; want ErrNotFound", err)
	}
	n, err := s.DeleteExpiredSessions(ctx, now.Add(2*time.Minute))
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if _, err := s.Session(ctx, "bbb", now); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Session(bbb) after DeleteExpiredSessions = %v; want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, "aaa"); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if _, err := s.Session(ctx, "aaa", now); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Session(aaa) after DeleteSession = %v; want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, "aaa"); err != nil {
		t.Errorf("DeleteSession twice: %v", err)
	}
}
