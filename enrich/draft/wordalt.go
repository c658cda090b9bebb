package draft

import (
	"regexp"
	"strings"
)

// wordAltRE is the expression `(?i)\b(lit1|lit2|...)\b` for literals that
// start and end with an ASCII letter, matched without running the
// expression over every position of the text: at each word start the
// literals with that first letter are compared (strings.EqualFold) and
// the word must end with them. That is what the expression does as long
// as every case-insensitive match of a literal has the literal's length
// in bytes, which holds unless the text has one of the two runes that
// fold with an ASCII letter but are longer (ſ, the long s, and K, the
// Kelvin sign); such a text runs the expression.
type wordAltRE struct {
	re        *regexp.Regexp
	byInitial [26][]string // by lower-case first letter
}

// newWordAltRE prepares `(?i)\b(` + literals joined by "|" + `)\b`. It
// panics when a literal does not start and end with an ASCII letter or
// holds an expression's special character.
func newWordAltRE(literals ...string) *wordAltRE {
	x := &wordAltRE{re: regexp.MustCompile(`(?i)\b(` + strings.Join(literals, "|") + `)\b`)}
	for _, l := range literals {
		if l == "" || !isASCIILetter(l[0]) || !isASCIILetter(l[len(l)-1]) || regexp.QuoteMeta(l) != l {
			panic("draft: wordAltRE literal " + l)
		}
		i := l[0] | 0x20 - 'a'
		x.byInitial[i] = append(x.byInitial[i], l)
	}
	return x
}

// String returns the expression.
func (x *wordAltRE) String() string { return x.re.String() }

// MatchString is the expression's MatchString.
func (x *wordAltRE) MatchString(s string) bool {
	if strings.Contains(s, "ſ") || strings.Contains(s, "\u212a") {
		return x.re.MatchString(s)
	}
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) || i > 0 && isREWord(s[i-1]) {
			continue
		}
		for _, l := range x.byInitial[s[i]|0x20-'a'] {
			end := i + len(l)
			if end <= len(s) && strings.EqualFold(s[i:end], l) && (end == len(s) || !isREWord(s[end])) {
				return true
			}
		}
	}
	return false
}
