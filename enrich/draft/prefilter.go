package draft

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The cue and phrase regexes of this package are long case-insensitive
// alternations of literal words. Go's regexp cannot skip ahead to a
// literal in them, so it tries every position of the text, and that was
// a fifth of a worker's CPU while draining a burst. Most texts contain
// none of the words, so each such regex is wrapped in a filteredRE: the
// literals one of which every match must contain are read from the
// regex's syntax tree once, and a text none of them occurs in (compared
// case-folded) is rejected with a few strings.Contains calls instead of
// running the regex. The filter only ever says "maybe": a text that
// passes runs the regex as before, so the results are exactly the
// regex's.

// filteredRE is a regexp with a literal prefilter (see above).
type filteredRE struct {
	re *regexp.Regexp
	// need are folded strings (foldString) one of which occurs in the
	// folded form of every text the regex matches; nil when the regex
	// has no such set and always runs.
	need []string
	// The needs of two bytes or more by their first two bytes, so that
	// one pass over a text finds whether it holds any of them (a text
	// holds n where its two bytes at i are n's first two and n follows);
	// pairs marks the pairs that start a need. short are the needs of one
	// byte.
	pairs  *[1 << 16 / 64]uint64
	byPair map[uint16][]string
	short  []string
}

// pair is the two bytes of s at i as one number.
func pair(s string, i int) uint16 { return uint16(s[i])<<8 | uint16(s[i+1]) }

// index prepares f.need for maybeFolded.
func (f *filteredRE) index() {
	f.pairs, f.byPair = new([1 << 16 / 64]uint64), map[uint16][]string{}
	for _, n := range f.need {
		if len(n) < 2 {
			f.short = append(f.short, n)
			continue
		}
		p := pair(n, 0)
		f.pairs[p/64] |= 1 << (p % 64)
		f.byPair[p] = append(f.byPair[p], n)
	}
}

// mustFiltered compiles expr like regexp.MustCompile, with its prefilter.
func mustFiltered(expr string) *filteredRE {
	f := &filteredRE{re: regexp.MustCompile(expr)}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic("draft: " + err.Error()) // regexp.MustCompile accepted it
	}
	if need := required(tree.Simplify()).needs(); need != nil && !slices.Contains(need, "") {
		f.need = minimalNeeds(need)
		f.index()
	}
	return f
}

// minimalNeeds drops from need every string that contains another one:
// a text holding it holds the other, so the set accepts the same texts.
func minimalNeeds(need []string) []string {
	var out []string
	for i, n := range need {
		redundant := false
		for j, m := range need {
			if j != i && strings.Contains(n, m) && (n != m || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, n)
		}
	}
	return out
}

// String returns the regex's source text.
func (f *filteredRE) String() string { return f.re.String() }

// maybe reports whether s may match: false only when it cannot.
func (f *filteredRE) maybe(s string) bool {
	if f.need == nil {
		return true
	}
	return f.maybeFolded(foldString(s))
}

// maybeFolded is maybe with s folded already (foldString).
func (f *filteredRE) maybeFolded(folded string) bool {
	if f.need == nil {
		return true
	}
	// Whether strings.Contains(folded, n) for some n of f.need.
	for _, n := range f.short {
		if strings.Contains(folded, n) {
			return true
		}
	}
	for i := 0; i+1 < len(folded); i++ {
		p := pair(folded, i)
		if f.pairs[p/64]&(1<<(p%64)) == 0 {
			continue
		}
		for _, n := range f.byPair[p] {
			if strings.HasPrefix(folded[i:], n) {
				return true
			}
		}
	}
	return false
}

// MatchString is regexp.Regexp.MatchString.
func (f *filteredRE) MatchString(s string) bool { return f.maybe(s) && f.re.MatchString(s) }

// FindString is regexp.Regexp.FindString.
func (f *filteredRE) FindString(s string) string {
	if !f.maybe(s) {
		return ""
	}
	return f.re.FindString(s)
}

// findStringSubmatchFolded is FindStringSubmatch with s folded already
// (foldString).
func (f *filteredRE) findStringSubmatchFolded(s, folded string) []string {
	if !f.maybeFolded(folded) {
		return nil
	}
	return f.re.FindStringSubmatch(s)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (f *filteredRE) FindStringSubmatch(s string) []string {
	if !f.maybe(s) {
		return nil
	}
	return f.re.FindStringSubmatch(s)
}

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (f *filteredRE) FindStringIndex(s string) []int {
	if !f.maybe(s) {
		return nil
	}
	return f.re.FindStringIndex(s)
}

// FindAllString is regexp.Regexp.FindAllString.
func (f *filteredRE) FindAllString(s string, n int) []string {
	if !f.maybe(s) {
		return nil
	}
	return f.re.FindAllString(s, n)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (f *filteredRE) FindAllStringSubmatch(s string, n int) [][]string {
	if !f.maybe(s) {
		return nil
	}
	return f.re.FindAllStringSubmatch(s, n)
}

// foldRune maps every rune of a simple case-folding orbit (the runes a
// (?i) literal matches, such as k, K and the Kelvin sign) to one rune, so
// that a case-insensitive literal match implies a plain substring match
// of the folded strings.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	// The orbit's least rune is ASCII upper case for every orbit holding
	// ASCII letters, so this agrees with the fast path above.
	return unicode.ToLower(least)
}

// foldString is s with every rune folded (foldRune). An ASCII string
// without upper case is returned as is.
func foldString(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.Map(foldRune, s)
		}
	}
	return s
}

// maxExact bounds the strings an exact set holds before it is given up
// (see info).
const maxExact = 64

// info is what a regex node tells the prefilter, as folded strings.
type info struct {
	// exact, when not nil, is every string the node can match.
	exact []string
	// need, when not nil, holds strings one of which every match of the
	// node contains.
	need []string
}

// required computes the info of a simplified regex node.
func required(re *syntax.Regexp) info {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return exactInfo([]string{""})
	case syntax.OpLiteral:
		return exactInfo([]string{foldString(string(re.Rune))})
	case syntax.OpCharClass:
		var rs []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= maxExact || len(rs) > maxExact {
				return info{}
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				rs = append(rs, string(foldRune(r)))
			}
		}
		if len(rs) > maxExact {
			return info{}
		}
		return exactInfo(rs)
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return info{need: required(re.Sub[0]).needs()}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return info{need: required(re.Sub[0]).needs()}
		}
		return info{}
	case syntax.OpQuest:
		sub := required(re.Sub[0])
		if sub.exact != nil {
			return exactInfo(append([]string{""}, sub.exact...))
		}
		return info{}
	case syntax.OpAlternate:
		var out info
		allExact, allNeed := true, true
		for _, s := range re.Sub {
			in := required(s)
			allExact = allExact && in.exact != nil
			if allExact {
				out.exact = append(out.exact, in.exact...)
			}
			n := in.needs()
			allNeed = allNeed && n != nil
			out.need = append(out.need, n...)
		}
		if !allExact || len(out.exact) > maxExact {
			out.exact = nil
		}
		if !allNeed {
			out.need = nil
		}
		if out.exact != nil {
			return exactInfo(out.exact)
		}
		out.need = dedup(out.need)
		return out
	case syntax.OpConcat:
		return concatInfo(re.Sub)
	}
	return info{} // any character, large classes, stars: no requirement
}

// concatInfo is the info of a concatenation: runs of exact parts are
// multiplied out, and the best requirement of any run or part is kept.
func concatInfo(subs []*syntax.Regexp) info {
	var best []string
	consider := func(need []string) {
		if need != nil && better(need, best) {
			best = need
		}
	}
	run := []string{""} // the exact strings of the current run of exact parts
	exact := true
	for _, s := range subs {
		in := required(s)
		if in.exact != nil {
			if next := product(run, in.exact); next != nil {
				run = next
				continue
			}
			consider(run) // the run is too large to grow: start a new one
			run = in.exact
			exact = false
			continue
		}
		exact = false
		consider(run)
		run = []string{""}
		consider(in.need)
	}
	if exact {
		return exactInfo(run)
	}
	consider(run)
	return info{need: best}
}

// product is every a+b, or nil when there would be more than maxExact.
func product(as, bs []string) []string {
	if len(as)*len(bs) > maxExact {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return dedup(out)
}

// better reports whether requirement a filters better than b: its
// shortest string is longer (a longer literal is rarer), then it has
// fewer strings.
func better(a, b []string) bool {
	if b == nil {
		return true
	}
	la, lb := shortest(a), shortest(b)
	if la != lb {
		return la > lb
	}
	return len(a) < len(b)
}

func shortest(ss []string) int {
	n := -1
	for _, s := range ss {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// needs is the node's requirement: its exact strings when known.
func (in info) needs() []string {
	if in.exact != nil {
		return in.exact
	}
	return in.need
}

func exactInfo(ss []string) info { return info{exact: dedup(ss)} }

func dedup(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}
