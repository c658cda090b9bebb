package draft

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Fault is something that makes a draft wrong whatever its form: steps
// from an article that does not answer the question, an unanswered
// question, an empathy line that does not fit, a promise the SLA
// contradicts, an admission on a legal threat, internal words or filler.
// Each fault costs FaultPenalty points, so a draft with any fault is
// below PassMark.
type Fault struct {
	Check  string `json:"check"`  // one of the Check* names
	Reason string `json:"reason"` // what was found
}

// FaultPenalty is what one fault takes off the rubric total.
const FaultPenalty = 3

// The fault checks.
const (
	CheckGrounded     = "grounded"      // quoted steps come from an article that answers the question
	CheckQuestions    = "questions"     // every question is answered or acknowledged
	CheckEmpathyFit   = "empathy-fit"   // the empathy line fits the situation
	CheckPromise      = "promise"       // no promised time contradicts the SLA
	CheckNoAdmission  = "no-admission"  // no admission of fault or liability on a legal threat
	CheckInternal     = "internal"      // no internal wording reaches the customer
	CheckFiller       = "filler"        // no filler step and no unrelated article
	CheckCancelAck    = "cancel-ack"    // a cancellation request is confirmed as received
	CheckRepeatAck    = "repeat-ack"    // a problem that came back is acknowledged as such
	CheckSecuritySafe = "security-safe" // a security report is not handled like an outage
)

// Phrase lists for the checks, lower case substrings, all four languages.
var (
	outageEmpathy = []string{"stops working", "stop working", "something you rely on", "disruptive", "blocking your work",
		"etwas nicht funktioniert", "störend", "s'arrête en pleine", "gênant quand", "deje de funcionar", "lo molesto que es"}
	reproAsks     = []string{"what you clicked", "angeklickt", "de cliquer", "de pulsar", "reproduce the problem", "nachzustellen", "reproduire", "reproducir"}
	chargeEmpathy = []string{"unexpected charge", "the charge you mentioned", "billing history", "unerwartete", "genannte abbuchung",
		"abrechnungsverlauf", "prélèvement inattendu", "prélèvement mentionné", "historique de facturation", "cargo inesperado",
		"el cargo que", "historial de facturación"}
	admissions = []string{"our fault", "our mistake", "we made a mistake", "we were wrong", "let you down", "we are responsible",
		"we're responsible", "take full responsibility", "sorry we", "we messed up", "cost you time", "putting it right",
		"unser fehler", "unsere schuld", "enttäuscht haben", "zeit und vertrauen gekostet", "wiedergutmachen",
		"notre faute", "notre erreur", "pas été à la hauteur", "coûté du temps", "réparer cela",
		"nuestra culpa", "nuestro error", "hayamos fallado", "costado tiempo", "compensar"}
	internalTerms = []string{"p0", "p1", "p2", "p3", "sla", "churn", "churn-risk", "mrr", "retention flow", "internal note",
		"triage", "escalated to", "confidence score", "auto-reply"}
	cancelAcks = []string{"cancel", "kündig", "résili", "annul", "cancela", "baja"}
	repeatAcks = []string{"came back", "come back", "has returned", "happening again", "happened again", "third time", "second time",
		"fourth time", "keeps happening", "same problem", "same issue", "wieder auftritt", "erneut", "dasselbe problem", "dritte mal",
		"zweite mal", "est revenu", "de nouveau", "même problème", "troisième fois", "deuxième fois", "otra vez", "de nuevo",
		"mismo problema", "vuelto a ocurrir", "tercera vez", "segunda vez"}
	internalList = newPhraseList(internalTerms...)
	// promiseCues introduce a promised time; promiseCueRE finds them.
	promiseCues = []string{"by", "before", "until", "within", "no later than", "update", "hear from", "get back", "bis", "spätestens",
		"melden", "au plus tard", "avant", "d'ici", "nouvelles", "a más tardar", "antes de", "noticias"}
	promiseCueRE = newWordAltRE(promiseCues...)
)

// faults runs every check on the scanned draft.
func faults(sc *scan, f *facts) []Fault {
	var out []Fault
	add := func(check, format string, args ...any) {
		out = append(out, Fault{Check: check, Reason: fmt.Sprintf(format, args...)})
	}
	// Steps and links.
	var snippets []string // normText of each article's snippet, once
	for _, line := range numberedLines(sc.raw) {
		norm := normText(line)
		if wordCount(line) < 3 {
			continue
		}
		if snippets == nil {
			snippets = make([]string, len(f.req.Articles))
			for i, a := range f.req.Articles {
				snippets[i] = normText(a.Snippet)
			}
		}
		for i, a := range f.req.Articles {
			if a.Snippet == "" || !strings.Contains(snippets[i], norm) {
				continue
			}
			switch {
			case a.Answer < f.threshold:
				add(CheckGrounded, "step “%s” is quoted from “%s”, which does not answer the question (answer %.2f, below %.2f)",
					truncateWords(line, 10), a.Title, a.Answer, f.threshold)
			case !isInstruction(line) && !isListItemOf(norm, a.Snippet):
				add(CheckFiller, "step “%s” tells the customer to do nothing", truncateWords(line, 10))
			}
			break
		}
	}
	for _, a := range f.req.Articles {
		if a.URL == "" || !strings.Contains(sc.raw, a.URL) || a.Answer >= f.threshold {
			continue
		}
		if !mayHelp(a, f.threshold, f.subject+"\n"+f.msg) {
			add(CheckFiller, "links “%s”, unrelated to the question (answer %.2f, relevance %.2f)", a.Title, a.Answer, a.Score)
		}
	}
	// Questions.
	if addressed, why := questionCoverage(sc, f); addressed < len(f.questions) {
		add(CheckQuestions, "%s", strings.Join(why, "; "))
	}
	// Empathy and handling that fit the situation.
	own := sc.low
	if f.cue.security || f.cue.legal {
		if p := lowerContainsAny(own, outageEmpathy); p != "" {
			add(CheckEmpathyFit, "outage empathy (“%s”) on a %s", p, map[bool]string{true: "security report", false: "legal threat"}[f.cue.security])
		}
	}
	if f.cue.security {
		if p := lowerContainsAny(own, reproAsks); p != "" {
			add(CheckSecuritySafe, "asks the reporter for reproduction details (“%s”) on a security report", p)
		}
	}
	if !f.mentionsCharge() {
		if p := lowerContainsAny(own, chargeEmpathy); p != "" {
			add(CheckEmpathyFit, "talks about a charge (“%s”) the customer never mentioned", p)
		}
	}
	if f.cue.legal {
		if p := lowerContainsAny(own, admissions); p != "" {
			add(CheckNoAdmission, "admits fault or liability (“%s”) on a legal threat", p)
		}
	}
	if internalList.any(&sc.hits) { // sc.hits are own's
		theirs := lex.scan(strings.ToLower(f.subject + "\n" + f.msg))
		for i, term := range internalTerms {
			if internalList.has(&sc.hits, i) && !internalList.has(&theirs, i) {
				add(CheckInternal, "internal wording “%s”", term)
				break
			}
		}
	}
	if f.cue.cancel {
		if lowerContainsAny(withoutLinkLines(own), cancelAcks) == "" {
			add(CheckCancelAck, "the cancellation request (%s) is never confirmed", f.cue.why["cancel"])
		}
	}
	if f.cue.repeat {
		if lowerContainsAny(own, repeatAcks) == "" {
			add(CheckRepeatAck, "the customer says it happened before (%s); the draft does not acknowledge it", f.cue.why["repeat"])
		}
	}
	if fa, ok := promiseFault(sc, f); ok {
		out = append(out, fa)
	}
	return out
}

// numberedLines are the texts of the draft's numbered list lines.
func numberedLines(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if hasNumberedLine(line) {
			if m := stepLineRE.FindStringSubmatch(line); m != nil {
				out = append(out, strings.TrimSpace(m[1]))
			}
		}
	}
	return out
}

// emphasisRemover drops markdown emphasis ("**", "__", "`").
var emphasisRemover = strings.NewReplacer("**", "", "__", "", "`", "")

// normText is s lower case, without markdown emphasis, a final full stop
// and repeated spaces, for finding a step in a snippet.
func normText(s string) string {
	s = emphasisRemover.Replace(strings.ToLower(s))
	return strings.TrimRight(strings.Join(strings.Fields(s), " "), ".")
}

// withoutLinkLines drops the lines that link an article ("Title — LINK"),
// so an article title does not count as the draft's own words.
func withoutLinkLines(low string) string {
	var keep []string
	for line := range strings.SplitSeq(low, "\n") {
		if !strings.Contains(line, "— link") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// relativePromises are the words that promise a time relative to now, with
// the end of the window they promise.
var relativePromises = []struct {
	words []string
	end   func(now time.Time) time.Time
}{
	{[]string{"within the hour", "within an hour", "innerhalb einer stunde", "dans l'heure", "en una hora"}, func(n time.Time) time.Time { return n.Add(time.Hour) }},
	{[]string{"today", "tonight", "end of day", "heute", "aujourd'hui", "hoy"}, func(n time.Time) time.Time { return endOfDay(n) }},
	{[]string{"within 24 hours", "innerhalb von 24 stunden", "sous 24 heures", "en 24 horas"}, func(n time.Time) time.Time { return n.Add(24 * time.Hour) }},
	{[]string{"tomorrow", "morgen", "demain", "mañana"}, func(n time.Time) time.Time { return endOfDay(n.AddDate(0, 0, 1)) }},
}

// relativePromiseLists are relativePromises' words, prepared for matching.
var relativePromiseLists = func() []*phraseList {
	out := make([]*phraseList, len(relativePromises))
	for i, rp := range relativePromises {
		out[i] = newPhraseList(rp.words...)
	}
	return out
}()

func endOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, t.Location())
}

// promiseFault finds a promised time the SLA contradicts: a window that
// ends more than a day before the first response is even due (the team
// is not staffed to keep it), or a date after the resolution due time.
func promiseFault(sc *scan, f *facts) (Fault, bool) {
	now := f.req.now().In(f.req.location())
	frDue, resDue := f.req.FirstResponseDue, f.req.ResolutionDue
	for i, s := range sc.lows {
		if !promiseCueRE.MatchString(s) {
			continue
		}
		h := lex.scan(s)
		for ri, rp := range relativePromises {
			w := relativePromiseLists[ri].firstIn(&h)
			if w == "" {
				continue
			}
			end := rp.end(now)
			if !frDue.IsZero() && end.Add(24*time.Hour).Before(frDue) {
				return Fault{Check: CheckPromise, Reason: fmt.Sprintf("promises “%s” (“%s”) but the first response is only due %s (%s away)",
					w, truncateWords(sc.sens[i], 12), frDue.In(f.req.location()).Format("2 January 15:04"), roundDays(frDue.Sub(now)))}, true
			}
		}
		if d, ok := promisedDate(s, f.lang, now); ok && !resDue.IsZero() && d.After(endOfDay(resDue.In(f.req.location()))) {
			return Fault{Check: CheckPromise, Reason: fmt.Sprintf("promises %s, after the resolution due time %s",
				d.Format("2 January"), resDue.In(f.req.location()).Format("2 January 15:04"))}, true
		}
	}
	return Fault{}, false
}

func roundDays(d time.Duration) string {
	if d < 48*time.Hour {
		return fmt.Sprintf("%.0f hours", d.Hours())
	}
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}

// monthRE finds "18 December" or an equivalent for one month.
type monthRE struct {
	// name is the month's name in lower case: the regex matches only a
	// sentence containing it, so one without it is not run through re
	// (each regex starts with a digit, which Go's regexp cannot skip to).
	name string
	re   *regexp.Regexp
}

// monthREs find "18 December" and its equivalents, per language and month.
var monthREs = func() map[string][]monthRE {
	out := map[string][]monthRE{}
	for lang, cal := range calendars {
		for _, name := range cal.months {
			low := strings.ToLower(name)
			out[lang] = append(out[lang], monthRE{name: low, re: regexp.MustCompile(`(\d{1,2})\.?\s+(?:de\s+)?` + regexp.QuoteMeta(low) + `\b`)})
		}
	}
	return out
}()

// promisedDate reads "18 December" (or "18. Dezember", "18 décembre", "18
// de diciembre") from a lower-case sentence in lang, in the year that puts
// it nearest after now.
func promisedDate(low, lang string, now time.Time) (time.Time, bool) {
	res, ok := monthREs[lang]
	if !ok {
		res = monthREs["en"]
	}
	for mi, mr := range res {
		if !strings.Contains(low, mr.name) {
			continue
		}
		m := mr.re.FindStringSubmatch(low)
		if m == nil {
			continue
		}
		var day int
		if _, err := fmt.Sscanf(m[1], "%d", &day); err != nil {
			continue
		}
		d := time.Date(now.Year(), time.Month(mi+1), day, 23, 59, 59, 0, now.Location())
		if d.Before(now.AddDate(0, -1, 0)) {
			d = d.AddDate(1, 0, 0)
		}
		return d, true
	}
	return time.Time{}, false
}

// isListItemOf reports whether norm (normText) is one of snippet's list
// items: the article itself presents it as a step.
func isListItemOf(norm, snippet string) bool {
	for _, it := range listItems(snippet) {
		if normText(it) == norm {
			return true
		}
	}
	return false
}
