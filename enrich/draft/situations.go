package draft

import (
	"strings"

	"github.com/heardhq/heard/sdk"
)

// composeCancel is the retention flow of docs/policy.md: confirm the
// request was received; answer the reason given (competitor, price, a
// missing feature, a bad experience, changed needs) or ask for it; the
// largest offer the MRR allows, when the caller passes one; make leaving
// easy (nothing else to do, a pause instead, confirmation by a time); a
// tip about keeping their data. It never mentions a charge the customer
// did not mention.
func composeCancel(c *composer) {
	f := c.f
	c.hear(f.t("cancel_hear"), true, "")
	causes := f.cancelCauses()
	if len(causes) == 0 {
		c.add(f.t("cancel_ask_why"))
	}
	for _, cause := range causes {
		c.add(cause)
	}
	if offer := strings.TrimSpace(f.req.RetentionOffer); offer != "" {
		c.add(f.t("cancel_offer", "offer", offer))
	}
	c.add(f.t("cancel_easy"))
	c.numbered(f.t("next"), []string{f.t("cancel_step_confirm", "due", f.dueText), f.t("cancel_step_pause")})
	c.add(c.questionsLine())
	c.related(f.t("cancel_tip"), f.articles)
}

// Cancellation reasons in the customer's text, in the four languages.
var (
	priceRE      = mustFiltered(`(?i)(?:^|[^\pL])(too expensive|expensive|price|pricing|cost\pL*|budget|cheaper|zu teuer|preis\pL*|kosten|günstiger|trop cher|prix|coût\pL*|moins cher|demasiado caro|precio\pL*|coste\pL*|más barato)(?:[^\pL]|$)`)
	missingRE    = mustFiltered(`(?i)(?:^|[^\pL])(missing|lacks?|doesn't have|does not have|no way to|can't do|cannot do|fehlt|fehlen|manque|il manque|falta|no tiene)(?:[^\pL]|$)`)
	experienceRE = mustFiltered(`(?i)(?:^|[^\pL])(bugs?|broken|unreliable|keeps crashing|poor support|bad experience|frustrat\pL*|fehler|unzuverlässig|instable|peu fiable|errores|poco fiable)(?:[^\pL]|$)`)
	businessRE   = mustFiltered(`(?i)(?:^|[^\pL])(closing down|shutting down|downsizing|no longer need|don't need|project (?:ended|is over)|seasonal|brauchen (?:es|das) nicht mehr|plus besoin|ya no (?:lo )?necesitamos)(?:[^\pL]|$)`)
)

// cancelCauses are the answers to the reasons the customer gives for
// leaving, at most two; none when no reason is given.
func (f *facts) cancelCauses() []string {
	text := f.subject + "\n" + f.msg
	var out []string
	if comp := f.competitor(); comp != "" {
		out = append(out, f.t("cancel_competitor", "competitor", comp))
	}
	for _, r := range []struct {
		re  *filteredRE
		key string
	}{{priceRE, "cancel_price"}, {missingRE, "cancel_feature"}, {experienceRE, "cancel_experience"}, {businessRE, "cancel_business"}} {
		if len(out) == 2 {
			break
		}
		if r.re.MatchString(text) {
			out = append(out, f.t(r.key))
		}
	}
	return out
}

// movingToRE finds the product a customer says they are moving to: "move
// to Harvest", "switching over to Toggl Track", "wechseln zu Clockify",
// "passer à Harvest", "nos pasamos a Toggl". The name must be capitalized.
var movingToRE = mustFiltered(`(?:\b(?:[Mm]ov(?:e|ing)|[Ss]witch(?:ing)?|[Mm]igrat(?:e|ing)|[Gg]o(?:ing)? with)(?: over)? to|\b[Ww]echseln zu|\b[Ww]echsel zu|\bpass(?:er|ons|ons donc) à|\bpasamos a|\bcambiar a|\bcambiamos a)\s+(\p{Lu}[\pL\pN&-]*(?:\s\p{Lu}[\pL\pN&-]*)?)`)

// notNames are capitalized words that follow "move to" without naming a
// product.
var notNames = set("The", "Our", "A", "An", "Another", "Der", "Die", "Das", "Un", "Une", "Le", "La", "El", "Los", "Las", "Excel", "Google")

// competitor is the competitor the classifiers found (signal.competitor),
// as the customer wrote it; else the product the customer says they are
// moving to; else "".
func (f *facts) competitor() string {
	v := strings.TrimSpace(f.req.Signals[sdk.FieldSignalCompetitor])
	if v == "" || strings.EqualFold(v, "true") || hasPlaceholder(v) {
		if m := movingToRE.FindStringSubmatch(f.msg); m != nil && !notNames[strings.Fields(m[1])[0]] {
			return strings.TrimRight(m[1], ".,")
		}
		return ""
	}
	if i := strings.Index(strings.ToLower(f.msg), strings.ToLower(v)); i >= 0 && len(f.msg) == len(strings.ToLower(f.msg)) {
		return f.msg[i : i+len(v)]
	}
	return v
}

// composeSecurity: thanks; passed to the security team; no details in
// this conversation; numbered next steps with the time; a tip to keep
// reports private. No outage empathy, no request to reproduce, no
// articles (a security report is not a how-to).
func composeSecurity(c *composer) {
	f := c.f
	c.hear(f.t("security_hear", "topic", f.quotedTopic()), false, "")
	c.add(f.t("security_empathy"))
	c.add(f.t("security_act"), f.t("security_nodetails"))
	c.numbered(f.t("next"), []string{f.t("security_step1"), f.t("security_step2", "due", f.dueText), f.t("security_step3")})
	c.add(f.t("security_tip"))
}

// composeLegal: neutral thanks; an acknowledgement without admission;
// passed to the colleagues responsible; when they reply; an invitation to
// send documents; a tip. No apology for the facts, no compensation, no
// articles.
func composeLegal(c *composer) {
	f := c.f
	c.hear(f.t("legal_hear", "topic", f.quotedTopic()), true, "")
	c.add(f.t("legal_empathy"))
	c.add(f.t("legal_act"))
	c.numbered(f.t("next"), []string{f.t("legal_step1", "due", f.dueText), f.t("legal_step2")})
	c.add(f.t("legal_tip"))
}

// countRE finds "third time this month" and its equivalents, to repeat
// back.
var countRE = mustFiltered(`(?i)((?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time(?: (?:this|in a) (?:week|month|year))?|(?:zweite|dritte|vierte)s? mal(?: (?:diese[nm]?|im) (?:woche|monat|jahr))?|(?:deuxième|troisième|quatrième) fois(?: (?:ce|cette) (?:semaine|mois|année))?|(?:segunda|tercera|cuarta) vez(?: (?:este|esta) (?:semana|mes|año))?)`)

// composeRepeat: the problem came back, acknowledged (with the count the
// customer gave); an apology; what is different this time; numbered next
// steps with the time; related articles; a tip.
func composeRepeat(c *composer) {
	f := c.f
	parts := []string{f.t("repeat_hear", "topic", f.quotedTopic())}
	if m := countRE.FindString(f.msg); m != "" {
		parts = append(parts, f.t("repeat_count", "what", m))
	}
	if items := f.mentionable(); len(items) > 0 {
		parts = append(parts, f.t("mentioned", "items", f.list(items)))
	}
	c.hearWith(parts)
	c.add(f.t("repeat_empathy"))
	c.add(f.t("repeat_different"))
	c.numbered(f.t("next"), []string{f.t("repeat_step1"), f.t("repeat_step2", "due", f.dueText), f.t("repeat_step3")})
	c.add(c.questionsLine())
	c.related(f.t("repeat_tip"), f.articles)
}

// composeUnknown is the honest "we don't know yet": the question heard;
// no ready answer and no guess; who looks at it; numbered next steps with
// the time; articles that may help, said to be unsure; a tip.
func composeUnknown(c *composer) {
	f := c.f
	if len(f.questions) == 1 {
		q := f.questions[0]
		c.hear(f.t("howto_hear_q", "q", f.quote(truncateWords(q, 25))), true, q)
	} else {
		c.hear(f.t("unknown_hear", "topic", f.quotedTopic()), true, "")
	}
	c.add(f.t("unknown_honest"), f.t("unknown_act"))
	c.numbered(f.t("next"), []string{f.t("unknown_step1"), f.t("unknown_step2", "due", f.dueText), f.t("unknown_step3")})
	c.mayHelp(f.articles)
	c.add(f.t("unknown_tip"))
}
