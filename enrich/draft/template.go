package draft

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// ID is the component ID of the drafters, used in logs.
const ID = "enrich.draft"

// DefaultAgentName signs English replies when neither the request nor the
// config names an agent; other languages use their own "Support team".
const DefaultAgentName = "Support team"

// TemplateConfig configures the template drafter.
type TemplateConfig struct {
	// AgentName signs replies when the request has no AgentName. Empty
	// means the reply language's "Support team".
	AgentName string `yaml:"agent_name"`
	// MaxArticles bounds the articles a draft links. Zero means 3.
	MaxArticles int `yaml:"max_articles"`
	// Wording is the team's own wording: company and product name,
	// sign-off, tone, and extra or replacement phrases per situation and
	// language, over the built-in phrasebooks.
	Wording `yaml:",inline"`
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c TemplateConfig) Validate() error {
	var errs []error
	if c.MaxArticles < 0 || c.MaxArticles > 10 {
		errs = append(errs, fmt.Errorf("max_articles %d: want 0 (default 3) to 10", c.MaxArticles))
	}
	if strings.ContainsAny(c.AgentName, "\n\r") {
		errs = append(errs, errors.New("agent_name: must be one line"))
	}
	errs = append(errs, c.validate()...)
	if len(errs) > 0 {
		return fmt.Errorf("%s template config: %w: %w", ID, errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// Template is the offline drafter: the team's own wording for each
// situation, filled from the request. It is safe for concurrent use.
type Template struct {
	cfg TemplateConfig
	log *slog.Logger
}

var _ Drafter = (*Template)(nil)

// NewTemplate returns a template drafter. A nil logger discards logs.
func NewTemplate(cfg TemplateConfig, logger *slog.Logger) (*Template, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Template{cfg: cfg, log: logger.With("component", ID)}, nil
}

// Draft writes the reply for req's situation (see Classify) and scores it.
// It fails only for a request without a ticket.
func (t *Template) Draft(ctx context.Context, req Request) (Draft, error) {
	if req.Ticket == nil {
		return Draft{}, fmt.Errorf("%s: request without a ticket: %w", ID, sdk.ErrInvalid)
	}
	c := cues(req) // once: classify and gather both read them
	s, why := classify(req, c)
	w := t.cfg.Wording
	if w.Product != "" {
		req.Products = append(slices.Clip(req.Products), w.Product)
	}
	f := gatherCues(req, s, t.cfg.MaxArticles, c)
	f.pb = w.book(f.lang)
	switch w.Tone {
	case ToneFormal:
		f.formal = true
	case ToneCasual:
		f.formal = false
	}
	f.company, f.product = w.Company, w.Product
	text, cited := compose(f, t.cfg.AgentName, w.extra(f.lang, s))
	text = w.fill(text, f.agent(t.cfg.AgentName))
	d := Draft{
		Text: text, Situation: s, Source: SourceTemplate, Language: f.lang, Register: replyRegister(f.formal),
		Reason: "template " + string(s) + " (" + why + ")", CitedURLs: cited,
	}
	d.Rubric = score(text, f)
	t.log.DebugContext(ctx, "draft written", "ticket_id", req.Ticket.Ref.ID, "situation", string(s),
		"language", f.lang, "rubric_total", d.Rubric.Total)
	return d, nil
}

func replyRegister(formal bool) Register {
	if formal {
		return RegisterFormal
	}
	return RegisterCasual
}

// composer collects a reply paragraph by paragraph.
type composer struct {
	f     *facts
	paras []string
	cited []string
}

// add appends a paragraph of the non-empty sentences given.
func (c *composer) add(sentences ...string) {
	var keep []string
	for _, s := range sentences {
		if s = strings.TrimSpace(s); s != "" {
			keep = append(keep, s)
		}
	}
	if len(keep) > 0 {
		c.paras = append(c.paras, strings.Join(keep, " "))
	}
}

// numbered appends intro and a numbered list as one paragraph.
func (c *composer) numbered(intro string, items []string) {
	lines := []string{intro}
	for i, it := range items {
		lines = append(lines, strconv.Itoa(i+1)+". "+it)
	}
	c.paras = append(c.paras, strings.Join(lines, "\n"))
}

// bullets appends intro and a bulleted list as one paragraph.
func (c *composer) bullets(intro string, items []string) {
	lines := []string{intro}
	for _, it := range items {
		lines = append(lines, "- "+it)
	}
	c.paras = append(c.paras, strings.Join(lines, "\n"))
}

// link renders an article and records its URL as cited.
func (c *composer) link(a Article) string {
	c.cited = append(c.cited, a.URL)
	return c.f.article(a)
}

func (c *composer) links(as []Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = c.link(a)
	}
	return out
}

// greeting is the salutation paragraph.
func (c *composer) greeting() {
	f := c.f
	if f.first == "" {
		c.add(f.t("greet_anon"))
		return
	}
	c.add(f.t("greet_named", "name", f.first, "fullname", f.full))
}

// hear adds the opening sentence, the specifics and the questions asked
// (one inline, several as a list).
func (c *composer) hear(opening string, specifics bool, skip string) {
	f := c.f
	parts := []string{opening}
	if items := f.mentionable(); specifics && len(items) > 0 {
		parts = append(parts, f.t("mentioned", "items", f.list(items)))
	}
	var qs []string
	for _, q := range f.questions {
		if q != skip && !strings.Contains(skip, strings.TrimRight(q, "?")) {
			qs = append(qs, f.quote(truncateWords(q, 25)))
		}
		if len(qs) == 4 {
			break
		}
	}
	if len(qs) == 1 {
		parts = append(parts, f.t("asked_one", "q", qs[0]))
	}
	c.add(parts...)
	if len(qs) > 1 {
		c.bullets(f.t("asked_many"), qs)
	}
}

// related adds the articles not linked yet, under "Related reading".
func (c *composer) related(tip string, as []Article) {
	if len(as) == 0 {
		c.add(tip)
		return
	}
	c.add(tip)
	c.bullets(c.f.t("related"), c.links(as))
}

func (c *composer) signoff(agentDefault string) {
	lines := c.f.t("signoff") + "\n" + c.f.agent(agentDefault)
	if c.f.company != "" {
		lines += "\n" + c.f.company
	}
	c.paras = append(c.paras, lines)
}

// compose writes the reply for f.situation, with the team's extra
// sentence for it (may be "") before the sign-off, and returns it with the
// URLs it links.
func compose(f *facts, agentDefault, extra string) (string, []string) {
	c := &composer{f: f}
	c.greeting()
	switch f.situation {
	case SituationHowTo:
		composeHowTo(c)
	case SituationFeature:
		composeFeature(c)
	case SituationBilling:
		composeBilling(c)
	case SituationAngry:
		composeAngry(c)
	case SituationOutreach:
		composeOutreach(c)
	case SituationCancel:
		composeCancel(c)
	case SituationSecurity:
		composeSecurity(c)
	case SituationLegal:
		composeLegal(c)
	case SituationRepeat:
		composeRepeat(c)
	case SituationUnknown:
		composeUnknown(c)
	default:
		composeBug(c)
	}
	if extra != "" {
		c.add(f.t(extraPrefix + string(f.situation)))
	}
	c.signoff(agentDefault)
	return strings.Join(c.paras, "\n\n"), c.cited
}

// questionsLine says where the customer's questions get answered.
func (c *composer) questionsLine() string {
	switch {
	case len(c.f.questions) == 0:
		return ""
	case len(c.f.articles) > 0:
		return c.f.t("qa_articles")
	}
	return c.f.t("qa_later")
}

// composeBug: thanks and the issue; investigating; findings so far;
// numbered next steps with the update time; a tip.
func composeBug(c *composer) {
	f := c.f
	c.hear(f.t("bug_hear", "topic", f.quotedTopic()), true, "")
	if containsTag(f.req, policy.TagPerformance) {
		// Slowness is not "stops working".
		c.add(f.t("bug_empathy_slow"))
	} else {
		c.add(f.t("bug_empathy"))
	}
	act := []string{f.t("bug_act")}
	if f.req.Priority == sdk.P0 || f.req.Priority == sdk.P1 {
		act = append(act, f.t("bug_act_urgent"))
	}
	if len(f.articles) == 0 {
		c.add(append(act, f.t("bug_found_none"))...)
	} else {
		c.add(act...)
		c.bullets(f.t("bug_found_articles"), []string{c.link(f.articles[0])})
	}
	c.numbered(f.t("next"), []string{f.t("bug_step1"), f.t("bug_step2"), f.t("bug_step3", "due", f.dueText)})
	c.add(c.questionsLine())
	if len(f.articles) > 1 {
		c.related(f.t("bug_tip"), f.articles[1:])
	} else {
		c.add(f.t("bug_tip"))
	}
}

// composeHowTo: numbered, specific steps (from the best article) or the
// promise of them; an invitation to say more; a tip.
func composeHowTo(c *composer) {
	f := c.f
	if len(f.questions) == 1 {
		// One question: thank them for it, quoted, rather than repeat
		// "question" twice.
		q := f.questions[0]
		c.hear(f.t("howto_hear_q", "q", f.quote(truncateWords(q, 25))), true, q)
	} else {
		c.hear(f.t("howto_hear", "topic", f.quotedTopic()), true, "")
	}
	if f.access {
		// A locked-out or password question: no "setting this up".
		c.add(f.t("howto_access"))
	} else {
		c.add(f.t("howto_empathy"))
	}
	if len(f.answers) == 0 && len(f.past) > 0 {
		// No article answers it, but agents answered the same question
		// before.
		c.numbered(f.t("howto_steps"), f.past)
		c.add(f.t("howto_invite"))
		return
	}
	if len(f.answers) == 0 {
		// Nothing answers the question: never steps from an article that
		// does not (the caller forced the how-to shape).
		c.numbered(f.t("next"), []string{f.t("howto_none_1"), f.t("howto_none_2", "due", f.dueText), f.t("howto_none_3")})
		c.mayHelp(f.articles)
		c.add(f.t("howto_tip"))
		return
	}
	best := f.answers[0]
	if steps := snippetSteps(best.Snippet); len(steps) > 0 {
		c.numbered(f.t("howto_steps"), append(steps, f.t("howto_guide", "article", c.link(best))))
	} else {
		c.add(f.t("howto_guide_only", "article", c.link(best)))
	}
	c.add(f.t("howto_invite"))
	c.related(f.t("howto_tip"), without(f.articles, best))
}

// without is as without a.
func without(as []Article, a Article) []Article {
	var out []Article
	for _, x := range as {
		if x.URL != a.URL {
			out = append(out, x)
		}
	}
	return out
}

// mayHelp lists articles that may help but are not known to answer.
func (c *composer) mayHelp(as []Article) {
	if len(as) > 0 {
		c.bullets(c.f.t("may_help"), c.links(as))
	}
}

// composeFeature: the idea restated; not available today; logged with the
// product team; workarounds from the articles; a tip.
func composeFeature(c *composer) {
	f := c.f
	idea := f.idea()
	ideaText := f.t("topic_generic")
	if idea != "" {
		ideaText = f.quote(idea)
	}
	c.hear(f.t("feature_hear", "idea", ideaText), true, idea)
	c.add(f.t("feature_empathy"))
	c.add(f.t("feature_not_today"), f.t("feature_logged"))
	if len(f.articles) > 0 {
		c.numbered(f.t("feature_workarounds"), c.links(f.articles))
	} else {
		c.add(f.t("feature_none", "due", f.dueText))
	}
	c.add(f.t("feature_tip"))
}

// composeBilling: what the message and account show; the resolution
// (approved compensation, or the check and its outcome time); prevention;
// a retention offer for a churn-risk ticket; a tip.
func composeBilling(c *composer) {
	f := c.f
	parts := []string{f.t("billing_hear", "topic", f.quotedTopic())}
	if items := f.mentionable(); len(items) > 0 {
		parts = append(parts, f.t("billing_details", "items", f.list(items)))
	}
	if p := f.plan(); p != "" {
		parts = append(parts, f.t("billing_plan", "plan", p))
	}
	c.hearWith(parts)
	c.add(f.t("billing_empathy"))
	c.add(f.t("billing_act"))
	var steps []string
	if comp := strings.TrimSpace(f.req.Compensation); comp != "" {
		steps = append(steps, f.t("billing_comp", "comp", comp, "due", f.dueText))
	} else {
		steps = append(steps, f.t("billing_check"), f.t("billing_outcome", "due", f.dueText))
	}
	steps = append(steps, f.t("billing_prevent"))
	c.numbered(f.t("next"), steps)
	if offer := strings.TrimSpace(f.req.RetentionOffer); offer != "" && (containsTag(f.req, policy.TagChurnRisk) || churnHigh(f.req.ChurnLevel)) {
		c.add(f.t("billing_offer", "offer", offer))
	}
	c.related(f.t("billing_tip"), f.articles)
}

// hearWith is hear with a prepared opening: the questions follow.
func (c *composer) hearWith(parts []string) {
	c.hear(strings.Join(parts, " "), false, "")
}

// composeAngry: validation; numbered immediate, follow-up and prevention
// actions; compensation when approved; personal ownership and the update
// time; a tip. The plan is the answer to "what are you doing about it", so
// no separate line points at a later answer.
func composeAngry(c *composer) {
	f := c.f
	c.hear(f.t("angry_hear", "topic", f.quotedTopic()), true, "")
	if f.cue.repeat {
		c.add(f.t("angry_empathy"), f.t("angry_repeat"))
	} else {
		c.add(f.t("angry_empathy"))
	}
	c.numbered(f.t("angry_plan"), []string{f.t("angry_now"), f.t("angry_next", "due", f.dueText), f.t("angry_prevent")})
	if comp := strings.TrimSpace(f.req.Compensation); comp != "" {
		c.add(f.t("angry_comp", "comp", comp))
	}
	c.add(f.t("angry_owner"))
	c.related(f.t("angry_tip"), f.articles)
}

// composeOutreach: the signal noticed; a check-in on value; two or three
// concrete helps; no pressure; a tip.
func composeOutreach(c *composer) {
	f := c.f
	signals := f.outreachSignals()
	if len(signals) == 0 {
		signals = []string{f.t("sig_generic")}
	}
	c.hear(f.t("outreach_hear", "signals", f.list(signals)), false, "")
	c.add(f.t("outreach_empathy"), f.t("outreach_checkin"))
	helps := []string{f.t("help_call")}
	if len(f.articles) > 0 {
		helps = append(helps, f.t("help_guide", "article", c.link(f.articles[0])))
	}
	helps = append(helps, f.t("help_review"))
	c.numbered(f.t("outreach_helps"), helps)
	c.add(c.questionsLine())
	c.add(f.t("outreach_nopressure"))
	if len(f.articles) > 1 {
		c.related(f.t("outreach_tip"), f.articles[1:])
	} else {
		c.add(f.t("outreach_tip"))
	}
}

func containsTag(req Request, tag string) bool {
	for _, t := range allTags(req) {
		if t == tag {
			return true
		}
	}
	return false
}
