package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Values a label announces: credentials after "password" or "PIN",
// passport numbers after "passport", dates after a birth word. Only the
// value is replaced; the label stays so the text still reads.
var (
	// reCredential: a password, passcode or PIN word in English, German,
	// French, Spanish or Portuguese, a few linking words, then the value
	// (group 2). Group 1 is what came between, which checkCredential reads.
	reCredential = regexp.MustCompile(`(?i)\b(?:passwords?|passcode|pass\s?phrase|pwd|pin(?:\s?code)?|code\s+pin|passwort|kennwort|mot\s+de\s+passe|mdp|contraseña|clave|senha)\b` +
		`(\s+\p{L}+\s*(?:[:=]|->|=>)\s*|(?:\s*(?:is|was|ist|war|lautet|est|était|es|era|é|now|jetzt|maintenant|ahora|agora|number|nummer|numéro|número|nouveau|new|neues|nueva|nova|temporary|temporaire|temporal|mon|my|mein|mi|to|set\s+to|auf|à|a)\b)*\s*(?:[:=]|->|=>)?\s*)` +
		`("[^"\n]{3,64}"|'[^'\n]{3,64}'|“[^”\n]{3,64}”|«[^»\n]{3,64}»|[^\s"'“”«»]{3,64})`)

	// rePassport: a passport word, a few linking words, then a passport
	// number (group 1): 6 to 9 letters and digits with at least one digit.
	rePassport = regexp.MustCompile(`(?i)\b(?:passport(?:\s?(?:number|no))?\b|passeport\b|reisepass(?:[- ]?(?:nummer\b|nr\b\.?))?|pasaporte\b|passaporte\b|passnummer\b|passnr\b\.?)` +
		`(?:\s*(?:number|no\.?|nr\.?|nummer|num[ée]ro|n[úu]mero|n[º°o]\.?|#|is|ist|est|es|é|:|de|du|do))*\s*:?\s*` +
		`\b([A-Z0-9]{6,9})\b`)

	// reBirth: a birth word, a few linking words, then a date (group 1):
	// numeric (12/03/1985, 1985-03-12, 12.03.85) or with a month name in
	// English, German, French, Spanish or Portuguese.
	reBirth = regexp.MustCompile(`(?i)\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s?date|birthday|born|geburtsdatum|geburtstag|geboren|geb\.|n[ée]e?|date\s+de\s+naissance|naissance|nacid[oa]|fecha\s+de\s+nacimiento|nacimiento|nascid[oa]|data\s+de\s+nascimento)` +
		`(?:\s*(?:on|in|am|le|el|em|:|is|ist|est|es|é|the|der|den|\(dd/mm/yyyy\)|\(mm/dd/yyyy\)))*[\s:,]*` +
		`(` + dateNumeric + `|` + dateWords + `)`)
)

const (
	dateNumeric = `[0-9]{4}[\-/.][0-9]{1,2}[\-/.][0-9]{1,2}\b|[0-9]{1,2}[\-/.][0-9]{1,2}[\-/.](?:[0-9]{4}|[0-9]{2})\b`
	months      = `jan(?:uary|uar|vier)?|janeiro|enero|feb(?:ruary|ruar)?|février|fevereiro|febrero|mar(?:ch|s)?|märz|marzo|março|apr(?:il)?|avril|abril|may|mai|mayo|maio|jun(?:e|i)?|juin|junio|junho|jul(?:y|i)?|juillet|julio|julho|aug(?:ust)?|août|agosto|sep(?:t|tember)?|septembre|septiembre|setembro|oct(?:ober)?|okt(?:ober)?|octobre|octubre|outubro|nov(?:ember)?|novembre|noviembre|novembro|dec(?:ember)?|dez(?:ember)?|décembre|diciembre|dezembro`
	dateWords   = `[0-9]{1,2}(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+)?(?:` + months + `)\.?,?\s+(?:de\s+)?[0-9]{4}\b|(?:` + months + `)\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}\b`
)

// credentialWords are words after "password" that are prose, not a
// password: "my password is not working", "password reset link".
var credentialWords = map[string]bool{
	"not": true, "wrong": true, "incorrect": true, "invalid": true, "expired": true, "reset": true, "resets": true,
	"change": true, "changed": true, "manager": true, "policy": true, "field": true, "link": true, "email": true,
	"the": true, "a": true, "an": true, "and": true, "or": true, "for": true, "of": true, "to": true, "in": true,
	"on": true, "with": true, "that": true, "this": true, "it": true, "still": true, "no": true, "never": true,
	"twice": true, "again": true, "correct": true, "right": true, "required": true, "rules": true, "requirements": true,
	"doesn't": true, "does": true, "isn't": true, "didn't": true, "won't": true, "can't": true, "has": true,
	"nicht": true, "falsch": true, "zurücksetzen": true, "vergessen": true, "geändert": true, "ändern": true,
	"der": true, "die": true, "das": true, "und": true, "oder": true, "für": true, "mit": true,
	"pas": true, "oublié": true, "incorrect.": true, "le": true, "la": true, "les": true, "et": true, "pour": true,
	"no.": true, "olvidé": true, "incorrecta": true, "el": true, "los": true, "y": true, "para": true, "de": true,
	"sent": true, "works": true, "work": true, "fails": true, "failed": true, "same": true, "too": true, "very": true,
	"because": true, "but": true, "so": true, "when": true, "after": true, "before": true, "then": true, "again.": true,
	"protected": true, "protection": true, "prompt": true, "screen": true, "page": true, "login": true, "strength": true,
	"length": true, "update": true, "updated": true, "expiry": true, "expires": true, "hash": true, "hashes": true,
	"recovery": true, "form": true, "box": true, "input": true, "entry": true, "less": true, "auth": true,
	"see": true, "below": true, "above": true, "attached": true, "unchanged": true, "none": true, "n/a": true,
	"empty": true, "blank": true, "siehe": true, "voir": true, "ver": true, "vault.": true, "authentication": true, "pad": true, "code": true, "codes": true, "number": true, "mailer": true, "vault": true,
}

// checkCredential accepts the value after a credential word when it looks
// like one: quoted, after ":" or "=", or containing a digit or a symbol
// and not a prose word. A PIN must be 4 to 8 digits.
func checkCredential(s string, m []int) (int, int, bool) {
	la, lb, _ := sub(m, 1)
	va, vb, _ := sub(m, 2)
	label := strings.ToLower(s[m[0]:la])
	link := s[la:lb]
	val := strings.TrimRight(s[va:vb], ",;)") // a trailing "." or "!" may be part of it: over-redact
	vb = va + len(val)
	if val == "" || strings.HasPrefix(val, "[") {
		return 0, 0, false
	}
	if d := strings.Trim(val, `"'“”«»`); len(d) >= 4 && len(d) <= 8 && countDigits(d) == len(d) {
		return va, vb, true // a PIN or passcode
	}
	if strings.HasPrefix(label, "pin") || strings.HasPrefix(label, "code") {
		d := strings.Trim(val, `"'“”«»`)
		if len(d) < 4 || len(d) > 8 || countDigits(d) != len(d) {
			return 0, 0, false
		}
		return va, vb, true
	}
	quoted := strings.ContainsAny(val[:1], `"'“«`)
	explicit := strings.ContainsAny(link, ":=") || strings.Contains(link, "->")
	lower := strings.ToLower(val)
	if credentialWords[lower] {
		return 0, 0, false
	}
	hasSym := strings.ContainsFunc(val, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
	linked := strings.TrimSpace(link) != ""
	switch {
	case quoted, explicit:
	case (hasDigit(val) || hasSym) && linked && utf8.RuneCountInString(val) >= 6:
	case hasDigit(val) && (hasSym || val != lower) && utf8.RuneCountInString(val) >= 8:
	default:
		return 0, 0, false
	}
	return va, vb, true
}

// checkPassport accepts a passport number with at least one digit.
func checkPassport(s string, m []int) (int, int, bool) {
	a, b, _ := sub(m, 1)
	v := s[a:b]
	if countDigits(v) < 2 || strings.ToUpper(v) != v {
		return 0, 0, false
	}
	return a, b, true
}

// checkBirth accepts the date after a birth word.
func checkBirth(s string, m []int) (int, int, bool) {
	a, b, _ := sub(m, 1)
	return a, b, true
}

// The words the labelled rules start with, for their cheap pre-tests (a
// rule runs only when its text contains one).
var (
	credentialLabels = []string{"pass", "pwd", "pin", "kennwort", "mdp", "contraseña", "clave", "senha"}
	birthLabels      = []string{"dob", "d.o.b", "birth", "born", "geb", "né", "nee", "naissance", "nacid", "nacimiento", "nascid", "nascimento"}
)
