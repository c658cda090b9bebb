package redact

import (
	"net/netip"
	"regexp"
	"strings"
)

var (
	// reIPv4: four dotted numbers up to 255.
	reIPv4 = regexp.MustCompile(`\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\b`)

	// reIPv6: hex groups and colons; checkIPv6 parses the candidate.
	reIPv6 = regexp.MustCompile(`(?i)(?:[0-9a-f]{0,4}:){2,7}(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}|[0-9a-f]{0,4})(?:%[0-9a-z]+)?`)

	// reVersionBefore: a version label right before a dotted number.
	reVersionBefore = regexp.MustCompile(`(?i)(?:\bv|version|versión|build|release|ver\.?|section|chapter|kapitel|abschnitt|§|clause|article|artikel|step)\s*$`)
)

// checkIPv4 accepts a dotted quad that is not part of a longer dotted
// number and does not follow a version label ("v1.2.3.4").
func checkIPv4(s string, m []int) (int, int, bool) {
	if m[0] > 0 && (isAlnum(s[m[0]-1]) || s[m[0]-1] == '.' || s[m[0]-1] == '_') {
		return 0, 0, false
	}
	if m[1] < len(s) && (s[m[1]] == '.' || s[m[1]] == '-') && m[1]+1 < len(s) && isAlnum(s[m[1]+1]) {
		return 0, 0, false
	}
	if reVersionBefore.MatchString(s[max(0, m[0]-12):m[0]]) {
		return 0, 0, false
	}
	a, err := netip.ParseAddr(s[m[0]:m[1]])
	return m[0], m[1], err == nil && personal(a)
}

// checkIPv6 accepts a candidate that parses as an IPv6 address and has
// either "::" or all eight groups, so clock times ("10:30:00") and
// ratios stay.
func checkIPv6(s string, m []int) (int, int, bool) {
	c := s[m[0]:m[1]]
	if m[0] > 0 && (isAlnum(s[m[0]-1]) || s[m[0]-1] == ':') {
		return 0, 0, false
	}
	if m[1] < len(s) && (isAlnum(s[m[1]]) || s[m[1]] == ':') {
		return 0, 0, false
	}
	if !strings.Contains(c, "::") && strings.Count(c, ":") < 7 {
		return 0, 0, false
	}
	if c == "::" || strings.Count(c, ":") < 2 {
		return 0, 0, false
	}
	a, err := netip.ParseAddr(c)
	if err != nil || !a.Is6() {
		return 0, 0, false
	}
	return m[0], m[1], personal(a)
}

// personal reports whether an address can point at someone: the
// unspecified address and loopback cannot.
func personal(a netip.Addr) bool {
	a = a.Unmap()
	return !a.IsUnspecified() && !a.IsLoopback()
}
