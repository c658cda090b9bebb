package terms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// folds maps accented Latin letters (lower case) to their ASCII base.
var folds = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą",
		"c": "çćĉċč",
		"d": "ď",
		"e": "èéêëēĕėęě",
		"g": "ĝğġģ",
		"h": "ĥħ",
		"i": "ìíîïĩīĭįİ",
		"j": "ĵ",
		"k": "ķ",
		"l": "ĺļľŀ",
		"n": "ñńņňŉ",
		"o": "òóôõöōŏő",
		"r": "ŕŗř",
		"s": "śŝşšș",
		"t": "ţťŧț",
		"u": "ùúûüũūŭůűų",
		"w": "ŵ",
		"y": "ýÿŷ",
		"z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// Fold lower-cases s and replaces accented Latin letters by their base
// letters. Other characters are kept.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isApostrophe reports whether r joins the parts of a word ("client's").
func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// Words splits s into folded words: maximal runs of letters and digits. An
// apostrophe inside a word is dropped ("client's" → "clients"), so a
// possessive stems like its plural.
func Words(s string) []string {
	s = Fold(s)
	var out []string
	start := -1
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
		start = -1
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			cur.WriteRune(r)
		case isApostrophe(r) && start >= 0 && nextIsLetter(s, i):
			// joined: skip the apostrophe itself
		default:
			flush()
		}
	}
	flush()
	return out
}

func nextIsLetter(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	r, _ := utf8.DecodeRuneInString(s[i+size:])
	return unicode.IsLetter(r)
}

// Canonical returns Words(s) with phrases and spelling variants rewritten
// to one form, before stopwords and stemming: the word sequence the
// embedder hashes.
func Canonical(s string) []string { return canonical(Words(s)) }

// maxTermLen bounds a term; longer runs (hashes, base64) are cut.
const maxTermLen = 40

// phrases are word pairs help-center text spells several ways; each is
// rewritten to one word before stopwords are dropped ("log in", "login"
// and "sign in" all become "signin").
var phrases = map[[2]string]string{
	{"log", "in"}: "signin", {"sign", "in"}: "signin", {"log", "on"}: "signin", {"sign", "on"}: "signin",
	{"log", "out"}: "signout", {"sign", "out"}: "signout", {"log", "off"}: "signout",
	{"sign", "up"}: "signup", {"e", "mail"}: "email", {"e", "mails"}: "emails",
	{"two", "factor"}: "2fa", {"2", "factor"}: "2fa", {"multi", "factor"}: "2fa",
	{"set", "up"}: "setup", {"check", "out"}: "checkout", {"web", "hook"}: "webhook", {"web", "hooks"}: "webhooks",
}

// singles are one-word spellings of the same things.
var singles = map[string]string{
	"login": "signin", "logon": "signin", "logins": "signin", "logout": "signout",
	"mfa": "2fa", "tfa": "2fa", "otp": "2fa", "signups": "signup",
}

// canonical rewrites phrases and spelling variants in a word list.
func canonical(words []string) []string {
	out := words[:0]
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) {
			if p, ok := phrases[[2]string{words[i], words[i+1]}]; ok {
				out = append(out, p)
				i++
				continue
			}
		}
		if s, ok := singles[words[i]]; ok {
			out = append(out, s)
			continue
		}
		out = append(out, words[i])
	}
	return out
}

// Analyze returns the terms of s in order: its words with common phrases
// joined ("log in" → "signin"), without stopwords, stemmed. Single letters
// are dropped; runs of digits are kept.
func Analyze(s string) []string {
	words := Canonical(s)
	out := words[:0]
	for _, w := range words {
		if IsStop(w) || (utf8.RuneCountInString(w) < 2 && !isDigits(w)) {
			continue
		}
		if len(w) > maxTermLen {
			w = w[:maxTermLen]
		}
		out = append(out, Stem(w))
	}
	return out
}

// Join returns Analyze(s) joined by single spaces: the form the full-text
// indexes store.
func Join(s string) string { return strings.Join(Analyze(s), " ") }

func isDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

func isVowel(b byte) bool {
	switch b {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func hasVowel(s string) bool {
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			return true
		}
	}
	return false
}

// Stem strips common English inflections from a folded word: plurals
// ("policies" → "polici"), -ing, -ed, -ly, -ation and a final e, undoubling
// a final consonant ("stopped" → "stop"), so related forms meet:
// "invoice", "invoices", "invoicing" and "invoiced" all become "invoic".
// Words that are not plain ASCII letters, and words of three letters or
// fewer, are returned as they are.
func Stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w
		}
	}
	// Plurals.
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "i"
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s") && len(w) > 3:
		w = w[:len(w)-1]
	}
	// Verb and adverb endings, keeping a stem of at least three letters
	// with a vowel.
	for _, suf := range []string{"ations", "ation", "ingly", "ing", "edly", "ed", "ly"} {
		if !strings.HasSuffix(w, suf) {
			continue
		}
		stem := w[:len(w)-len(suf)]
		if len(stem) < 3 || !hasVowel(stem) {
			break
		}
		if strings.HasPrefix(suf, "ation") {
			stem += "at" // "integration" meets "integrate"
		}
		w = undouble(stem)
		break
	}
	if strings.HasSuffix(w, "y") && len(w) > 3 && !isVowel(w[len(w)-2]) {
		w = w[:len(w)-1] + "i" // "policy" meets "policies"
	}
	if strings.HasSuffix(w, "e") && len(w) > 3 {
		w = w[:len(w)-1]
	}
	return w
}

// undouble turns a final double consonant into one ("stopp" → "stop"),
// except l, s and z ("bill", "access", "buzz").
func undouble(s string) string {
	n := len(s)
	if n >= 2 && s[n-1] == s[n-2] && !isVowel(s[n-1]) {
		switch s[n-1] {
		case 'l', 's', 'z':
			return s
		}
		return s[:n-1]
	}
	return s
}

// IsStop reports whether the folded word w carries no meaning for search:
// function words in English (and the commonest in French, Spanish,
// German), question words and help-desk filler ("please", "thanks").
func IsStop(w string) bool {
	_, ok := stopwords[w]
	return ok
}

var stopwords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`
a about above after again against all also am an and any are aren arent as at
be because been before being below between both but by
can cannot cant could couldn couldnt
did didn didnt do does doesn doesnt doing don dont down during
each either else etc ever every
few for from further
get gets getting got had hadn hadnt has hasn hasnt have haven havent having he her here hers herself him himself his how
i id if im in into is isn isnt it its itself ive
just let lets like
may me might more most much must mustn my myself
need needs no nor not now
of off often on once only or other our ours ourselves out over own
please per
quite rather really
same shall she should shouldn shouldnt so some such
than thank thanks that thats the their theirs them themselves then there these they this those through to too
under until up upon us use used using
very via
was wasn wasnt way we were weren what whats when where which while who whom whose why will with within without won wont would wouldn wouldnt
yes yet you your youre yours yourself yourselves
hello hi hey regards cheers
le la les un une des du de et est en au aux pour par sur dans que qui ne pas je tu il elle nous vous ils elles mon ma mes ce cette ces avec
el los las una unos unas y es por para con como del al se lo mi su sus pero
der die das den dem des ein eine einen einem ist und oder nicht ich du er sie wir ihr mit von zu auf fur im
`) {
		m[w] = struct{}{}
	}
	return m
}()
