package draft

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// markers is the evidence of register in one language: phrases (lower
// case, matched at word boundaries, weight 1) and forms of "you" (weight 2,
// since in German, French and Spanish the form of "you" is the register).
type markers struct {
	formalPhrases, casualPhrases []string
	formalList, casualList       *phraseList     // the phrases, prepared (see prepared)
	formalWords                  map[string]bool // case-sensitive (German Sie)
	formalWordsFold              map[string]bool // lower case
	casualWordsFold              map[string]bool // lower case
	casualElision                bool            // French t' before a vowel
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// Markers by language. English markers apply to every text (a German
// customer may still write "Hi"); each other language's markers apply to
// its own texts, and the unambiguous pronouns (markersAny) to texts of
// unknown language.
var (
	markersEN = prepared(markers{
		formalPhrases: []string{"dear", "kind regards", "best regards", "warm regards", "yours sincerely", "sincerely",
			"yours faithfully", "to whom it may concern", "i would be grateful", "i would appreciate", "please advise", "with regards"},
		casualPhrases: []string{"hi", "hey", "hiya", "cheers", "thx", "lol", "btw", "gonna", "wanna", "guys", "awesome", ":)", ";)"},
	})
	markersDE = prepared(markers{
		formalWords:     set("Sie", "Ihnen", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres"),
		formalPhrases:   []string{"sehr geehrte", "sehr geehrter", "mit freundlichen grüßen", "freundliche grüße", "guten tag"},
		casualWordsFold: set("du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "euch", "euer", "eure"),
		casualPhrases:   []string{"lg", "liebe grüße", "servus", "moin"},
	})
	markersFR = prepared(markers{
		formalWordsFold: set("vous", "votre", "vos"),
		formalPhrases:   []string{"madame", "monsieur", "cordialement", "veuillez", "je vous prie", "bien à vous"},
		casualWordsFold: set("tu", "toi", "ton", "ta", "tes", "te"),
		casualElision:   true,
		casualPhrases:   []string{"salut", "coucou", "bisous", "a+"},
	})
	markersES = prepared(markers{
		formalWordsFold: set("usted", "ustedes"),
		formalPhrases:   []string{"su", "sus", "le", "estimado", "estimada", "atentamente", "cordialmente", "le saluda"},
		casualWordsFold: set("tú", "tu", "tus", "te", "ti", "contigo"),
		casualPhrases:   []string{"qué tal", "un abrazo", "besos"},
	})
	markersAny = prepared(markers{
		formalWords:     set("Sie", "Ihnen", "Ihre", "Ihren", "Ihrem", "Ihrer"),
		formalWordsFold: set("vous", "votre", "usted", "ustedes"),
		casualWordsFold: set("dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "contigo"),
	})
)

// prepared is m with its phrase lists prepared for matching.
func prepared(m markers) markers {
	m.formalList, m.casualList = newPhraseList(m.formalPhrases...), newPhraseList(m.casualPhrases...)
	return m
}

// registerEvidence is the outcome of detectRegister with what it found.
type registerEvidence struct {
	Register Register
	Formal   []string // markers found, as written
	Casual   []string
}

// DetectRegister says how formally text is written, for a text in lang
// (ISO 639-1; "" is unknown): formal markers ("Dear", "Kind regards", Sie,
// vous, usted) against casual ones ("Hi", "Cheers", du, tu, tú), with the
// forms of "you" weighing double. A tie, including no marker at all, is
// RegisterNeutral.
func DetectRegister(text, lang string) Register {
	return detectRegister(text, lang).Register
}

func detectRegister(text, lang string) registerEvidence {
	low := strings.ToLower(text)
	h := lex.scan(low)
	return detectRegisterIn(text, low, &h, lang)
}

// detectRegisterIn is detectRegister with text lower-cased (low) and
// scanned (h) already.
func detectRegisterIn(text, low string, h *hits, lang string) registerEvidence {
	sets := [2]*markers{&markersEN, &markersAny}
	switch normLang(lang) {
	case "de":
		sets[1] = &markersDE
	case "fr":
		sets[1] = &markersFR
	case "es":
		sets[1] = &markersES
	}
	var ev registerEvidence
	var formal, casual int
	var buf [16]byte
	for _, m := range sets {
		// A phrase of the lists is counted only when the scan found it.
		for i, p := range m.formalPhrases {
			if !m.formalList.has(h, i) {
				continue
			}
			if n := countWord(low, p); n > 0 {
				formal += n
				ev.Formal = appendUnique(ev.Formal, asWritten(text, low, p))
			}
		}
		for i, p := range m.casualPhrases {
			if !m.casualList.has(h, i) {
				continue
			}
			if n := countWord(low, p); n > 0 {
				casual += n
				ev.Casual = appendUnique(ev.Casual, asWritten(text, low, p))
			}
		}
		// The words of text, as strings.FieldsFunc splits at runes that
		// are not letters or digits.
		for start, end := nextWord(text, 0); start >= 0; start, end = nextWord(text, end) {
			tok := text[start:end]
			var isFormal, isCasual bool
			if b, ok := asciiLower(tok, &buf); ok {
				// strings.ToLower(tok) without a new string.
				isFormal = m.formalWords[tok] || m.formalWordsFold[string(b)]
				isCasual = m.casualWordsFold[string(b)]
			} else {
				lt := strings.ToLower(tok)
				isFormal = m.formalWords[tok] || m.formalWordsFold[lt]
				isCasual = m.casualWordsFold[lt]
			}
			switch {
			case isFormal:
				formal += 2
				ev.Formal = appendUnique(ev.Formal, tok)
			case isCasual:
				casual += 2
				ev.Casual = appendUnique(ev.Casual, tok)
			}
		}
		if m.casualElision {
			if n := countElision(low); n > 0 {
				casual += 2 * n
				ev.Casual = appendUnique(ev.Casual, "t'")
			}
		}
	}
	switch {
	case formal > casual:
		ev.Register = RegisterFormal
	case casual > formal:
		ev.Register = RegisterCasual
	default:
		ev.Register = RegisterNeutral
	}
	return ev
}

// asciiLower writes w in lower case to buf when w is ASCII and fits,
// which is what strings.ToLower makes of it.
func asciiLower(w string, buf *[16]byte) ([]byte, bool) {
	if len(w) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(w)], true
}

// countElision counts French "t'" / "t’" before a letter at a word start.
func countElision(low string) int {
	n := 0
	for i := 0; i+1 < len(low); i++ {
		if low[i] != 't' {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(low[:i])
		if i > 0 && isWordRune(before) {
			continue
		}
		rest := low[i+1:]
		var after string
		switch {
		case strings.HasPrefix(rest, "'"):
			after = rest[1:]
		case strings.HasPrefix(rest, "’"):
			after = rest[len("’"):]
		default:
			continue
		}
		if r, _ := utf8.DecodeRuneInString(after); unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// asWritten returns phrase as text writes it, for the reasons; low is
// text in lower case. When lower-casing changed byte lengths, it returns
// the phrase itself.
func asWritten(text, low, phrase string) string {
	if len(text) != len(low) {
		return phrase
	}
	if i := indexWord(low, phrase, 0); i >= 0 {
		return text[i : i+len(phrase)]
	}
	return phrase
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

// normLang reduces "de-AT", "DE" or "de_DE" to "de".
func normLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	return lang
}

// replyLanguage is the language a reply is written in: lang when the
// package has a phrasebook for it, else English.
func replyLanguage(lang string) string {
	l := normLang(lang)
	if _, ok := phrasebooks[l]; ok {
		return l
	}
	return "en"
}
