package sla

import (
	"fmt"
	"slices"
	"time"

	"github.com/heardhq/heard/sdk"
)

// ClockKind is what happened to a ticket, as the SLA clock sees it.
type ClockKind string

// What the clock reacts to. Anything else on a ticket's timeline (assignee
// changes, ratings) does not move it.
const (
	ClockCreated    ClockKind = "created"     // starts the first period
	ClockAgentReply ClockKind = "agent_reply" // a public agent reply: meets the period's first response
	ClockWaiting    ClockKind = "waiting"     // the ticket waits on the customer: the clock pauses
	ClockResumed    ClockKind = "resumed"     // it no longer waits: the clock runs again
	ClockSolved     ClockKind = "solved"      // solved or closed: the period ends
	ClockReopened   ClockKind = "reopened"    // starts a new period
)

// ClockEvent is one thing that happened, at a time.
type ClockEvent struct {
	Kind ClockKind
	At   time.Time
}

// Measure is one target (first response or resolution) in one period.
type Measure struct {
	// Target is the target after the tier multiplier.
	Target time.Duration
	// Elapsed is the clock time counted: business time (or wall time for
	// 24/7 priorities), less the pauses.
	Elapsed time.Duration
	// Fraction is Elapsed over Target: 1 is due now.
	Fraction float64
	// Level is the warning level Fraction has reached.
	Level Level
	// Stopped reports that the clock of this target no longer runs: the
	// first response was given, or the period ended (solved).
	Stopped bool
	// Met reports that it stopped within the target.
	Met bool
	// Due is when the target is reached if the clock keeps running from
	// now on: zero when it stopped or is paused now.
	Due time.Time
}

// Period is one SLA period: from creation (or a reopen) to solved.
type Period struct {
	Start time.Time
	// End is when the period was solved; zero while it is open.
	End time.Time
	// FirstReply is the first public agent reply in the period; zero if
	// none yet.
	FirstReply time.Time
	// Paused are the waits on the customer in the period; the last one has
	// a zero End while the ticket still waits.
	Paused []Interval
	// FirstResponse and Resolution are the two targets' clocks.
	FirstResponse, Resolution Measure
}

// Running reports whether the period is open and not paused now.
func (p Period) Running() bool {
	return p.End.IsZero() && (len(p.Paused) == 0 || !p.Paused[len(p.Paused)-1].End.IsZero())
}

// Clock is a ticket's SLA clock worked out from its timeline.
type Clock struct {
	// Periods are the SLA periods in order: one, and one more per reopen.
	Periods []Period
	// Multiplier is the tier multiplier applied to both targets.
	Multiplier float64
	// BusinessHours reports whether the clock runs in business time
	// (false: wall clock, 24/7).
	BusinessHours bool
	// UnknownPlan reports that the plan has no tier multiplier, so 1.0 was
	// used.
	UnknownPlan bool
}

// Current returns the last period, and false when there is none.
func (c Clock) Current() (Period, bool) {
	if len(c.Periods) == 0 {
		return Period{}, false
	}
	return c.Periods[len(c.Periods)-1], true
}

// Clock works out a ticket's SLA clock at now from what happened to it,
// for priority prio and the customer's plan (docs/policy.md, "The SLA
// clock"). Events may come in any order; they are sorted by time, a stable
// sort, so events at one instant keep their order.
//
// The first period starts at the created event (or, without one, at the
// first event); each reopen after a solve starts a new period with both
// targets afresh. In each period the first-response clock runs until the
// first public agent reply (or the solve, which stops it unmet); the
// resolution clock runs until the solve. Both pause from a wait on the
// customer until it is resumed, solved or reopened, and count business
// time on the Calendar unless prio is in AlwaysOn. Events that do not fit
// the state (a reply before creation, a second solve) change nothing.
//
// An unknown priority or an invalid calendar is an error wrapping
// sdk.ErrInvalid; no events is an empty Clock.
func (p Policy) Clock(events []ClockEvent, now time.Time, prio sdk.Priority, plan string) (Clock, error) {
	target, err := p.target(time.Unix(0, 1), prio)
	if err != nil {
		return Clock{}, fmt.Errorf("computing sla clock: %w", err)
	}
	m, known := p.multiplier(plan)
	c := Clock{Multiplier: m, UnknownPlan: !known, BusinessHours: !p.alwaysOn(prio)}
	var cal *calendar
	if c.BusinessHours {
		if cal, err = p.Calendar.compile(); err != nil {
			return Clock{}, fmt.Errorf("computing sla clock: %w", err)
		}
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b ClockEvent) int { return a.At.Compare(b.At) })

	var cur *Period
	waiting := false
	endWait := func(at time.Time) {
		if waiting {
			cur.Paused[len(cur.Paused)-1].End = at
			waiting = false
		}
	}
	for i, ev := range evs {
		if cur == nil {
			if ev.Kind != ClockCreated && i > 0 {
				continue
			}
			c.Periods = append(c.Periods, Period{Start: ev.At})
			cur = &c.Periods[len(c.Periods)-1]
			if ev.Kind == ClockCreated {
				continue
			}
		}
		open := cur.End.IsZero()
		switch ev.Kind {
		case ClockAgentReply:
			if open && cur.FirstReply.IsZero() {
				cur.FirstReply = ev.At
			}
		case ClockWaiting:
			if open && !waiting {
				cur.Paused = append(cur.Paused, Interval{Start: ev.At})
				waiting = true
			}
		case ClockResumed:
			if open {
				endWait(ev.At)
			}
		case ClockSolved:
			if open {
				endWait(ev.At)
				cur.End = ev.At
			}
		case ClockReopened:
			if !open {
				c.Periods = append(c.Periods, Period{Start: ev.At})
				cur = &c.Periods[len(c.Periods)-1]
			}
		}
	}

	fr, res := scale(target.FirstResponse, m), scale(target.Resolution, m)
	for i := range c.Periods {
		pd := &c.Periods[i]
		frEnd, frStopped := now, false
		switch {
		case !pd.FirstReply.IsZero():
			frEnd, frStopped = pd.FirstReply, true
		case !pd.End.IsZero():
			frEnd, frStopped = pd.End, true
		}
		resEnd, resStopped := now, !pd.End.IsZero()
		if resStopped {
			resEnd = pd.End
		}
		pd.FirstResponse = p.measure(cal, pd, fr, frEnd, frStopped && !pd.FirstReply.IsZero(), frStopped, now)
		pd.Resolution = p.measure(cal, pd, res, resEnd, resStopped, resStopped, now)
	}
	return c, nil
}

// measure counts one target's clock in pd from its start to end.
func (p Policy) measure(cal *calendar, pd *Period, target time.Duration, end time.Time, metCandidate, stopped bool, now time.Time) Measure {
	m := Measure{Target: target, Stopped: stopped}
	spans, _ := activeSpans(pd.Start, end, pd.Paused) // pauses come from Clock: valid
	for _, s := range spans {
		if cal != nil {
			m.Elapsed += cal.between(s.Start, s.End)
		} else {
			m.Elapsed += s.End.Sub(s.Start)
		}
	}
	m.Fraction = float64(m.Elapsed) / float64(target)
	m.Level = p.WarningLevel(m.Fraction)
	m.Met = metCandidate && m.Elapsed <= target
	if !stopped && pd.Running() {
		left := max(target-m.Elapsed, 0)
		if cal != nil {
			m.Due = cal.add(now, left)
		} else {
			m.Due = now.Add(left)
		}
	}
	return m
}
