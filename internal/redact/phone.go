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
	rePhoneLabel = regexp.MustCompile(`(?i)\b(?:phone|telephone|tel|mobile|mob|cell|fax|whatsapp|telefon|handy|mobil|t[ée]l[ée]phone|t[ée]l|portable|tel[ée]fono|m[óo]vil|call\s+me(?:\s+back)?\s+(?:at|on)|reach\s+me\s+(?:at|on))` +
		`(?:\s+(?:number|no\.?|nr\.?|nummer|num[ée]ro|n[úu]mero|#))?\.?\s*[:=]?\s*` +
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
)

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
