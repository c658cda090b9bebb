package redact

import (
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// Most support text holds few values, and a regular expression walking all
// of it costs far more than the values. A runScan lets a rule's expression
// see only the stretches of text a match could lie in, with the same
// results as a walk over the whole text.
//
// Every match of an expression consists of characters the expression can
// consume (its character set, worked out from the parsed expression). A
// match therefore lies inside one run of such characters, and the
// characters just outside a run can never be part of a match. So running
// the expression on a run plus one character either side (the context
// \b, ^ and $ look at) finds exactly the matches the whole text has in
// that run, in the same order: a match never starts on the outer
// characters (matches are not empty and those characters cannot be
// consumed) and never reaches past them.
//
// Runs without enough trigger characters are skipped: the parsed
// expression shows that every match consumes at least a certain number of
// them (digits for the number rules, '@' for e-mail addresses, ':' for
// IPv6), or the rule's check rejects every match with fewer (see
// rule.trig). Runs shorter than the shortest match are skipped too.
type runScan struct {
	cons    [256]bool // bytes that may be part of a match; every byte >= 0x80 when any non-ASCII rune may be
	trig    *trigger  // the characters counted
	minTrig int       // runs with fewer triggers cannot hold a match
	minLen  int       // runs shorter than this (in bytes) cannot hold a match
}

// trigger is a set of ASCII characters whose positions Find indexes once
// per text.
type trigger struct {
	id  int
	set [256]bool
}

// The triggers Find indexes. Their ids index finder.trigAt.
const numTriggers = 3

var (
	trigDigit = newTrigger(0, "0123456789")
	trigAt    = newTrigger(1, "@")
	trigColon = newTrigger(2, ":")
	triggers  = [numTriggers]*trigger{trigDigit, trigAt, trigColon}
)

func newTrigger(id int, chars string) *trigger {
	t := &trigger{id: id}
	for i := 0; i < len(chars); i++ {
		t.set[chars[i]] = true
	}
	return t
}

// newRunScan analyses re. It returns nil when runs would not narrow the
// text: when a match may be empty or no trigger is certain. trig, when
// not nil, is a trigger the rule's check requires at least minTrig of
// (a claim about the check, which the parsed expression cannot show).
func newRunScan(re *regexp.Regexp, trig *trigger, minTrig int) *runScan {
	ast, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		panic("redact: " + err.Error()) // re compiled from the same text
	}
	ast = ast.Simplify()
	s := &runScan{minLen: minRunes(ast, nil)}
	if s.minLen < 1 {
		return nil
	}
	consumable(ast, &s.cons)
	for _, t := range triggers {
		if n := minRunes(ast, t); n > s.minTrig {
			s.trig, s.minTrig = t, n
		}
	}
	if trig != nil && (s.trig == nil || (s.trig == trig && minTrig > s.minTrig)) {
		s.trig, s.minTrig = trig, minTrig
	}
	if s.trig == nil {
		return nil
	}
	return s
}

// consumable marks in cons every byte a match of re may consume: ASCII
// characters one by one, and all bytes from 0x80 when any non-ASCII rune
// may be consumed.
func consumable(re *syntax.Regexp, cons *[256]bool) {
	addRange := func(lo, hi rune) {
		for c := max(lo, 0); c <= min(hi, utf8.RuneSelf-1); c++ {
			cons[c] = true
		}
		if hi >= utf8.RuneSelf {
			for c := utf8.RuneSelf; c < 256; c++ {
				cons[c] = true
			}
		}
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			addRange(r, r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					addRange(f, f)
				}
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			addRange(re.Rune[i], re.Rune[i+1])
		}
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		addRange(0, unicode.MaxRune)
	}
	for _, sub := range re.Sub {
		consumable(sub, cons)
	}
}

// minRunes is the least number of runes any match of re consumes that
// belong to t, or of any runes when t is nil.
func minRunes(re *syntax.Regexp, t *trigger) int {
	in := func(lo, hi rune) bool {
		if t == nil {
			return true
		}
		if hi >= utf8.RuneSelf {
			return false
		}
		for c := lo; c <= hi; c++ {
			if c < 0 || !t.set[c] {
				return false
			}
		}
		return true
	}
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			ok := in(r, r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					ok = ok && in(f, f)
				}
			}
			if ok {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if !in(re.Rune[i], re.Rune[i+1]) {
				return 0
			}
		}
		return 1
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		if t == nil {
			return 1
		}
		return 0
	case syntax.OpCapture, syntax.OpPlus:
		return minRunes(re.Sub[0], t)
	case syntax.OpRepeat:
		return re.Min * minRunes(re.Sub[0], t)
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += minRunes(sub, t)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if m := minRunes(sub, t); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	// Empty-width assertions, empty matches, star and quest consume
	// nothing for certain.
	return 0
}

// run returns the window around the run of consumable bytes of s[lo:hi]
// holding p, a trigger position: the run plus the rune either side
// (within [lo, hi)), and ok when the run has enough triggers and length
// to hold a match. next is where the run ends: triggers before it need no
// look. A p that no longer holds a trigger (masked) yields next = p+1.
func (rs *runScan) run(s string, lo, hi, p int) (w0, w1, next int, ok bool) {
	if !rs.trig.set[s[p]] {
		return 0, 0, p + 1, false
	}
	a := p
	for a > lo && rs.cons[s[a-1]] {
		a--
	}
	b, n := p, 0
	for b < hi && rs.cons[s[b]] {
		if rs.trig.set[s[b]] {
			n++
		}
		b++
	}
	if n < rs.minTrig || b-a < rs.minLen {
		return 0, 0, b, false
	}
	w0, w1 = a, b
	if a > lo {
		_, size := utf8.DecodeLastRuneInString(s[lo:a])
		w0 -= size
	}
	if b < hi {
		_, size := utf8.DecodeRuneInString(s[b:hi])
		w1 += size
	}
	return w0, w1, b, true
}
