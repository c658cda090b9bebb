package sla

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Target is the SLA of one priority, before the tier multiplier.
type Target struct {
	// FirstResponse is the time to the first public agent reply.
	FirstResponse time.Duration `yaml:"first_response"`
	// Resolution is the time to resolution.
	Resolution time.Duration `yaml:"resolution"`
}

// Level is one step of the SLA warning ladder.
type Level struct {
	// Name is the level's name, one of the Level* constants by default.
	Name string `yaml:"name"`
	// At is the fraction of the target elapsed at which the level starts,
	// inclusive: 0.5 is 50%.
	At float64 `yaml:"at"`
	// Action is what happens at this level.
	Action string `yaml:"action"`
}

// Warning level names. LevelNone is below the first level.
const (
	LevelNone   = "none"
	LevelYellow = "yellow"
	LevelOrange = "orange"
	LevelRed    = "red"
	LevelBreach = "breach"
	LevelSevere = "severe"
)

// Policy is the SLA policy: per-priority targets, tier multipliers, the
// priorities that run 24/7, the business calendar and the warning ladder.
// DefaultPolicy returns the documented defaults; Validate checks a policy
// decoded from configuration.
type Policy struct {
	// Targets holds the targets of every priority, P0 to P3.
	Targets map[sdk.Priority]Target `yaml:"targets"`
	// TierMultipliers multiply both targets by plan name (lower case);
	// smaller is faster. A plan not listed gets 1.0, and Due reports it.
	TierMultipliers map[string]float64 `yaml:"tier_multipliers"`
	// AlwaysOn are the priorities whose clock runs on the wall clock, 24/7.
	// The others run in business time on Calendar.
	AlwaysOn []sdk.Priority `yaml:"always_on"`
	// Calendar is the business-time calendar.
	Calendar Calendar `yaml:"calendar"`
	// Warnings is the warning ladder in ascending order of At.
	Warnings []Level `yaml:"warnings"`
}

// DefaultPolicy returns the default SLA policy (docs/policy.md, "Priority
// and SLA"). Targets and the 24/7 priorities come from
// policy.PriorityLevels: P0 15 min / 2 h, P1 1 h / 8 h, P2 4 h / 24 h,
// P3 24 h / 72 h; then enterprise 0.5, business 1.0,
// pro and professional 1.5, starter 2.0, free 4.0; P0 and P1 24/7; warnings
// at 50%, 80%, 90%, 100% and 200%; and DefaultCalendar.
func DefaultPolicy() Policy {
	p := Policy{
		Targets: map[sdk.Priority]Target{},
		TierMultipliers: map[string]float64{
			"enterprise":   0.5,
			"business":     1.0,
			"pro":          1.5,
			"professional": 1.5,
			"starter":      2.0,
			"free":         4.0,
		},
		Calendar: DefaultCalendar(),
		Warnings: []Level{
			{Name: LevelYellow, At: 0.5, Action: "visible"},
			{Name: LevelOrange, At: 0.8, Action: "alert assignee"},
			{Name: LevelRed, At: 0.9, Action: "alert team lead"},
			{Name: LevelBreach, At: 1.0, Action: "notify manager, escalate"},
			{Name: LevelSevere, At: 2.0, Action: "notify director"},
		},
	}
	for _, l := range policy.PriorityLevels() {
		p.Targets[l.Priority] = Target{FirstResponse: l.FirstResponse, Resolution: l.Resolution}
		if l.AlwaysOn {
			p.AlwaysOn = append(p.AlwaysOn, l.Priority)
		}
	}
	return p
}

// Validate reports the first problem with p, wrapping sdk.ErrInvalid.
func (p Policy) Validate() error {
	if err := p.validate(); err != nil {
		return fmt.Errorf("checking sla policy: %w: %w", err, sdk.ErrInvalid)
	}
	return nil
}

func (p Policy) validate() error {
	for _, prio := range policy.Priorities() {
		if _, ok := p.Targets[prio]; !ok {
			return fmt.Errorf("targets: %s is missing", prio)
		}
	}
	for prio, t := range p.Targets {
		switch {
		case !valid(prio):
			return fmt.Errorf("targets: priority %q: want P0, P1, P2 or P3", prio)
		case t.FirstResponse <= 0 || t.Resolution <= 0:
			return fmt.Errorf("targets: %s: first_response and resolution must be positive", prio)
		}
	}
	for plan, m := range p.TierMultipliers {
		switch {
		case plan == "" || plan != strings.ToLower(strings.TrimSpace(plan)):
			return fmt.Errorf("tier_multipliers: plan %q: want a lower-case name", plan)
		case math.IsNaN(m) || math.IsInf(m, 0) || m <= 0:
			return fmt.Errorf("tier_multipliers: %s is %v, must be a positive number", plan, m)
		}
	}
	for _, prio := range p.AlwaysOn {
		if !valid(prio) {
			return fmt.Errorf("always_on: priority %q: want P0, P1, P2 or P3", prio)
		}
	}
	if _, err := p.Calendar.compileRaw(); err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	seen := make(map[string]bool, len(p.Warnings))
	for i, w := range p.Warnings {
		switch {
		case w.Name == "" || w.Name == LevelNone:
			return fmt.Errorf("warnings[%d]: name %q: want a name other than %q", i, w.Name, LevelNone)
		case seen[w.Name]:
			return fmt.Errorf("warnings[%d]: name %q appears twice", i, w.Name)
		case math.IsNaN(w.At) || math.IsInf(w.At, 0) || w.At <= 0:
			return fmt.Errorf("warnings[%d] %q: at is %v, must be a positive number", i, w.Name, w.At)
		case i > 0 && w.At <= p.Warnings[i-1].At:
			return fmt.Errorf("warnings[%d] %q: at %v must be above the previous level's %v", i, w.Name, w.At, p.Warnings[i-1].At)
		}
		seen[w.Name] = true
	}
	return nil
}

func valid(p sdk.Priority) bool {
	return slices.Contains(policy.Priorities(), p)
}

// multiplier returns the tier multiplier of plan, and false with 1.0 when
// the plan is not listed.
func (p Policy) multiplier(plan string) (float64, bool) {
	m, ok := p.TierMultipliers[strings.ToLower(strings.TrimSpace(plan))]
	if !ok {
		return 1.0, false
	}
	return m, true
}

// alwaysOn reports whether prio runs 24/7.
func (p Policy) alwaysOn(prio sdk.Priority) bool { return slices.Contains(p.AlwaysOn, prio) }

// scale multiplies d by m, rounded to the nanosecond.
func scale(d time.Duration, m float64) time.Duration {
	return time.Duration(math.Round(float64(d) * m))
}
