package timeline

import (
	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// ClockEvents maps a timeline onto what the SLA clock reacts to. A reopen
// straight into pending is a reopen and a wait.
func ClockEvents(entries []store.TimelineEntry) []sla.ClockEvent {
	var out []sla.ClockEvent
	for _, e := range entries {
		switch e.Kind {
		case store.TimelineCreated:
			out = append(out, sla.ClockEvent{Kind: sla.ClockCreated, At: e.At})
			if e.Value == string(sdk.StatusPending) {
				out = append(out, sla.ClockEvent{Kind: sla.ClockWaiting, At: e.At})
			}
		case store.TimelineAgentReply:
			out = append(out, sla.ClockEvent{Kind: sla.ClockAgentReply, At: e.At})
		case store.TimelineWaiting:
			out = append(out, sla.ClockEvent{Kind: sla.ClockWaiting, At: e.At})
		case store.TimelineResumed:
			out = append(out, sla.ClockEvent{Kind: sla.ClockResumed, At: e.At})
		case store.TimelineSolved:
			out = append(out, sla.ClockEvent{Kind: sla.ClockSolved, At: e.At})
		case store.TimelineReopened:
			out = append(out, sla.ClockEvent{Kind: sla.ClockReopened, At: e.At})
			if e.Value == string(sdk.StatusPending) {
				out = append(out, sla.ClockEvent{Kind: sla.ClockWaiting, At: e.At})
			}
		}
	}
	return out
}

// Latest returns the last value of kind on the timeline, "" when none.
func Latest(entries []store.TimelineEntry, kind string) string {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Kind == kind {
			return entries[i].Value
		}
	}
	return ""
}
