package sla

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

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
	// Holidays are closed dates, "YYYY-MM-DD" in the calendar's zone, for
	// every customer.
	Holidays Dates `yaml:"holidays"`
	// RegionalHolidays are further closed dates per region (a lower-case
	// name such as "de" or "us-ca"), added to Holidays for a customer whose
	// region attribute names it: the team's holiday calendars on top of
	// the default clock. A region not listed gets Holidays only.
	RegionalHolidays RegionalHolidays `yaml:"regional_holidays"`
	// Location, when set, is TimeZone already resolved, so computing a
	// deadline reads no zone data. When nil, each call resolves TimeZone
	// with time.LoadLocation.
	Location *time.Location `yaml:"-"`
}

// Dates are calendar dates, "YYYY-MM-DD". Decoded from YAML, each date is
// checked and a bad one is an error naming its line.
type Dates []string

// UnmarshalYAML reads a list of dates and checks each.
func (ds *Dates) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: want a list of dates, YYYY-MM-DD", n.Line)
	}
	out := make(Dates, 0, len(n.Content))
	for _, item := range n.Content {
		if _, err := time.Parse(time.DateOnly, item.Value); item.Kind != yaml.ScalarNode || err != nil {
			return fmt.Errorf("line %d: holiday %q: want YYYY-MM-DD", item.Line, item.Value)
		}
		out = append(out, item.Value)
	}
	*ds = out
	return nil
}

// RegionalHolidays are closed dates by region, a lower-case name.
type RegionalHolidays map[string]Dates

// UnmarshalYAML reads the mapping and checks each region and date; errors
// name the key and line: "line 9: regional_holidays: de: holiday ...".
func (rh *RegionalHolidays) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: regional_holidays: want a mapping of region to dates, e.g. de: [\"2026-10-03\"]", n.Line)
	}
	out := RegionalHolidays{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "" || k.Value != strings.ToLower(strings.TrimSpace(k.Value)) {
			return fmt.Errorf("line %d: regional_holidays: region %q: want a lower-case name such as \"de\"", k.Line, k.Value)
		}
		var ds Dates
		if err := v.Decode(&ds); err != nil {
			msg := err.Error()
			if rest, ok := strings.CutPrefix(msg, "line "); ok {
				if num, text, ok := strings.Cut(rest, ": "); ok {
					msg = "line " + num + ": regional_holidays: " + k.Value + ": " + text
				}
			}
			return errors.New(msg)
		}
		out[k.Value] = ds
	}
	*rh = out
	return nil
}

// ForRegion returns the calendar a customer in region keeps: Holidays plus
// the region's RegionalHolidays (region matched ignoring case and spaces).
// ok reports whether the region has holidays of its own.
func (c Calendar) ForRegion(region string) (cal Calendar, ok bool) {
	extra, ok := c.RegionalHolidays[strings.ToLower(strings.TrimSpace(region))]
	if !ok || len(extra) == 0 {
		return c, ok
	}
	c.Holidays = append(slices.Clip(c.Holidays), extra...)
	return c, true
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
	for region, days := range c.RegionalHolidays {
		if region == "" || region != strings.ToLower(strings.TrimSpace(region)) {
			return nil, fmt.Errorf("regional_holidays: region %q: want a lower-case name", region)
		}
		for _, h := range days {
			if _, err := time.Parse(time.DateOnly, h); err != nil {
				return nil, fmt.Errorf("regional_holidays: %s: holiday %q: want YYYY-MM-DD", region, h)
			}
		}
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
