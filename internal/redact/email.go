package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// reEmail: a local part, "@", a domain with at least one dot and a
	// top-level domain of letters. Letters and digits of any script are
	// allowed on both sides (internationalised addresses, IDNs).
	reEmail = regexp.MustCompile(`[\p{L}\p{N}._%+\-'!#$&*=?^{|}~]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)

	// reEmailQuoted: a quoted local part, "john smith"@example.com.
	reEmailQuoted = regexp.MustCompile(`"[^"\n]{1,64}"@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)

	// reEmailObfuscated: "jane.doe [at] example [dot] com", "jane(at)example.de",
	// "jane dot doe at example dot com". Group 1 is the "at" marker and
	// group 2 onwards the "dot" markers, which checkEmailObfuscated reads.
	reEmailObfuscated = regexp.MustCompile(`(?i)(?:[\p{L}\p{N}._%+\-]+(?:\s*(?:[\[({<]\s*dot\s*[\])}>]|\s+dot\s+)\s*[\p{L}\p{N}\-]+)*` +
		`(\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+@\s+)` +
		`|[\p{L}\p{N}_%+\-]+(?:(?:\s+dot\s+|[._])[\p{L}\p{N}\-]+)+(\s+at\s+))` +
		`[\p{L}\p{N}\-]+(?:(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)[\p{L}\p{N}\-]+)+`)
)

// checkEmailObfuscated accepts an address written with "at" and "dot" in
// words. A bracketed "[at]" is enough; a bare " at " ("look at
// example.com") also needs a " dot " written out, and the last part must
// be a plausible top-level domain.
func checkEmailObfuscated(s string, m []int) (int, int, bool) {
	if m[1] < len(s) && isWordRuneAt(s, m[1]) {
		return 0, 0, false
	}
	bracketed := m[2] >= 0
	text := strings.ToLower(s[m[0]:m[1]])
	if !bracketed && !strings.Contains(text, " dot ") && !strings.Contains(text, "dot]") && !strings.Contains(text, "dot)") {
		return 0, 0, false
	}
	// The top-level domain: the letters after the last dot marker.
	i := strings.LastIndexFunc(text, func(r rune) bool { return r == '.' || r == ' ' || r == ']' || r == ')' || r == '}' || r == '>' })
	tld := text[i+1:]
	if len(tld) < 2 || len(tld) > 12 || strings.ContainsAny(tld, "0123456789-") {
		return 0, 0, false
	}
	return m[0], m[1], true
}

// checkEmail accepts an address that does not run on into a word.
func checkEmail(s string, m []int) (int, int, bool) {
	return m[0], m[1], m[1] >= len(s) || !isWordRuneAt(s, m[1])
}

// isWordRuneAt reports whether the rune at s[i] is a letter or digit.
func isWordRuneAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// knownEmailRule matches the given addresses literally, in any case.
func knownEmailRule(emails []string) (rule, bool) {
	var alts []string
	for _, e := range emails {
		e = strings.TrimSpace(e)
		if e == "" || !strings.Contains(e, "@") {
			continue
		}
		alts = append(alts, e)
	}
	if len(alts) == 0 {
		return rule{}, false
	}
	return rule{kind: KindEmail, find: newFoldedLiterals(alts).find}, true
}

// obfuscatedEmailPre reports whether s may hold an address checkEmailObfuscated
// accepts. Every match of reEmailObfuscated has a marker: "at" or "@"
// with whitespace or an opening bracket right before it and whitespace or
// a closing bracket right after it. A match with "@" or with a bracket
// before "at" is bracketed (group 1); one with only whitespace around "at"
// (group 2) is accepted only when it spells out "dot".
func obfuscatedEmailPre(s, _ string) bool {
	dot := -1 // whether s holds "dot" in any case; -1 until looked up
	for i := 1; i < len(s); i++ {
		w := 0
		switch {
		case s[i] == '@':
			w = 1
		case s[i]|0x20 == 'a' && i+1 < len(s) && s[i+1]|0x20 == 't':
			w = 2
		default:
			continue
		}
		if i+w >= len(s) || !opensMarker(s[i-1]) || !closesMarker(s[i+w]) {
			continue
		}
		if w == 1 {
			return true
		}
		j := i - 1
		for j >= 0 && isSpace(s[j]) {
			j--
		}
		if j >= 0 && isOpening(s[j]) {
			return true
		}
		if dot < 0 {
			dot = 0
			if containsDot(s) {
				dot = 1
			}
		}
		if dot == 1 {
			return true
		}
	}
	return false
}

// isSpace reports whether c is in the expressions' \s: [\t\n\f\r ].
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// opensMarker and closesMarker report whether c may come right before and
// right after an "at" or "@" marker.
func opensMarker(c byte) bool { return isSpace(c) || isOpening(c) }

func closesMarker(c byte) bool { return isSpace(c) || isClosing(c) }

func isOpening(c byte) bool { return c == '[' || c == '(' || c == '{' || c == '<' }

func isClosing(c byte) bool { return c == ']' || c == ')' || c == '}' || c == '>' }

// containsDot reports whether s holds "dot" in any ASCII case.
func containsDot(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i]|0x20 == 'd' && s[i+1]|0x20 == 'o' && s[i+2]|0x20 == 't' {
			return true
		}
	}
	return false
}
