package draft

import "strings"

// Hand-written forms of small regular expressions that ran over every
// position of every draft. Each does exactly what the expression it
// replaces does (linescan_test.go compares them on generated texts); the
// expression is quoted in its doc comment. Like regexp's \s, \d and \b
// they read ASCII only: \s is tab, newline, form feed, carriage return
// and space, and a word character is an ASCII letter, digit or "_".

// isASCIIDigit is regexp's \d.
func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// isREWord is regexp's \w, the word characters of \b. A byte of a
// multi-byte rune is never one, as such a rune is never a word character.
func isREWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// skipRESpace returns the offset of the first byte of s at or after i
// that is not \s.
func skipRESpace(s string, i int) int {
	for i < len(s) && isRESpace(s[i]) {
		i++
	}
	return i
}

// hasNumberedLine is regexp `(?m)^\s*\d{1,2}[.)]\s+\S`'s MatchString: a
// line (after spaces) opens with a one- or two-digit number, a "." or ")"
// and spaces, and something follows.
func hasNumberedLine(s string) bool {
	for ls := 0; ; {
		if numberedAt(s, ls) {
			return true
		}
		nl := strings.IndexByte(s[ls:], '\n')
		if nl < 0 {
			return false
		}
		ls += nl + 1
	}
}

// numberedAt reports whether `\s*\d{1,2}[.)]\s+\S` matches at s[i:].
func numberedAt(s string, i int) bool {
	q := skipRESpace(s, i)
	k := 0
	for k < 2 && q+k < len(s) && isASCIIDigit(s[q+k]) {
		k++
	}
	if k == 0 {
		return false
	}
	return spacedAfter(s, q+k, ".)")
}

// spacedAfter reports whether `[marks]\s+\S` matches at s[j:], marks
// being ASCII.
func spacedAfter(s string, j int, marks string) bool {
	if j >= len(s) || strings.IndexByte(marks, s[j]) < 0 {
		return false
	}
	return spacedFrom(s, j+1)
}

// spacedFrom reports whether `\s+\S` matches at s[j:].
func spacedFrom(s string, j int) bool {
	if j >= len(s) || !isRESpace(s[j]) {
		return false
	}
	return skipRESpace(s, j) < len(s)
}

// isListLine is regexp `^\s*(?:\d{1,2}[.)]|[-*•])\s+\S`'s MatchString: s
// opens (after spaces) with a numbered or bulleted list item.
func isListLine(s string) bool {
	if numberedAt(s, 0) {
		return true
	}
	q := skipRESpace(s, 0)
	if strings.HasPrefix(s[q:], "•") {
		return spacedFrom(s, q+len("•"))
	}
	return spacedAfter(s, q, "-*")
}

// hasClock is regexp `\b\d{1,2}[:h]\d{2}\b`'s MatchString: a time such as
// "9:30", "15h00".
func hasClock(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) || i > 0 && isREWord(s[i-1]) {
			continue
		}
		for k := 1; k <= 2; k++ {
			j := i + k // the separator
			if j+2 >= len(s) || k == 2 && !isASCIIDigit(s[i+1]) {
				break
			}
			if (s[j] == ':' || s[j] == 'h') && isASCIIDigit(s[j+1]) && isASCIIDigit(s[j+2]) && (j+3 == len(s) || !isREWord(s[j+3])) {
				return true
			}
		}
	}
	return false
}

// internalCaps is regexp
// `\b(?:[a-z]+[A-Z][A-Za-z]+|[A-Z][a-z]+[A-Z][A-Za-z]+)\b`'s
// FindAllStringIndex(s, -1): the words with a capital inside (HubSpot,
// QuickBooks, macOS, iPhone). Both ends are word boundaries and every
// character a letter, so a match is a whole run of word characters, made
// of letters only and of one of the two shapes.
func internalCaps(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		if !isREWord(s[i]) {
			i++
			continue
		}
		start := i
		letters := true
		for i < len(s) && isREWord(s[i]) {
			letters = letters && isASCIILetter(s[i])
			i++
		}
		if letters && capInside(s[start:i]) {
			out = append(out, []int{start, i})
		}
	}
	return out
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isASCIILower(c byte) bool { return 'a' <= c && c <= 'z' }

// capInside reports whether w (ASCII letters) is `[a-z]+[A-Z][A-Za-z]+`
// or `[A-Z][a-z]+[A-Z][A-Za-z]+`: after a lower-case run (one capital
// first allowed, then the run needs a letter), a capital and at least one
// more letter.
func capInside(w string) bool {
	i := 0
	if !isASCIILower(w[0]) {
		i = 1 // the capital that opens the second shape
	}
	j := i
	for j < len(w) && isASCIILower(w[j]) {
		j++
	}
	// w[i:j] is the lower-case run, w[j] the capital inside.
	return j > i && j+1 < len(w)
}
