package draft

import (
	"slices"
	"testing"
)

func TestFilteredRENeeds(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string // nil: no filter
	}{
		{`(?i)\b(by|before)\b`, []string{"before", "by"}},
		{`(?i)reset (my |the )?password`, []string{"reset my password", "reset password", "reset the password"}},
		{`(?i)(?:^|[^\pL])(charg\pL*|billed)`, []string{"billed", "charg"}},
		{`(?i)(Kündigung|STOP)`, []string{"kündigung", "stop"}},
		{`\d+ time`, []string{" time"}},
		{`(?i)(a|b*)`, nil},     // b* matches the empty string
		{`[^x]+y?`, nil},        // no literal at all
		{`(?i)(abc|\pL+)`, nil}, // one branch has no literal
	} {
		got := mustFiltered(tc.expr).need
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: need %q, want %q", tc.expr, got, tc.want)
		}
	}
}

// TestFilteredREAgreesWithRegexp checks that the prefilter never rejects a
// text its regex matches, over case and Unicode folding edge cases and the
// fixtures' messages.
// (promiseCueRE is a wordAltRE now: TestWordAltREMatchesTheRegex.)
func TestFilteredREAgreesWithRegexp(t *testing.T) {
	texts := []string{
		"We will SUE YOU", "we will ſue you", "KLAGE eingereicht", "Anwältin", "ANWÄLTIN", "This is the 3rd time",
		"Please CANCEL our subscription", "charged twice", "CHARGED", "Overcharged", "Zahlungen", "Passwort vergessen",
		"ACCOUNT IS LOCKED", "forgot my password", "we'll get back to you by Friday", "Möglichkeit", "nothing here",
		"", "\xff\xfe invalid utf-8 LAWYER",
	}
	for _, sc := range scenarios() {
		if sc.req.Ticket != nil {
			texts = append(texts, sc.req.Ticket.Subject+"\n"+latestCustomerMessage(sc.req.Ticket))
		}
	}
	res := []*filteredRE{legalRE, securityRE, cancelRE, repeatRE, chargeRE, passwordRE, accountStatusRE,
		serviceStatusRE, humanOfferRE, wishRE, requestRE, errorContextRE, priceRE, missingRE, experienceRE, businessRE,
		countRE, movingToRE, errorCodeRE, idRE, replyHeaderRE, greetingRE, closingRE}
	matched := 0
	for _, f := range res {
		for _, s := range texts {
			want := f.re.FindString(s)
			if got := f.FindString(s); got != want {
				t.Errorf("%.40s on %q: filtered %q, regexp %q", f, s, got, want)
			}
			if f.re.MatchString(s) {
				matched++
			}
		}
	}
	if matched < 20 {
		t.Errorf("only %d matches: the texts do not exercise the regexes", matched)
	}
}

func TestFoldRune(t *testing.T) {
	for in, want := range map[rune]rune{'A': 'a', 'a': 'a', 'K': 'k', '\u212A': 'k', 'ſ': 's', 'Ü': 'ü', 'ü': 'ü', '1': '1'} {
		if got := foldRune(in); got != want {
			t.Errorf("foldRune(%q) = %q, want %q", in, got, want)
		}
	}
}
