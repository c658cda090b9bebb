package redact

import (
	"regexp"
	"strconv"
	"strings"
)

// National identity numbers, each accepted only when its format rules or
// check digits hold.
var (
	// reSSN: a US Social Security number written 123-45-6789.
	reSSN = regexp.MustCompile(`\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b`)

	// reSSNLabel: nine digits, with spaces or none, after "SSN" or
	// "social security (number)".
	reSSNLabel = regexp.MustCompile(`(?i)\b(?:SSN|social\s+security(?:\s+(?:number|no\.?|#))?)\s*(?:is|:|#)?\s*([0-9]{3}[ ]?[0-9]{2}[ ]?[0-9]{4})\b`)

	// reNINO: a UK National Insurance number, QQ 12 34 56 C.
	reNINO = regexp.MustCompile(`(?i)\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b`)

	// reDNI: a Spanish DNI (8 digits and a letter) or NIE (X, Y or Z,
	// 7 digits and a letter).
	reDNI = regexp.MustCompile(`(?i)\b(?:[XYZ][ \-]?[0-9]{7}|[0-9]{8})[ \-]?[A-Z]\b`)

	// reNIR: a French social security number (NIR): sex, year, month,
	// department (2A and 2B for Corsica), commune, order and a two-digit
	// key, with or without spaces.
	reNIR = regexp.MustCompile(`(?i)\b[12] ?[0-9]{2} ?[0-9]{2} ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}\b`)

	// reCPF: a Brazilian CPF, 123.456.789-09, or 11 digits after "CPF".
	reCPF = regexp.MustCompile(`\b[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}\b|\b(?i:cpf)\s*(?:n[º°o]?\.?)?\s*:?\s*([0-9]{11})\b`)

	// reAadhaar: an Indian Aadhaar number, 12 digits grouped 4-4-4, or
	// unbroken after "Aadhaar".
	reAadhaar = regexp.MustCompile(`\b[2-9][0-9]{3}[ \-][0-9]{4}[ \-][0-9]{4}\b|\b(?i:aadh?aa?r(?:\s*(?:no\.?|number|card|is|:|#))*)\s*([2-9][0-9]{11})\b`)
)

// checkSSN accepts a dashed SSN the SSA could have issued: area not 000,
// 666 or 9xx, group not 00, serial not 0000; a dashed run that is part of
// a longer one ("2024-12-31-1234") is left alone.
func checkSSN(s string, m []int) (int, int, bool) {
	if numberContinues(s, m[0], m[1]) {
		return 0, 0, false
	}
	return m[0], m[1], validSSN(digits(s[m[0]:m[1]]))
}

func checkSSNLabel(s string, m []int) (int, int, bool) {
	a, b, _ := sub(m, 1)
	return a, b, validSSN(digits(s[a:b]))
}

func validSSN(d string) bool {
	if len(d) != 9 {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// checkNINO rejects the prefixes HMRC never issues.
func checkNINO(s string, m []int) (int, int, bool) {
	p := strings.ToUpper(s[m[0] : m[0]+2])
	switch p {
	case "BG", "GB", "NK", "KN", "TN", "NT", "ZZ":
		return 0, 0, false
	}
	c := s[m[0]:m[1]]
	// A lower-case one is only taken when written like one: "ab 12 34 56 c".
	if c != strings.ToUpper(c) && strings.Count(c, " ") != 4 {
		return 0, 0, false
	}
	return m[0], m[1], true
}

// checkDNI accepts a DNI or NIE whose control letter is right.
func checkDNI(s string, m []int) (int, int, bool) {
	c := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s[m[0]:m[1]]))
	num := c[:len(c)-1]
	switch num[0] {
	case 'X':
		num = "0" + num[1:]
	case 'Y':
		num = "1" + num[1:]
	case 'Z':
		num = "2" + num[1:]
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, 0, false
	}
	return m[0], m[1], "TRWAGMYFPDXBNJZSQVHLCKE"[n%23] == c[len(c)-1]
}

// checkNIR accepts a NIR whose key is 97 minus the first 13 digits
// modulo 97 (Corsica's 2A and 2B counted as 19 and 18, less 1,000,000 and
// 2,000,000).
func checkNIR(s string, m []int) (int, int, bool) {
	if numberContinues(s, m[0], m[1]) {
		return 0, 0, false
	}
	c := strings.ToUpper(strings.ReplaceAll(s[m[0]:m[1]], " ", ""))
	if len(c) != 15 {
		return 0, 0, false
	}
	body, key := c[:13], c[13:]
	var sub uint64
	switch body[5:7] {
	case "2A":
		body, sub = body[:5]+"19"+body[7:], 1000000
	case "2B":
		body, sub = body[:5]+"18"+body[7:], 2000000
	}
	n, err := strconv.ParseUint(body, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	k, err := strconv.ParseUint(key, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	month, _ := strconv.Atoi(c[3:5])
	if month < 1 || (month > 12 && month < 20) {
		return 0, 0, false
	}
	return m[0], m[1], k == 97-(n-sub)%97
}

// checkCPF accepts a CPF whose two check digits are right.
func checkCPF(s string, m []int) (int, int, bool) {
	start, end := m[0], m[1]
	if a, b, ok := sub(m, 1); ok {
		start, end = a, b
	} else if numberContinues(s, start, end) {
		return 0, 0, false
	}
	d := digits(s[start:end])
	if len(d) != 11 || strings.Count(d, d[:1]) == 11 {
		return 0, 0, false
	}
	for _, n := range []int{9, 10} {
		sum := 0
		for i := range n {
			sum += int(d[i]-'0') * (n + 1 - i)
		}
		r := sum * 10 % 11
		if r == 10 {
			r = 0
		}
		if r != int(d[n]-'0') {
			return 0, 0, false
		}
	}
	return start, end, true
}

// checkAadhaar accepts an Aadhaar number whose Verhoeff check digit is
// right.
func checkAadhaar(s string, m []int) (int, int, bool) {
	start, end := m[0], m[1]
	if a, b, ok := sub(m, 1); ok {
		start, end = a, b
	} else if numberContinues(s, start, end) {
		return 0, 0, false
	}
	c := s[start:end]
	if strings.Contains(c, " ") && strings.Contains(c, "-") {
		return 0, 0, false
	}
	return start, end, verhoeff(digits(c))
}

// The Verhoeff tables: multiplication in the dihedral group D5 and the
// position permutation.
var (
	verhoeffD = [10][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
)

// verhoeff reports whether the digit string d ends in a valid Verhoeff
// check digit.
func verhoeff(d string) bool {
	if d == "" {
		return false
	}
	c := 0
	for i := range len(d) {
		c = verhoeffD[c][verhoeffP[i%8][int(d[len(d)-1-i]-'0')]]
	}
	return c == 0
}
