package sla

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests need zone data on any machine

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

// Expected deadlines in these tests were computed independently, by a
// minute-by-minute simulation of the calendar, not by this package.

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return v
}

// policyIn returns the default policy with its calendar in zone tz.
func policyIn(tz string, mod ...func(*Calendar)) Policy {
	p := DefaultPolicy()
	p.Calendar.TimeZone = tz
	for _, m := range mod {
		m(&p.Calendar)
	}
	return p
}

func everyDay(c *Calendar) {
	c.Weekdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
}

func TestDefaultPolicyMatchesDomain(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v; want nil", err)
	}
	wantTargets := map[sdk.Priority]Target{
		sdk.P0: {15 * time.Minute, 2 * time.Hour},
		sdk.P1: {time.Hour, 8 * time.Hour},
		sdk.P2: {4 * time.Hour, 24 * time.Hour},
		sdk.P3: {24 * time.Hour, 72 * time.Hour},
	}
	for prio, want := range wantTargets {
		if got := p.Targets[prio]; got != want {
			t.Errorf("target %s = %+v; want %+v", prio, got, want)
		}
	}
	wantTiers := map[string]float64{"enterprise": 0.5, "business": 1, "pro": 1.5, "professional": 1.5, "starter": 2, "free": 4}
	if len(p.TierMultipliers) != len(wantTiers) {
		t.Errorf("tier multipliers = %v; want %v", p.TierMultipliers, wantTiers)
	}
	for plan, want := range wantTiers {
		if got := p.TierMultipliers[plan]; got != want {
			t.Errorf("multiplier %s = %v; want %v", plan, got, want)
		}
	}
	if len(p.AlwaysOn) != 2 || !p.alwaysOn(sdk.P0) || !p.alwaysOn(sdk.P1) {
		t.Errorf("always on = %v; want [P0 P1]", p.AlwaysOn)
	}
	c := p.Calendar
	if c.Start != "09:00" || c.End != "17:00" || len(c.Weekdays) != 5 || c.Weekdays[0] != time.Monday || c.Weekdays[4] != time.Friday {
		t.Errorf("calendar = %+v; want Monday to Friday 09:00-17:00", c)
	}
	wantWarnings := []Level{
		{LevelYellow, 0.5, "visible"}, {LevelOrange, 0.8, "alert assignee"}, {LevelRed, 0.9, "alert team lead"},
		{LevelBreach, 1.0, "notify manager, escalate"}, {LevelSevere, 2.0, "notify director"},
	}
	if len(p.Warnings) != len(wantWarnings) {
		t.Fatalf("warnings = %v; want %v", p.Warnings, wantWarnings)
	}
	for i, w := range wantWarnings {
		if p.Warnings[i] != w {
			t.Errorf("warnings[%d] = %+v; want %+v", i, p.Warnings[i], w)
		}
	}
}

func TestDuePriorityTierMatrix(t *testing.T) {
	// Created Monday 2026-03-02 10:30 UTC on the default calendar.
	const created = "2026-03-02T10:30:00Z"
	tests := []struct {
		prio     sdk.Priority
		plan     string
		mult     float64
		wantFR   string
		wantRes  string
		business bool
	}{
		{sdk.P0, "enterprise", 0.5, "2026-03-02T10:37:30Z", "2026-03-02T11:30:00Z", false},
		{sdk.P0, "business", 1, "2026-03-02T10:45:00Z", "2026-03-02T12:30:00Z", false},
		{sdk.P0, "pro", 1.5, "2026-03-02T10:52:30Z", "2026-03-02T13:30:00Z", false},
		{sdk.P0, "professional", 1.5, "2026-03-02T10:52:30Z", "2026-03-02T13:30:00Z", false},
		{sdk.P0, "starter", 2, "2026-03-02T11:00:00Z", "2026-03-02T14:30:00Z", false},
		{sdk.P0, "free", 4, "2026-03-02T11:30:00Z", "2026-03-02T18:30:00Z", false},
		{sdk.P1, "enterprise", 0.5, "2026-03-02T11:00:00Z", "2026-03-02T14:30:00Z", false},
		{sdk.P1, "business", 1, "2026-03-02T11:30:00Z", "2026-03-02T18:30:00Z", false},
		{sdk.P1, "pro", 1.5, "2026-03-02T12:00:00Z", "2026-03-02T22:30:00Z", false},
		{sdk.P1, "professional", 1.5, "2026-03-02T12:00:00Z", "2026-03-02T22:30:00Z", false},
		{sdk.P1, "starter", 2, "2026-03-02T12:30:00Z", "2026-03-03T02:30:00Z", false},
		{sdk.P1, "free", 4, "2026-03-02T14:30:00Z", "2026-03-03T18:30:00Z", false},
		{sdk.P2, "enterprise", 0.5, "2026-03-02T12:30:00Z", "2026-03-03T14:30:00Z", true},
		{sdk.P2, "business", 1, "2026-03-02T14:30:00Z", "2026-03-05T10:30:00Z", true},
		{sdk.P2, "pro", 1.5, "2026-03-02T16:30:00Z", "2026-03-06T14:30:00Z", true},
		{sdk.P2, "professional", 1.5, "2026-03-02T16:30:00Z", "2026-03-06T14:30:00Z", true},
		{sdk.P2, "starter", 2, "2026-03-03T10:30:00Z", "2026-03-10T10:30:00Z", true},
		{sdk.P2, "free", 4, "2026-03-04T10:30:00Z", "2026-03-18T10:30:00Z", true},
		{sdk.P3, "enterprise", 0.5, "2026-03-03T14:30:00Z", "2026-03-06T14:30:00Z", true},
		{sdk.P3, "business", 1, "2026-03-05T10:30:00Z", "2026-03-13T10:30:00Z", true},
		{sdk.P3, "pro", 1.5, "2026-03-06T14:30:00Z", "2026-03-19T14:30:00Z", true},
		{sdk.P3, "professional", 1.5, "2026-03-06T14:30:00Z", "2026-03-19T14:30:00Z", true},
		{sdk.P3, "starter", 2, "2026-03-10T10:30:00Z", "2026-03-26T10:30:00Z", true},
		{sdk.P3, "free", 4, "2026-03-18T10:30:00Z", "2026-04-21T10:30:00Z", true},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(string(tc.prio)+" "+tc.plan, func(t *testing.T) {
			got, err := p.Due(mustTime(t, created), tc.prio, tc.plan)
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			if want := mustTime(t, tc.wantFR); !got.FirstResponse.Equal(want) {
				t.Errorf("first response = %s; want %s", got.FirstResponse.Format(time.RFC3339), tc.wantFR)
			}
			if want := mustTime(t, tc.wantRes); !got.Resolution.Equal(want) {
				t.Errorf("resolution = %s; want %s", got.Resolution.Format(time.RFC3339), tc.wantRes)
			}
			if got.Multiplier != tc.mult || got.BusinessHours != tc.business || got.UnknownPlan {
				t.Errorf("multiplier, business hours, unknown plan = %v, %v, %v; want %v, %v, false",
					got.Multiplier, got.BusinessHours, got.UnknownPlan, tc.mult, tc.business)
			}
		})
	}
}

func TestDueCalendar(t *testing.T) {
	holiday := func(c *Calendar) { c.Holidays = []string{"2026-12-25"} }
	tests := []struct {
		name    string
		policy  Policy
		created string
		prio    sdk.Priority
		wantFR  string
		wantRes string
	}{
		{name: "P0 runs over the weekend", policy: DefaultPolicy(), created: "2026-03-06T23:00:00Z", prio: sdk.P0,
			wantFR: "2026-03-06T23:15:00Z", wantRes: "2026-03-07T01:00:00Z"},
		{name: "P1 created on a Saturday runs on Saturday", policy: DefaultPolicy(), created: "2026-03-07T10:00:00Z", prio: sdk.P1,
			wantFR: "2026-03-07T11:00:00Z", wantRes: "2026-03-07T18:00:00Z"},
		{name: "P2 Friday 16:00 rolls to Monday", policy: DefaultPolicy(), created: "2026-03-06T16:00:00Z", prio: sdk.P2,
			wantFR: "2026-03-09T12:00:00Z", wantRes: "2026-03-11T16:00:00Z"},
		{name: "P3 Friday 16:00 rolls to Monday, multi-day resolution", policy: DefaultPolicy(), created: "2026-03-06T16:00:00Z", prio: sdk.P3,
			wantFR: "2026-03-11T16:00:00Z", wantRes: "2026-03-19T16:00:00Z"},
		{name: "P2 created before opening starts at opening", policy: DefaultPolicy(), created: "2026-03-02T07:00:00Z", prio: sdk.P2,
			wantFR: "2026-03-02T13:00:00Z", wantRes: "2026-03-04T17:00:00Z"},
		{name: "P2 created after closing starts next morning", policy: DefaultPolicy(), created: "2026-03-02T18:00:00Z", prio: sdk.P2,
			wantFR: "2026-03-03T13:00:00Z", wantRes: "2026-03-05T17:00:00Z"},
		{name: "P2 created on Saturday starts Monday", policy: DefaultPolicy(), created: "2026-03-07T11:00:00Z", prio: sdk.P2,
			wantFR: "2026-03-09T13:00:00Z", wantRes: "2026-03-11T17:00:00Z"},
		{name: "P2 ending exactly at closing stays on that day", policy: DefaultPolicy(), created: "2026-03-02T13:00:00Z", prio: sdk.P2,
			wantFR: "2026-03-02T17:00:00Z", wantRes: "2026-03-05T13:00:00Z"},
		{name: "P2 created on a holiday starts the next working day", policy: policyIn("UTC", holiday), created: "2026-12-25T10:00:00Z", prio: sdk.P2,
			wantFR: "2026-12-28T13:00:00Z", wantRes: "2026-12-30T17:00:00Z"},
		{name: "P2 skips a holiday", policy: policyIn("UTC", holiday), created: "2026-12-24T15:00:00Z", prio: sdk.P2,
			wantFR: "2026-12-28T11:00:00Z", wantRes: "2026-12-30T15:00:00Z"},
		{name: "P1 ignores holidays", policy: policyIn("UTC", holiday), created: "2026-12-25T10:00:00Z", prio: sdk.P1,
			wantFR: "2026-12-25T11:00:00Z", wantRes: "2026-12-25T18:00:00Z"},

		// Europe/Berlin: CET→CEST on Sunday 2026-03-29, CEST→CET on Sunday 2026-10-25.
		{name: "Berlin spring: Friday 16:00 to Monday across the change", policy: policyIn("Europe/Berlin"),
			created: "2026-03-27T16:00:00+01:00", prio: sdk.P2,
			wantFR: "2026-03-30T12:00:00+02:00", wantRes: "2026-04-01T16:00:00+02:00"},
		{name: "Berlin spring: the change day is 8 business hours", policy: policyIn("Europe/Berlin", everyDay),
			created: "2026-03-28T16:00:00+01:00", prio: sdk.P2,
			wantFR: "2026-03-29T12:00:00+02:00", wantRes: "2026-03-31T16:00:00+02:00"},
		{name: "Berlin spring: opening hours on the change day", policy: policyIn("Europe/Berlin", everyDay),
			created: "2026-03-29T14:00:00+02:00", prio: sdk.P2,
			wantFR: "2026-03-30T10:00:00+02:00", wantRes: "2026-04-01T14:00:00+02:00"},
		{name: "Berlin spring: P1 wall clock loses the skipped hour", policy: policyIn("Europe/Berlin"),
			created: "2026-03-28T22:00:00+01:00", prio: sdk.P1,
			wantFR: "2026-03-28T23:00:00+01:00", wantRes: "2026-03-29T07:00:00+02:00"},
		{name: "Berlin autumn: Friday 16:00 to Monday across the change", policy: policyIn("Europe/Berlin"),
			created: "2026-10-23T16:00:00+02:00", prio: sdk.P2,
			wantFR: "2026-10-26T12:00:00+01:00", wantRes: "2026-10-28T16:00:00+01:00"},
		{name: "Berlin autumn: the change day is 8 business hours", policy: policyIn("Europe/Berlin", everyDay),
			created: "2026-10-25T14:00:00+01:00", prio: sdk.P2,
			wantFR: "2026-10-26T10:00:00+01:00", wantRes: "2026-10-28T14:00:00+01:00"},
		{name: "Berlin autumn: P1 wall clock repeats the hour", policy: policyIn("Europe/Berlin"),
			created: "2026-10-24T22:00:00+02:00", prio: sdk.P1,
			wantFR: "2026-10-24T23:00:00+02:00", wantRes: "2026-10-25T05:00:00+01:00"},

		// America/New_York: EST→EDT on Sunday 2026-03-08, EDT→EST on Sunday 2026-11-01.
		{name: "New York spring: Friday 15:00 to Monday across the change", policy: policyIn("America/New_York"),
			created: "2026-03-06T15:00:00-05:00", prio: sdk.P2,
			wantFR: "2026-03-09T11:00:00-04:00", wantRes: "2026-03-11T15:00:00-04:00"},
		{name: "New York spring: the change day is 8 business hours", policy: policyIn("America/New_York", everyDay),
			created: "2026-03-08T09:00:00-04:00", prio: sdk.P2,
			wantFR: "2026-03-08T13:00:00-04:00", wantRes: "2026-03-10T17:00:00-04:00"},
		{name: "New York spring: P1 wall clock across 02:00", policy: policyIn("America/New_York"),
			created: "2026-03-08T01:30:00-05:00", prio: sdk.P1,
			wantFR: "2026-03-08T03:30:00-04:00", wantRes: "2026-03-08T10:30:00-04:00"},
		{name: "New York autumn: Friday 15:00 to Monday across the change", policy: policyIn("America/New_York"),
			created: "2026-10-30T15:00:00-04:00", prio: sdk.P2,
			wantFR: "2026-11-02T11:00:00-05:00", wantRes: "2026-11-04T15:00:00-05:00"},
		{name: "New York autumn: the change day is 8 business hours", policy: policyIn("America/New_York", everyDay),
			created: "2026-11-01T09:00:00-05:00", prio: sdk.P2,
			wantFR: "2026-11-01T13:00:00-05:00", wantRes: "2026-11-03T17:00:00-05:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.policy.Due(mustTime(t, tc.created), tc.prio, "business")
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			if want := mustTime(t, tc.wantFR); !got.FirstResponse.Equal(want) {
				t.Errorf("first response = %s; want %s", got.FirstResponse.Format(time.RFC3339), tc.wantFR)
			}
			if want := mustTime(t, tc.wantRes); !got.Resolution.Equal(want) {
				t.Errorf("resolution = %s; want %s", got.Resolution.Format(time.RFC3339), tc.wantRes)
			}
		})
	}
}

func TestDueLocation(t *testing.T) {
	p := policyIn("Europe/Berlin")
	got, err := p.Due(mustTime(t, "2026-03-02T10:00:00Z"), sdk.P2, "business")
	if err != nil {
		t.Fatalf("Due: %v", err)
	}
	if name := got.FirstResponse.Location().String(); name != "Europe/Berlin" {
		t.Errorf("first response location = %s; want Europe/Berlin", name)
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p.Calendar.Location = loc
	again, err := p.Due(mustTime(t, "2026-03-02T10:00:00Z"), sdk.P2, "business")
	if err != nil {
		t.Fatalf("Due with Location: %v", err)
	}
	if !again.FirstResponse.Equal(got.FirstResponse) {
		t.Errorf("first response with Location = %s; want %s", again.FirstResponse, got.FirstResponse)
	}
}

func TestDuePlans(t *testing.T) {
	tests := []struct {
		name        string
		plan        string
		wantMult    float64
		wantUnknown bool
	}{
		{"known", "starter", 2, false},
		{"any case and spaces", "  Enterprise ", 0.5, false},
		{"unknown plan", "platinum", 1, true},
		{"empty plan", "", 1, true},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Due(mustTime(t, "2026-03-02T10:00:00Z"), sdk.P1, tc.plan)
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			if got.Multiplier != tc.wantMult || got.UnknownPlan != tc.wantUnknown {
				t.Errorf("multiplier, unknown = %v, %v; want %v, %v", got.Multiplier, got.UnknownPlan, tc.wantMult, tc.wantUnknown)
			}
			if want := mustTime(t, "2026-03-02T10:00:00Z").Add(time.Duration(tc.wantMult * float64(time.Hour))); !got.FirstResponse.Equal(want) {
				t.Errorf("first response = %s; want %s", got.FirstResponse, want)
			}
		})
	}
}

func TestDueErrors(t *testing.T) {
	badZone := policyIn("Mars/Olympus_Mons")
	tests := []struct {
		name    string
		policy  Policy
		created time.Time
		prio    sdk.Priority
		wantErr bool
	}{
		{name: "unknown priority", policy: DefaultPolicy(), created: time.Unix(1e9, 0), prio: "P9", wantErr: true},
		{name: "empty priority", policy: DefaultPolicy(), created: time.Unix(1e9, 0), prio: sdk.PriorityUnknown, wantErr: true},
		{name: "zero creation time", policy: DefaultPolicy(), prio: sdk.P2, wantErr: true},
		{name: "bad zone with business time", policy: badZone, created: time.Unix(1e9, 0), prio: sdk.P2, wantErr: true},
		{name: "bad zone is not needed 24/7", policy: badZone, created: time.Unix(1e9, 0), prio: sdk.P0, wantErr: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.policy.Due(tc.created, tc.prio, "business")
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("Due error = %v; want error %v", err, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Due error = %v; want it to wrap sdk.ErrInvalid", err)
			}
		})
	}
}

func TestElapsed(t *testing.T) {
	mon := func(hhmm string) string { return "2026-03-02T" + hhmm + ":00Z" }
	tests := []struct {
		name    string
		policy  Policy
		created string
		now     string
		prio    sdk.Priority
		plan    string
		paused  [][2]string // "" end: still paused
		want    time.Duration
		wantFR  float64
		wantRes float64
	}{
		{name: "two business hours", created: mon("09:00"), now: mon("11:00"), prio: sdk.P2, plan: "business",
			want: 2 * time.Hour, wantFR: 0.5, wantRes: 2.0 / 24},
		{name: "enterprise halves the target", created: mon("09:00"), now: mon("10:00"), prio: sdk.P2, plan: "enterprise",
			want: time.Hour, wantFR: 0.5, wantRes: 1.0 / 12},
		{name: "weekend does not count", created: "2026-03-06T16:00:00Z", now: "2026-03-09T10:00:00Z", prio: sdk.P2, plan: "business",
			want: 2 * time.Hour, wantFR: 0.5, wantRes: 2.0 / 24},
		{name: "P1 counts the weekend", created: "2026-03-06T16:00:00Z", now: "2026-03-09T10:00:00Z", prio: sdk.P1, plan: "business",
			want: 66 * time.Hour, wantFR: 66, wantRes: 66.0 / 8},
		{name: "night does not count", created: mon("16:00"), now: "2026-03-03T10:00:00Z", prio: sdk.P3, plan: "business",
			want: 2 * time.Hour, wantFR: 2.0 / 24, wantRes: 2.0 / 72},
		{name: "paused hour", created: mon("09:00"), now: mon("13:00"), prio: sdk.P2, plan: "business",
			paused: [][2]string{{mon("10:00"), mon("11:00")}}, want: 3 * time.Hour, wantFR: 0.75, wantRes: 3.0 / 24},
		{name: "overlapping pauses", created: mon("09:00"), now: mon("13:00"), prio: sdk.P2, plan: "business",
			paused: [][2]string{{mon("10:30"), mon("11:30")}, {mon("10:00"), mon("11:00")}}, want: 150 * time.Minute, wantFR: 0.625, wantRes: 2.5 / 24},
		{name: "pause from before creation", created: mon("09:00"), now: mon("13:00"), prio: sdk.P2, plan: "business",
			paused: [][2]string{{mon("08:00"), mon("10:00")}}, want: 3 * time.Hour, wantFR: 0.75, wantRes: 3.0 / 24},
		{name: "still paused", created: mon("09:00"), now: mon("13:00"), prio: sdk.P2, plan: "business",
			paused: [][2]string{{mon("12:00"), ""}}, want: 3 * time.Hour, wantFR: 0.75, wantRes: 3.0 / 24},
		{name: "pause beyond now", created: mon("09:00"), now: mon("13:00"), prio: sdk.P2, plan: "business",
			paused: [][2]string{{mon("12:00"), mon("15:00")}}, want: 3 * time.Hour, wantFR: 0.75, wantRes: 3.0 / 24},
		{name: "pause over the night counts only its business part", created: mon("09:00"), now: "2026-03-03T12:00:00Z", prio: sdk.P2, plan: "business",
			paused: [][2]string{{mon("17:00"), "2026-03-03T10:00:00Z"}}, want: 10 * time.Hour, wantFR: 2.5, wantRes: 10.0 / 24},
		{name: "P0 pause on the wall clock", created: mon("09:00"), now: mon("10:00"), prio: sdk.P0, plan: "business",
			paused: [][2]string{{mon("09:20"), mon("09:40")}}, want: 40 * time.Minute, wantFR: 40.0 / 15, wantRes: 40.0 / 120},
		{name: "now before creation", created: mon("12:00"), now: mon("11:00"), prio: sdk.P2, plan: "business", want: 0},
		{name: "Berlin spring change day counts 8 hours", policy: policyIn("Europe/Berlin", everyDay),
			created: "2026-03-29T09:00:00+02:00", now: "2026-03-29T17:00:00+02:00", prio: sdk.P2, plan: "business",
			want: 8 * time.Hour, wantFR: 2, wantRes: 8.0 / 24},
		{name: "New York autumn change day counts 8 hours", policy: policyIn("America/New_York", everyDay),
			created: "2026-11-01T00:00:00-04:00", now: "2026-11-02T00:00:00-05:00", prio: sdk.P2, plan: "business",
			want: 8 * time.Hour, wantFR: 2, wantRes: 8.0 / 24},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.policy
			if p.Targets == nil {
				p = DefaultPolicy()
			}
			var paused []Interval
			for _, iv := range tc.paused {
				var end time.Time
				if iv[1] != "" {
					end = mustTime(t, iv[1])
				}
				paused = append(paused, Interval{Start: mustTime(t, iv[0]), End: end})
			}
			got, err := p.Elapsed(mustTime(t, tc.created), mustTime(t, tc.now), tc.prio, tc.plan, paused)
			if err != nil {
				t.Fatalf("Elapsed: %v", err)
			}
			if got.Elapsed != tc.want {
				t.Errorf("elapsed = %s; want %s", got.Elapsed, tc.want)
			}
			if math.Abs(got.FirstResponse-tc.wantFR) > 1e-12 || math.Abs(got.Resolution-tc.wantRes) > 1e-12 {
				t.Errorf("fractions = %v, %v; want %v, %v", got.FirstResponse, got.Resolution, tc.wantFR, tc.wantRes)
			}
		})
	}
}

func TestElapsedErrors(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		prio   sdk.Priority
		paused []Interval
	}{
		{"unknown priority", "urgent", nil},
		{"pause without start", sdk.P2, []Interval{{End: created.Add(time.Hour)}}},
		{"pause ending before it starts", sdk.P2, []Interval{{Start: created.Add(2 * time.Hour), End: created.Add(time.Hour)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DefaultPolicy().Elapsed(created, created.Add(4*time.Hour), tc.prio, "business", tc.paused)
			if !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Elapsed error = %v; want one wrapping sdk.ErrInvalid", err)
			}
		})
	}
}

func TestWarningLevel(t *testing.T) {
	tests := []struct {
		fraction   float64
		wantName   string
		wantAction string
	}{
		{math.NaN(), LevelNone, ""},
		{-1, LevelNone, ""},
		{0, LevelNone, ""},
		{0.499, LevelNone, ""},
		{0.5, LevelYellow, "visible"},
		{0.799, LevelYellow, "visible"},
		{0.8, LevelOrange, "alert assignee"},
		{0.899, LevelOrange, "alert assignee"},
		{0.9, LevelRed, "alert team lead"},
		{0.999, LevelRed, "alert team lead"},
		{1.0, LevelBreach, "notify manager, escalate"},
		{1.999, LevelBreach, "notify manager, escalate"},
		{2.0, LevelSevere, "notify director"},
		{7.5, LevelSevere, "notify director"},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(strconv.FormatFloat(tc.fraction, 'g', -1, 64), func(t *testing.T) {
			got := p.WarningLevel(tc.fraction)
			if got.Name != tc.wantName || got.Action != tc.wantAction {
				t.Errorf("WarningLevel(%v) = %q (%q); want %q (%q)", tc.fraction, got.Name, got.Action, tc.wantName, tc.wantAction)
			}
		})
	}
}

// TestWarningLevelFromElapsed checks the boundaries end to end: a P2
// business ticket's 4 h first-response target, 1 minute short and exactly
// at each level.
func TestWarningLevelFromElapsed(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		elapsed time.Duration
		want    string
	}{
		{119 * time.Minute, LevelNone},
		{120 * time.Minute, LevelYellow},
		{191 * time.Minute, LevelYellow},
		{192 * time.Minute, LevelOrange},
		{215 * time.Minute, LevelOrange},
		{216 * time.Minute, LevelRed},
		{239 * time.Minute, LevelRed},
		{240 * time.Minute, LevelBreach},
		{479 * time.Minute, LevelBreach},
		{480 * time.Minute, LevelSevere},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(tc.elapsed.String(), func(t *testing.T) {
			pr, err := p.Elapsed(created, created.Add(tc.elapsed), sdk.P2, "business", nil)
			if err != nil {
				t.Fatalf("Elapsed: %v", err)
			}
			if got := p.WarningLevel(pr.FirstResponse).Name; got != tc.want {
				t.Errorf("level after %s (fraction %v) = %q; want %q", tc.elapsed, pr.FirstResponse, got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Policy)
	}{
		{"missing target", func(p *Policy) { delete(p.Targets, sdk.P2) }},
		{"extra priority", func(p *Policy) { p.Targets["P4"] = Target{time.Hour, time.Hour} }},
		{"zero first response", func(p *Policy) { p.Targets[sdk.P1] = Target{0, time.Hour} }},
		{"negative multiplier", func(p *Policy) { p.TierMultipliers["free"] = -1 }},
		{"zero multiplier", func(p *Policy) { p.TierMultipliers["free"] = 0 }},
		{"upper-case plan", func(p *Policy) { p.TierMultipliers["Gold"] = 1 }},
		{"bad always-on priority", func(p *Policy) { p.AlwaysOn = []sdk.Priority{"P5"} }},
		{"unknown zone", func(p *Policy) { p.Calendar.TimeZone = "Mars/Olympus_Mons" }},
		{"empty zone", func(p *Policy) { p.Calendar.TimeZone = "" }},
		{"location mismatch", func(p *Policy) { p.Calendar.Location = time.FixedZone("X", 3600) }},
		{"no weekdays", func(p *Policy) { p.Calendar.Weekdays = nil }},
		{"weekday 7", func(p *Policy) { p.Calendar.Weekdays = []time.Weekday{7} }},
		{"duplicate weekday", func(p *Policy) { p.Calendar.Weekdays = []time.Weekday{1, 1} }},
		{"bad start", func(p *Policy) { p.Calendar.Start = "9am" }},
		{"bad end", func(p *Policy) { p.Calendar.End = "25:00" }},
		{"start after end", func(p *Policy) { p.Calendar.Start, p.Calendar.End = "17:00", "09:00" }},
		{"bad holiday", func(p *Policy) { p.Calendar.Holidays = []string{"25.12.2026"} }},
		{"warning named none", func(p *Policy) { p.Warnings[0].Name = LevelNone }},
		{"duplicate warning", func(p *Policy) { p.Warnings[1].Name = LevelYellow }},
		{"warnings out of order", func(p *Policy) { p.Warnings[2].At = 0.7 }},
		{"warning at zero", func(p *Policy) { p.Warnings[0].At = 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPolicy()
			tc.change(&p)
			if err := p.Validate(); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Validate() = %v; want an error wrapping sdk.ErrInvalid", err)
			}
		})
	}
}

func TestPolicyFromYAML(t *testing.T) {
	const doc = `
targets:
  P0: {first_response: 10m, resolution: 1h}
  P1: {first_response: 1h, resolution: 8h}
  P2: {first_response: 4h, resolution: 24h}
  P3: {first_response: 24h, resolution: 72h}
tier_multipliers: {gold: 0.25}
always_on: [P0]
calendar:
  time_zone: Europe/Berlin
  weekdays: [1, 2, 3, 4]
  start: "08:00"
  end: "16:00"
  holidays: ["2026-12-24"]
warnings:
  - {name: late, at: 1, action: escalate}
`
	var p Policy
	if err := yaml.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v; want nil", err)
	}
	if got := p.Targets[sdk.P0].FirstResponse; got != 10*time.Minute {
		t.Errorf("P0 first response = %s; want 10m", got)
	}
	// P1 is not always on here: Thursday 15:00 Berlin + 1 h business time
	// ends at 16:00 closing.
	due, err := p.Due(mustTime(t, "2026-03-05T15:00:00+01:00"), sdk.P1, "gold")
	if err != nil {
		t.Fatalf("Due: %v", err)
	}
	// 0.25 × 1 h = 15 min of business time.
	if want := mustTime(t, "2026-03-05T15:15:00+01:00"); !due.FirstResponse.Equal(want) {
		t.Errorf("first response = %s; want %s", due.FirstResponse, want)
	}
	// 0.25 × 8 h = 2 h: 1 h on Thursday, Friday is not a working day, 1 h
	// on Monday.
	if want := mustTime(t, "2026-03-09T09:00:00+01:00"); !due.Resolution.Equal(want) {
		t.Errorf("resolution = %s; want %s", due.Resolution, want)
	}
	if got := p.WarningLevel(1).Action; got != "escalate" {
		t.Errorf("warning action = %q; want escalate", got)
	}
}
