package draft

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Some expressions that find specifics in a message (dates, amounts,
// versions) start with a digit, a currency sign or a word at a word
// boundary, but Go's regexp cannot skip ahead to those, so it tried every
// position of the message. A startRE runs an anchored form of such an
// expression only at the positions where a match may start, which gives
// the same matches: a FindAll match is the leftmost position with a match
// at or after the end of the previous one, and the match there is the
// one the anchored form prefers. The context the anchored form cannot see
// (the \b before the match) is checked by may; the \b after a match
// reads the text that follows, which the anchored form is given.

// startRE is an expression's FindAllString, tried where a match may start
// (see above).
type startRE struct {
	// at is the expression anchored at the start of the text, without
	// what may checks.
	at *regexp.Regexp
	// may reports whether a match may start at s[p:]: a necessary
	// condition, including the expression's leading context.
	may func(s string, p int) bool
	// maxLen, when not 0, exceeds the length in bytes of anything the
	// expression can match (or even try), so at runs on at most maxLen
	// bytes: regexp's cost grows with the text it is given.
	maxLen int
}

// FindAllString is the expression's FindAllString(s, -1).
func (x *startRE) FindAllString(s string) []string {
	var out []string
	for p := 0; p < len(s); {
		if x.may(s, p) {
			in := s[p:]
			if x.maxLen > 0 && len(in) > x.maxLen {
				in = in[:x.maxLen]
			}
			if loc := x.at.FindStringIndex(in); loc != nil && loc[1] > 0 {
				out = append(out, s[p:p+loc[1]])
				p += loc[1]
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(s[p:])
		p += n
	}
	return out
}

// reBoundary is regexp's \b at s[p:]: an ASCII word character on one side
// and not on the other.
func reBoundary(s string, p int) bool {
	before := p > 0 && isREWord(s[p-1])
	after := p < len(s) && isREWord(s[p])
	return before != after
}

// The date, amount and version expressions of extractSpecifics, as
// alternatives to build the expression and its anchored form from.
var (
	dateAlts = `\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\.?\s(?:de\s)?(?:` + monthAlt + `)|(?:` + monthAlt + `)\s\d{1,2}(?:st|nd|rd|th)?`
	// amountSign: a currency sign, then the number.
	amountSign = `[$€£]\s?\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?`
	// amountNumber: the number, then the currency (after a \b).
	amountNumber = `\d{1,3}(?:[,.\x{202F}\x{00A0} ]\d{3})*(?:[.,]\d{1,2})?\s?(?:€|£|\$|eur\b|euros?\b|usd\b|dollars?\b|gbp\b|pounds?\b)`
	versionBody  = `(?:version|versión|v)\s?\d+(?:\.\d+){1,3}\b`
)

var (
	// dateFinder is dateRE's FindAllString. A date starts at a \b with a
	// digit or a month name, and is at most about 30 bytes long (a month
	// name of ten letters, some case-folded to two bytes, and a day).
	dateFinder = &startRE{
		at: regexp.MustCompile(`(?i)^(?:` + dateAlts + `)\b`),
		may: func(s string, p int) bool {
			return reBoundary(s, p) && (isASCIIDigit(s[p]) || monthAt(s, p))
		},
		maxLen: 64,
	}
	// amountFinder is amountRE's FindAllString: an amount starts with a
	// currency sign, or with a digit at a \b.
	amountFinder = &startRE{
		at: regexp.MustCompile(`(?i)^(?:` + amountSign + `|` + amountNumber + `)`),
		may: func(s string, p int) bool {
			switch c := s[p]; {
			case c == '$' || isASCIIDigit(c) && reBoundary(s, p):
				return true
			case c < utf8.RuneSelf:
				return false
			}
			return strings.HasPrefix(s[p:], "€") || strings.HasPrefix(s[p:], "£")
		},
	}
	// versionFinder is versionRE's FindAllString: a version starts with
	// "v" at a \b.
	versionFinder = &startRE{
		at: regexp.MustCompile(`(?i)^` + versionBody),
		may: func(s string, p int) bool {
			return (s[p] == 'v' || s[p] == 'V') && reBoundary(s, p)
		},
	}
)

// monthsByInitial are monthNames by their folded (foldRune) first letter.
var monthsByInitial = func() map[rune][]string {
	out := map[rune][]string{}
	for _, m := range monthNames {
		r, _ := utf8.DecodeRuneInString(m)
		out[foldRune(r)] = append(out[foldRune(r)], m)
	}
	return out
}()

// monthAt reports whether s[p:] may start with a month name matched case
// insensitively: every rune folds (foldRune) as the name's does, which a
// case-insensitive match implies.
func monthAt(s string, p int) bool {
	r, _ := utf8.DecodeRuneInString(s[p:])
	for _, m := range monthsByInitial[foldRune(r)] {
		if foldPrefix(s[p:], m) {
			return true
		}
	}
	return false
}

// foldPrefix reports whether s starts with runes that fold (foldRune) as
// those of prefix do.
func foldPrefix(s, prefix string) bool {
	i := 0
	for _, pr := range prefix {
		if i >= len(s) {
			return false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != pr && foldRune(r) != foldRune(pr) {
			return false
		}
		i += n
	}
	return true
}
