package redact

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Kind is a category of sensitive text. Its placeholder is "[" + Kind + "]".
type Kind string

// The kinds Redact recognises.
const (
	KindSecret     Kind = "SECRET"
	KindCredential Kind = "CREDENTIAL"
	KindEmail      Kind = "EMAIL"
	KindIBAN       Kind = "IBAN"
	KindCard       Kind = "CARD"
	KindNationalID Kind = "NATIONAL_ID"
	KindIP         Kind = "IP"
	KindPassport   Kind = "PASSPORT"
	KindBirthDate  Kind = "DOB"
	KindPhone      Kind = "PHONE"
	KindAddress    Kind = "ADDRESS"
	KindName       Kind = "NAME"
)

// Kinds lists every kind.
func Kinds() []Kind {
	return []Kind{KindSecret, KindCredential, KindEmail, KindIBAN, KindCard, KindNationalID, KindIP,
		KindPassport, KindBirthDate, KindPhone, KindAddress, KindName}
}

// Placeholder is the text that replaces a match of k, e.g. "[EMAIL]".
func (k Kind) Placeholder() string { return "[" + string(k) + "]" }

// Span is one piece of sensitive text: s[Start:End] of the text given to
// Find, and its kind.
type Span struct {
	Start, End int
	Kind       Kind
}

// Redactor replaces sensitive text with placeholders. The zero value
// redacts nothing; use New. A Redactor is immutable and safe for concurrent
// use; WithKnown derives a new one.
type Redactor struct {
	known []rule // WithKnown's rules, applied first
	rules []rule // shared by the Redactors WithKnown derives
	kinds []Kind
	cache *ruleCache // compiled rules of recently seen requesters; nil in derived Redactors
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
	r := &Redactor{kinds: o.kinds, cache: newRuleCache()}
	for _, ru := range allRules {
		if slices.Contains(o.kinds, ru.kind) {
			r.rules = append(r.rules, ru)
		}
	}
	return r
}

// WithKnown returns a Redactor that also removes the given names (as
// [NAME]) and e-mail addresses (as [EMAIL]) wherever they occur: the
// requester's own, which need no context to be recognised. A full name
// is removed whole and each of its words (two letters or more, not a
// title) on its own, as written or in capitals; e-mail addresses match in
// any case. Empty values are ignored; without any, r is returned.
func (r *Redactor) WithKnown(names, emails []string) *Redactor {
	if r == nil {
		return r
	}
	rules := r.cache.get(strings.Join(names, "\x00")+"\x01"+strings.Join(emails, "\x00"), func() []rule {
		var rules []rule
		if ru, ok := knownEmailRule(emails); ok {
			rules = append(rules, ru)
		}
		if ru, ok := knownNameRule(names); ok {
			rules = append(rules, ru)
		}
		return rules
	})
	rules = slices.DeleteFunc(slices.Clone(rules), func(ru rule) bool {
		return (ru.kind == KindEmail && !slices.Contains(r.kinds, KindEmail)) || (ru.kind == KindName && !slices.Contains(r.kinds, KindName))
	})
	if len(rules) == 0 {
		return r
	}
	// Known values go first: they are certain, and an e-mail address must
	// not be half taken by the name rule.
	return &Redactor{known: append(rules, r.known...), rules: r.rules, kinds: r.kinds}
}

func overlaps(taken []bool, start, end int) bool {
	return slices.Contains(taken[start:end], true)
}

// Redact returns s with every span Find reports replaced by its kind's
// placeholder.
func (r *Redactor) Redact(s string) string {
	spans := r.Find(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.Start])
		b.WriteString(sp.Kind.Placeholder())
		last = sp.End
	}
	b.WriteString(s[last:])
	return b.String()
}

var std = New()

// Redact redacts every kind from s. It is New().Redact(s) without the
// allocation of a Redactor.
func Redact(s string) string { return std.Redact(s) }

// normalized is s with look-alike characters replaced by ASCII ones, and
// the map back to s's offsets.
type normalized struct {
	text string
	pos  []int // pos[i]: offset in the original of text[i]; pos[len(text)] = len(original); nil when text is the original
}

func (n normalized) orig(i int) int {
	if n.pos == nil {
		return i
	}
	return n.pos[i]
}

// normalize maps Unicode dashes and minus signs to "-", Unicode spaces to
// " ", full-width digits and "＠" to ASCII, keeping everything else.
func normalize(s string) normalized {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return normalized{text: s}
	}
	var b strings.Builder
	b.Grow(len(s))
	pos := make([]int, 0, len(s)+1)
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		if c, ok := asciiFor(r); ok {
			b.WriteByte(c)
			pos = append(pos, i)
			continue
		}
		b.WriteString(s[i : i+size])
		for k := range size {
			pos = append(pos, i+k)
		}
	}
	pos = append(pos, len(s))
	return normalized{text: b.String(), pos: pos}
}

func asciiFor(r rune) (byte, bool) {
	switch {
	case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE63, r == 0xFF0D:
		return '-', true
	case r == 0x00A0, r == 0x202F, r >= 0x2000 && r <= 0x200A, r == 0x3000:
		return ' ', true
	case r >= 0xFF10 && r <= 0xFF19:
		return byte('0' + r - 0xFF10), true
	case r == 0xFF20:
		return '@', true
	case r == 0xFF0B:
		return '+', true
	}
	return 0, false
}

// asciiLower lower-cases the ASCII letters of s, keeping every offset.
func asciiLower(s string) string {
	upper := false
	for i := 0; i < len(s) && !upper; i++ {
		upper = s[i] >= 'A' && s[i] <= 'Z'
	}
	if !upper {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// rule is one detector: a regular expression that finds candidates and a
// check that accepts a candidate, possibly narrowing the span to replace
// (a label before a phone number stays; a trailing group that breaks a
// checksum is dropped).
type rule struct {
	kind Kind
	re   *regexp.Regexp
	// find, when set, is used instead of re: it returns the [start, end)
	// of each match, in order and not overlapping.
	find func(s string) [][]int
	// pre, when set, is a cheap test that s (lower: the text in lower
	// case) may contain a match at all.
	pre func(s, lower string) bool
	// anchors, when set, are lower-case words every match contains: the
	// rule then runs only on the lines around them. anchorID numbers the
	// rules with anchors (see anchorIndex).
	anchors  []string
	anchorID int
	// needDigit: the rule runs only on text with an ASCII digit.
	needDigit bool
	// trig and minTrig, when set, claim that check rejects every match
	// with fewer than minTrig of trig's characters; scan may then skip
	// runs with fewer (see runScan).
	trig    *trigger
	minTrig int
	// scan, set at init from re, narrows the text re walks to the runs
	// a match may lie in; nil walks the whole text (or window).
	scan *runScan
	// check receives the text and the match's submatch indexes and returns
	// the span to replace. nil accepts the whole match.
	check func(s string, m []int) (start, end int, ok bool)
}

// allRules is every detector in the order Find applies them. Structured
// secrets go first (a JWT holds dots and would otherwise split), then
// e-mail, the checksummed numbers, values a label announces, generic
// high-entropy strings, phones, addresses and names last.
var allRules = prepareRules([]rule{
	{kind: KindSecret, re: reJWT, pre: containsAny("eyJ")},
	{kind: KindSecret, re: reBearer, pre: containsFold("bearer"), check: checkBearer},
	{kind: KindSecret, re: rePrefixed, check: checkPrefixed, trig: trigDigit, minTrig: 1, // checkPrefixed wants a digit
		pre: containsAny("sk-", "k_live_", "k_test_", "gh", "github_pat_", "xox", "AKIA", "ASIA", "AIza")},
	{kind: KindEmail, re: reEmailQuoted, pre: containsAny(`"@`), check: checkEmail},
	{kind: KindEmail, re: reEmail, pre: containsByte('@'), check: checkEmail},
	{kind: KindEmail, re: reEmailObfuscated, check: checkEmailObfuscated, pre: obfuscatedEmailPre},
	{kind: KindCredential, re: reCredential, check: checkCredential, anchors: credentialLabels},
	{kind: KindIBAN, re: reIBAN, needDigit: true, check: checkIBAN},
	{kind: KindNationalID, re: reNIR, needDigit: true, check: checkNIR},
	{kind: KindCard, re: reCard, needDigit: true, check: checkCard},
	{kind: KindNationalID, re: reSSN, needDigit: true, check: checkSSN},
	{kind: KindNationalID, re: reSSNLabel, needDigit: true, check: checkSSNLabel},
	{kind: KindNationalID, re: reNINO, needDigit: true, check: checkNINO},
	{kind: KindNationalID, re: reDNI, needDigit: true, check: checkDNI},
	{kind: KindNationalID, re: reCPF, needDigit: true, check: checkCPF},
	{kind: KindNationalID, re: reAadhaar, needDigit: true, check: checkAadhaar},
	{kind: KindIP, re: reIPv6, pre: containsByte(':'), check: checkIPv6},
	{kind: KindIP, re: reIPv4, pre: dottedDigitsPre, check: checkIPv4},
	{kind: KindPassport, re: rePassport, needDigit: true, anchors: []string{"pass", "pasaporte"}, check: checkPassport},
	{kind: KindBirthDate, re: reBirth, needDigit: true, anchors: birthLabels, check: checkBirth},
	{kind: KindSecret, re: reHex, needDigit: true, check: checkHex, trig: trigDigit, minTrig: 4},       // checkHex wants 4 digits
	{kind: KindSecret, re: reBase64, needDigit: true, check: checkBase64, trig: trigDigit, minTrig: 1}, // checkBase64 wants a digit
	{kind: KindPhone, re: rePhoneLabel, needDigit: true, anchors: phoneLabels, check: checkPhoneLabel},
	{kind: KindPhone, re: rePhoneIntl, pre: containsAny("+", "00"), check: checkPhoneIntl},
	{kind: KindPhone, re: rePhoneNANP, needDigit: true, check: checkPhoneNANP},
	{kind: KindPhone, re: rePhoneBR, needDigit: true, check: checkSurroundings},
	{kind: KindPhone, re: rePhoneFR, needDigit: true, check: checkSurroundings},
	{kind: KindPhone, re: rePhoneES, needDigit: true, check: checkPhoneNoTrunk},
	{kind: KindPhone, re: rePhoneIN, needDigit: true, check: checkPhoneNoTrunk},
	{kind: KindPhone, re: rePhoneTrunk, needDigit: true, check: checkPhoneTrunk},
	{kind: KindPhone, re: rePhoneWords, pre: spelledDigitsPre, check: checkPhoneWords},
	{kind: KindAddress, re: reAddrEN, needDigit: true, pre: containsAny(addrENWords...)},
	{kind: KindAddress, re: reAddrDE, needDigit: true, pre: containsFold(addrDEWords...)},
	{kind: KindAddress, re: reAddrFR, needDigit: true, pre: foldedWordsPre(addrFRWords...)},
	{kind: KindAddress, re: reAddrES, needDigit: true, pre: containsAny(addrESWords...)},
	{kind: KindName, re: reNameIntro, anchors: introLabels, check: checkNameIntro},
	{kind: KindName, re: reNameSignoff, anchors: signoffLabels, check: checkNameSignoff},
	{kind: KindName, re: reNameGreeting, anchors: greetingLabels, check: checkNameGreeting},
})

// containsAny reports whether s contains one of subs.
func containsAny(subs ...string) func(string, string) bool {
	return func(s, _ string) bool {
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
}

func containsByte(c byte) func(string, string) bool {
	return func(s, _ string) bool { return strings.IndexByte(s, c) >= 0 }
}

// containsFold reports whether the text contains one of the lower-case
// words in any case.
func containsFold(words ...string) func(string, string) bool {
	return func(_, lower string) bool {
		for _, w := range words {
			if strings.Contains(lower, w) {
				return true
			}
		}
		return false
	}
}

// dottedDigitsPre reports whether s has a digit, a dot and a digit.
func dottedDigitsPre(s, _ string) bool {
	for i := 1; i+1 < len(s); i++ {
		if s[i] == '.' && isDigit(s[i-1]) && isDigit(s[i+1]) {
			return true
		}
	}
	return false
}

// foldedWordsPre reports whether the text contains one of the lower-case
// ASCII words in any case, for an expression that matches them with (?i):
// there "s" and "k" also match "ſ" (U+017F) and the Kelvin sign (U+212A),
// so a text with either always passes.
func foldedWordsPre(words ...string) func(string, string) bool {
	fold := containsFold(words...)
	return func(s, lower string) bool {
		return fold(s, lower) || strings.Contains(s, "\u017f") || strings.Contains(s, "\u212a")
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

// sub returns the span of submatch i of m, and whether it matched.
func sub(m []int, i int) (int, int, bool) {
	if 2*i+1 >= len(m) || m[2*i] < 0 {
		return 0, 0, false
	}
	return m[2*i], m[2*i+1], true
}

// ruleCache keeps the known-value rules of recently seen requesters, so a
// ticket's later events reuse them. Building them is cheap (literal
// scanners, no regular expression); the cache saves the sorting and
// variants. Bounded: it starts over when full.
type ruleCache struct {
	mu sync.Mutex
	m  map[string][]rule
}

const ruleCacheSize = 1024

func newRuleCache() *ruleCache { return &ruleCache{m: map[string][]rule{}} }

// get returns the cached rules for key, building them on a miss; a nil
// cache always builds.
func (c *ruleCache) get(key string, build func() []rule) []rule {
	if c == nil {
		return build()
	}
	c.mu.Lock()
	rs, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return rs
	}
	rs = build()
	c.mu.Lock()
	if len(c.m) >= ruleCacheSize {
		c.m = map[string][]rule{}
	}
	c.m[key] = rs
	c.mu.Unlock()
	return rs
}
