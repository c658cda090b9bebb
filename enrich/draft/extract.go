package draft

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heardhq/heard/sdk"
)

// Specific kinds, in the order a draft mentions them.
const (
	kindError   = "error"
	kindAmount  = "amount"
	kindID      = "id"
	kindDate    = "date"
	kindProduct = "product"
	kindVersion = "version"
	kindQuoted  = "quoted"
)

// specific is one detail of the customer's message worth repeating back.
type specific struct {
	Kind string
	Text string // as the customer wrote it
}

// maxSpecifics bounds the specifics a draft repeats.
const maxSpecifics = 4

// knownProducts are names the package recognises in any message: common
// browsers, systems, file formats and integrations.
var knownProducts = []string{
	"Chrome", "Firefox", "Safari", "Microsoft Edge", "Opera", "Brave",
	"Windows", "macOS", "Linux", "iOS", "Android", "iPhone", "iPad", "ChromeOS",
	"Slack", "Microsoft Teams", "MS Teams", "Zoom", "Google Calendar", "Google Sheets", "Google Drive", "Gmail",
	"Outlook", "Office 365", "Microsoft 365", "Excel", "Salesforce", "HubSpot", "Zapier", "Make", "Stripe", "PayPal",
	"Shopify", "QuickBooks", "Xero", "Jira", "Asana", "Trello", "Notion", "Dropbox", "GitHub", "GitLab", "Okta",
	"Azure AD", "Entra ID", "SSO", "SAML", "SCIM", "CSV", "PDF", "API", "webhook", "webhooks", "two-factor", "2FA",
}

var (
	// errorCodeRE: "error 502", "Error: E1234", "Fehler 0x80070005",
	// "HTTP 503", "code ERR_TIMEOUT".
	errorCodeRE = mustFiltered(`(?i)\b(?:error|fehler|erreur|código de error|error code|fehlercode|code d'erreur|http|status)\s*(?:code\s*)?[:#]?\s*(0x[0-9a-f]{2,8}|[a-z]{0,4}[-_]?\d{2,6}|[A-Z][A-Z0-9]*_[A-Z0-9_]{2,})\b`)
	// constErrRE: ERR_CONNECTION_RESET style constants.
	constErrRE = regexp.MustCompile(`\b[A-Z]{2,}(?:_[A-Z0-9]{2,}){1,5}\b`)
	// amountFinder (startre.go) finds amounts: "$49", "€ 1.299,00", "49.00
	// USD", "120 euros".
	// idWords are the labels idRE needs, for a cheap test first.
	idWords = []string{"invoice", "order", "receipt", "charge", "transaction", "rechnung", "bestellung", "facture", "commande", "factura", "pedido", "recibo"}
	// idRE: invoice, order and charge numbers holding a digit.
	idRE = mustFiltered(`(?i)\b(?:invoice|order|receipt|charge|transaction|rechnung|bestellung|facture|commande|factura|pedido|recibo)\s*(?:no\.?|nr\.?|number|nummer|n°|número|#)?\s*[:#]?\s*([a-z]{0,5}[-_]?\d[\w-]{2,})`)
	// versionFinder (startre.go) finds versions: "version 4.2", "v4.2.1".
	// dateFinder (startre.go) finds ISO and numeric dates and "3 March",
	// "March 3", "3. März", "3 mars", "3 de marzo".
	// errorContextRE: words before a quotation that make it an error message.
	errorContextRE = mustFiltered(`(?i)(error|fehler|erreur|message|meldung|says|said|shows|showing|displays|popup|pop-up|zeigt|affiche|muestra|aparece|dice)\W{0,12}$`)
)

// monthNames is every month name (and English abbreviation) of the four
// languages.
var monthNames = []string{
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
	"janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
	"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
}

// monthAlt is monthNames as a regular-expression alternation, for dates.
var monthAlt = strings.Join(monthNames, "|")

// numericDateRE is a cheap test for the numeric forms dateRE finds.
var numericDateRE = regexp.MustCompile(`\d[-./]\d`)

// hasMonthOrNumericDate reports whether lower (lower case) may hold a date
// dateFinder would find.
func hasMonthOrNumericDate(lower string) bool {
	if numericDateRE.MatchString(lower) {
		return true
	}
	for _, m := range monthNames {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

// extractSpecifics finds the details of msg (and the subject) worth
// repeating, in a stable order: errors, amounts, ids, dates, products,
// versions, other quoted text. Anything holding a redaction placeholder is
// skipped.
func extractSpecifics(subject, msg string, products []string) []specific {
	text := subject + "\n" + msg
	var out []specific
	seen := map[string]bool{}
	add := func(kind, s string) {
		s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"“”„«»`))
		s = strings.TrimRight(s, ".,;:")
		if s == "" || hasPlaceholder(s) || utf8.RuneCountInString(s) > 80 {
			return
		}
		key := strings.ToLower(s)
		for k := range seen {
			// Skip what an earlier, longer specific already says.
			if strings.Contains(k, key) {
				return
			}
		}
		seen[key] = true
		out = append(out, specific{Kind: kind, Text: s})
	}
	// Quoted passages: error messages when introduced as such.
	var quoted []string
	for _, loc := range quoteSpans(text) {
		q := text[loc[0]:loc[1]]
		inner := strings.TrimSpace(strings.Trim(q, `"“”„«»`))
		if wordCount(inner) > 12 || utf8.RuneCountInString(inner) < 3 {
			continue
		}
		if errorContextRE.MatchString(text[max(0, loc[0]-30):loc[0]]) || containsAnyWord(inner, "error", "failed", "fehler", "erreur", "échec", "fallo") {
			add(kindError, inner)
		} else {
			quoted = append(quoted, inner)
		}
	}
	// The expressions are costly; each runs only when the text holds what
	// it needs.
	digits := strings.ContainsAny(text, "0123456789")
	lower := strings.ToLower(text)
	if digits || strings.Contains(text, "_") {
		for _, m := range errorCodeRE.FindAllString(text, -1) {
			add(kindError, m)
		}
		for _, m := range constErrRE.FindAllString(text, -1) {
			add(kindError, m)
		}
	}
	if digits {
		for _, m := range amountFinder.FindAllString(text) {
			add(kindAmount, m)
		}
		if containsAny(lower, idWords) {
			for _, m := range idRE.FindAllStringSubmatch(text, -1) {
				add(kindID, m[0])
			}
		}
		if hasMonthOrNumericDate(lower) {
			for _, m := range dateFinder.FindAllString(text) {
				add(kindDate, m)
			}
		}
	}
	for _, p := range productsIn(text, products) {
		add(kindProduct, p)
	}
	if digits {
		for _, m := range versionFinder.FindAllString(text) {
			add(kindVersion, m)
		}
	}
	for _, q := range quoted {
		add(kindQuoted, q)
	}
	return out
}

// productsIn returns the known product names found in text, as written
// there, with a version number right after the name when there is one
// ("Chrome 121").
func productsIn(text string, extra []string) []string {
	names, lowered := productNames(extra)
	lower := strings.ToLower(text)
	// A name whose first word is not a word of the text has no match (see
	// phraseList), so it is not searched for.
	words := make(map[string]bool, len(lower)/6)
	for start, end := nextWord(lower, 0); start >= 0; start, end = nextWord(lower, end) {
		words[lower[start:end]] = true
	}
	type hit struct {
		at   int
		text string
	}
	var hits []hit
	taken := make([]bool, len(text)+1)
	for ni, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		ln := lowered[ni] // strings.ToLower(n)
		if w := wordPrefix(ln); w > 0 && !words[ln[:w]] {
			continue
		}
		for i := 0; ; {
			j := strings.Index(lower[i:], ln)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(ln)
			i = end
			if taken[start] || !boundary(lower, start, end) {
				continue
			}
			// Short all-caps names (API, CSV) must be written in capitals,
			// so "make" the verb is not "Make" the product.
			if n == "Make" && text[start] != 'M' {
				continue
			}
			if len(n) <= 4 && strings.ToUpper(n) == n && text[start:end] != n {
				continue
			}
			for k := start; k < end; k++ {
				taken[k] = true
			}
			found := text[start:end]
			if v := versionAfterRE.FindString(text[end:]); v != "" {
				found += v
			}
			hits = append(hits, hit{start, found})
		}
	}
	for _, loc := range internalCaps(text) {
		if !taken[loc[0]] {
			hits = append(hits, hit{loc[0], text[loc[0]:loc[1]]})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.text)
	}
	return out
}

// sortedProducts is knownProducts longest first, as productNames sorts
// them, and lowerProducts the same trimmed and lower-cased.
var sortedProducts, lowerProducts = productNamesOf(knownProducts)

// productNames is extra followed by knownProducts, sorted longest first
// and stably, so "Google Sheets" wins over "Sheets" and a name of the same
// length keeps its place; and each of them trimmed and lower-cased.
func productNames(extra []string) (names, lowered []string) {
	if len(extra) == 0 {
		return sortedProducts, lowerProducts
	}
	return productNamesOf(append(slices.Clone(extra), knownProducts...))
}

func productNamesOf(names []string) (sorted, lowered []string) {
	sorted = slices.Clone(names)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	lowered = make([]string, len(sorted))
	for i, n := range sorted {
		lowered[i] = strings.ToLower(strings.TrimSpace(n))
	}
	return sorted, lowered
}

var versionAfterRE = regexp.MustCompile(`^ \d+(?:\.\d+){0,3}\b`)

func boundary(s string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:start])
	after, _ := utf8.DecodeRuneInString(s[end:])
	return (start == 0 || !isWordRune(before)) && (end == len(s) || !isWordRune(after))
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func containsAnyWord(s string, ws ...string) bool {
	for _, w := range ws {
		if containsWord(s, w) {
			return true
		}
	}
	return false
}

// questionStarts are words that open a question without a question mark.
var questionStarts = map[string]bool{
	// English
	"how": true, "what": true, "why": true, "when": true, "where": true, "which": true, "who": true, "can": true,
	"could": true, "is": true, "are": true, "do": true, "does": true, "did": true, "will": true, "would": true,
	"should": true, "may": true, "has": true, "have": true,
	// German
	"wie": true, "was": true, "warum": true, "wieso": true, "weshalb": true, "wann": true, "wo": true, "welche": true,
	"welcher": true, "welches": true, "kann": true, "können": true, "könnt": true, "ist": true, "sind": true, "gibt": true,
	"habt": true, "muss": true, "müssen": true,
	// French
	"comment": true, "pourquoi": true, "quand": true, "où": true, "quel": true, "quelle": true, "quels": true,
	"quelles": true, "est-ce": true, "pouvez-vous": true, "puis-je": true, "peut-on": true, "combien": true,
	// Spanish
	"cómo": true, "qué": true, "cuándo": true, "dónde": true, "cuál": true, "cuáles": true,
	"puedo": true, "pueden": true, "podrían": true, "podría": true, "cuánto": true,
}

// questions returns the sentences of msg that ask something: ending in "?",
// opening with "¿", or starting with a question word. The subject counts
// when it ends in "?" and the message asks nothing.
func questions(subject, msg string) []string {
	var out []string
	for _, s := range sentences(msg) {
		if s = stripGreeting(s); isQuestion(s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 && strings.HasSuffix(strings.TrimSpace(subject), "?") {
		out = append(out, strings.TrimSpace(subject))
	}
	return out
}

func isQuestion(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if strings.HasSuffix(strings.TrimRight(s, `"”»' `), "?") || strings.HasPrefix(s, "¿") {
		return true
	}
	// A statement ending in "." or "!" is not a question, whatever its
	// first word ("Can't log in." is a complaint).
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") {
		return false
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	return len(f) > 0 && questionStarts[strings.ToLower(f[0])]
}

// titles are forms of address dropped from a requester's name.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "herr": true, "frau": true,
	"m": true, "mme": true, "mlle": true, "sr": true, "sra": true, "srta": true, "don": true, "doña": true,
}

// names returns the requester's first name and full name ("" when
// unknown). "Weber, Anna" is read as Anna Weber; e-mail addresses,
// placeholders and names with digits are unknown.
func names(t *sdk.Ticket) (first, full string) {
	if t == nil {
		return "", ""
	}
	n := strings.TrimSpace(t.Requester.Name)
	if n == "" {
		for i := len(t.Messages) - 1; i >= 0 && n == ""; i-- {
			if !t.Messages[i].FromAgent {
				n = strings.TrimSpace(t.Messages[i].Author.Name)
			}
		}
	}
	if n == "" || strings.ContainsAny(n, "@[]0123456789") {
		return "", ""
	}
	if last, given, ok := strings.Cut(n, ","); ok {
		n = strings.TrimSpace(given) + " " + strings.TrimSpace(last)
	}
	var parts []string
	for _, p := range strings.Fields(n) {
		if titles[strings.ToLower(strings.TrimRight(p, "."))] {
			continue
		}
		parts = append(parts, capitalize(p))
	}
	if len(parts) == 0 {
		return "", ""
	}
	return parts[0], strings.Join(parts, " ")
}

// capitalize upper-cases the first letter of an all-lower-case name.
func capitalize(s string) string {
	if s != strings.ToLower(s) {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// topic is how a draft names what the ticket is about: the subject, or the
// first sentence of the message, quoted and at most twelve words.
func topic(subject, msg string) string {
	s := strings.TrimSpace(subject)
	if s == "" || hasPlaceholder(s) || isGenericSubject(s) {
		s = firstSentence(msg)
	}
	s = strings.TrimRight(strings.TrimSpace(s), ".!")
	if s == "" || hasPlaceholder(s) {
		return ""
	}
	return truncateWords(s, 12)
}

// isGenericSubject reports a subject that says nothing: "Help", "Question",
// "Re: Support request".
func isGenericSubject(s string) bool {
	return len(keyTerms(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "re:"), "fw:"))) == 0 ||
		slices.Contains([]string{"help", "question", "support", "support request", "problem", "issue", "urgent", "hilfe", "frage", "anfrage", "aide", "question", "ayuda", "consulta"},
			strings.Trim(strings.ToLower(strings.TrimPrefix(strings.ToLower(s), "re:")), " !?."))
}
