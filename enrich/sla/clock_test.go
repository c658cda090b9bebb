package sla

import (
	"errors"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// at parses a local time in loc, "2006-01-02 15:04".
func at(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestClockHandWorked(t *testing.T) {
	utc := time.UTC
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	berlinPolicy := DefaultPolicy()
	berlinPolicy.Calendar.TimeZone = "Europe/Berlin"
	ev := func(k ClockKind, loc *time.Location, s string) ClockEvent {
		return ClockEvent{Kind: k, At: at(t, loc, s)}
	}
	type want struct {
		frElapsed, resElapsed time.Duration
		frFraction, resFrac   float64
		frLevel, resLevel     string
		frMet, frStopped      bool
		resStopped, resMet    bool
		due                   string // the running resolution's Due, UTC "2006-01-02 15:04"; "" for zero
	}
	tests := []struct {
		name    string
		policy  Policy
		prio    sdk.Priority
		plan    string
		events  []ClockEvent
		now     time.Time
		periods []want
	}{
		{
			// P2 (4 h / 24 h, business hours 09–17 UTC, Mon–Fri). Monday 2
			// March 2026: created 10:00, reply 11:30 → 1.5 h of 4 h. Waits
			// from 12:00 to Tuesday 10:00 (paused), solved Tuesday 12:00:
			// resolution 10–12 Monday + 10–12 Tuesday = 4 h of 24 h.
			name: "pause while waiting on the customer", policy: DefaultPolicy(), prio: sdk.P2, plan: "business",
			events: []ClockEvent{ev(ClockCreated, utc, "2026-03-02 10:00"), ev(ClockAgentReply, utc, "2026-03-02 11:30"),
				ev(ClockWaiting, utc, "2026-03-02 12:00"), ev(ClockResumed, utc, "2026-03-03 10:00"), ev(ClockSolved, utc, "2026-03-03 12:00")},
			now: at(t, utc, "2026-03-05 12:00"),
			periods: []want{{frElapsed: 90 * time.Minute, frFraction: 0.375, frLevel: LevelNone, frMet: true, frStopped: true,
				resElapsed: 4 * time.Hour, resFrac: 4.0 / 24, resLevel: LevelNone, resStopped: true, resMet: true}},
		},
		{
			// P3 (24 h / 72 h) created Friday 6 March 16:00; now Monday 9
			// March 10:00, no reply: Friday 16–17 + Monday 9–10 = 2 h; the
			// weekend does not count. Resolution is due after 70 more
			// business hours from Monday 10:00: Monday 7 + Tuesday–Friday 32
			// = 39, Monday–Wednesday 16–18 March 24 = 63, then Thursday 19
			// March 09:00 + 7 h = 16:00.
			name: "weekend does not count", policy: DefaultPolicy(), prio: sdk.P3, plan: "business",
			events: []ClockEvent{ev(ClockCreated, utc, "2026-03-06 16:00")},
			now:    at(t, utc, "2026-03-09 10:00"),
			periods: []want{{frElapsed: 2 * time.Hour, frFraction: 2.0 / 24, frLevel: LevelNone,
				resElapsed: 2 * time.Hour, resFrac: 2.0 / 72, resLevel: LevelNone, due: "2026-03-19 16:00"}},
		},
		{
			// P1 runs 24/7; enterprise halves it to 30 min / 4 h. Period 1:
			// created 10:00, reply 10:20 (20/30, yellow, met), solved 11:00
			// (1 h of 4 h). Reopened 14:00, now 14:45 without a reply: a new
			// period, 45 min of 30 → breach, 45 min of 4 h for resolution,
			// due 14:45 + 3 h 15 min = 18:00.
			name: "reopen starts a new period", policy: DefaultPolicy(), prio: sdk.P1, plan: "Enterprise",
			events: []ClockEvent{ev(ClockSolved, utc, "2026-03-07 11:00"), ev(ClockCreated, utc, "2026-03-07 10:00"),
				ev(ClockAgentReply, utc, "2026-03-07 10:20"), ev(ClockReopened, utc, "2026-03-07 14:00")},
			now: at(t, utc, "2026-03-07 14:45"),
			periods: []want{
				{frElapsed: 20 * time.Minute, frFraction: 20.0 / 30, frLevel: LevelYellow, frMet: true, frStopped: true,
					resElapsed: time.Hour, resFrac: 0.25, resLevel: LevelNone, resStopped: true, resMet: true},
				{frElapsed: 45 * time.Minute, frFraction: 1.5, frLevel: LevelBreach,
					resElapsed: 45 * time.Minute, resFrac: 45.0 / 240, resLevel: LevelNone, due: "2026-03-07 18:00"},
			},
		},
		{
			// Still waiting now: the clock stopped at 12:00 and has no due
			// time. P0 (15 min / 2 h, 24/7): created 11:00, reply 11:10,
			// waiting from 11:30 → 30 min of 2 h.
			name: "waiting now", policy: DefaultPolicy(), prio: sdk.P0, plan: "business",
			events: []ClockEvent{ev(ClockCreated, utc, "2026-03-07 11:00"), ev(ClockAgentReply, utc, "2026-03-07 11:10"),
				ev(ClockWaiting, utc, "2026-03-07 11:30")},
			now: at(t, utc, "2026-03-07 18:00"),
			periods: []want{{frElapsed: 10 * time.Minute, frFraction: 10.0 / 15, frLevel: LevelYellow, frMet: true, frStopped: true,
				resElapsed: 30 * time.Minute, resFrac: 0.25, resLevel: LevelNone}},
		},
		{
			// Solved without a reply: the first-response clock stops unmet.
			// P2 free (4.0×: 16 h / 96 h) created Monday 9:00, solved 17:00:
			// 8 h of 16 h.
			name: "solved without a reply", policy: DefaultPolicy(), prio: sdk.P2, plan: "free",
			events: []ClockEvent{ev(ClockCreated, utc, "2026-03-02 09:00"), ev(ClockSolved, utc, "2026-03-02 17:00"),
				ev(ClockAgentReply, utc, "2026-03-02 18:00")},
			now: at(t, utc, "2026-03-09 09:00"),
			periods: []want{{frElapsed: 8 * time.Hour, frFraction: 0.5, frLevel: LevelYellow, frStopped: true,
				resElapsed: 8 * time.Hour, resFrac: 8.0 / 96, resLevel: LevelNone, resStopped: true, resMet: true}},
		},
		{
			// Europe/Berlin, where clocks go forward on Sunday 29 March 2026.
			// P2 created Friday 27 March 16:00 CET (15:00 UTC); now Monday 30
			// March 12:00 CEST (10:00 UTC): Friday 16–17 + Monday 9–12 local
			// = 4 h, the whole first-response target (breach); a clock that
			// kept the winter offset would open Monday at 08:00 UTC and count
			// 3 h. Resolution: 20 h left from Monday 12:00 CEST: Monday 5,
			// Tuesday 8, Wednesday 1 April 09:00 + 7 h = 16:00 CEST, 14:00 UTC.
			name: "business hours across a DST change", policy: berlinPolicy, prio: sdk.P2, plan: "business",
			events: []ClockEvent{ev(ClockCreated, berlin, "2026-03-27 16:00")},
			now:    at(t, berlin, "2026-03-30 12:00"),
			periods: []want{{frElapsed: 4 * time.Hour, frFraction: 1, frLevel: LevelBreach,
				resElapsed: 4 * time.Hour, resFrac: 4.0 / 24, resLevel: LevelNone, due: "2026-04-01 14:00"}},
		},
		{
			// 24/7 across the same DST change: Saturday 28 March 23:00 CET
			// to Sunday 29 March 04:00 CEST is 4 h of real time (the local
			// clock shows 5). P1 business: 4 h of 1 h → 400%, severe.
			name: "24/7 across a DST change", policy: berlinPolicy, prio: sdk.P1, plan: "business",
			events: []ClockEvent{ev(ClockCreated, berlin, "2026-03-28 23:00")},
			now:    at(t, berlin, "2026-03-29 04:00"),
			periods: []want{{frElapsed: 4 * time.Hour, frFraction: 4, frLevel: LevelSevere,
				resElapsed: 4 * time.Hour, resFrac: 0.5, resLevel: LevelYellow, due: "2026-03-29 06:00"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.policy.Clock(tt.events, tt.now, tt.prio, tt.plan)
			if err != nil {
				t.Fatalf("Clock: %v", err)
			}
			if len(c.Periods) != len(tt.periods) {
				t.Fatalf("%d periods, want %d: %+v", len(c.Periods), len(tt.periods), c.Periods)
			}
			for i, w := range tt.periods {
				p := c.Periods[i]
				fr, res := p.FirstResponse, p.Resolution
				if fr.Elapsed != w.frElapsed || !near(fr.Fraction, w.frFraction) || fr.Level.Name != w.frLevel || fr.Met != w.frMet || fr.Stopped != w.frStopped {
					t.Errorf("period %d first response = %+v; want elapsed %s, fraction %.4f, level %s, met %v, stopped %v",
						i, fr, w.frElapsed, w.frFraction, w.frLevel, w.frMet, w.frStopped)
				}
				if res.Elapsed != w.resElapsed || !near(res.Fraction, w.resFrac) || res.Level.Name != w.resLevel || res.Met != w.resMet || res.Stopped != w.resStopped {
					t.Errorf("period %d resolution = %+v; want elapsed %s, fraction %.4f, level %s, met %v, stopped %v",
						i, res, w.resElapsed, w.resFrac, w.resLevel, w.resMet, w.resStopped)
				}
				gotDue := ""
				if !res.Due.IsZero() {
					gotDue = res.Due.UTC().Format("2006-01-02 15:04")
				}
				if gotDue != w.due {
					t.Errorf("period %d resolution due %q, want %q", i, gotDue, w.due)
				}
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestClockEdges(t *testing.T) {
	t0 := time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	if c, err := p.Clock(nil, t0, sdk.P0, ""); err != nil || len(c.Periods) != 0 {
		t.Errorf("no events: %+v, %v; want no periods", c, err)
	}
	if _, err := p.Clock(nil, t0, sdk.PriorityUnknown, ""); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("unknown priority: %v, want ErrInvalid", err)
	}
	// A second wait while waiting, a resume while running and a reopen of an
	// open ticket change nothing: one pause 10:10–10:40, so P0's clock
	// counts 10:00–10:10 and 10:40–11:00, 30 min.
	evs := []ClockEvent{{ClockCreated, t0}, {ClockWaiting, t0.Add(10 * time.Minute)}, {ClockWaiting, t0.Add(20 * time.Minute)},
		{ClockResumed, t0.Add(40 * time.Minute)}, {ClockResumed, t0.Add(45 * time.Minute)}, {ClockReopened, t0.Add(50 * time.Minute)}}
	c, err := p.Clock(evs, t0.Add(time.Hour), sdk.P0, "")
	if err != nil {
		t.Fatal(err)
	}
	cur, ok := c.Current()
	if !ok || len(c.Periods) != 1 || len(cur.Paused) != 1 || cur.Resolution.Elapsed != 30*time.Minute || !cur.Running() || !c.UnknownPlan {
		t.Errorf("clock = %+v; want one period, one pause, 30 min elapsed, running, unknown plan", c)
	}
}

// BenchmarkClock works out the clock of a busy business-hours ticket: ten
// waits and resumes and two reopens over three weeks.
func BenchmarkClock(b *testing.B) {
	p := DefaultPolicy()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	evs := []ClockEvent{{ClockCreated, t0}}
	at := t0
	for i := range 10 {
		at = at.Add(7 * time.Hour)
		evs = append(evs, ClockEvent{ClockAgentReply, at}, ClockEvent{ClockWaiting, at.Add(time.Minute)})
		at = at.Add(20 * time.Hour)
		evs = append(evs, ClockEvent{ClockResumed, at})
		if i == 3 || i == 6 {
			evs = append(evs, ClockEvent{ClockSolved, at.Add(time.Hour)}, ClockEvent{ClockReopened, at.Add(30 * time.Hour)})
			at = at.Add(30 * time.Hour)
		}
	}
	now := at.Add(5 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Clock(evs, now, sdk.P3, "pro"); err != nil {
			b.Fatal(err)
		}
	}
}
