package redact

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The literal scanners replace one regular expression per requester. These
// tests compare them with that expression on random texts: every span the
// expression found lies within a span the scanner found, and every span
// the scanner found is a whole-word occurrence of a name. The scanner may
// find more (or longer): the expression consumed the character after a
// match as its boundary, so a name right after another one ("Anna Bo"
// with the names Anna Weber and Bo Li) was missed or only partly taken.

func TestWordLiteralsAgainstRegexp(t *testing.T) {
	alts := []string{"Anna Weber", "ANNA WEBER", "Anna", "ANNA", "Weber", "WEBER", "Zoë", "ZOË", "Müller-Lüdenscheidt", "O'Neil"}
	re := regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(` + strings.Join(quoteAll(sortedLongestFirst(alts)), "|") + `)(?:[^\p{L}\p{N}]|$)`)
	pieces := append(slices.Clone(alts), "anna", "Annabel", "xAnna", "Weber2", "2Weber", " ", " ", ", ", ".", "\n", "-", "é", "and", "Zoëy", "’", "(", ")")
	w := newWordLiterals(alts)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		var old [][]int
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			old = append(old, []int{m[2], m[3]})
		}
		got := w.find(s)
		for _, o := range old {
			if !slices.ContainsFunc(got, func(g []int) bool { return g[0] <= o[0] && o[1] <= g[1] }) {
				t.Fatalf("%q: the regexp found %v, the scanner %v (missing %v)", s, old, got, o)
			}
		}
		for _, g := range got {
			if !wholeWordAlt(s, g, alts) {
				t.Fatalf("%q: span %v (%q) is not a whole-word occurrence of a name", s, g, s[g[0]:g[1]])
			}
		}
		for i := 1; i < len(got); i++ {
			if got[i][0] < got[i-1][1] {
				t.Fatalf("%q: overlapping spans %v", s, got)
			}
		}
	}
}

func wholeWordAlt(s string, g []int, alts []string) bool {
	if !slices.Contains(alts, s[g[0]:g[1]]) {
		return false
	}
	if g[0] > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:g[0]]); isWordRune(r) {
			return false
		}
	}
	if g[1] < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[g[1]:]); isWordRune(r) {
			return false
		}
	}
	return true
}

func TestFoldedLiteralsAgainstRegexp(t *testing.T) {
	// No address is a prefix of another here, so the expression's
	// leftmost-first choice and the scanner's leftmost-longest agree.
	alts := []string{"Anna.Weber@Kleinwerk.example", "a.w@kw.example", "billing+eu@shop.example"}
	re := regexp.MustCompile(`(?i)` + strings.Join(quoteAll(alts), "|"))
	pieces := []string{"Anna.Weber@Kleinwerk.example", "ANNA.WEBER@KLEINWERK.EXAMPLE", "a.w@kw.example", "A.W@KW.EXAMPLE", "billing+eu@shop.example",
		"anna.weber@kleinwerk.exampl", "x", " ", "<", ">", "mailto:", "@", ".", "\n"}
	f := newFoldedLiterals(alts)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		var old [][]int
		for _, m := range re.FindAllStringIndex(s, -1) {
			old = append(old, []int{m[0], m[1]})
		}
		if got := f.find(s); !slices.EqualFunc(got, old, slices.Equal) {
			t.Fatalf("%q: scanner %v, regexp %v", s, got, old)
		}
	}
}

func TestKnownNameNextToAnother(t *testing.T) {
	r := New().WithKnown([]string{"Anna Weber", "Bo Li"}, nil)
	got := r.Redact("Anna Bo said hi")
	if strings.Contains(got, "Anna") || strings.Contains(got, "Bo ") {
		t.Errorf("Redact = %q; both given names should go", got)
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = regexp.QuoteMeta(s)
	}
	return out
}

func sortedLongestFirst(ss []string) []string {
	out := slices.Clone(ss)
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
