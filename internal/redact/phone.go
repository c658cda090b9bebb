package redact

import (
	"regexp"
	"strings"
)

var (
	// rePhoneLabel: digits after a word that says a phone number follows,
	// in English, German, French or Spanish: "Tel.: 0301234567",
	// "call me at 5550132", "Handy 0171 1234567". Only the number is
	// replaced.
	rePhoneLabel = regexp.MustCompile(`(?i)\b(?:phone|telephone|tel|mobile|mob|cell(?:phone)?|fax|whatsapp|sms|telefon|handy|mobil|rufnummer|handynummer|t[ée]l[ée]phone|t[ée]l|portable|tel[ée]fono|m[óo]vil|celular|telemóvel|` +
		`(?:call|ring|text|reach|contact|phone)\s+(?:me|us)(?:\s+back)?\s+(?:at|on)|erreichbar\s+unter|(?:rufen|ruf)\s+(?:sie\s+)?(?:mich|uns)\s+(?:unter|an)|appelez[- ]moi\s+au|joignable\s+au|ll[áa]m(?:e|a)me\s+al|ll[áa]menos\s+al|` +
		`(?:my|mein|meine|mon|mi)\s+(?:number|nummer|num[ée]ro|n[úu]mero))` +
		`(?:\s+(?:number|no\.?|nr\.?|nummer|num[ée]ro|n[úu]mero|#|is|ist|est|es|:))*\.?\s*[:=]?\s*` +
		`(\+?[0-9(][0-9 ()./\-]{5,}[0-9])`)

	// rePhoneIntl: "+" or "00", a country code, then digit groups.
	rePhoneIntl = regexp.MustCompile(`(?:\+|\b00)[1-9][0-9]{0,2}(?:[ .\-/]?\(?[0-9]+\)?)+`)

	// rePhoneNANP: North American numbers: (415) 555-0132, 415-555-0132,
	// 415.555.0132, 1-800-555-0199.
	rePhoneNANP = regexp.MustCompile(`(?:\b1[ .\-])?(?:\([2-9][0-9]{2}\)[ .\-]?|\b[2-9][0-9]{2}[ .\-])[0-9]{3}[ .\-][0-9]{4}\b`)

	// rePhoneFR: French numbers written in pairs: 01 42 68 53 00,
	// 06.12.34.56.78.
	rePhoneFR = regexp.MustCompile(`\b0[1-9](?:[ .][0-9]{2}){4}\b`)

	// rePhoneTrunk: national numbers with a trunk 0 and at least one
	// separator: 030 12345678, 0171-1234567, 030/1234567, 020 7946 0958.
	rePhoneTrunk = regexp.MustCompile(`\b0[1-9][0-9]{0,4}(?:[ /\-][0-9]{2,8}){1,4}\b`)

	// rePhoneBR: Brazilian numbers with the area code in parentheses:
	// (11) 91234-5678, (21) 2345-6789.
	rePhoneBR = regexp.MustCompile(`\([1-9][0-9]\) ?9?[0-9]{4}-?[0-9]{4}\b`)

	// rePhoneES: Spanish numbers, which have no trunk 0: 912 345 678,
	// 612 34 56 78.
	rePhoneES = regexp.MustCompile(`\b[6-9][0-9]{2}(?: [0-9]{3} [0-9]{3}| [0-9]{2} [0-9]{2} [0-9]{2})\b`)

	// rePhoneIN: Indian mobiles written 98765 43210.
	rePhoneIN = regexp.MustCompile(`\b[6-9][0-9]{4}[ \-][0-9]{5}\b`)

	// rePhoneWords: seven or more digits spelled out in English, German,
	// French or Spanish ("five five five, zero one three two").
	rePhoneWords = regexp.MustCompile(`(?i)\b(?:` + digitWords + `)(?:[\s,.\-]+(?:` + digitWords + `)){6,}\b`)
)

const digitWords = `zero|oh|one|two|three|four|five|six|seven|eight|nine|double\s+\w+|triple\s+\w+|[0-9]|` +
	`null|eins|zwei|zwo|drei|vier|fünf|sechs|sieben|acht|neun|` +
	`zéro|un|deux|trois|quatre|cinq|six|sept|huit|neuf|` +
	`cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve`

// checkPhoneNoTrunk accepts a grouped national number without a trunk 0
// that is not part of a longer number and not an amount ("912 345 678 €").
func checkPhoneNoTrunk(s string, m []int) (int, int, bool) {
	if numberContinues(s, m[0], m[1]) || followsDigitGroup(s, m[0]) {
		return 0, 0, false
	}
	if m[0] > 0 && strings.ContainsAny(s[m[0]-1:m[0]], "$€£#") {
		return 0, 0, false
	}
	rest := strings.TrimLeft(s[m[1]:], " ")
	for _, cur := range []string{"€", "$", "£", "EUR", "USD", "GBP", "INR", "Rs", "₹", "%", "x ", "users", "rows", "bytes"} {
		if strings.HasPrefix(rest, cur) {
			return 0, 0, false
		}
	}
	if m[1] < len(s) && s[m[1]] == ' ' && m[1]+1 < len(s) && isDigit(s[m[1]+1]) {
		return 0, 0, false // "1 234 567 890": a longer grouped number
	}
	return m[0], m[1], true
}

// checkPhoneWords accepts seven to fifteen spelled digits with at least
// five digit words (not just a list of figures).
func checkPhoneWords(s string, m []int) (int, int, bool) {
	words := strings.FieldsFunc(s[m[0]:m[1]], func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == '-' || r == '\n' || r == '\t' })
	n, spelled := 0, 0
	for i := 0; i < len(words); i++ {
		w := strings.ToLower(words[i])
		switch {
		case w == "double":
			n += 2
			i++
		case w == "triple":
			n += 3
			i++
		case len(w) == 1 && isDigit(w[0]):
			n++
		default:
			n++
			spelled++
		}
	}
	return m[0], m[1], n >= 7 && n <= 15 && spelled >= 5
}

func checkPhoneLabel(s string, m []int) (int, int, bool) {
	n := countDigits(s[m[2]:m[3]])
	return m[2], m[3], n >= 5 && n <= 15
}

// checkPhoneIntl accepts the longest prefix, cut at a group boundary, that
// has 8 to 15 digits (E.164 allows 15), so a date or an amount after the
// number stays. A "00" prefix needs a separator: "0012345678" is more
// likely an order number than a phone number.
func checkPhoneIntl(s string, m []int) (int, int, bool) {
	if m[0] > 0 && (isAlnum(s[m[0]-1]) || s[m[0]-1] == '.' || s[m[0]-1] == ',') {
		return 0, 0, false
	}
	if s[m[0]] == '0' && followsDigitGroup(s, m[0]) {
		return 0, 0, false // "3704 0044 0532": one long grouped number
	}
	stop := m[1]
	if loc := reDateAhead.FindStringIndex(s[m[0]:m[1]]); loc != nil {
		stop = m[0] + loc[0]
	}
	for _, end := range groupEnds(s, m[0], stop, " .-/()") {
		c := strings.TrimRight(s[m[0]:end], " .-/(")
		n := countDigits(c)
		if strings.HasPrefix(c, "00") {
			n -= 2
			if !strings.ContainsAny(c, " .-/(") {
				continue
			}
		}
		if n < 8 || n > 15 || !balanced(c) {
			continue
		}
		e := m[0] + len(c)
		if e < len(s) && (s[e] == '.' || s[e] == ',') && e+1 < len(s) && isDigit(s[e+1]) {
			continue
		}
		return m[0], e, true
	}
	return 0, 0, false
}

// balanced reports whether the parentheses in s pair up.
func balanced(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

func checkPhoneNANP(s string, m []int) (int, int, bool) {
	start := m[0]
	if s[start] == '(' {
		// \b does not hold before "(": check by hand that no number precedes.
		if start > 0 && (isAlnum(s[start-1]) || s[start-1] == '.') {
			return 0, 0, false
		}
		return start, m[1], !numberContinues(s, start+1, m[1])
	}
	return start, m[1], !numberContinues(s, start, m[1])
}

// checkPhoneTrunk accepts the longest prefix, cut at a group boundary,
// with 9 to 12 digits written with one kind of separator. "09-11-2023" has
// 8 digits; "05/2024" has 6.
func checkPhoneTrunk(s string, m []int) (int, int, bool) {
	if m[0] > 0 && (isAlnum(s[m[0]-1]) || strings.IndexByte("+.,:/-", s[m[0]-1]) >= 0) {
		return 0, 0, false
	}
	if followsDigitGroup(s, m[0]) {
		return 0, 0, false
	}
	for _, end := range groupEnds(s, m[0], m[1], " /-") {
		c := s[m[0]:end]
		seps := 0
		for _, sep := range " /-" {
			if strings.ContainsRune(c, sep) {
				seps++
			}
		}
		if n := countDigits(c); seps != 1 || n < 9 || n > 12 {
			continue
		}
		if end < len(s) && strings.IndexByte(".,:/-", s[end]) >= 0 && end+1 < len(s) && isDigit(s[end+1]) {
			continue
		}
		return m[0], end, true
	}
	return 0, 0, false
}

// reDateAhead finds where a date starts inside a phone candidate, as in
// "+49 30 1234567 2024-03-15": the number ends before it.
var reDateAhead = regexp.MustCompile(`[ ](?:[0-9]{4}[\-/.][0-9]{1,2}|[0-9]{1,2}[\-/.][0-9]{1,2}[\-/.][0-9]{2,4})`)

// followsDigitGroup reports whether s[start] comes right after a group of
// digits and one separator, as the later groups of an account number do.
func followsDigitGroup(s string, start int) bool {
	return start >= 2 && strings.IndexByte(" -/", s[start-1]) >= 0 && isDigit(s[start-2])
}

// phoneLabels are the words rePhoneLabel starts with, for its pre-test.
var phoneLabels = []string{"phone", "tel", "tél", "mob", "cell", "fax", "whatsapp", "sms", "handy", "rufnummer", "portable",
	"móvil", "movil", "celular", "telem", "call", "ring", "text", "reach", "contact", "erreichbar", "ruf", "appelez",
	"joignable", "llám", "llam", "number", "nummer", "numéro", "número", "my n", "mein", "mon n", "mi n"}

// spelledDigitsPre reports whether the text has seven digit words in a
// row, separated only by spaces and punctuation: the cheap test before
// rePhoneWords.
func spelledDigitsPre(_, lower string) bool {
	run := 0
	for i := 0; i < len(lower); {
		// The words are what strings.FieldsFunc would return for these
		// separators, all ASCII, so bytes can be compared.
		for i < len(lower) && isWordSep(lower[i]) {
			i++
		}
		j := i
		for j < len(lower) && !isWordSep(lower[j]) {
			j++
		}
		if i == j {
			break
		}
		w := lower[i:j]
		i = j
		if (len(w) <= spelledMaxLen && spelledFirst[w[0]] && spelledDigit[w]) || (len(w) == 1 && isDigit(w[0])) {
			run++
			if run >= 7 {
				return true
			}
			continue
		}
		if w == "double" || w == "triple" {
			continue
		}
		run = 0
	}
	return false
}

func isWordSep(c byte) bool {
	return c == ' ' || c == ',' || c == '.' || c == '-' || c == '\n' || c == '\t'
}

// spelledFirst and spelledMaxLen rule most words out before the map
// lookup: the first bytes of the digit words, and the longest one.
var spelledFirst, spelledMaxLen = func() (first [256]bool, maxLen int) {
	for w := range spelledDigit {
		first[w[0]] = true
		maxLen = max(maxLen, len(w))
	}
	return first, maxLen
}()

var spelledDigit = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split(digitWords, "|") {
		if !strings.ContainsAny(w, `\[`) {
			m[w] = true
		}
	}
	return m
}()
