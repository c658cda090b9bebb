package draft

import (
	"fmt"
	"slices"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// Criterion names, in rubric order.
const (
	CriterionPersonalization = "personalization"
	CriterionCompleteness    = "completeness"
	CriterionClarity         = "clarity"
	CriterionTone            = "tone"
	CriterionProactivity     = "proactivity"
)

// PassMark is the total a draft needs (docs/policy.md: 8/10 or more).
const PassMark = 8

// Criterion is one rubric line.
type Criterion struct {
	Name   string `json:"name"`
	Score  int    `json:"score"`  // 0..2
	Reason string `json:"reason"` // what was found or missing
}

// Rubric is a draft's HEARD quality score.
type Rubric struct {
	Total    int         `json:"total"` // 0..10: the criteria's sum less FaultPenalty per fault
	Criteria []Criterion `json:"criteria"`
	// Faults are what makes the draft wrong whatever its form; any fault
	// fails the draft.
	Faults []Fault `json:"faults,omitempty"`
	Pass   bool    `json:"pass"` // Total >= PassMark and no fault
}

// String is "9/10 (pass)" or "6/10 (below 8)".
func (r Rubric) String() string {
	if r.Pass {
		return fmt.Sprintf("%d/10 (pass)", r.Total)
	}
	return fmt.Sprintf("%d/10 (below %d)", r.Total, PassMark)
}

// Score rates draft against req with the HEARD rubric. It is deterministic
// and every Criterion.Reason names what was found or missing:
//
//   - personalization: the customer's first name is used (when known), and
//     at least one of their specifics appears (error, amount, id, date,
//     product, version, quoted text; with none, two key terms of the
//     subject). One point each.
//   - completeness: every question in the customer's latest message shares
//     key terms with the draft (at least two, or all it has, including one
//     that is not already in the subject or another question), and the draft
//     gives a next step (numbered steps, a promised time, or an invitation
//     to reply). One point each; a message without questions earns the
//     first.
//   - clarity: no sentence over 35 words and an average of at most 22; no
//     jargon the customer did not use; instructions numbered when there are
//     two or more; no paragraph over 80 words; no unfilled placeholder.
//     2 with no problem, 1 with one, 0 with more.
//   - tone: the register matches the customer's (formal against casual; a
//     neutral customer accepts either); no blame phrase; an empathy phrase
//     when the sentiment is negative or angry; at most two exclamation
//     marks and no "!!". 2 with no problem, 1 with one, 0 with more.
//   - proactivity: a tip, a linked article, and a promised update time;
//     2 for two or more, 1 for one.
//
// Then the faults, each FaultPenalty points off (see Fault): numbered
// steps quoted from an article below the answer threshold (grounded) or
// that tell the customer to do nothing (filler); a linked article below
// half the threshold or sharing no key term with the message (filler); a
// question neither answered nor acknowledged; outage empathy or a request
// for reproduction details on a security report, outage empathy on a
// legal threat, charge empathy when no charge was mentioned; an admission
// of fault or liability on a legal threat; internal wording (P1, SLA,
// churn, ...) the customer did not use; a cancellation request never
// confirmed; a problem that came back not acknowledged; a promised time
// ("tomorrow") that ends more than a day before the first response is
// even due, or a promised date after the resolution due time.
func Score(draft string, req Request) Rubric {
	c := cues(req)
	s, _ := classify(req, c)
	return score(draft, gatherCues(req, s, 0, c))
}

func score(draft string, f *facts) Rubric {
	sc := newScan(draft)
	cs := []Criterion{
		scorePersonalization(sc, f),
		scoreCompleteness(sc, f),
		scoreClarity(sc, f),
		scoreTone(sc, f),
		scoreProactivity(sc, f),
	}
	r := Rubric{Criteria: cs, Faults: faults(sc, f)}
	for _, c := range cs {
		r.Total += c.Score
	}
	r.Total = max(0, r.Total-FaultPenalty*len(r.Faults))
	r.Pass = r.Total >= PassMark && len(r.Faults) == 0
	return r
}

func scorePersonalization(sc *scan, f *facts) Criterion {
	c := Criterion{Name: CriterionPersonalization}
	var why []string
	switch {
	case f.first == "":
		c.Score++
		why = append(why, "customer name unknown (not counted against the draft)")
	case countWord(sc.rawLow, strings.ToLower(f.first)) > 0: // containsWord(draft, f.first)
		c.Score++
		why = append(why, fmt.Sprintf("uses the customer's name %q", f.first))
	default:
		why = append(why, fmt.Sprintf("does not use the customer's name %q", f.first))
	}
	if len(f.specifics) > 0 {
		var found, missing []string
		low := sc.rawLow
		for _, sp := range f.specifics {
			if strings.Contains(low, strings.ToLower(sp.Text)) {
				found = append(found, sp.Text)
			} else {
				missing = append(missing, sp.Text)
			}
		}
		if len(found) > 0 {
			c.Score++
			why = append(why, fmt.Sprintf("mentions their specifics %s (%d of %d)", quoteList(found), len(found), len(f.specifics)))
		} else {
			why = append(why, "mentions none of their specifics "+quoteList(missing))
		}
	} else if f.situation == SituationOutreach {
		// Outreach is about what we noticed on the account, not the message.
		sigs := f.outreachSignals()
		var named []string
		for _, sig := range sigs {
			terms := keyTerms(sig)
			if found, _ := termsInStems(terms, sc.stems); len(found) >= min(2, len(terms)) {
				named = append(named, sig)
			}
		}
		switch {
		case len(sigs) == 0:
			c.Score++
			why = append(why, "no account signal or specifics to name")
		case len(named) > 0:
			c.Score++
			why = append(why, "names the signal noticed ("+quoteList(named)+")")
		default:
			why = append(why, "does not name the signal noticed ("+quoteList(sigs)+")")
		}
	} else {
		terms := keyTerms(f.subject)
		if len(terms) == 0 {
			terms = keyTerms(firstSentence(f.msg))
		}
		found, _ := termsInStems(terms, sc.stems)
		need := min(2, len(terms))
		switch {
		case len(terms) == 0:
			c.Score++
			why = append(why, "the message has no specifics to repeat")
		case len(found) >= need:
			c.Score++
			why = append(why, "restates the subject ("+quoteList(found)+")")
		default:
			why = append(why, "does not restate the subject (none of "+quoteList(terms)+")")
		}
	}
	c.Reason = strings.Join(why, "; ")
	return c
}

// termsIn splits terms into those whose stem occurs in text and the rest.
func termsIn(terms []string, text string) (found, missing []string) {
	return termsInStems(terms, stemSet(text))
}

// termsInStems is termsIn with the text's stems already computed.
func termsInStems(terms []string, stems map[string]bool) (found, missing []string) {
	for _, t := range terms {
		if stems[stem(t)] {
			found = append(found, t)
		} else {
			missing = append(missing, t)
		}
	}
	return found, missing
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = "“" + it + "”"
	}
	return strings.Join(q, ", ")
}

// Lexicons for the rules, all four languages at once: each phrase is
// specific enough not to misfire in another language. Phrases are lower
// case and matched at word boundaries unless said otherwise.
var (
	// futureWords introduce a promised time.
	futureWords = []string{"by", "before", "until", "no later than", "bis", "spätestens", "au plus tard", "avant", "d'ici",
		"a más tardar", "antes de", "como muy tarde"}
	// invitePhrases (substrings) offer a follow-up.
	invitePhrases = []string{"reply", "let us know", "get back to you", "hear from", "we'll", "we will", "next step",
		"antworten", "antworte", "melden uns", "bekommen sie", "bekommst du", "nächste",
		"répondez", "réponds", "nous allons", "nous reviendrons", "vous aurez", "tu auras", "prochain",
		"responda", "responde", "respóndanos", "respóndenos", "tendrá", "tendrás", "próxim"}
	// tipPrefixes open a tip.
	tipPrefixes = []string{"tip:", "pro tip:", "good to know:", "tipp:", "gut zu wissen:", "astuce :", "astuce:", "bon à savoir",
		"consejo:", "un consejo:"}
	// instructions tell the reader to act on the interface.
	instructions = []string{"click", "open", "go to", "select", "choose", "enter", "press", "navigate to", "tap", "type", "toggle",
		"enable", "disable", "klicken sie", "klicke", "öffnen sie", "öffne", "wählen sie", "wähle", "gehen sie zu", "geh zu",
		"cliquez", "clique", "ouvrez", "ouvre", "sélectionnez", "sélectionne", "allez dans", "va dans",
		"haga clic", "haz clic", "abra", "abre", "seleccione", "selecciona", "vaya a", "ve a", "pulse", "pulsa"}
	jargon = []string{
		"backend", "back-end", "frontend", "front-end", "regression", "hotfix", "deploy", "deployed", "deployment", "repro",
		"stack trace", "stacktrace", "upstream", "downstream", "payload", "idempotent", "race condition", "null pointer",
		"nullpointer", "exception", "root cause analysis", "rca", "sla", "l1", "l2", "l3", "tier 2", "triage", "p0", "p1",
		"p2", "p3", "jira", "sprint", "backlog", "cache invalidation", "edge case", "ttl", "feature flag", "rollback",
		"5xx", "4xx", "dev team", "eng team", "as per", "per our policy", "escalated to engineering", "ticket priority",
	}
	blame = []string{
		"you should have", "obviously", "as i said", "as i mentioned", "as already mentioned", "as previously stated",
		"like i said", "you failed to", "your fault", "user error", "you didn't read", "you did not read", "clearly you",
		"you need to read", "as stated before",
		"wie bereits erwähnt", "wie gesagt", "offensichtlich", "sie hätten", "du hättest", "ihr fehler", "dein fehler",
		"comme je l'ai dit", "comme déjà mentionné", "évidemment", "vous auriez dû", "tu aurais dû", "votre faute", "ta faute",
		"como ya dije", "como ya mencioné", "obviamente", "debería haber", "deberías haber", "su culpa", "tu culpa",
	}
	// empathy phrases are substrings, so that stems ("apolog", "frustrat")
	// cover their forms.
	empathy = []string{
		"sorry", "apolog", "understand", "i know how", "i can see", "frustrat", "disruptive", "stressful", "let you down",
		"every right", "not acceptable", "isn't acceptable", "appreciate your patience",
		"tut mir leid", "verstehe", "entschuldig", "ärgerlich", "frustrierend", "nachvollziehen", "bedauer", "jedes recht", "enttäuscht",
		"désolé", "désolée", "comprends", "frustrant", "excus", "regrett", "légitime",
		"siento", "lamento", "entiendo", "comprendo", "frustrante", "disculp", "toda la razón",
	}
)

// The word-boundary lists, prepared for matching in one pass.
var (
	futureList      = newPhraseList(futureWords...)
	instructionList = newPhraseList(instructions...)
	jargonList      = newPhraseList(jargon...)
	blameList       = newPhraseList(blame...)
)

// scan is a draft prepared once for the rules: links replaced by "LINK"
// and quotations by "QUOTE" (rules about the writer's own wording ignore
// what the draft quotes), lower-cased, split into sentences.
type scan struct {
	raw      string
	rawLow   string // raw, lower case
	own      string
	low      string
	sens     []string
	lows     []string // sens, lower case
	numbered []bool   // the sentence is on a numbered list line
	stems    map[string]bool
	hits     hits // the lexicon's phrases in low

	// Computed on first use, since two rules read each.
	update    *string  // updateTime
	addressed int      // questionCoverage
	whyNot    []string // questionCoverage
	covered   bool     // addressed and whyNot are set
}

func newScan(draft string) *scan {
	own := draft
	if strings.Contains(own, "://") {
		own = urlRE.ReplaceAllString(own, "LINK")
	}
	own = withoutQuotes(own)
	sc := &scan{raw: draft, own: own, rawLow: strings.ToLower(draft)}
	sc.low = sc.rawLow
	if own != draft {
		sc.low = strings.ToLower(own)
	}
	sc.stems = lowStemSet(sc.rawLow)
	sc.hits = lex.scan(sc.low)
	// Room for a usual draft's sentences, so the lists rarely grow.
	const sentencesUsual = 24
	sc.sens, sc.lows, sc.numbered = make([]string, 0, sentencesUsual), make([]string, 0, sentencesUsual), make([]bool, 0, sentencesUsual)
	for line := range strings.SplitSeq(own, "\n") {
		num := hasNumberedLine(line)
		for _, s := range sentences(line) {
			sc.sens = append(sc.sens, s)
			sc.lows = append(sc.lows, strings.ToLower(s))
			sc.numbered = append(sc.numbered, num)
		}
	}
	return sc
}

func scoreCompleteness(sc *scan, f *facts) Criterion {
	c := Criterion{Name: CriterionCompleteness}
	addressed, why := questionCoverage(sc, f)
	next := nextStep(sc)
	if addressed == len(f.questions) {
		c.Score++
	}
	if next != "" {
		c.Score++
	}
	if len(f.questions) == 0 {
		why = append([]string{"the customer asked no question"}, why...)
	} else {
		why = append([]string{fmt.Sprintf("%d of %d questions addressed", addressed, len(f.questions))}, why...)
	}
	if next != "" {
		why = append(why, "next step: "+next)
	} else {
		why = append(why, "no next step (no numbered steps, promised time or invitation to reply)")
	}
	c.Reason = strings.Join(why, "; ")
	return c
}

// questionCoverage counts the customer's questions the draft answers or
// acknowledges (shares key terms with, including one that sets the
// question apart from the subject and the other questions), and says why
// each other one is not.
func questionCoverage(sc *scan, f *facts) (int, []string) {
	if !sc.covered {
		sc.addressed, sc.whyNot = coverage(sc, f)
		sc.covered = true
	}
	return sc.addressed, slices.Clip(sc.whyNot)
}

func coverage(sc *scan, f *facts) (int, []string) {
	var why []string
	addressed := 0
	for i, q := range f.questions {
		terms := keyTerms(q)
		found, missing := termsInStems(terms, sc.stems)
		// What sets this question apart from the subject and the other
		// questions must be answered too, not just the shared topic.
		others := f.subject
		for j, o := range f.questions {
			if j != i {
				others += " " + o
			}
		}
		_, distinct := termsIn(terms, others)
		dFound, dMissing := termsInStems(distinct, sc.stems)
		switch {
		case len(found) < min(2, len(terms)):
			why = append(why, fmt.Sprintf("question “%s” not addressed (none of %s in the draft)", truncateWords(q, 12), quoteList(missing)))
		case len(distinct) > 0 && len(dFound) == 0:
			why = append(why, fmt.Sprintf("question “%s” not addressed (its own terms %s are missing)", truncateWords(q, 12), quoteList(dMissing)))
		default:
			addressed++
		}
	}
	return addressed, why
}

// nextStep names the next step the draft gives, or "".
func nextStep(sc *scan) string {
	switch {
	case hasNumberedLine(sc.raw):
		return "numbered steps"
	case updateTime(sc) != "":
		return "a promised update time"
	}
	for _, p := range invitePhrases {
		if strings.Contains(sc.low, p) {
			return "an invitation to reply or follow-up"
		}
	}
	return ""
}

// updateTime returns the sentence promising a time, or "".
func updateTime(sc *scan) string {
	if sc.update == nil {
		u := ""
		for i, s := range sc.sens {
			if hasClock(s) && futureList.first(sc.lows[i]) != "" {
				u = s
				break
			}
		}
		sc.update = &u
	}
	return *sc.update
}

func scoreClarity(sc *scan, f *facts) Criterion {
	c := Criterion{Name: CriterionClarity}
	var problems, good []string
	longest, total := 0, 0
	var longSentence string
	for _, s := range sc.sens {
		n := wordCount(s)
		total += n
		if n > longest {
			longest, longSentence = n, s
		}
	}
	avg := 0.0
	if len(sc.sens) > 0 {
		avg = float64(total) / float64(len(sc.sens))
	}
	switch {
	case longest > 35:
		problems = append(problems, fmt.Sprintf("a %d-word sentence (“%s”)", longest, truncateWords(longSentence, 8)))
	case avg > 22:
		problems = append(problems, fmt.Sprintf("sentences average %.0f words", avg))
	default:
		good = append(good, fmt.Sprintf("short sentences (average %.0f words, longest %d)", avg, longest))
	}
	var used []string
	if jargonList.any(&sc.hits) {
		theirs := lex.scan(strings.ToLower(f.msg + " " + f.subject))
		for i, j := range jargon {
			if jargonList.has(&sc.hits, i) && !jargonList.has(&theirs, i) {
				used = append(used, j)
			}
		}
	}
	if len(used) > 0 {
		problems = append(problems, "jargon the customer did not use: "+quoteList(used))
	} else {
		good = append(good, "no jargon")
	}
	loose := 0
	for i, s := range sc.lows {
		if !sc.numbered[i] && instructionList.first(s) != "" {
			loose++
		}
	}
	if loose >= 2 {
		problems = append(problems, fmt.Sprintf("%d instructions not in numbered steps", loose))
	} else if hasNumberedLine(sc.own) {
		good = append(good, "steps numbered")
	}
	wall := 0
	for _, b := range proseBlocks(sc.own) {
		if n := wordCount(b); n > 80 && n > wall {
			wall = n
		}
	}
	if wall > 0 {
		problems = append(problems, fmt.Sprintf("a %d-word paragraph (wall of text)", wall))
	} else {
		good = append(good, "no paragraph over 80 words")
	}
	if p := placeholder(sc.raw); p != "" {
		problems = append(problems, "an unfilled placeholder ("+p+")")
	}
	c.Score = max(0, 2-len(problems))
	if len(problems) == 0 {
		c.Reason = strings.Join(good, "; ")
	} else {
		c.Reason = strings.Join(problems, "; ")
	}
	return c
}

// proseBlocks splits text into runs of prose: paragraphs, with every list
// line a block of its own.
func proseBlocks(text string) []string {
	var out []string
	for _, p := range paragraphs(text) {
		var run []string
		flush := func() {
			if len(run) > 0 {
				out = append(out, strings.Join(run, " "))
				run = nil
			}
		}
		for line := range strings.SplitSeq(p, "\n") {
			if isListLine(line) {
				flush()
				out = append(out, line)
				continue
			}
			run = append(run, line)
		}
		flush()
	}
	return out
}

// placeholders are template slots left in a text.
var placeholders = []string{"{{", "}}", "[NAME]", "[CUSTOMER]", "[AGENT]", "[DATE]", "[TIME]", "[LINK]", "[URL]", "[PRODUCT]", "[AMOUNT]",
	"<name>", "<customer>", "<agent>", "<date>", "<link>", "TODO", "TBD"}

// placeholder returns the first placeholder left in text, or "".
func placeholder(text string) string {
	for _, p := range placeholders {
		if i := strings.Index(text, p); i >= 0 && (p[0] != 'T' || indexWord(text, p, 0) >= 0) {
			return p
		}
	}
	return ""
}

func scoreTone(sc *scan, f *facts) Criterion {
	c := Criterion{Name: CriterionTone}
	var problems, good []string
	dr := detectRegisterIn(sc.own, sc.low, &sc.hits, f.lang)
	cust := f.customer
	switch {
	case cust.Register == RegisterFormal && dr.Register == RegisterCasual:
		problems = append(problems, fmt.Sprintf("the customer writes formally (%s) but the draft is casual (%s)", quoteList(cust.Formal), quoteList(dr.Casual)))
	case cust.Register == RegisterCasual && dr.Register == RegisterFormal:
		problems = append(problems, fmt.Sprintf("the customer writes casually (%s) but the draft is formal (%s)", quoteList(cust.Casual), quoteList(dr.Formal)))
	case cust.Register == RegisterNeutral:
		good = append(good, "register: the customer's is neutral, any fits")
	default:
		good = append(good, "register matches the customer's ("+string(cust.Register)+")")
	}
	var blamed []string
	if blameList.any(&sc.hits) {
		for i, b := range blame {
			if blameList.has(&sc.hits, i) {
				blamed = append(blamed, b)
			}
		}
	}
	if len(blamed) > 0 {
		problems = append(problems, "blame: "+quoteList(blamed))
	} else {
		good = append(good, "no blame")
	}
	if f.req.Sentiment == sdk.SentimentNegative || f.req.Sentiment == sdk.SentimentAngry {
		found := ""
		for _, e := range empathy {
			if strings.Contains(sc.low, e) {
				found = e
				break
			}
		}
		if found == "" {
			problems = append(problems, "no empathy phrase for a "+f.req.Sentiment+" customer")
		} else {
			good = append(good, "empathy (“"+found+"”)")
		}
	}
	if n := strings.Count(sc.raw, "!"); n > 2 || strings.Contains(sc.raw, "!!") {
		problems = append(problems, fmt.Sprintf("%d exclamation marks", n))
	}
	c.Score = max(0, 2-len(problems))
	if len(problems) == 0 {
		c.Reason = strings.Join(good, "; ")
	} else {
		c.Reason = strings.Join(problems, "; ")
	}
	return c
}

func scoreProactivity(sc *scan, f *facts) Criterion {
	c := Criterion{Name: CriterionProactivity}
	var found, missing []string
	if hasTip(sc) {
		found = append(found, "a tip")
	} else {
		missing = append(missing, "tip")
	}
	if u := linkedArticle(sc.raw, f.articles); u != "" {
		found = append(found, "an article link ("+u+")")
	} else {
		missing = append(missing, "article link")
	}
	if s := updateTime(sc); s != "" {
		found = append(found, "an update time (“"+truncateWords(s, 10)+"”)")
	} else {
		missing = append(missing, "update time")
	}
	c.Score = min(2, len(found))
	switch {
	case len(found) == 0:
		c.Reason = "nothing beyond the direct answer: no tip, article link or update time"
	case len(missing) == 0:
		c.Reason = "offers " + strings.Join(found, ", ")
	default:
		c.Reason = "offers " + strings.Join(found, ", ") + "; no " + strings.Join(missing, " or ")
	}
	return c
}

// hasTip reports whether a sentence of the draft opens with "Tip:" or its
// equivalent.
func hasTip(sc *scan) bool {
	for _, s := range sc.lows {
		for _, p := range tipPrefixes {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
	}
	return false
}

// linkedArticle returns the first URL of as that draft links; with no
// articles given, any web link counts.
func linkedArticle(draft string, as []Article) string {
	if len(as) == 0 {
		return urlRE.FindString(draft)
	}
	for _, a := range as {
		if strings.Contains(draft, a.URL) {
			return a.URL
		}
	}
	return ""
}
