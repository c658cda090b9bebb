package sla

import (
	"fmt"
	"slices"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Due holds a ticket's SLA deadlines.
type Due struct {
	// FirstResponse is when the first public agent reply is due.
	FirstResponse time.Time
	// Resolution is when resolution is due.
	Resolution time.Time
	// Multiplier is the tier multiplier applied to both targets.
	Multiplier float64
	// BusinessHours reports whether the targets run in business time
	// (false: wall clock, 24/7).
	BusinessHours bool
	// UnknownPlan reports that the plan has no tier multiplier, so 1.0 was
	// used.
	UnknownPlan bool
}

// Interval is a span of time, such as one during which the ticket waited
// on the customer. A zero End means it has not ended.
type Interval struct {
	Start time.Time // inclusive; required
	End   time.Time // exclusive; zero while the interval lasts
}

// Progress is how much of a ticket's SLA targets has been used.
type Progress struct {
	// Elapsed is the clock time counted so far: business time or wall
	// time, less the paused intervals.
	Elapsed time.Duration
	// FirstResponse is Elapsed over the first-response target (after the
	// tier multiplier): 1 is due now.
	FirstResponse float64
	// Resolution is Elapsed over the resolution target.
	Resolution float64
	// Multiplier is the tier multiplier applied to both targets.
	Multiplier float64
	// BusinessHours reports whether the clock runs in business time.
	BusinessHours bool
	// UnknownPlan reports that the plan has no tier multiplier, so 1.0 was
	// used.
	UnknownPlan bool
}

// Due returns the deadlines of a ticket created at created with priority
// prio for a customer on plan. Both targets are multiplied by the plan's
// tier multiplier, then added to created on the wall clock for AlwaysOn
// priorities and in business time otherwise. Deadlines in business time are
// in the calendar's location.
//
// An unknown priority or an invalid calendar is an error wrapping
// sdk.ErrInvalid.
func (p Policy) Due(created time.Time, prio sdk.Priority, plan string) (Due, error) {
	target, err := p.target(created, prio)
	if err != nil {
		return Due{}, fmt.Errorf("computing sla deadlines: %w", err)
	}
	m, known := p.multiplier(plan)
	due := Due{Multiplier: m, UnknownPlan: !known}
	fr, res := scale(target.FirstResponse, m), scale(target.Resolution, m)
	if p.alwaysOn(prio) {
		due.FirstResponse, due.Resolution = created.Add(fr), created.Add(res)
		return due, nil
	}
	cal, err := p.Calendar.compile()
	if err != nil {
		return Due{}, fmt.Errorf("computing sla deadlines: %w", err)
	}
	due.BusinessHours = true
	due.FirstResponse, due.Resolution = cal.add(created, fr), cal.add(created, res)
	return due, nil
}

// Elapsed returns how much of the SLA targets a ticket created at created
// has used by now, counting business time (or wall time for AlwaysOn
// priorities) and leaving out the paused intervals. Paused intervals may
// overlap and may extend beyond [created, now]; only their part inside
// counts. A now before created is no time at all.
//
// An unknown priority, an invalid calendar, or a paused interval without a
// start or ending before it starts is an error wrapping sdk.ErrInvalid.
func (p Policy) Elapsed(created, now time.Time, prio sdk.Priority, plan string, paused []Interval) (Progress, error) {
	target, err := p.target(created, prio)
	if err != nil {
		return Progress{}, fmt.Errorf("computing sla progress: %w", err)
	}
	active, err := activeSpans(created, now, paused)
	if err != nil {
		return Progress{}, fmt.Errorf("computing sla progress: %w", err)
	}
	m, known := p.multiplier(plan)
	pr := Progress{Multiplier: m, UnknownPlan: !known, BusinessHours: !p.alwaysOn(prio)}
	if pr.BusinessHours {
		cal, err := p.Calendar.compile()
		if err != nil {
			return Progress{}, fmt.Errorf("computing sla progress: %w", err)
		}
		for _, s := range active {
			pr.Elapsed += cal.between(s.Start, s.End)
		}
	} else {
		for _, s := range active {
			pr.Elapsed += s.End.Sub(s.Start)
		}
	}
	pr.FirstResponse = float64(pr.Elapsed) / float64(scale(target.FirstResponse, m))
	pr.Resolution = float64(pr.Elapsed) / float64(scale(target.Resolution, m))
	return pr, nil
}

// WarningLevel returns the highest warning level whose At the fraction has
// reached, or a Level named LevelNone with no action below the first. NaN
// is LevelNone.
func (p Policy) WarningLevel(fraction float64) Level {
	level := Level{Name: LevelNone}
	for _, w := range p.Warnings {
		if fraction >= w.At {
			level = w
		}
	}
	return level
}

// target returns prio's target, checking the inputs Due and Elapsed share.
func (p Policy) target(created time.Time, prio sdk.Priority) (Target, error) {
	if created.IsZero() {
		return Target{}, fmt.Errorf("creation time is zero: %w", sdk.ErrInvalid)
	}
	t, ok := p.Targets[prio]
	if !ok || t.FirstResponse <= 0 || t.Resolution <= 0 {
		return Target{}, fmt.Errorf("priority %q has no target: %w", prio, sdk.ErrInvalid)
	}
	return t, nil
}

// activeSpans returns [created, now] less the paused intervals, as
// disjoint spans in order.
func activeSpans(created, now time.Time, paused []Interval) ([]Interval, error) {
	cut := make([]Interval, 0, len(paused))
	for i, iv := range paused {
		end := iv.End
		if end.IsZero() {
			end = now
		}
		switch {
		case iv.Start.IsZero():
			return nil, fmt.Errorf("paused interval %d has no start: %w", i, sdk.ErrInvalid)
		case end.Before(iv.Start) && !iv.End.IsZero():
			return nil, fmt.Errorf("paused interval %d ends at %s, before it starts at %s: %w",
				i, iv.End.Format(time.RFC3339), iv.Start.Format(time.RFC3339), sdk.ErrInvalid)
		}
		cut = append(cut, Interval{Start: iv.Start, End: end})
	}
	slices.SortFunc(cut, func(a, b Interval) int { return a.Start.Compare(b.Start) })

	var spans []Interval
	from := created
	for _, iv := range cut {
		if !iv.End.After(from) {
			continue // entirely before the current point
		}
		if iv.Start.After(from) {
			spans = append(spans, Interval{Start: from, End: earlierOf(iv.Start, now)})
		}
		from = laterOf(from, iv.End)
		if !from.Before(now) {
			break
		}
	}
	if from.Before(now) {
		spans = append(spans, Interval{Start: from, End: now})
	}
	// Drop the empty spans clipping to now may leave.
	return slices.DeleteFunc(spans, func(s Interval) bool { return !s.Start.Before(s.End) }), nil
}
