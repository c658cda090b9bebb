package rules

import (
	"bytes"
	"strconv"
)

// amount is a money amount found in a segment's folded text.
type amount struct {
	cents  int64
	fs, fe int32 // the number in scratch.fold
	qs, qe int32 // the number with its currency, for reasons
	seg    int16
	tok    int32 // the first token at or after the number
}

// String formats the amount as a decimal string with two places: "650.00".
func (a amount) String() string {
	frac := a.cents % 100
	s := strconv.FormatInt(a.cents/100, 10) + "."
	if frac < 10 {
		s += "0"
	}
	return s + strconv.FormatInt(frac, 10)
}

// currencyCodes are the ISO 4217 codes of the currency signs and words
// (folded) that name one currency; "dollar" and "$" are taken as US
// dollars. Ambiguous words (pesos, kronor, franc) name none.
var currencyCodes = map[string]string{
	"$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "dolar": "USD", "dolares": "USD", "bucks": "USD",
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
	"£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "libras": "GBP",
	"¥": "JPY", "jpy": "JPY", "₹": "INR", "inr": "INR", "₺": "TRY",
	"chf": "CHF", "franken": "CHF", "cad": "CAD", "aud": "AUD", "nzd": "NZD", "sek": "SEK", "nok": "NOK",
	"dkk": "DKK", "pln": "PLN", "mxn": "MXN", "brl": "BRL", "reais": "BRL", "zar": "ZAR", "sgd": "SGD", "hkd": "HKD",
}

// currencyCode returns the ISO 4217 code of the currency an amount was
// written with (q is the number with its sign or word), or "" when the
// sign or word does not name one currency.
func currencyCode(q []byte) string {
	word := bytes.TrimFunc(q, func(r rune) bool { return '0' <= r && r <= '9' || r == '.' || r == ',' || r == '\'' || r == ' ' })
	if i := bytes.IndexAny(word, "0123456789"); i >= 0 {
		word = bytes.TrimSpace(word[:i])
	}
	return currencyCodes[string(word)]
}

// findAmounts appends the money amounts of segment si to s.amts: numbers
// with a currency symbol or word right before or after them ("$650",
// "650 USD", "€1.200,50", "1,200.50 dollars"). Bare numbers are not money.
func (m *model) findAmounts(s *scratch, si int) {
	seg := &s.segs[si]
	txt := s.fold[seg.fs:seg.fe]
	for i := 0; i < len(txt); i++ {
		if !isDigitByte(txt[i]) {
			continue
		}
		if i > 0 && (isAlnumByte(txt[i-1]) || txt[i-1] == '.' || txt[i-1] == ',') {
			for i+1 < len(txt) && isDigitByte(txt[i+1]) {
				i++
			}
			continue
		}
		j := scanNumber(txt, i)
		cents, ok := parseAmount(txt[i:j])
		if !ok {
			i = j - 1
			continue
		}
		qs, qe := m.currencyBefore(txt, i), j
		if qs < 0 {
			qs, qe = i, m.currencyAfter(txt, j)
		}
		if qe >= 0 {
			fs := seg.fs + int32(i)
			s.amts = append(s.amts, amount{cents: cents, fs: fs, fe: seg.fs + int32(j), qs: seg.fs + int32(qs), qe: seg.fs + int32(qe), seg: int16(si), tok: s.tokenAt(seg, fs)})
		}
		i = j - 1
	}
}

func isAlnumByte(b byte) bool {
	return isDigitByte(b) || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

func isLowerByte(b byte) bool { return 'a' <= b && b <= 'z' }

// scanNumber returns the end of the number starting at txt[i]: digits with
// a dot, comma or apostrophe between digits, and single spaces before groups
// of exactly three digits ("1 200,50").
func scanNumber(txt []byte, i int) int {
	j, group := i, 0
	for j < len(txt) {
		c := txt[j]
		switch {
		case isDigitByte(c):
			j++
			group++
		case (c == '.' || c == ',' || c == '\'') && j+1 < len(txt) && isDigitByte(txt[j+1]):
			j++
			group = 0
		case c == ' ' && group >= 1 && group <= 3 && j+4 <= len(txt) &&
			isDigitByte(txt[j+1]) && isDigitByte(txt[j+2]) && isDigitByte(txt[j+3]) &&
			(j+4 == len(txt) || !isDigitByte(txt[j+4])) && !bytes.ContainsAny(txt[i:j], ".,"):
			j++
			group = 0
		default:
			return j
		}
	}
	return j
}

// parseAmount parses a number written with either decimal convention and
// returns it in hundredths. With both '.' and ',' the last one is the
// decimal separator; with only one kind, it is decimal unless exactly three
// digits follow its last occurrence ("1.200" is twelve hundred, "12.50" is
// twelve and a half).
func parseAmount(raw []byte) (int64, bool) {
	last, dots, commas := -1, 0, 0
	for k, c := range raw {
		switch c {
		case '.':
			dots++
			last = k
		case ',':
			commas++
			last = k
		}
	}
	dec := -1
	switch {
	case dots > 0 && commas > 0:
		dec = last
	case dots+commas > 0 && len(raw)-last-1 != 3:
		dec = last
	}
	end := len(raw)
	if dec >= 0 {
		end = dec
	}
	var whole int64
	n := 0
	for _, c := range raw[:end] {
		if isDigitByte(c) {
			if n++; n > 12 {
				return 0, false
			}
			whole = whole*10 + int64(c-'0')
		}
	}
	if n == 0 {
		return 0, false
	}
	var frac int64
	if dec >= 0 {
		f := raw[dec+1:]
		switch {
		case len(f) == 1:
			frac = int64(f[0]-'0') * 10
		case len(f) >= 2:
			frac = int64(f[0]-'0')*10 + int64(f[1]-'0')
			if len(f) > 2 && f[2] >= '5' {
				frac++
			}
		}
	}
	return whole*100 + frac, true
}

// currencyBefore returns where a currency symbol or word ending right
// before txt[i] starts, allowing one space, or -1.
func (m *model) currencyBefore(txt []byte, i int) int {
	k := i
	if k > 0 && txt[k-1] == ' ' {
		k--
	}
	for _, sym := range m.symbols {
		if bytes.HasSuffix(txt[:k], sym) {
			return k - len(sym)
		}
	}
	ws := k
	for ws > 0 && isLowerByte(txt[ws-1]) {
		ws--
	}
	if _, ok := m.curWords[string(txt[ws:k])]; ok && ws < k {
		return ws
	}
	return -1
}

// currencyAfter returns where a currency symbol or word starting right
// after txt[:j] ends, allowing one space, or -1.
func (m *model) currencyAfter(txt []byte, j int) int {
	k := j
	if k < len(txt) && txt[k] == ' ' {
		k++
	}
	for _, sym := range m.symbols {
		if bytes.HasPrefix(txt[k:], sym) {
			return k + len(sym)
		}
	}
	we := k
	for we < len(txt) && isLowerByte(txt[we]) {
		we++
	}
	if _, ok := m.curWords[string(txt[k:we])]; ok && we > k {
		return we
	}
	return -1
}
