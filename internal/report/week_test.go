package report

import (
	"errors"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestParseWeek(t *testing.T) {
	tests := []struct {
		in    string
		start time.Time
		str   string
	}{
		{"2026-W49", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), "2026-W49"},
		{"2026-W01", time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), "2026-W01"},
		{"2026-W1", time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), "2026-W01"},
		{"2026-W53", time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC), "2026-W53"},
		{"2021-W01", time.Date(2021, 1, 4, 0, 0, 0, 0, time.UTC), "2021-W01"},
	}
	for _, tt := range tests {
		w, err := ParseWeek(tt.in)
		if err != nil {
			t.Fatalf("ParseWeek(%q): %v", tt.in, err)
		}
		if !w.Start().Equal(tt.start) || w.String() != tt.str || !w.End().Equal(tt.start.AddDate(0, 0, 7)) {
			t.Errorf("ParseWeek(%q) = %s from %v, want %s from %v", tt.in, w, w.Start(), tt.str, tt.start)
		}
		if WeekOf(w.Start()) != w || WeekOf(w.End().Add(-time.Nanosecond)) != w {
			t.Errorf("WeekOf the bounds of %s differs", w)
		}
	}
	if p := (Week{2026, 1}).Prev(); p != (Week{2025, 52}) {
		t.Errorf("2026-W01 Prev = %s, want 2025-W52", p)
	}
	for _, bad := range []string{"", "2026", "2026-49", "2026-W0", "2025-W53", "2026-W54", "2026-W49x", "W49-2026"} {
		if _, err := ParseWeek(bad); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("ParseWeek(%q) err = %v, want sdk.ErrInvalid", bad, err)
		}
	}
}
