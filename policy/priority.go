package policy

import (
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// PriorityLevel describes one priority of the policy.
type PriorityLevel struct {
	// Priority is the value, sdk.P0 to sdk.P3.
	Priority sdk.Priority
	// Name is the plain word for it: urgent, high, normal, low.
	Name string
	// Meaning lists the kinds of ticket that get it.
	Meaning string
	// FirstResponse and Resolution are the default SLA targets, before the
	// customer tier's multiplier.
	FirstResponse, Resolution time.Duration
	// AlwaysOn is true when the SLA clock runs 24/7 rather than in
	// business hours.
	AlwaysOn bool
}

// DefaultPriority is the priority assumed when no classifier predicted
// one.
const DefaultPriority = sdk.P2

// PriorityLevels returns the four priorities, most urgent first, in a new
// slice.
func PriorityLevels() []PriorityLevel {
	return []PriorityLevel{
		{Priority: sdk.P0, Name: "urgent", Meaning: "service down, data loss, security vulnerability or breach, payment failing",
			FirstResponse: 15 * time.Minute, Resolution: 2 * time.Hour, AlwaysOn: true},
		{Priority: sdk.P1, Name: "high", Meaning: "major feature broken, workflow blocked, billing error / wrong charge",
			FirstResponse: time.Hour, Resolution: 8 * time.Hour, AlwaysOn: true},
		{Priority: sdk.P2, Name: "normal", Meaning: "functional bug, confusing UI, non-critical problem",
			FirstResponse: 4 * time.Hour, Resolution: 24 * time.Hour},
		{Priority: sdk.P3, Name: "low", Meaning: "feature request, cosmetic issue, general question",
			FirstResponse: 24 * time.Hour, Resolution: 72 * time.Hour},
	}
}

// Priorities returns P0..P3, most urgent first, in a new slice.
func Priorities() []sdk.Priority {
	return []sdk.Priority{sdk.P0, sdk.P1, sdk.P2, sdk.P3}
}

// PriorityValues returns "P0".."P3": the allowed values of the priority
// field.
func PriorityValues() []string {
	return []string{string(sdk.P0), string(sdk.P1), string(sdk.P2), string(sdk.P3)}
}

// PriorityLevelOf returns the level of p; ok is false for anything but
// P0..P3.
func PriorityLevelOf(p sdk.Priority) (PriorityLevel, bool) {
	for _, l := range PriorityLevels() {
		if l.Priority == p {
			return l, true
		}
	}
	return PriorityLevel{}, false
}

// Vendor names a help desk whose priority values heard maps.
type Vendor string

// Help desks with a priority mapping.
const (
	Zendesk   Vendor = "zendesk"
	Freshdesk Vendor = "freshdesk"
	Intercom  Vendor = "intercom"
)

// vendorPriorities are the values heard writes for P0..P3 (index 0..3).
// Freshdesk's are its numbers, as decimal strings; Intercom's are the
// Preview API's (2.15 and 2.16 cannot write a priority).
var vendorPriorities = map[Vendor][4]string{
	Zendesk:   {"urgent", "high", "normal", "low"},
	Freshdesk: {"4", "3", "2", "1"},
	Intercom:  {"urgent", "high", "medium", "low"},
}

// vendorAliases are further values a vendor reports that heard reads.
// Intercom 2.15 only flags a conversation priority or not: flagged reads
// as P1 and not flagged as P3, since nothing finer is kept.
var vendorAliases = map[Vendor]map[string]sdk.Priority{
	Intercom: {"priority": sdk.P1, "not_priority": sdk.P3},
}

// VendorPriority returns the value heard writes to v for p; ok is false
// for an unknown vendor or a priority other than P0..P3.
func VendorPriority(v Vendor, p sdk.Priority) (string, bool) {
	vals, ok := vendorPriorities[v]
	if !ok {
		return "", false
	}
	for i, q := range Priorities() {
		if q == p {
			return vals[i], true
		}
	}
	return "", false
}

// PriorityFromVendor normalizes a priority value v reported, ignoring case
// and surrounding spaces. A value heard does not know (a null, Intercom's
// "none") is sdk.PriorityUnknown.
func PriorityFromVendor(v Vendor, value string) sdk.Priority {
	value = strings.ToLower(strings.TrimSpace(value))
	if p, ok := vendorAliases[v][value]; ok {
		return p
	}
	for i, s := range vendorPriorities[v] {
		if s == value {
			return Priorities()[i]
		}
	}
	return sdk.PriorityUnknown
}
