package draft

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sentenceEndRE is the regex sentenceEnds replaced; the test holds the
// two to the same answers.
var sentenceEndRE = regexp.MustCompile(`[.!?…]+["”»“')\]]*(\s+|$)`)

func TestSentenceEndsMatchesTheRegex(t *testing.T) {
	cases := []string{
		"", "Hi.", "Hi. There", "Really?! Yes.", "He said \"no.\" Then left", "Wait…  ok", "a.).b c.",
		"(see step 2.) next", "v1.2.3 is out. ok", "end!\n", "x.\v y", "»Danke.« gut", "a.\xff b", "…", ". . .",
	}
	alphabet := []string{"a", "Z", " ", "  ", ".", "!", "?", "…", "\"", "”", "»", "“", "'", ")", "]", "\n", "\t", "\r", "\f", "\v", "\xff", "é", "1"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		want := sentenceEndRE.FindAllStringIndex(s, -1)
		if got := sentenceEnds(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("sentenceEnds(%q) = %v, the regex finds %v", s, got, want)
		}
	}
}

func TestPromisedDateNeedsTheMonthName(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		low, lang string
		want      string // "" when no date
	}{
		{"we will update you by 18 december", "en", "2026-12-18"},
		{"wir melden uns bis 18. dezember", "de", "2026-12-18"},
		{"nous revenons vers vous le 2 avril", "fr", "2026-04-02"},
		{"le respondemos el 5 de mayo", "es", "2026-05-05"},
		{"we will update you by 18 decembers", "en", ""},
		{"we will update you in 18 days", "en", ""},
		{"on 1 february", "en", "2027-02-01"},
	} {
		d, ok := promisedDate(tc.low, tc.lang, now)
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("promisedDate(%q, %s) = %q, want %q", tc.low, tc.lang, got, tc.want)
		}
	}
}

// BenchmarkSentenceEnds compares sentenceEnds with the regex it replaced
// on the scenarios' messages.
func BenchmarkSentenceEnds(b *testing.B) {
	var texts []string
	for _, sc := range scenarios() {
		texts = append(texts, sc.req.Ticket.Subject+". "+latestCustomerMessage(sc.req.Ticket))
	}
	b.Run("regex", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				sentenceEndRE.FindAllStringIndex(s, -1)
			}
		}
	})
	b.Run("scanner", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				sentenceEnds(s)
			}
		}
	})
}
