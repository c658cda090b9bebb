package pipeline

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
)

type observerFunc func(ctx context.Context, key string, ev sdk.Event, t *sdk.Ticket) error

func (f observerFunc) Observe(ctx context.Context, key string, ev sdk.Event, t *sdk.Ticket) error {
	return f(ctx, key, ev, t)
}

// The timeline sees every event of a target with its ticket, fetched once
// and reused by enrichment; an observer error retries the job before
// anything is recorded.
func TestTimelineObserved(t *testing.T) {
	var mu sync.Mutex
	fetches := 0
	desk := fakeDesk{
		ticket: func(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
			mu.Lock()
			defer mu.Unlock()
			fetches++
			return &sdk.Ticket{Ref: ref, Status: sdk.StatusOpen, Requester: sdk.Party{Name: "Dana", Email: "dana@example.com"}}, nil
		},
		apply: func(context.Context, sdk.TicketRef, sdk.Changes) error { return nil },
	}
	var seen []string
	var failWith error
	obs := observerFunc(func(_ context.Context, key string, ev sdk.Event, tk *sdk.Ticket) error {
		if failWith != nil {
			return failWith
		}
		// Not redacted: the timeline gets the desk's own ticket.
		seen = append(seen, key+" "+string(ev.Kind)+" "+tk.Ref.ID+" "+tk.Requester.Email)
		return nil
	})
	cls := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{}, nil
	})
	dec := deciderFunc(func(context.Context, *DecideRequest) (*DecideResult[explained], error) {
		return &DecideResult[explained]{}, nil
	})
	rec := newRec()
	p, err := New(Config[explained]{Recorder: rec, Timeline: obs, Targets: map[string]Target{"acme": {Desk: desk, Mode: config.ModeShadow}},
		Classifier: cls, Decider: dec, Metrics: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	failWith = sdk.ErrUnavailable
	if err := p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); !errors.Is(err, sdk.ErrUnavailable) {
		t.Fatalf("Handle with a failing timeline = %v, want a retry", err)
	}
	if len(rec.recs) != 0 {
		t.Fatalf("records %v after a failed observation; want none", rec.recs)
	}
	failWith = nil
	fetches = 0
	if err := p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 2, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if want := "acme:e1 ticket.created 42 dana@example.com"; len(seen) != 1 || seen[0] != want {
		t.Errorf("observed %q, want [%q]", seen, want)
	}
	if fetches != 1 {
		t.Errorf("ticket fetched %d times for one event; want once", fetches)
	}
	if r := rec.recs["acme:e1"]; r.Status != StatusEnriched {
		t.Errorf("record status %q, want enriched", r.Status)
	}
	// An update heard does not enrich is still observed.
	if err := p.Handle(t.Context(), queue.NewJob("acme", sdk.Event{ID: "e2", Kind: sdk.EventTicketUpdated,
		Ticket: sdk.TicketRef{Connector: "acme", ID: "42"}}), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[1] != "acme:e2 ticket.updated 42 dana@example.com" {
		t.Errorf("observed %q; want the update too", seen)
	}
}

// A ticket deleted before its event is handled is not observed, and the
// event is still recorded.
func TestTimelineTicketGone(t *testing.T) {
	desk := fakeDesk{ticket: func(context.Context, sdk.TicketRef) (*sdk.Ticket, error) { return nil, sdk.ErrNotFound }}
	called := false
	obs := observerFunc(func(context.Context, string, sdk.Event, *sdk.Ticket) error { called = true; return nil })
	rec := newRec()
	p, err := New(Config[explained]{Recorder: rec, Timeline: obs, Targets: map[string]Target{"acme": {Desk: desk}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Handle(t.Context(), job(sdk.EventTicketUpdated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if called || len(rec.recs) != 1 {
		t.Errorf("observer called %v, records %d; want not called and the event recorded", called, len(rec.recs))
	}
}

// In live mode a priority heard wrote back is what the timeline sees: the
// help desk sends no event for heard's own write.
func TestTimelineSeesWrittenPriority(t *testing.T) {
	desk := fakeDesk{
		ticket: func(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
			return &sdk.Ticket{Ref: ref, Status: sdk.StatusNew, Priority: sdk.P3}, nil
		},
		apply: func(context.Context, sdk.TicketRef, sdk.Changes) error { return nil },
	}
	var got []sdk.Priority
	obs := observerFunc(func(_ context.Context, _ string, _ sdk.Event, tk *sdk.Ticket) error {
		got = append(got, tk.Priority)
		return nil
	})
	cls := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{}, nil
	})
	for _, mode := range []config.Mode{config.ModeLive, config.ModeShadow} {
		dec := deciderFunc(func(_ context.Context, req *DecideRequest) (*DecideResult[explained], error) {
			if !req.Mode.Live() {
				return &DecideResult[explained]{}, nil // gated: nothing written
			}
			p1 := sdk.P1
			return &DecideResult[explained]{Changes: sdk.Changes{Priority: &p1}}, nil
		})
		p, err := New(Config[explained]{Recorder: newRec(), Timeline: obs, Targets: map[string]Target{"acme": {Desk: desk, Mode: mode}},
			Classifier: cls, Decider: dec})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []sdk.Priority{sdk.P1, sdk.P3}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("observed priorities %v; want %v (written in live mode, the desk's in shadow)", got, want)
	}
}
