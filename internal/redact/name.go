package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Personal names are found only where the text says a name comes: after
// an introduction ("my name is", "ich heiße", "je m'appelle", "me llamo"),
// after a sign-off at the end of a line ("Thanks, Anna", "Best
// regards,\nJohn Smith") or in a greeting line ("Hi Anna,"). A name is one
// to three capitalised words, with particles such as "van" or "de"
// between them.
const (
	nameWord = `\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?`
	name     = nameWord + `(?:[ \t]+(?:(?:van|von|de|der|den|da|di|del|della|la|le|dos|das|du|ten|ter|bin|al|y|e)[ \t]+){0,2}` + nameWord + `){0,2}(?:[ \t]+\p{Lu}\.)?`
	// title is a form of address before a name, left in place.
	title = `(?:(?:Dr|Prof|Mr|Mrs|Ms|Mme|Mlle|Herr|Frau|Sr|Sra)\.?[ \t]+)?`
)

// signoff is a closing phrase in English, German, French, Spanish or
// Portuguese, or a signature dash.
const signoff = `(?i:thanks|thank\s+you|thanks\s+so\s+much|thank\s+you\s+so\s+much|mit\s+besten\s+gr(?:ü|ue)(?:ß|ss)en|besten\s+dank|many\s+thanks|thanks\s+again|thanks\s+in\s+advance|thx|best|all\s+the\s+best|best\s+wishes|best\s+regards|kind\s+regards|warm\s+regards|warmly|regards|cheers|sincerely|yours\s+sincerely|yours\s+truly|yours|` +
	`cordialement|bien\s+cordialement|bien\s+à\s+vous|merci|merci\s+beaucoup|salutations|bonne\s+journée|` +
	`mit\s+freundlichen\s+gr(?:ü|u|ue)(?:ß|ss)en|freundliche\s+gr(?:ü|ue)(?:ß|ss)e|viele\s+gr(?:ü|ue)(?:ß|ss)e|beste\s+gr(?:ü|ue)(?:ß|ss)e|liebe\s+gr(?:ü|ue)(?:ß|ss)e|herzliche\s+gr(?:ü|ue)(?:ß|ss)e|gr(?:ü|ue)(?:ß|ss)e|gru(?:ß|ss)|lg|vg|mfg|danke|vielen\s+dank|` +
	`saludos|un\s+saludo|saludos\s+cordiales|atentamente|gracias|muchas\s+gracias|un\s+abrazo|` +
	`obrigad[oa]|atenciosamente|abraços|--|-)`

var (
	// reNameIntro: an introduction (group 1), the name (group 2) and what
	// follows it (group 3), which checkNameIntro needs after the weaker
	// introductions ("I'm", "this is", "ich bin", "je suis", "soy").
	reNameIntro = regexp.MustCompile(`(?m)(?:^|[^\p{L}])((?i:my\s+name\s+is|my\s+name's|name:|i\s+am|i'm|i’m|this\s+is|it's|it’s|` +
		`ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|ich\s+bin|hier\s+ist|hier\s+spricht|` +
		`je\s+m['’]appelle|mon\s+nom\s+est|je\s+suis|ici|` +
		`me\s+llamo|mi\s+nombre\s+es|soy|le\s+escribe|` +
		`meu\s+nome\s+é|eu\s+sou|chamo-me|me\s+chamo))[ \t]+(` + name + `)` +
		`([ \t]*,|[ \t]+(?i:from|at|with|of|here|and|von|bei|aus|vom|hier|und|de|du|chez|ici|et|del|aquí|y|da|do|e)\b|[ \t]*[.!]?[ \t]*$|[ \t]*[.!;(])?`)

	// reNameSignoff: a sign-off (at the start of a line or after a
	// sentence), then the name (group 1) alone at the end of its line,
	// on the same line or the next.
	reNameSignoff = regexp.MustCompile(`(?m)(?:^|[.!?][ \t]+)[ \t]*` + signoff + `(?:[ \t]*(?:,|\s(?i:und|and|&|et|y|e))[ \t]*` + signoff + `)?` +
		`[ \t]*[,!.:]?[ \t]*(?:\r?\n[ \t]*)?` + title + `(` + name + `)(?:[ \t]*[,.!]?[ \t]*$|[ \t]+-[ \t])`)

	// reNameGreeting: a greeting at the start of a line, then the name
	// (group 1) and a comma or "!".
	reNameGreeting = regexp.MustCompile(`(?m)^[ \t]*(?i:hi|hello|hey|dear|hallo|liebe|lieber|guten\s+tag|sehr\s+geehrte|sehr\s+geehrter|moin|bonjour|bonsoir|salut|chère|cher|hola|buenos\s+días|estimad[oa]|querid[oa]|olá|oi|prezad[oa])` +
		`(?:[ \t]+(?i:frau|herr|mr\.?|mrs\.?|ms\.?|dr\.?|madame|monsieur|mme|m\.|señor|señora|sr\.?|sra\.?))?[ \t]+(` + name + `)[ \t]*[,!]`)
)

// weakIntros are introductions that also start ordinary sentences ("I'm
// Happy to help", "this is Urgent"): the name must be followed by "from",
// a comma or the end of the sentence.
var weakIntros = []string{"i am", "i'm", "i’m", "this is", "it's", "it’s", "ich bin", "hier ist", "je suis", "ici", "soy", "eu sou"}

// notNames are capitalised words that follow the phrases above but are
// not names.
var notNames = map[string]bool{
	"team": true, "support": true, "all": true, "everyone": true, "everybody": true, "sir": true, "madam": true,
	"there": true, "folks": true, "guys": true, "customer": true, "service": true, "anyone": true, "again": true,
	"the": true, "thanks": true, "regards": true, "hello": true, "hi": true, "please": true, "we": true, "you": true,
	"it": true, "this": true, "that": true, "sorry": true, "urgent": true, "still": true, "not": true, "also": true,
	"just": true, "really": true, "very": true, "so": true, "here": true, "happy": true, "glad": true, "writing": true,
	"contacting": true, "trying": true, "having": true, "using": true, "looking": true, "going": true, "unable": true,
	"able": true, "back": true, "new": true, "your": true, "our": true, "my": true, "in": true, "on": true, "at": true,
	"for": true, "and": true, "but": true, "if": true, "when": true, "what": true, "how": true, "why": true, "a": true,
	"an": true, "no": true, "yes": true, "ok": true, "okay": true, "sure": true, "great": true, "good": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"admin": true, "administrator": true, "owner": true, "manager": true, "ceo": true, "cto": true, "billing": true,
	"sales": true, "accounts": true, "accounting": true, "finance": true, "marketing": true, "engineering": true,
	"die": true, "der": true, "das": true, "ich": true, "wir": true, "sie": true, "bitte": true, "danke": true,
	"leider": true, "nicht": true, "kunde": true, "kundin": true, "noch": true, "auch": true, "zusammen": true,
	"le": true, "la": true, "les": true, "je": true, "nous": true, "vous": true, "merci": true, "client": true,
	"cliente": true, "el": true, "los": true, "las": true, "yo": true, "usted": true, "gracias": true, "equipo": true,
	"équipe": true, "todos": true, "tous": true, "best": true, "kind": true, "cheers": true, "sincerely": true,
	"premium": true, "pro": true, "enterprise": true, "business": true, "starter": true, "free": true, "basic": true,
	"confused": true, "frustrated": true, "annoyed": true, "done": true, "finished": true, "ready": true, "sure.": true,
	"interested": true, "concerned": true, "worried": true, "afraid": true, "excited": true, "new.": true, "unsure": true,
	"following": true, "attaching": true, "reaching": true, "calling": true, "wondering": true, "curious": true,
	"update": true, "issue": true, "problem": true, "error": true, "bug": true, "order": true, "invoice": true,
	"ticket": true, "account": true, "api": true, "app": true, "version": true, "plan": true, "status": true,
	"vip": true, "urgente": true, "dringend": true, "désolé": true, "désolée": true, "content": true, "contente": true,
	"nuevo": true, "nueva": true, "neu": true, "nouveau": true, "nouvelle": true, "en": true, "de": true, "un": true,
}

func checkNameIntro(s string, m []int) (int, int, bool) {
	ia, ib, _ := sub(m, 1)
	na, nb, _ := sub(m, 2)
	intro := strings.ToLower(strings.Join(strings.Fields(s[ia:ib]), " "))
	if slices.Contains(weakIntros, intro) {
		fa, fb, ok := sub(m, 3)
		if !ok {
			return 0, 0, false
		}
		// "this is Production, not staging": after "this is" and "it's" a
		// comma is not enough.
		if (strings.HasPrefix(intro, "this") || strings.HasPrefix(intro, "it")) && strings.TrimSpace(s[fa:fb]) == "," {
			return 0, 0, false
		}
	}
	return trimName(s, na, nb)
}

func checkNameSignoff(s string, m []int) (int, int, bool) {
	a, b, _ := sub(m, 1)
	return trimName(s, a, b)
}

func checkNameGreeting(s string, m []int) (int, int, bool) {
	a, b, _ := sub(m, 1)
	return trimName(s, a, b)
}

// trimName rejects a name whose first word is a known non-name and cuts
// trailing words that are ("Anna Thanks").
func trimName(s string, a, b int) (int, int, bool) {
	words := strings.Fields(s[a:b])
	if len(words) == 0 || notNames[strings.ToLower(words[0])] || companySuffixes[strings.ToLower(strings.Trim(words[len(words)-1], "."))] {
		return 0, 0, false
	}
	end, off := a, a
	for i, w := range words {
		off += strings.Index(s[off:b], w) + len(w)
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			continue // a particle: kept only before another name word
		}
		if i > 0 && notNames[strings.ToLower(strings.Trim(w, ".,"))] {
			break
		}
		end = off
	}
	return a, end, true
}

// companySuffixes end company names, which sign-offs also carry ("Thanks,
// Acme Ltd.").
var companySuffixes = map[string]bool{
	"ltd": true, "limited": true, "inc": true, "llc": true, "llp": true, "plc": true, "corp": true, "co": true,
	"gmbh": true, "ag": true, "kg": true, "ug": true, "sa": true, "sas": true, "sarl": true, "sl": true, "bv": true,
	"nv": true, "ab": true, "as": true, "oy": true, "spa": true, "srl": true, "ltda": true, "team": true, "group": true,
	"gruppe": true, "support": true, "company": true, "studio": true, "labs": true,
}

// titles are forms of address that are not part of a known name.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "herr": true, "frau": true,
	"m": true, "mme": true, "mlle": true, "sr": true, "sra": true, "srta": true, "don": true, "doña": true,
}

// knownNameRule matches the given names, whole or word by word, where they
// stand as words: as written, in capitals, or capitalised.
func knownNameRule(names []string) (rule, bool) {
	seen := map[string]bool{}
	var alts []string
	add := func(v string) {
		if v == "" || seen[v] {
			return
		}
		seen[v] = true
		alts = append(alts, v)
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || strings.ContainsAny(n, "@[]0123456789") {
			continue
		}
		if last, given, ok := strings.Cut(n, ","); ok {
			n = strings.TrimSpace(given) + " " + strings.TrimSpace(last)
		}
		var words []string
		for _, w := range strings.Fields(n) {
			if titles[strings.ToLower(strings.TrimRight(w, "."))] || utf8.RuneCountInString(w) < 2 {
				continue
			}
			words = append(words, w)
		}
		if len(words) == 0 {
			continue
		}
		full := strings.Join(words, " ")
		add(full)
		add(strings.ToUpper(full))
		for _, w := range words {
			add(w)
			add(strings.ToUpper(w))
			add(capitalized(w))
		}
	}
	if len(alts) == 0 {
		return rule{}, false
	}
	// Longest first, so the full name wins over its words.
	return rule{kind: KindName, find: newWordLiterals(alts).find}, true
}

func capitalized(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + strings.ToLower(w[size:])
}

// The words the name rules start with, for their cheap pre-tests.
var (
	introLabels = []string{"name", "i am", "i'm", "i’m", "this is", "it's", "it’s", "name:", "heiß", "heiss", "ich bin",
		"hier ", "appelle", "nom ", "je suis", "ici", "llamo", "nombre", "soy", "escribe", "nome", "sou", "chamo"}
	greetingLabels = []string{"hi", "hello", "hey", "dear", "hallo", "liebe", "guten", "geehrte", "moin", "bonjour", "bonsoir",
		"salut", "chère", "cher", "hola", "buenos", "estimad", "querid", "olá", "oi", "prezad"}
	signoffLabels = []string{"thank", "thx", "best", "regard", "cheers", "sincere", "yours", "warm", "cordial", "bien",
		"merci", "salutation", "journée", "grü", "gruß", "grus", "grue", "lg", "vg", "mfg", "dank", "saludo",
		"atentamente", "gracias", "abrazo", "obrigad", "atenciosamente", "abraços", "-"}
)
