package redact

import (
	"regexp"
	"strings"
)

var (
	// reIBAN: country code, check digits, then up to 30 letters or digits,
	// printed in groups of four or unbroken.
	reIBAN = regexp.MustCompile(`(?i)\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`)

	// reCard: 13 to 19 digits, optionally grouped with spaces or dashes.
	reCard = regexp.MustCompile(`\b[0-9](?:[ \-]?[0-9]){12,18}\b`)
)

// checkIBAN accepts the longest prefix of the match, cut at a group
// boundary, that is a valid IBAN: a candidate may have swallowed a word
// that follows it.
func checkIBAN(s string, m []int) (int, int, bool) {
	if m[0] > 0 && (isAlnum(s[m[0]-1]) || s[m[0]-1] == '_') {
		return 0, 0, false
	}
	for _, end := range groupEnds(s, m[0], m[1], " ") {
		if validIBAN(s[m[0]:end]) {
			return m[0], end, true
		}
	}
	return 0, 0, false
}

// validIBAN checks length and the ISO 13616 mod-97 check digits.
func validIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	if !isUpper(s[0]) || !isUpper(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	// Move the first four characters to the end, turn letters into 10..35
	// and take the remainder digit by digit.
	r := s[4:] + s[:4]
	mod := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case isDigit(c):
			mod = (mod*10 + int(c-'0')) % 97
		case isUpper(c):
			mod = (mod*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return mod == 1
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// checkCard accepts the longest prefix of the match, cut at a group
// boundary, that looks like a payment card: 13 to 19 digits, one kind of
// separator, a first digit that card issuers use (2 to 6) and a valid Luhn
// check digit. A number after "+" is a phone number, and a number that is
// part of a longer one (a decimal, a dotted ID) is left alone.
func checkCard(s string, m []int) (int, int, bool) {
	if m[0] > 0 && strings.IndexByte("+.,:/_", s[m[0]-1]) >= 0 {
		return 0, 0, false
	}
	for _, end := range groupEnds(s, m[0], m[1], " -") {
		c := s[m[0]:end]
		if strings.ContainsRune(c, ' ') && strings.ContainsRune(c, '-') {
			continue
		}
		if end < len(s) && (s[end] == '.' || s[end] == ',') && end+1 < len(s) && isDigit(s[end+1]) {
			continue
		}
		d := digits(c)
		if len(d) < 13 || d[0] < '2' || d[0] > '6' {
			continue
		}
		if luhn(d) {
			return m[0], end, true
		}
	}
	return 0, 0, false
}

// luhn reports whether the digit string d has a valid Luhn check digit.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}
