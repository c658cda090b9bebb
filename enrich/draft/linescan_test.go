package draft

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// randomTexts are cases plus n texts of up to max pieces of alphabet.
func randomTexts(seed uint64, n, maxPieces int, alphabet, cases []string) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := slices.Clone(cases)
	for range n {
		var b strings.Builder
		for range rng.IntN(maxPieces + 1) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		out = append(out, b.String())
	}
	return out
}

// goldenTexts are the golden test's messages and drafts, whole and by
// line, lower-cased too.
func goldenTexts() []string {
	var out []string
	for _, m := range goldenMessages {
		out = append(out, m[0], m[1])
	}
	out = append(out, goldenDrafts...)
	for _, sc := range scenarios() {
		out = append(out, latestCustomerMessage(sc.req.Ticket))
		for _, a := range sc.req.Articles {
			out = append(out, a.Snippet)
		}
	}
	n := len(out)
	for _, s := range out[:n] {
		out = append(out, strings.ToLower(s))
		out = append(out, strings.Split(s, "\n")...)
	}
	return out
}

// The expressions the hand-written scanners replaced.
var (
	numberedLineRE = regexp.MustCompile(`(?m)^\s*\d{1,2}[.)]\s+\S`)
	listLineRE     = regexp.MustCompile(`^\s*(?:\d{1,2}[.)]|[-*•])\s+\S`)
	clockRE        = regexp.MustCompile(`\b\d{1,2}[:h]\d{2}\b`)
	internalCapsRE = regexp.MustCompile(`\b(?:[a-z]+[A-Z][A-Za-z]+|[A-Z][a-z]+[A-Z][A-Za-z]+)\b`)
)

// TestScannersMatchTheRegexes holds each hand-written scanner to the
// answers of the expression it replaced, on the golden texts and on
// generated ones made of the characters the expressions care about.
func TestScannersMatchTheRegexes(t *testing.T) {
	lines := randomTexts(1, 10000, 12,
		[]string{"1", "12", "123", "0", ".", ")", " ", "  ", "\t", "\n", "\r", "\f", "\v", "-", "*", "•", "a", "Step", "é", "\xff", "_", "x"},
		append(goldenTexts(), "", "1. a", " 12) b", "123. c", "1.", "1. ", "1.\nx", "\n\n 3.  \n y", "- a", "•\ta", "• ", "•x", "*  "))
	clocks := randomTexts(2, 10000, 10,
		[]string{"1", "9", "12", "123", ":", "h", "H", "00", "30", " ", "_", "a", "é", ".", "-", "\xff"},
		append(goldenTexts(), "9:30", "at 15h00.", "1:234", "x9:30", "9:30x", "_9:30", "9:30_", "é9:30é", "123:45", "12:3", "12h"))
	caps := randomTexts(3, 10000, 8,
		[]string{"a", "b", "Q", "B", "Hub", "Spot", "i", "Phone", "mac", "OS", "1", "_", " ", "-", "é", "É", "\xff", "'"},
		append(goldenTexts(), "HubSpot", "iPhone", "macOS", "QuickBooks", "ABc", "aB", "aBc", "AbC", "AbCd", "Hub_Spot", "HubSpot1", "éHubSpot"))
	for _, s := range lines {
		if got, want := hasNumberedLine(s), numberedLineRE.MatchString(s); got != want {
			t.Fatalf("hasNumberedLine(%q) = %v, the regex says %v", s, got, want)
		}
		if got, want := isListLine(s), listLineRE.MatchString(s); got != want {
			t.Fatalf("isListLine(%q) = %v, the regex says %v", s, got, want)
		}
	}
	for _, s := range clocks {
		if got, want := hasClock(s), clockRE.MatchString(s); got != want {
			t.Fatalf("hasClock(%q) = %v, the regex says %v", s, got, want)
		}
	}
	for _, s := range caps {
		if got, want := internalCaps(s), internalCapsRE.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("internalCaps(%q) = %v, the regex finds %v", s, got, want)
		}
	}
}

// TestLexiconMatchesCountWord holds the lexicon scan to countWord and
// anyWord, for the package's own lists on the golden texts and for
// generated phrases on generated texts.
func TestLexiconMatchesCountWord(t *testing.T) {
	texts := goldenTexts()
	for _, text := range texts {
		low := strings.ToLower(text)
		h := lex.scan(low)
		for id, p := range lex.phrases {
			if want := countWord(low, p) > 0; h.has(id) != want {
				t.Fatalf("phrase %q in %q: scan says %v, countWord %v", p, low, h.has(id), want)
			}
		}
		for _, l := range []*phraseList{futureList, instructionList, jargonList, blameList, internalList} {
			if got, want := l.first(low), anyWord(low, l.phrases); got != want {
				t.Fatalf("first in %q = %q, anyWord %q", low, got, want)
			}
		}
	}
	alphabet := []string{"a", "b", "ab", "é", "ß", "1", " ", "-", "'", ":)", "+", ".", "\u00a0", "ǅ", "\xff"}
	rng := rand.New(rand.NewPCG(4, 4))
	for range 300 {
		x := &lexicon{byFirst: map[string][]int{}}
		for _, p := range randomTexts(rng.Uint64(), 1+rng.IntN(8), 4, alphabet, nil) {
			x.add(p)
		}
		for _, text := range randomTexts(rng.Uint64(), 100, 14, alphabet, nil) {
			low := strings.ToLower(text)
			h := x.scan(low)
			for id, p := range x.phrases {
				if want := countWord(low, p) > 0; h.has(id) != want {
					t.Fatalf("phrase %q in %q: scan says %v, countWord %v", p, low, h.has(id), want)
				}
			}
		}
	}
}

// The expressions the startREs replaced, as they were written.
var (
	amountRE  = regexp.MustCompile(`(?i)(?:[$€£]\s?\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?|\b\d{1,3}(?:[,.\x{202F}\x{00A0} ]\d{3})*(?:[.,]\d{1,2})?\s?(?:€|£|\$|eur\b|euros?\b|usd\b|dollars?\b|gbp\b|pounds?\b))`)
	versionRE = regexp.MustCompile(`(?i)\b(?:version|versión|v)\s?\d+(?:\.\d+){1,3}\b`)
	dateRE    = regexp.MustCompile(`(?i)\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\.?\s(?:de\s)?(?:` + monthAlt + `)|(?:` + monthAlt + `)\s\d{1,2}(?:st|nd|rd|th)?)\b`)
)

// TestStartREsMatchTheRegexes holds the date, amount and version finders
// to the expressions they replaced.
func TestStartREsMatchTheRegexes(t *testing.T) {
	alphabet := []string{"1", "3", "12", "2026", "123", ".", "/", "-", ",", " ", "\u00a0", "\u202f", "\n", "$", "€", "£",
		"eur", "EUR", "euros", "usd", "dollars", "Pounds", "march", "März", "mars", "de", "Dec", "ſept", "\u212a", "oktober",
		"st", "th", "x", "_", "é", "v", "V", "version", "versión", "\xff", "jan", "mayo"}
	texts := randomTexts(5, 15000, 9, alphabet, append(goldenTexts(),
		"3 March", "March 3rd", "3. März", "18 de diciembre", "2026-02-28", "12/03/2026", "x3 March", "3 Marchx",
		"$49", "€ 1.299,00", "49.00 USD", "120 euros", "1,000,000.50 dollars", "a1 eur", "v4.2.1", "version 4.2", "xv4.2",
		"ſeptember 3", "xſeptember 3", "o\u212atober 3", "1 \u212a"))
	for _, s := range texts {
		for _, c := range []struct {
			name string
			x    *startRE
			re   *regexp.Regexp
		}{{"dates", dateFinder, dateRE}, {"amounts", amountFinder, amountRE}, {"versions", versionFinder, versionRE}} {
			if got, want := c.x.FindAllString(s), c.re.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s in %q: %q, the regex finds %q", c.name, s, got, want)
			}
		}
	}
}

// TestWordCountAndStemMatchTheOriginals holds wordCount to
// len(strings.Fields) and stem and stemSet to their first forms.
func TestWordCountAndStemMatchTheOriginals(t *testing.T) {
	texts := randomTexts(6, 8000, 10, []string{"a", "bc", "export", " ", "\t", "\v", "\u0085", "\u00a0", "\u2003", "\n", "\xff",
		"é", "ǅ", "İ", "1", ".", "exporting"}, goldenTexts())
	for _, s := range texts {
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Fatalf("wordCount(%q) = %d, strings.Fields gives %d", s, got, want)
		}
		want := map[string]bool{}
		ws := words(s)
		for i, w := range append(ws, s) { // s itself may hold bad bytes
			st := w
			if r := []rune(w); len(r) > 5 {
				st = string(r[:5])
			}
			if got := stem(w); got != st {
				t.Fatalf("stem(%q) = %q, want %q", w, got, st)
			}
			if i < len(ws) {
				want[st] = true
			}
		}
		if got := stemSet(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("stemSet(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestWordAltREMatchesTheRegex holds wordAltRE to the expression it
// stands for, and promiseCueRE to the expression it was.
func TestWordAltREMatchesTheRegex(t *testing.T) {
	const was = `(?i)\b(by|before|until|within|no later than|update|hear from|get back|bis|spätestens|melden|au plus tard|avant|d'ici|nouvelles|a más tardar|antes de|noticias)\b`
	if promiseCueRE.String() != was {
		t.Fatalf("promiseCueRE is %s, was %s", promiseCueRE, was)
	}
	alphabet := []string{"by", "BY", "bis", "Spätestens", "SPÄTESTENS", "d'ici", "D'ICI", "a más tardar", "A MÁS TARDAR", "antes de",
		"until", "x", "_", "1", " ", ".", "é", "ſ", "\u212a", "biſ", "\xff", "'", "hear", "from", "get", "back", "ä", "Ä"}
	for _, s := range randomTexts(8, 15000, 6, alphabet, goldenTexts()) {
		if got, want := promiseCueRE.MatchString(s), promiseCueRE.re.MatchString(s); got != want {
			t.Fatalf("MatchString(%q) = %v, the regex says %v", s, got, want)
		}
	}
}

// TestPrefilterPassMatchesContains holds the prefilter's one pass to
// strings.Contains of each need.
func TestPrefilterPassMatchesContains(t *testing.T) {
	res := []*filteredRE{legalRE, securityRE, cancelRE, repeatRE, chargeRE, passwordRE, accountStatusRE, serviceStatusRE,
		humanOfferRE, wishRE, requestRE, errorContextRE, errorCodeRE, idRE, replyHeaderRE, greetingRE, closingRE}
	texts := goldenTexts()
	for _, f := range res {
		texts = append(texts, f.need...)
		for _, n := range f.need {
			texts = append(texts, "x"+n, n[:len(n)/2], "a "+n+" b")
		}
	}
	for _, f := range res {
		for _, s := range texts {
			folded := foldString(s)
			want := false
			for _, n := range f.need {
				want = want || strings.Contains(folded, n)
			}
			if got := f.maybeFolded(folded); got != want && f.need != nil {
				t.Fatalf("%.30s on %q: %v, strings.Contains says %v", f, s, got, want)
			}
		}
	}
}
