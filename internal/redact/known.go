package redact

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The requester's own name and e-mail address are literals known per
// ticket. They are found by scanning for the literals rather than by a
// regular expression: building one per requester (and its Unicode word
// classes) cost more than redacting the text, and a desk sees more
// requesters than any cache of compiled expressions holds.

// wordLiterals finds its literals where they stand as whole words: the
// rune before a match and the rune after it are neither letters nor
// digits (or the text ends). At each word start the longest literal that
// fits wins, so a full name is one span rather than one per word.
type wordLiterals []string

func newWordLiterals(alts []string) wordLiterals {
	w := wordLiterals(slices.Clone(alts))
	slices.SortStableFunc(w, func(a, b string) int { return len(b) - len(a) })
	return w
}

func (w wordLiterals) find(s string) [][]int {
	var out [][]int
	prevWord := false // whether the rune before i is a letter or digit
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !prevWord {
			if end, ok := w.matchAt(s, i); ok {
				out = append(out, []int{i, end})
				// The rune at end is not a word rune (or the text ended).
				i, prevWord = end, false
				continue
			}
		}
		prevWord = isWordRune(r)
		i += size
	}
	return out
}

// matchAt returns the end of the longest literal starting at i that is
// followed by a word boundary.
func (w wordLiterals) matchAt(s string, i int) (int, bool) {
	for _, lit := range w {
		if !strings.HasPrefix(s[i:], lit) {
			continue
		}
		end := i + len(lit)
		if end == len(s) {
			return end, true
		}
		if r, _ := utf8.DecodeRuneInString(s[end:]); !isWordRune(r) {
			return end, true
		}
	}
	return 0, false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// foldedLiterals finds its literals anywhere, ignoring ASCII case: the
// leftmost match first and, of those starting at the same byte, the
// longest; matches do not overlap.
type foldedLiterals []string

func newFoldedLiterals(alts []string) foldedLiterals {
	f := make(foldedLiterals, 0, len(alts))
	for _, a := range alts {
		f = append(f, asciiLower(a))
	}
	slices.SortStableFunc(f, func(a, b string) int { return len(b) - len(a) })
	return f
}

func (f foldedLiterals) find(s string) [][]int {
	lower := asciiLower(s) // same byte offsets as s
	var out [][]int
	for from := 0; from < len(lower); {
		best, bestEnd := -1, 0
		for _, lit := range f {
			j := strings.Index(lower[from:], lit)
			if j < 0 {
				continue
			}
			if start := from + j; best < 0 || start < best {
				best, bestEnd = start, start+len(lit)
			}
		}
		if best < 0 {
			break
		}
		out = append(out, []int{best, bestEnd})
		from = bestEnd
	}
	return out
}
