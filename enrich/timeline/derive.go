package timeline

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Observer records the timeline of every ticket the pipeline sees.
type Observer struct {
	// Store keeps the timelines.
	Store store.Timeline
}

// Observe adds to the ticket's timeline what event ev (queue key
// eventKey) and the ticket t fetched for it show. It is idempotent: the
// same event observed again adds nothing.
func (o *Observer) Observe(ctx context.Context, eventKey string, ev sdk.Event, t *sdk.Ticket) error {
	prev, err := o.Store.Timeline(ctx, ev.Ticket.Connector, ev.Ticket.ID)
	if err != nil {
		return fmt.Errorf("observing %s: %w", ev.Ticket, err)
	}
	entries := Derive(prev, eventKey, ev, t)
	if _, err := o.Store.AddTimeline(ctx, entries...); err != nil {
		return fmt.Errorf("observing %s: %w", ev.Ticket, err)
	}
	return nil
}

// done reports whether a status ends an SLA period.
func done(s string) bool { return s == string(sdk.StatusSolved) || s == string(sdk.StatusClosed) }

// Derive returns the entries event ev (queue key eventKey) and the ticket
// t fetched for it add to prev, the ticket's stored timeline in order.
//
//   - created, once, at the ticket's creation time, with the status the
//     ticket had then: t's status on a ticket.created event, "new" for a
//     ticket first seen later (its current status then follows as a
//     change);
//   - one agent_reply or customer_reply per public message, at the
//     message's time, keyed by message ID;
//   - a state change when t's status differs from the last recorded one,
//     at the event's time: waiting (to pending), resumed (from pending),
//     solved (to solved or closed), reopened (from solved or closed), or
//     status for any other change;
//   - priority, plan, assignee and group when they differ from the last
//     recorded value, and a rating per scale when the score changed.
//
// A ticket's status is read when it is fetched, which may be after the
// event; the event's time is used, never earlier than the last state entry.
func Derive(prev []store.TimelineEntry, eventKey string, ev sdk.Event, t *sdk.Ticket) []store.TimelineEntry {
	if t == nil {
		return nil
	}
	var out []store.TimelineEntry
	latest := map[string]string{} // kind or "rating:"+scale → last value
	var state store.TimelineEntry
	haveCreated := false
	seen := map[string]bool{}
	note := func(e store.TimelineEntry) {
		seen[e.Key] = true
		switch {
		case isState(e.Kind):
			state = e
			if e.Kind == store.TimelineCreated {
				haveCreated = true
			}
		case e.Kind == store.TimelineRating:
			if scale, score, ok := strings.Cut(e.Value, ":"); ok {
				latest["rating:"+scale] = score
			}
		default:
			latest[e.Kind] = e.Value
		}
	}
	for _, e := range prev {
		note(e)
	}
	add := func(e store.TimelineEntry) {
		if seen[e.Key] {
			return
		}
		e.Connector, e.TicketID, e.EventKey = ev.Ticket.Connector, ev.Ticket.ID, eventKey
		if e.Actor == "" {
			e.Actor = ev.Actor
		}
		out = append(out, e)
		note(e)
	}
	at := ev.OccurredAt
	if at.IsZero() {
		at = t.UpdatedAt
	}
	if !haveCreated {
		created := t.CreatedAt
		if created.IsZero() {
			created = at
		}
		status := string(sdk.StatusNew)
		if ev.Kind == sdk.EventTicketCreated && t.Status != sdk.StatusUnknown {
			status = string(t.Status)
		}
		add(store.TimelineEntry{Key: store.TimelineCreated, Kind: store.TimelineCreated, At: created, Value: status})
	}
	if at.Before(state.At) {
		at = state.At
	}
	for _, m := range t.Messages {
		if !m.Public || m.CreatedAt.IsZero() {
			continue
		}
		id := m.ID
		if id == "" {
			id = strconv.FormatInt(m.CreatedAt.UnixNano(), 10)
		}
		kind, key := store.TimelineCustomerReply, "message:"+id
		if m.FromAgent {
			kind, key = store.TimelineAgentReply, "reply:"+id
		}
		add(store.TimelineEntry{Key: key, Kind: kind, At: m.CreatedAt, Value: m.ID, Actor: m.Author.ID})
	}
	if s := string(t.Status); s != "" && s != state.Value {
		kind := store.TimelineStatus
		switch from := state.Value; {
		case done(from) && !done(s):
			kind = store.TimelineReopened
		case !done(from) && done(s):
			kind = store.TimelineSolved
		case s == string(sdk.StatusPending):
			kind = store.TimelineWaiting
		case from == string(sdk.StatusPending):
			kind = store.TimelineResumed
		}
		add(store.TimelineEntry{Key: kind + ":" + eventKey, Kind: kind, At: at, Value: s, Previous: state.Value})
	}
	for _, f := range []struct{ kind, value string }{
		{store.TimelinePriority, string(t.Priority)},
		{store.TimelinePlan, t.Customer[sdk.AttrPlan]},
		{store.TimelineAssignee, t.Assignee},
		{store.TimelineGroup, t.Group},
	} {
		if last, ok := latest[f.kind]; (ok || f.value != "") && last != f.value {
			add(store.TimelineEntry{Key: f.kind + ":" + eventKey, Kind: f.kind, At: at, Value: f.value, Previous: last})
		}
	}
	for i, r := range t.Ratings {
		if r.Scale == "" || r.Score == "" || latest["rating:"+r.Scale] == r.Score {
			continue
		}
		rat := r.At
		if rat.IsZero() {
			rat = at
		}
		add(store.TimelineEntry{Key: "rating:" + r.Scale + ":" + eventKey + ":" + strconv.Itoa(i), Kind: store.TimelineRating, At: rat,
			Value: r.Scale + ":" + r.Score, Previous: latest["rating:"+r.Scale]})
	}
	return out
}

func isState(kind string) bool { return slices.Contains(store.TimelineStateKinds, kind) }
