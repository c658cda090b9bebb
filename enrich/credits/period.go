package credits

import (
	"fmt"
	"time"
)

// Period units of a credit.
const (
	Week    = "week"
	Month   = "month"
	Quarter = "quarter"
	Year    = "year"
)

// Period is one credit period: [Start, End) in a time zone.
type Period struct {
	// Key names the period: "2026-W49" (ISO week), "2026-12", "2026-Q4"
	// or "2026".
	Key   string    `json:"key"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// PeriodOf returns the period of unit that contains at, with boundaries at
// local midnight in loc (UTC when nil). unit must be one of Week, Month,
// Quarter and Year.
func PeriodOf(unit string, at time.Time, loc *time.Location) (Period, error) {
	if loc == nil {
		loc = time.UTC
	}
	at = at.In(loc)
	y, m, d := at.Date()
	var p Period
	switch unit {
	case Week:
		back := (int(at.Weekday()) + 6) % 7 // days since Monday
		p.Start = time.Date(y, m, d-back, 0, 0, 0, 0, loc)
		p.End = time.Date(y, m, d-back+7, 0, 0, 0, 0, loc)
		wy, w := at.ISOWeek()
		p.Key = fmt.Sprintf("%04d-W%02d", wy, w)
	case Month:
		p.Start = time.Date(y, m, 1, 0, 0, 0, 0, loc)
		p.End = p.Start.AddDate(0, 1, 0)
		p.Key = fmt.Sprintf("%04d-%02d", y, int(m))
	case Quarter:
		q := (int(m) - 1) / 3
		p.Start = time.Date(y, time.Month(q*3+1), 1, 0, 0, 0, 0, loc)
		p.End = p.Start.AddDate(0, 3, 0)
		p.Key = fmt.Sprintf("%04d-Q%d", y, q+1)
	case Year:
		p.Start = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		p.End = p.Start.AddDate(1, 0, 0)
		p.Key = fmt.Sprintf("%04d", y)
	default:
		return Period{}, fmt.Errorf("period unit %q: want week, month, quarter or year", unit)
	}
	return p, nil
}
