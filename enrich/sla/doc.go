// Package sla computes SLA deadlines and progress (docs/policy.md, "Priority
// and SLA").
//
// A ticket's first-response and resolution targets come from its priority,
// multiplied by the customer's tier (plan) multiplier. Priorities in
// Policy.AlwaysOn (P0 and P1 by default) run on the wall clock, 24/7; the
// others run in business time on the Policy's Calendar: working weekdays,
// opening hours and holidays in one IANA time zone. Business-time arithmetic
// works in that zone, so weekends, holidays and daylight-saving changes are
// handled: a 09:00–17:00 day is 8 business hours on every working day,
// including the days the clocks change.
//
// Elapsed reports how much of each target is used, leaving out intervals
// when the clock is paused (the ticket waits on the customer), and
// WarningLevel maps that fraction to the escalation ladder: yellow at 50%,
// orange at 80%, red at 90%, breach at 100%, severe at 200%.
//
// The package does no IO except resolving the calendar's time zone with
// time.LoadLocation when Calendar.Location is not set.
//
// This package is not a public API.
package sla
