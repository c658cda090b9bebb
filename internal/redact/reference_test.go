package redact

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceFind is Find as it was before the text was indexed: every rule
// runs over the whole text (or the lines around its anchors), after the
// plain pre-tests it had then. Find's runs, anchor index and sharper
// pre-tests must give the same spans.
func referenceFind(r *Redactor, s string) []Span {
	if r == nil || len(r.known)+len(r.rules) == 0 || s == "" {
		return nil
	}
	n := normalize(s)
	work := []byte(n.text)
	lower := asciiLower(n.text)
	taken := make([]bool, len(work))
	var spans []Span
	ws, dirty := n.text, false
	for _, ru := range slices.Concat(r.known, r.rules) {
		if dirty {
			ws, dirty = string(work), false
		}
		if ru.needDigit && !hasDigit(ws) {
			continue
		}
		pre := ru.pre
		if old, ok := referencePre[ru.re]; ok {
			pre = old
		}
		if pre != nil && !pre(ws, lower) {
			continue
		}
		accept := func(m []int) {
			start, end, ok := m[0], m[1], true
			if ru.check != nil {
				start, end, ok = ru.check(ws, m)
			}
			if !ok || start >= end || overlaps(taken, start, end) {
				return
			}
			for i := start; i < end; i++ {
				taken[i] = true
				work[i] = 'X'
			}
			work[start], work[end-1] = '[', ']'
			dirty = true
			spans = append(spans, Span{Start: n.orig(start), End: n.orig(end), Kind: ru.kind})
		}
		switch {
		case ru.find != nil:
			for _, m := range ru.find(ws) {
				accept(m)
			}
		case ru.anchors == nil:
			for _, m := range ru.re.FindAllStringSubmatchIndex(ws, -1) {
				accept(m)
			}
		default:
			for _, w := range referenceWindows(ws, lower, ru.anchors) {
				for _, m := range ru.re.FindAllStringSubmatchIndex(ws[w[0]:w[1]], -1) {
					for i := range m {
						if m[i] >= 0 {
							m[i] += w[0]
						}
					}
					accept(m)
				}
			}
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	return spans
}

// referencePre are the pre-tests the rules had before the sharper ones:
// the obfuscated e-mail rule ran on any " at ", "at]" or "@", the
// address rules on any digit; the spelled-digits test split the text
// into a slice of words.
var referencePre = map[*regexp.Regexp]func(string, string) bool{
	reEmailObfuscated: containsFold(" at ", "at]", "at)", "at}", "at>", "@"),
	reAddrEN:          nil,
	reAddrDE:          nil,
	reAddrFR:          nil,
	reAddrES:          nil,
	rePhoneWords:      referenceSpelledDigitsPre,
}

// referenceSpelledDigitsPre is spelledDigitsPre as it was, splitting the
// text with strings.FieldsFunc.
func referenceSpelledDigitsPre(_, lower string) bool {
	run := 0
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == '-' || r == '\n' || r == '\t' }) {
		if spelledDigit[w] || (len(w) == 1 && isDigit(w[0])) {
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

// referenceWindows is the windows computation that searched for each
// anchor in turn.
func referenceWindows(s, lower string, anchors []string) [][2]int {
	var ws [][2]int
	for _, a := range anchors {
		for off := 0; off < len(lower); {
			i := strings.Index(lower[off:], a)
			if i < 0 {
				break
			}
			p := off + i
			start := strings.LastIndexByte(s[:p], '\n')
			if start > 0 {
				start = strings.LastIndexByte(s[:start], '\n')
			}
			start++
			end := len(s)
			if j := strings.IndexByte(s[p:], '\n'); j >= 0 {
				end = p + j + 1
				if k := strings.IndexByte(s[end:], '\n'); k >= 0 {
					end += k
				} else {
					end = len(s)
				}
			}
			ws = append(ws, [2]int{start, end})
			off = p + len(a)
		}
	}
	slices.SortFunc(ws, func(a, b [2]int) int { return a[0] - b[0] })
	var out [][2]int
	for _, w := range ws {
		if len(out) > 0 && w[0] <= out[len(out)-1][1] {
			out[len(out)-1][1] = max(out[len(out)-1][1], w[1])
			continue
		}
		out = append(out, w)
	}
	return out
}

// referencePieces are the bits random texts are made of: digits and
// separators in every arrangement the number rules care about, the words
// the labelled rules look for, the look-alike characters normalisation
// maps and the ones (?i) folds ("ſ", the Kelvin sign).
var referencePieces = []string{
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "44", "4111", "1111", "0958", "DE89", "GB82", "370400440532013000",
	" ", " ", " ", "  ", "-", ".", "/", ":", "::", "+", "(", ")", ",", ";", "_", "#", "=", "%", "'", "\"", "\n", "\r\n", "\t", "\f",
	"@", "＠", "[", "]", "{", "}", "<", ">", "at", "AT", " at ", "[at]", "(at)", "dot", " dot ", "[dot]", "Dot",
	"a", "b", "e", "f", "x", "X", "A", "B", "C", "D", "E", "F", "Z", "k", "s", "ſ", "\u212a", "é", "ß", "ü", "€", "–", "\u00a0", "１", "\xff",
	"tel ", "phone: ", "call me at ", "Handy ", "PIN ", "password ", "Passwort: ", "DOB ", "born ", "passport ", "SSN ", "CPF ", "Aadhaar ",
	"Thanks, ", "Best regards,\n", "Hi ", "Hallo ", "my name is ", "I'm ", "Anna ", "Weber", "Müller ", "Mr. ",
	"Street", " St.", "Road", "Hauptstraße ", "Weg ", "rue ", "avenue ", "Calle ", "Plaza ", "bis ", "Av ",
	"jane.doe", "example", ".com", ".de", "sk-", "ghp_", "xoxb-", "AKIA", "eyJ", "Bearer ", "v", "version ",
	"five ", "zero ", "drei ", "neuf ", "cinco ", "double ",
}

func referenceText(rng *rand.Rand) string {
	var b strings.Builder
	for range 1 + rng.IntN(60) {
		b.WriteString(referencePieces[rng.IntN(len(referencePieces))])
	}
	return b.String()
}

// TestFindMatchesReference compares Find with referenceFind on random
// texts and on the golden inputs, for every kind and for Only subsets.
func TestFindMatchesReference(t *testing.T) {
	redactors := []*Redactor{New(), New(Only(onlyA...)), New(Only(onlyB...)),
		New().WithKnown([]string{"Anna Weber"}, []string{"jane.doe@example.com"})}
	check := func(s string) {
		t.Helper()
		for i, r := range redactors {
			if got, want := r.Find(s), referenceFind(r, s); !slices.Equal(got, want) || (got == nil) != (want == nil) {
				t.Errorf("redactor %d, Find(%q)\n got %v\nwant %v", i, s, got, want)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 4000
	if testing.Short() {
		n = 500
	}
	for range n {
		check(referenceText(rng))
	}
	for _, c := range goldenCases(t)[:3000] {
		check(c.text)
	}
}

// FuzzFindMatchesReference lets `go test -fuzz` look for a text on which
// Find and referenceFind differ.
func FuzzFindMatchesReference(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		f.Add(referenceText(rng))
	}
	f.Add(benchTicket)
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := r.Find(s), referenceFind(r, s); !slices.Equal(got, want) {
			t.Errorf("Find(%q)\n got %v\nwant %v", s, got, want)
		}
	})
}

// TestFindConcurrent runs one Redactor from several goroutines (Find pools
// its state) and compares with the results of one goroutine.
func TestFindConcurrent(t *testing.T) {
	r := New().WithKnown([]string{"Anna Weber"}, []string{"jane.doe@example.com"})
	cases := goldenCases(t)[:600]
	want := make([][]Span, len(cases))
	for i, c := range cases {
		want[i] = r.Find(c.text)
	}
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			for k := range cases {
				i := (k*7 + g*151) % len(cases)
				if got := r.Find(cases[i].text); !slices.Equal(got, want[i]) {
					errs <- cases[i].text
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if s := <-errs; s != "" {
			t.Errorf("concurrent Find(%q) differs from the sequential one", s)
		}
	}
}
