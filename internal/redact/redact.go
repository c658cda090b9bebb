package redact

import (
	"regexp"
	"slices"
	"strings"
)

// Kind is a category of sensitive text. Its placeholder is "[" + Kind + "]".
type Kind string

// The kinds Redact recognises, in the order it looks for them.
const (
	KindSecret  Kind = "SECRET"
	KindEmail   Kind = "EMAIL"
	KindIBAN    Kind = "IBAN"
	KindCard    Kind = "CARD"
	KindPhone   Kind = "PHONE"
	KindAddress Kind = "ADDRESS"
)

// Kinds lists every kind, in the order Redact looks for them.
func Kinds() []Kind {
	return []Kind{KindSecret, KindEmail, KindIBAN, KindCard, KindPhone, KindAddress}
}

// Placeholder is the text that replaces a match of k, e.g. "[EMAIL]".
func (k Kind) Placeholder() string { return "[" + string(k) + "]" }

// Redactor replaces sensitive text with placeholders. The zero value
// redacts nothing; use New. A Redactor is immutable and safe for concurrent
// use.
type Redactor struct {
	rules []rule
}

// Option configures a Redactor.
type Option func(*options)

type options struct {
	kinds []Kind
}

// Only limits a Redactor to the given kinds. Without it every kind is
// redacted.
func Only(kinds ...Kind) Option {
	return func(o *options) { o.kinds = append(o.kinds[:0:0], kinds...) }
}

// New returns a Redactor for every kind, or for the kinds given with Only.
func New(opts ...Option) *Redactor {
	o := options{kinds: Kinds()}
	for _, opt := range opts {
		opt(&o)
	}
	r := &Redactor{}
	for _, ru := range allRules {
		if slices.Contains(o.kinds, ru.kind) {
			r.rules = append(r.rules, ru)
		}
	}
	return r
}

// Redact returns s with every match replaced by its kind's placeholder.
// Rules run in a fixed order (secrets, e-mail, IBAN, card, phone, address),
// each on the output of the previous one; placeholders contain no digits, so
// a later rule never matches inside an earlier placeholder.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return s
	}
	for _, ru := range r.rules {
		s = ru.apply(s)
	}
	return s
}

var std = New()

// Redact redacts every kind from s. It is New().Redact(s) without the
// allocation of a Redactor.
func Redact(s string) string { return std.Redact(s) }

// rule is one detector: a regular expression that finds candidates and a
// check that accepts a candidate, possibly narrowing the span to replace
// (a label before a phone number stays; a trailing group that breaks a
// checksum is dropped).
type rule struct {
	kind Kind
	re   *regexp.Regexp
	// pre, when set, is a cheap test that s may contain a match at all.
	pre func(s string) bool
	// check receives the text and the match's submatch indexes and returns
	// the span to replace. nil accepts the whole match.
	check func(s string, m []int) (start, end int, ok bool)
}

func (ru rule) apply(s string) string {
	if ru.pre != nil && !ru.pre(s) {
		return s
	}
	ms := ru.re.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	ph := ru.kind.Placeholder()
	for _, m := range ms {
		start, end, ok := m[0], m[1], true
		if ru.check != nil {
			start, end, ok = ru.check(s, m)
		}
		if !ok || start < last || start >= end {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:start])
		b.WriteString(ph)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// allRules is every detector in the order Redact applies them. Structured
// secrets go first (a JWT holds dots and would otherwise split), generic
// high-entropy strings after the checksummed numbers, and addresses last.
var allRules = []rule{
	{kind: KindSecret, re: reJWT, pre: containsAny("eyJ")},
	{kind: KindSecret, re: reBearer, pre: containsFold("bearer"), check: checkBearer},
	{kind: KindSecret, re: rePrefixed, check: checkPrefixed,
		pre: containsAny("sk-", "k_live_", "k_test_", "gh", "github_pat_", "xox", "AKIA", "ASIA", "AIza")},
	{kind: KindEmail, re: reEmail, pre: containsByte('@')},
	{kind: KindIBAN, re: reIBAN, pre: hasDigit, check: checkIBAN},
	{kind: KindCard, re: reCard, pre: hasDigit, check: checkCard},
	{kind: KindSecret, re: reHex, pre: hasDigit, check: checkHex},
	{kind: KindSecret, re: reBase64, pre: hasDigit, check: checkBase64},
	{kind: KindPhone, re: rePhoneLabel, pre: hasDigit, check: checkPhoneLabel},
	{kind: KindPhone, re: rePhoneIntl, pre: hasDigit, check: checkPhoneIntl},
	{kind: KindPhone, re: rePhoneNANP, pre: hasDigit, check: checkPhoneNANP},
	{kind: KindPhone, re: rePhoneFR, pre: hasDigit, check: checkSurroundings},
	{kind: KindPhone, re: rePhoneTrunk, pre: hasDigit, check: checkPhoneTrunk},
	{kind: KindAddress, re: reAddrEN, pre: hasDigit},
	{kind: KindAddress, re: reAddrDE, pre: hasDigit},
	{kind: KindAddress, re: reAddrFR, pre: hasDigit},
	{kind: KindAddress, re: reAddrES, pre: hasDigit},
}

// containsAny reports whether s contains one of subs.
func containsAny(subs ...string) func(string) bool {
	return func(s string) bool {
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
}

func containsByte(c byte) func(string) bool {
	return func(s string) bool { return strings.IndexByte(s, c) >= 0 }
}

// containsFold reports whether s contains the lower-case ASCII word w in any
// case.
func containsFold(w string) func(string) bool {
	return func(s string) bool {
		for i := 0; i+len(w) <= len(s); i++ {
			if strings.EqualFold(s[i:i+len(w)], w) {
				return true
			}
		}
		return false
	}
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// digits returns the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// numberContinues reports whether the number ending at s[end] goes on, as in
// "1.5" or "1,000", or begins before s[start], so that a candidate is only
// part of a longer number (an IP address, a price, a timestamp).
func numberContinues(s string, start, end int) bool {
	if start > 0 {
		c := s[start-1]
		if isAlnum(c) || c == '+' || c == '_' {
			return true
		}
		if (c == '.' || c == ',' || c == '-' || c == '/' || c == ':') && start > 1 && isDigit(s[start-2]) {
			return true
		}
	}
	if end < len(s) {
		c := s[end]
		if isAlnum(c) || c == '_' {
			return true
		}
		if (c == '.' || c == ',' || c == '-' || c == '/' || c == ':') && end+1 < len(s) && isDigit(s[end+1]) {
			return true
		}
	}
	return false
}

// checkSurroundings accepts a match that is not part of a longer number.
func checkSurroundings(s string, m []int) (int, int, bool) {
	return m[0], m[1], !numberContinues(s, m[0], m[1])
}

// groupEnds returns the offsets in s[start:end] at which a group of digits or
// letters ends and a separator (one of seps) begins, plus end itself, longest
// first. Checks use it to retry a candidate without its trailing groups.
func groupEnds(s string, start, end int, seps string) []int {
	ends := []int{end}
	for i := end - 1; i > start; i-- {
		if strings.IndexByte(seps, s[i]) >= 0 && !strings.ContainsRune(seps, rune(s[i-1])) {
			ends = append(ends, i)
		}
	}
	return ends
}
