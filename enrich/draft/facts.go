package draft

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// defaultMaxArticles bounds the articles a draft links.
const defaultMaxArticles = 3

// facts is what both the drafters and the scorer read from a request,
// computed once.
type facts struct {
	req       Request
	situation Situation
	lang      string // reply language
	pb        phrasebook
	customer  registerEvidence // how the customer writes
	formal    bool             // reply register
	first     string           // customer's first name, "" when unknown
	full      string
	subject   string
	msg       string // latest customer message, cleaned
	topic     string // unquoted
	specifics []specific
	questions []string
	due       time.Time
	dueText   string
	articles  []Article // relevant: usable (titled, http(s) URL, no repeats) and answering or "may help"
	answers   []Article // the articles at the answer threshold, best first
	threshold float64   // the answer threshold
	cue       cue       // legal, security, cancel, repeat evidence
	company   string    // the team's company name, "" when unknown
	product   string    // the product's name, "" when unknown
	past      []string  // numbered steps from the best similar solved ticket's reply
	access    bool      // a password reset, lock-out or unlock question
}

// gather reads the facts of req, drafted as situation s.
func gather(req Request, s Situation, maxArticles int) *facts {
	return gatherCues(req, s, maxArticles, cues(req))
}

// gatherCues is gather with req's cues already read (cues(req)): reading
// them runs the cue regexes over the message, and classify needs them
// too.
func gatherCues(req Request, s Situation, maxArticles int, c cue) *facts {
	f := &facts{req: req, situation: s, lang: replyLanguage(req.Language), cue: c}
	f.pb = phrasebooks[f.lang]
	if t := req.Ticket; t != nil {
		f.subject = strings.TrimSpace(t.Subject)
	}
	f.msg = c.msg // latestCustomerMessage(req.Ticket)
	f.customer = detectRegister(f.msg, f.lang)
	f.formal = f.customer.Register == RegisterFormal
	f.first, f.full = names(req.Ticket)
	f.topic = topic(f.subject, f.msg)
	f.access = passwordRE.MatchString(f.subject + "\n" + f.msg)
	f.specifics = extractSpecifics(f.subject, f.msg, req.Products)
	f.questions = questions(f.subject, f.msg)
	now := req.now()
	f.due = promiseTime(NextUpdate(req, s), now)
	f.dueText = readableTime(f.lang, f.due, now, req.location())
	if maxArticles <= 0 {
		maxArticles = defaultMaxArticles
	}
	f.threshold = req.answerThreshold()
	f.articles, f.answers = relevantArticles(usableArticles(req.Articles, maxArticles), f.threshold, f.subject+"\n"+f.msg)
	if len(f.answers) == 0 {
		f.past = pastSteps(req.PastReplies)
	}
	return f
}

// relevantArticles keeps the articles a draft may link: those at the
// answer threshold (also returned as answers), and those that "may help"
// (see mayHelp). An article the search found but that
// shares nothing with the question is never shown to the customer.
func relevantArticles(as []Article, threshold float64, text string) (relevant, answers []Article) {
	for _, a := range as {
		switch {
		case a.Answer >= threshold:
			answers = append(answers, a)
			relevant = append(relevant, a)
		case mayHelp(a, threshold, text):
			relevant = append(relevant, a)
		}
	}
	return relevant, answers
}

// MinPastReplyScore is the similarity a solved ticket needs before its
// reply's steps are reused in a draft.
const MinPastReplyScore = 0.5

// pastSteps takes the numbered or bulleted steps of the most similar past
// reply that has at least two of them. Free prose is never reused: it
// addresses another customer.
func pastSteps(rs []PastReply) []string {
	for _, r := range rs {
		if r.Score < MinPastReplyScore {
			continue
		}
		var items []string
		for _, it := range listItems(r.Reply) {
			if it == "" || wordCount(it) > 30 || hasPlaceholder(it) {
				continue
			}
			if last := it[len(it)-1]; last != '.' && last != '!' && last != '?' && last != ':' {
				it += "."
			}
			items = append(items, it)
		}
		if len(items) >= 2 {
			if len(items) > 6 {
				items = items[:6]
			}
			return items
		}
	}
	return nil
}

// usableArticles keeps articles with a title and an absolute http(s) URL,
// first occurrence of each URL, at most n.
func usableArticles(as []Article, n int) []Article {
	var out []Article
	seen := map[string]bool{}
	for _, a := range as {
		a.Title, a.URL = strings.TrimSpace(a.Title), strings.TrimSpace(a.URL)
		if a.Title == "" || seen[a.URL] || !isWebURL(a.URL) {
			continue
		}
		seen[a.URL] = true
		out = append(out, a)
		if len(out) == n {
			break
		}
	}
	return out
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \n\t")
}

func (f *facts) t(key string, vars ...string) string { return f.pb.t(key, f.formal, vars...) }

func (f *facts) quote(s string) string { return f.pb["qopen"] + s + f.pb["qclose"] }

// quotedTopic is the topic in quotation marks, or the language's "this".
func (f *facts) quotedTopic() string {
	if f.topic == "" {
		return f.t("topic_generic")
	}
	return f.quote(f.topic)
}

func (f *facts) article(a Article) string { return a.Title + " — " + a.URL }

// list joins items as "a, b and c" in the reply language.
func (f *facts) list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + f.t("and") + " " + items[len(items)-1]
}

var errorWordRE = regexp.MustCompile(`(?i)^(error|fehler|erreur|código|http|status|code)\b`)

// item renders one specific for the reply: error messages quoted and
// introduced, other quotations quoted, the rest as written.
func (f *facts) item(sp specific) string {
	switch sp.Kind {
	case kindError:
		if errorWordRE.MatchString(sp.Text) || constErrRE.MatchString(sp.Text) && !strings.Contains(sp.Text, " ") {
			// French and Spanish want the article: "l'erreur 502", "el error 502".
			low := strings.ToLower(sp.Text)
			switch {
			case f.lang == "fr" && strings.HasPrefix(low, "erreur"):
				return "l'" + sp.Text
			case f.lang == "es" && strings.HasPrefix(low, "error"):
				return "el " + sp.Text
			}
			return sp.Text
		}
		return f.t("item_error", "q", f.quote(sp.Text))
	case kindQuoted:
		return f.quote(sp.Text)
	}
	return sp.Text
}

// genericTerms are product names too generic to repeat back on their own
// ("You mentioned CSV."); they still count as specifics for the rubric.
var genericTerms = map[string]bool{"csv": true, "pdf": true, "api": true, "sso": true, "saml": true, "scim": true,
	"webhook": true, "webhooks": true, "2fa": true, "two-factor": true}

// mentionable are the specifics the topic does not already show, at most
// maxSpecifics, rendered.
func (f *facts) mentionable() []string {
	var out []string
	lt := strings.ToLower(f.topic)
	for _, sp := range f.specifics {
		if strings.Contains(lt, strings.ToLower(sp.Text)) || sp.Kind == kindProduct && genericTerms[strings.ToLower(sp.Text)] {
			continue
		}
		out = append(out, f.item(sp))
		if len(out) == maxSpecifics {
			break
		}
	}
	return out
}

// agent is the sign-off name.
func (f *facts) agent(def string) string {
	if n := strings.TrimSpace(f.req.AgentName); n != "" {
		return n
	}
	if def != "" {
		return def
	}
	return f.t("team")
}

// plan is the customer's plan, capitalized, or "".
func (f *facts) plan() string {
	if f.req.Ticket == nil {
		return ""
	}
	p := strings.TrimSpace(f.req.Ticket.Customer[sdk.AttrPlan])
	if p == "" || hasPlaceholder(p) {
		return ""
	}
	return capitalize(p)
}

// outreachSignals are the churn signals worth naming to the customer,
// from the account attributes, at most two.
func (f *facts) outreachSignals() []string {
	if f.req.Ticket == nil {
		return nil
	}
	attrs := f.req.Ticket.Customer
	now := f.req.now()
	var out []string
	if v, err := strconv.ParseFloat(strings.TrimSpace(attrs[sdk.AttrUsageTrend]), 64); err == nil && v <= -50 {
		out = append(out, f.t("sig_usage"))
	}
	if ts, ok := parseWhen(attrs[sdk.AttrLastLogin]); ok && now.Sub(ts) >= 14*24*time.Hour {
		out = append(out, f.t("sig_login", "date", readableDate(f.lang, ts.In(f.req.location()))))
	}
	if strings.EqualFold(strings.TrimSpace(attrs[sdk.AttrPaymentStatus]), "failed") {
		out = append(out, f.t("sig_payment"))
	}
	if ts, ok := parseWhen(attrs[sdk.AttrRenewalDate]); ok && ts.After(now) && ts.Sub(now) <= 60*24*time.Hour {
		out = append(out, f.t("sig_renewal", "date", readableDate(f.lang, ts.In(f.req.location()))))
	}
	if n, err := strconv.Atoi(strings.TrimSpace(attrs[sdk.AttrNegativeInteractions])); err == nil && n >= 3 {
		out = append(out, f.t("sig_negative"))
	}
	if len(out) > 2 {
		out = out[:2]
	}
	return out
}

func parseWhen(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// wishRE finds the sentence that states a feature idea.
var wishRE = mustFiltered(`(?i)(would be (great|nice|helpful|useful|awesome)|would love|i wish|we wish|feature request|please add|can you add|could you add|is it possible to|would like to be able|we need a way|ability to|option to|` +
	`wäre (toll|schön|super|hilfreich|praktisch)|ich wünsche|wir wünschen|es wäre|möglichkeit|` +
	`serait (bien|génial|utile|pratique)|j'aimerais|nous aimerions|possibilité de|pourriez-vous ajouter|` +
	`sería (genial|útil|estupendo)|me gustaría|nos gustaría|posibilidad de|podrían añadir)`)

// idea is the sentence of the message stating the feature idea, or the
// topic, at most twenty words.
func (f *facts) idea() string {
	for _, s := range sentences(f.msg) {
		if s = stripGreeting(s); wishRE.MatchString(s) && !hasPlaceholder(s) {
			return truncateWords(strings.TrimRight(s, ".!"), 20)
		}
	}
	return f.topic
}

// stepLineRE matches a list item in a snippet.
var stepLineRE = regexp.MustCompile(`^\s*(?:\d{1,2}[.)]|[-*•])\s+(.+)$`)

// listItems returns the text of each numbered or bulleted line, trimmed.
func listItems(s string) []string {
	var items []string
	for line := range strings.SplitSeq(s, "\n") {
		if m := stepLineRE.FindStringSubmatch(line); m != nil {
			items = append(items, strings.TrimSpace(m[1]))
		}
	}
	return items
}

// snippetSteps turns an article snippet into at most five steps: its list
// items when it has at least two, else its complete sentences that tell
// the reader to do something (see isInstruction). Steps over 30 words and
// a sentence cut off at the end of the snippet are dropped.
func snippetSteps(snippet string) []string {
	snippet = emphasisRemover.Replace(snippet)
	items := listItems(snippet)
	fromList := len(items) >= 2
	if !fromList {
		var lines []string
		for line := range strings.SplitSeq(snippet, "\n") {
			line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "#"))
			if line != "" {
				lines = append(lines, line)
			}
		}
		items = sentences(strings.Join(lines, " "))
	}
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it == "" || strings.HasSuffix(it, "…") || strings.HasSuffix(it, "...") || wordCount(it) > 30 || hasPlaceholder(it) {
			continue
		}
		if last := it[len(it)-1]; last != '.' && last != '!' && last != '?' && last != ':' {
			// A list item may end bare; a sentence without an end was cut.
			if !fromList {
				continue
			}
			it += "."
		}
		if !fromList && !isInstruction(it) {
			// Prose around the steps ("Too many failed attempts.", "Handy
			// when your work is similar every week.") is filler as a step.
			continue
		}
		out = append(out, it)
		if len(out) == 5 {
			break
		}
	}
	return out
}

// imperativeVerbs open an English instruction ("Wait 15 minutes.").
var imperativeVerbs = set("add", "allow", "ask", "change", "check", "choose", "click", "connect", "contact", "copy", "create",
	"delete", "disable", "download", "drag", "edit", "enable", "enter", "export", "fill", "find", "follow", "go", "import",
	"install", "invite", "log", "make", "move", "navigate", "open", "pick", "press", "remove", "rename", "reset", "restart",
	"retry", "run", "save", "select", "send", "set", "share", "sign", "switch", "tap", "try", "turn", "type", "update",
	"upload", "use", "visit", "wait",
	"gib", "gebe", "trage", "tragen", "klicke", "öffne", "wähle", "warte", "setze", "lege",
	"saisissez", "saisis", "entrez", "entre", "cliquez", "ouvrez", "choisissez", "attendez", "allez",
	"introduzca", "introduce", "escriba", "escribe", "abra", "elija", "elige", "pulse", "espere", "vaya")

// conjunctions may open an instruction ("Or reset your password").
var conjunctions = set("or", "and", "then", "oder", "und", "dann", "ou", "et", "puis", "o", "y", "luego")

// isInstruction reports whether a sentence tells the reader to act: it
// opens with an imperative verb, uses an instruction phrase of the four
// languages, or names a menu path ("Settings → Integrations").
func isInstruction(s string) bool {
	if strings.Contains(s, "→") || strings.Contains(s, " > ") {
		return true
	}
	ws := strings.Fields(strings.ToLower(s))
	for len(ws) > 1 && conjunctions[ws[0]] {
		ws = ws[1:]
	}
	if len(ws) > 0 && imperativeVerbs[strings.Trim(ws[0], ",.:;")] {
		return true
	}
	return instructionList.first(strings.ToLower(s)) != ""
}
