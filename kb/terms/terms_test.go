package terms_test

import (
	"slices"
	"testing"

	"github.com/heardhq/heard/kb/terms"
)

func TestAnalyze(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"How do I export my invoices?", []string{"export", "invoic"}},
		{"Invoicing, invoiced, INVOICES", []string{"invoic", "invoic", "invoic"}},
		{"Café résumé naïve Straße", []string{"caf", "resum", "naiv", "strass"}},
		{"client's billing settings", []string{"client", "bill", "set"}},
		{"I can't log in", []string{"signin"}},
		{"login, sign-in and sign in", []string{"signin", "signin", "signin"}},
		{"2FA / MFA codes for e-mail", []string{"2fa", "2fa", "cod", "email"}},
		{"error 429 and v2", []string{"error", "429", "v2"}},
		{"stopped running processes", []string{"stop", "run", "process"}},
		{"integration integrate creation create", []string{"integrat", "integrat", "creat", "creat"}},
		{"policy policies replied", []string{"polici", "polici", "repli"}},
		{"status access business", []string{"status", "access", "business"}},
		{"", nil},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := terms.Analyze(tc.in)
			if bothEmpty := len(got) == 0 && len(tc.want) == 0; !slices.Equal(got, tc.want) && !bothEmpty {
				t.Errorf("Analyze(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	got := terms.Words("Don’t panic: ÉCOLE-42 uses UTF‑8!")
	want := []string{"dont", "panic", "ecole", "42", "uses", "utf", "8"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestStemShortAndNonASCII(t *testing.T) {
	for _, w := range []string{"ssl", "api", "über", "日本語", "2fa"} {
		if got := terms.Stem(w); got != w {
			t.Errorf("Stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

func TestSelective(t *testing.T) {
	df := map[string]int{"refund": 3, "card": 10, "payment": 40, "account": 60, "zero": 0}
	cases := []struct {
		name string
		in   []string
		want []string
	}{
		{"common terms dropped", []string{"payment", "refund", "card", "account"}, []string{"refund", "card"}},
		{"unknown terms dropped", []string{"nowhere", "zero", "refund"}, []string{"refund"}},
		{"all common: the two rarest", []string{"account", "payment", "nowhere"}, []string{"payment", "account"}},
		{"none known", []string{"nowhere"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := terms.Selective(tc.in, df, 100)
			if !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
				t.Errorf("Selective(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIDF(t *testing.T) {
	rare, common, every := terms.IDF(1, 1000), terms.IDF(200, 1000), terms.IDF(1000, 1000)
	if rare <= common || common <= every || every <= 0 {
		t.Errorf("IDF(1, 200, 1000 of 1000) = %v, %v, %v: want positive and falling", rare, common, every)
	}
	if got := terms.IDF(5, 3); got <= 0 {
		t.Errorf("IDF with df above n = %v, want positive", got)
	}
}
