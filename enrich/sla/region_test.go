package sla

import (
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

// TestRegionalHolidaysMoveTheDeadline checks that a region's holidays stop
// the business-hours clock for that region's customers only.
func TestRegionalHolidaysMoveTheDeadline(t *testing.T) {
	p := DefaultPolicy()
	p.Calendar.RegionalHolidays = RegionalHolidays{"de": {"2026-10-05"}} // a Monday
	friday := time.Date(2026, 10, 2, 16, 0, 0, 0, time.UTC)              // an hour before closing
	due := func(region string) time.Time {
		t.Helper()
		q := p
		q.Calendar, _ = p.Calendar.ForRegion(region)
		d, err := q.Due(friday, sdk.P2, "business")
		if err != nil {
			t.Fatal(err)
		}
		return d.FirstResponse
	}
	// P2: 4 business hours. One on Friday, three on the next working day.
	if got, want := due(""), time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("no region: first response %v; want %v", got, want)
	}
	if got, want := due("DE"), time.Date(2026, 10, 6, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("region de: first response %v; want %v (Monday is a holiday there)", got, want)
	}
	if got, want := due("us"), time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("region us (no holidays of its own): first response %v; want %v", got, want)
	}
	if _, ok := p.Calendar.ForRegion("us"); ok {
		t.Error("ForRegion(us) reports holidays of its own; want none")
	}
}

func TestRegionalHolidaysErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"bad date", "regional_holidays:\n  de: [\"2026-10-03\", \"2026-13-01\"]\n", `line 2: regional_holidays: de: holiday "2026-13-01": want YYYY-MM-DD`},
		{"upper-case region", "regional_holidays:\n  DE: [\"2026-10-03\"]\n", `line 2: regional_holidays: region "DE": want a lower-case name`},
		{"not a list", "regional_holidays:\n  de: \"2026-10-03\"\n", `line 2: regional_holidays: de: want a list of dates`},
		{"bad common holiday", "holidays:\n  - 2026-12-25\n  - christmas\n", `line 3: holiday "christmas": want YYYY-MM-DD`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c Calendar
			err := yaml.Unmarshal([]byte(tc.src), &c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
	var c Calendar
	if err := yaml.Unmarshal([]byte("regional_holidays:\n  de: [\"2026-10-03\"]\n  us-ca: [\"2026-11-26\"]\n"), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.RegionalHolidays["de"]) != 1 || c.RegionalHolidays["us-ca"][0] != "2026-11-26" {
		t.Errorf("decoded %+v", c.RegionalHolidays)
	}
}
