package sla

import (
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Calendar is when the business-time clock runs: opening hours on working
// weekdays, except holidays, in one time zone. Opening hours are within one
// day (Start before End); overnight shifts are not supported.
type Calendar struct {
	// TimeZone is an IANA zone name such as "Europe/Berlin". Default "UTC".
	TimeZone string `yaml:"time_zone"`
	// Weekdays are the working days, as numbers in YAML: 0 is Sunday,
	// 1 Monday ... 6 Saturday. Default Monday to Friday.
	Weekdays []time.Weekday `yaml:"weekdays"`
	// Start is the opening time, "HH:MM" local time. Default "09:00".
	Start string `yaml:"start"`
	// End is the closing time, "HH:MM" local time, after Start. Default
	// "17:00".
	End string `yaml:"end"`
	// Holidays are closed dates, "YYYY-MM-DD" in the calendar's zone.
	Holidays []string `yaml:"holidays"`
	// Location, when set, is TimeZone already resolved, so computing a
	// deadline reads no zone data. When nil, each call resolves TimeZone
	// with time.LoadLocation.
	Location *time.Location `yaml:"-"`
}

// DefaultCalendar returns Monday to Friday, 09:00–17:00 UTC, no holidays.
// The policy names no time zone; UTC is the neutral default.
func DefaultCalendar() Calendar {
	return Calendar{
		TimeZone: "UTC",
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Start:    "09:00",
		End:      "17:00",
	}
}

// Validate reports the first problem with c, wrapping sdk.ErrInvalid.
func (c Calendar) Validate() error {
	_, err := c.compile()
	return err
}

// calendar is a Calendar ready for arithmetic.
type calendar struct {
	loc         *time.Location
	days        [7]bool
	open, close int // minutes after local midnight
	holidays    map[string]bool
}

func (c Calendar) compile() (*calendar, error) {
	cal, err := c.compileRaw()
	if err != nil {
		return nil, fmt.Errorf("checking sla calendar: %w: %w", err, sdk.ErrInvalid)
	}
	return cal, nil
}

func (c Calendar) compileRaw() (*calendar, error) {
	cal := &calendar{holidays: make(map[string]bool, len(c.Holidays))}
	switch {
	case c.Location != nil && c.Location.String() != c.TimeZone:
		return nil, fmt.Errorf("location %q does not match time_zone %q", c.Location, c.TimeZone)
	case c.Location != nil:
		cal.loc = c.Location
	case c.TimeZone == "":
		return nil, fmt.Errorf("time_zone is required")
	default:
		loc, err := time.LoadLocation(c.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("time_zone %q: %w", c.TimeZone, err)
		}
		cal.loc = loc
	}
	if len(c.Weekdays) == 0 {
		return nil, fmt.Errorf("weekdays is empty")
	}
	for _, d := range c.Weekdays {
		switch {
		case d < time.Sunday || d > time.Saturday:
			return nil, fmt.Errorf("weekday %d: want 0 (Sunday) to 6 (Saturday)", d)
		case cal.days[d]:
			return nil, fmt.Errorf("weekday %s appears twice", d)
		}
		cal.days[d] = true
	}
	var err error
	if cal.open, err = clock(c.Start); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if cal.close, err = clock(c.End); err != nil {
		return nil, fmt.Errorf("end: %w", err)
	}
	if cal.open >= cal.close {
		return nil, fmt.Errorf("start %s must be before end %s", c.Start, c.End)
	}
	for _, h := range c.Holidays {
		d, err := time.Parse(time.DateOnly, h)
		if err != nil {
			return nil, fmt.Errorf("holiday %q: want YYYY-MM-DD", h)
		}
		cal.holidays[d.Format(time.DateOnly)] = true
	}
	return cal, nil
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// window returns the opening hours of t's local day, and false when that
// day is closed.
func (c *calendar) window(t time.Time) (open, close time.Time, ok bool) {
	t = t.In(c.loc)
	y, m, d := t.Date()
	if !c.days[t.Weekday()] || c.holidays[t.Format(time.DateOnly)] {
		return time.Time{}, time.Time{}, false
	}
	open = time.Date(y, m, d, c.open/60, c.open%60, 0, 0, c.loc)
	close = time.Date(y, m, d, c.close/60, c.close%60, 0, 0, c.loc)
	return open, close, true
}

// nextDay returns the start of the local day after t's.
func (c *calendar) nextDay(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
}

// add returns the instant d of business time after t. Time before opening,
// after closing, and on closed days does not count; d ending exactly at
// closing time returns the closing time. It terminates because Weekdays is
// not empty and Holidays is finite.
func (c *calendar) add(t time.Time, d time.Duration) time.Time {
	t = t.In(c.loc)
	if d <= 0 {
		return t
	}
	for {
		if open, close, ok := c.window(t); ok {
			if t.Before(open) {
				t = open
			}
			if t.Before(close) {
				left := close.Sub(t)
				if d <= left {
					return t.Add(d)
				}
				d -= left
			}
		}
		t = c.nextDay(t)
	}
}

// between returns the business time in [a, b).
func (c *calendar) between(a, b time.Time) time.Duration {
	var total time.Duration
	for day := a.In(c.loc); day.Before(b); day = c.nextDay(day) {
		open, close, ok := c.window(day)
		if !ok {
			continue
		}
		lo, hi := laterOf(open, a), earlierOf(close, b)
		if lo.Before(hi) {
			total += hi.Sub(lo)
		}
	}
	return total
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
