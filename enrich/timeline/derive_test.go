package timeline

import (
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func mins(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// keys lists entries as "kind key value".
func keys(es []store.TimelineEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Kind+" "+e.Key+" "+e.Value)
	}
	return out
}

func TestDeriveLifecycle(t *testing.T) {
	ref := sdk.TicketRef{Connector: "acme", Account: "acme", ID: "7"}
	customer := sdk.Message{ID: "m1", Public: true, Body: "help", CreatedAt: t0}
	tk := &sdk.Ticket{Ref: ref, Status: sdk.StatusNew, Priority: sdk.P2, CreatedAt: t0,
		Customer: map[string]string{sdk.AttrPlan: "business"}, Messages: []sdk.Message{customer}}
	var timeline []store.TimelineEntry
	step := func(name string, ev sdk.Event, want []string) {
		t.Helper()
		got := Derive(timeline, "k-"+ev.ID, ev, tk)
		if !slices.Equal(keys(got), want) {
			t.Fatalf("%s: derived\n%v\nwant\n%v", name, keys(got), want)
		}
		for _, e := range got {
			if e.Connector != "acme" || e.TicketID != "7" || e.EventKey != "k-"+ev.ID {
				t.Fatalf("%s: entry %+v lacks the ticket or event key", name, e)
			}
		}
		timeline = append(timeline, got...)
		if again := Derive(timeline, "k-"+ev.ID, ev, tk); len(again) != 0 {
			t.Fatalf("%s: the same event again derived %v, want nothing", name, keys(again))
		}
	}
	step("created", sdk.Event{ID: "1", Kind: sdk.EventTicketCreated, Ticket: ref, OccurredAt: t0}, []string{
		"created created new", "customer_reply message:m1 m1", "priority priority:k-1 P2", "plan plan:k-1 business"})

	tk.Messages = append(tk.Messages, sdk.Message{ID: "m2", FromAgent: true, Public: true, CreatedAt: mins(30)},
		sdk.Message{ID: "m3", FromAgent: true, Public: false, CreatedAt: mins(31)}) // internal note: not on the timeline
	tk.Status, tk.Assignee, tk.Group = sdk.StatusPending, "42", "9"
	step("agent replies and waits", sdk.Event{ID: "2", Kind: sdk.EventTicketUpdated, Ticket: ref, OccurredAt: mins(31)}, []string{
		"agent_reply reply:m2 m2", "waiting waiting:k-2 pending", "assignee assignee:k-2 42", "group group:k-2 9"})

	tk.Messages = append(tk.Messages, sdk.Message{ID: "m4", Public: true, CreatedAt: mins(120)})
	tk.Status = sdk.StatusOpen
	step("customer answers", sdk.Event{ID: "3", Kind: sdk.EventMessageCreated, Ticket: ref, OccurredAt: mins(120)}, []string{
		"customer_reply message:m4 m4", "resumed resumed:k-3 open"})

	tk.Status, tk.Priority = sdk.StatusSolved, sdk.P1
	tk.Ratings = []sdk.Rating{{Scale: sdk.RatingCSAT, Score: "4", At: mins(200)}}
	step("solved and rated", sdk.Event{ID: "4", Kind: sdk.EventTicketSolved, Ticket: ref, OccurredAt: mins(180)}, []string{
		"solved solved:k-4 solved", "priority priority:k-4 P1", "rating rating:csat:k-4:0 csat:4"})

	tk.Status, tk.Assignee = sdk.StatusOpen, ""
	step("reopened and unassigned", sdk.Event{ID: "5", Kind: sdk.EventTicketUpdated, Ticket: ref, OccurredAt: mins(300)}, []string{
		"reopened reopened:k-5 open", "assignee assignee:k-5 "})

	// An event older than the last state change is placed at that change.
	tk.Status = sdk.StatusPending
	step("late event", sdk.Event{ID: "6", Kind: sdk.EventTicketUpdated, Ticket: ref, OccurredAt: mins(250)}, []string{
		"waiting waiting:k-6 pending"})
	if last := timeline[len(timeline)-1]; !last.At.Equal(mins(300)) || last.Previous != "open" {
		t.Errorf("late wait = %+v; want at the reopen time, from open", last)
	}

	slices.SortStableFunc(timeline, func(a, b store.TimelineEntry) int { return a.At.Compare(b.At) })
	var kinds []sla.ClockKind
	for _, e := range ClockEvents(timeline) {
		kinds = append(kinds, e.Kind)
	}
	want := []sla.ClockKind{sla.ClockCreated, sla.ClockAgentReply, sla.ClockWaiting, sla.ClockResumed, sla.ClockSolved, sla.ClockReopened, sla.ClockWaiting}
	if !slices.Equal(kinds, want) {
		t.Errorf("clock events %v, want %v", kinds, want)
	}
	if p := Latest(timeline, store.TimelinePriority); p != "P1" {
		t.Errorf("latest priority %q, want P1", p)
	}
}

func TestDeriveFirstSeenLate(t *testing.T) {
	ref := sdk.TicketRef{Connector: "acme", ID: "8"}
	tk := &sdk.Ticket{Ref: ref, Status: sdk.StatusPending, CreatedAt: t0}
	got := Derive(nil, "k", sdk.Event{ID: "e", Kind: sdk.EventTicketUpdated, Ticket: ref, OccurredAt: mins(60)}, tk)
	want := []string{"created created new", "waiting waiting:k pending"}
	if !slices.Equal(keys(got), want) {
		t.Fatalf("derived %v, want %v", keys(got), want)
	}
	if !got[0].At.Equal(t0) || !got[1].At.Equal(mins(60)) {
		t.Errorf("times %s, %s; want creation then the event", got[0].At, got[1].At)
	}
	if Derive(nil, "k", sdk.Event{}, nil) != nil {
		t.Error("no ticket derived entries")
	}
}
