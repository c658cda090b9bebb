package report

import (
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Week is one ISO 8601 week: Monday 00:00 to the next Monday 00:00, UTC.
type Week struct {
	Year, Num int
}

// WeekOf returns the ISO week t falls in, in UTC.
func WeekOf(t time.Time) Week {
	y, n := t.UTC().ISOWeek()
	return Week{Year: y, Num: n}
}

// ParseWeek reads "2026-W49" (the week may have one digit: "2026-W3").
// Anything else, or a week the year does not have, wraps sdk.ErrInvalid.
func ParseWeek(s string) (Week, error) {
	var w Week
	var rest string
	if n, err := fmt.Sscanf(s, "%4d-W%d%s", &w.Year, &w.Num, &rest); n != 2 || err == nil {
		return Week{}, fmt.Errorf("week %q: want an ISO week like 2026-W49: %w", s, sdk.ErrInvalid)
	}
	if w.Year < 1970 || w.Num < 1 || w.Num > 53 || WeekOf(w.Start()) != w {
		return Week{}, fmt.Errorf("week %q: year %d has no week %d: %w", s, w.Year, w.Num, sdk.ErrInvalid)
	}
	return w, nil
}

// Start is the week's Monday 00:00 UTC.
func (w Week) Start() time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w.Num-1))
}

// End is the next week's start.
func (w Week) End() time.Time { return w.Start().AddDate(0, 0, 7) }

// Prev is the week before.
func (w Week) Prev() Week { return WeekOf(w.Start().AddDate(0, 0, -1)) }

// String formats the week as "2026-W49".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }
