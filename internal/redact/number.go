package redact

import (
	"regexp"
	"strings"
)

var (
	// reIBAN: country code, check digits, then 11 to 30 letters or digits,
	// unbroken or grouped with spaces, dashes or dots. checkIBAN cuts the
	// candidate at the country's length.
	reIBAN = regexp.MustCompile(`(?i)\b[A-Z]{2}[0-9]{2}(?:[ .\-]?[A-Z0-9]){11,32}`)

	// reCard: 13 to 19 digits, optionally grouped with spaces, dashes or
	// dots.
	reCard = regexp.MustCompile(`\b[0-9](?:[ .\-]?[0-9]){12,18}\b`)
)

// ibanLengths is the length of an IBAN in each country that issues them
// (ISO 13616 registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
	"MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
	"NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
	"SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// checkIBAN takes as many letters and digits from the candidate as its
// country's IBAN has, allowing one kind of separator, and accepts them
// when they end at a word boundary and the mod-97 check digits are right.
func checkIBAN(s string, m []int) (int, int, bool) {
	if m[0] > 0 && (isAlnum(s[m[0]-1]) || s[m[0]-1] == '_') {
		return 0, 0, false
	}
	want, ok := ibanLengths[strings.ToUpper(s[m[0]:m[0]+2])]
	if !ok {
		return 0, 0, false
	}
	var b strings.Builder
	var sep byte
	end := m[0]
	for i := m[0]; i < m[1] && b.Len() < want; i++ {
		c := s[i]
		if isAlnum(c) {
			b.WriteByte(c)
			end = i + 1
			continue
		}
		if sep != 0 && c != sep {
			return 0, 0, false
		}
		sep = c
	}
	if b.Len() != want || (end < len(s) && (isAlnum(s[end]) || s[end] == '_')) {
		return 0, 0, false
	}
	return m[0], end, validIBAN(b.String())
}

// validIBAN checks the ISO 13616 mod-97 check digits of a compact IBAN.
func validIBAN(s string) bool {
	s = strings.ToUpper(s)
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
	for _, end := range groupEnds(s, m[0], m[1], " -.") {
		c := s[m[0]:end]
		if seps := strings.Count(c, " ") + strings.Count(c, "-") + strings.Count(c, "."); seps > 0 &&
			strings.Count(c, " ") != seps && strings.Count(c, "-") != seps && strings.Count(c, ".") != seps {
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
