package redact

import (
	"math"
	"regexp"
	"strings"
)

var (
	// reJWT: three base64url parts, the header being JSON ("eyJ" is "{\"").
	reJWT = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)

	// reBearer: an Authorization-style bearer token. Only the token is
	// replaced, so "Bearer [SECRET]" still says what was there.
	reBearer = regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{12,}=*)`)

	// rePrefixed: vendor keys with a recognisable prefix: OpenAI and
	// Anthropic (sk-, sk-proj-, sk-ant-), Stripe (sk_live_, rk_test_, ...),
	// GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Slack (xoxb-,
	// xoxp-, ...), AWS access key IDs (AKIA, ASIA) and Google API keys (AIza).
	rePrefixed = regexp.MustCompile(`\b(?:` +
		`sk-[A-Za-z0-9_\-]{16,}` +
		`|[spr]k_(?:live|test)_[A-Za-z0-9]{10,}` +
		`|gh[pousr]_[A-Za-z0-9]{30,}` +
		`|github_pat_[A-Za-z0-9_]{30,}` +
		`|xox[abposr]-[A-Za-z0-9\-]{10,}` +
		`|(?:AKIA|ASIA)[A-Z0-9]{16}` +
		`|AIza[A-Za-z0-9_\-]{35}` +
		`)\b`)

	// reHex and reBase64 find long runs that might be random secrets; the
	// checks decide by character mix and entropy.
	reHex    = regexp.MustCompile(`\b[0-9A-Fa-f]{32,}\b`)
	reBase64 = regexp.MustCompile(`[A-Za-z0-9+/_\-]{32,}={0,2}`)
)

func checkBearer(s string, m []int) (int, int, bool) {
	tok := s[m[2]:m[3]]
	// "Bearer authentication" is prose; a token has a digit or is long.
	return m[2], m[3], hasDigit(tok) || len(tok) >= 24
}

func checkPrefixed(s string, m []int) (int, int, bool) {
	tok := s[m[0]:m[1]]
	// "sk-learn-installation-guide" has the shape but no digits; every real
	// key format above has both letters and digits.
	return m[0], m[1], hasDigit(tok) && strings.ContainsFunc(tok, func(r rune) bool {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	})
}

func checkHex(s string, m []int) (int, int, bool) {
	tok := s[m[0]:m[1]]
	var letters, nums int
	for i := 0; i < len(tok); i++ {
		if isDigit(tok[i]) {
			nums++
		} else {
			letters++
		}
	}
	// Random hex of this length is about 37% letters; "0000...0001" and
	// long decimal numbers are not secrets.
	return m[0], m[1], letters >= 4 && nums >= 4 && entropy(tok) >= 3.0
}

func checkBase64(s string, m []int) (int, int, bool) {
	tok := strings.TrimRight(s[m[0]:m[1]], "=")
	if m[0] > 0 && s[m[0]-1] == '.' {
		return 0, 0, false // part of a dotted name or a domain
	}
	var upper, lower, nums bool
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case isDigit(c):
			nums = true
		}
	}
	if !upper || !lower || !nums {
		return 0, 0, false
	}
	// A URL path ("/Guides/Setup2024/IntegrationWithZendesk") is made of
	// words: short segments, and long stretches in one character class. In
	// random base64 about two in three neighbours differ in class.
	longest := 0
	for seg := range strings.FieldsFuncSeq(tok, func(r rune) bool { return r == '/' }) {
		longest = max(longest, len(seg))
	}
	if longest < 16 {
		return 0, 0, false
	}
	return m[0], m[1], entropy(tok) >= 4.0 && classChanges(tok) >= 0.3
}

// classChanges is the share of neighbouring letters and digits that differ
// in class (upper case, lower case, digit).
func classChanges(s string) float64 {
	class := func(c byte) int {
		switch {
		case c >= 'A' && c <= 'Z':
			return 1
		case c >= 'a' && c <= 'z':
			return 2
		case isDigit(c):
			return 3
		}
		return 0
	}
	var pairs, changes int
	prev := 0
	for i := 0; i < len(s); i++ {
		c := class(s[i])
		if c == 0 {
			prev = 0
			continue
		}
		if prev != 0 {
			pairs++
			if c != prev {
				changes++
			}
		}
		prev = c
	}
	if pairs == 0 {
		return 0
	}
	return float64(changes) / float64(pairs)
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	var h float64
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}
