package draft

import (
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// churnHigh reports whether a churn level starts the retention flow (high
// and above).
func churnHigh(level string) bool {
	return policy.RetentionLevel(level)
}

// Classify picks the draft situation for req: req.Situation when it is
// valid; otherwise, in this order:
//
//  1. a lawyer or legal action mentioned (signal.legal or the text) gets
//     the legal-threat shape: neutral, no admission, escalated;
//  2. a security report (tag security, signal.security or the text) gets
//     the security-report shape, even from an angry customer;
//  3. a request to cancel (signal.cancel or the text) gets the
//     cancellation shape: the retention flow;
//  4. an angry customer gets the angry-customer shape;
//  5. a high, very-high or critical churn level with no specific ask (no
//     question, no request, and no primary tag other than churn-risk)
//     gets proactive outreach; with an ask on an untagged or churn-risk
//     ticket it gets the billing shape; otherwise the tags decide;
//  6. a problem the customer says came back (signal.repeat or "again",
//     "third time") gets the repeat-issue shape, unless the tags make it
//     a how-to, feature or billing conversation;
//  7. the primary tag, then the other tags in order: billing → billing;
//     feature-request → feature decline; how-to, onboarding, account →
//     how-to; bug, performance, integration → bug report; churn-risk →
//     billing;
//  8. with no known tag: how-to if the customer asked a question, else
//     "no answer yet".
//
// A how-to answer needs something to answer with: with no article at the
// answer threshold and no similar solved ticket's steps, it becomes "no
// answer yet", which says honestly what happens next.
func Classify(req Request) Situation {
	s, _ := classify(req, cues(req))
	return s
}

// classify is Classify with the reason for the choice. c is cues(req),
// which the caller computes once and hands to gatherCues as well.
func classify(req Request, c cue) (Situation, string) {
	if req.Situation.Valid() {
		return req.Situation, "situation set by the caller"
	}
	s, why := classifyShape(req, c)
	if s == SituationHowTo && !answerable(req) {
		return SituationUnknown, why + "; no article answers it (best answer " + bestAnswerText(req) + ")"
	}
	return s, why
}

// answerable reports whether a how-to has something to answer with: an
// article at the answer threshold or the steps of a similar solved ticket.
func answerable(req Request) bool {
	th := req.answerThreshold()
	for _, a := range usableArticles(req.Articles, defaultMaxArticles) {
		if a.Answer >= th {
			return true
		}
	}
	return len(pastSteps(req.PastReplies)) > 0
}

func bestAnswerText(req Request) string {
	best := 0.0
	for _, a := range req.Articles {
		best = max(best, a.Answer)
	}
	return strconv.FormatFloat(best, 'f', 2, 64) + ", below the threshold " + strconv.FormatFloat(req.answerThreshold(), 'f', 2, 64)
}

func classifyShape(req Request, c cue) (Situation, string) {
	tags := allTags(req)
	switch {
	case c.legal:
		return SituationLegal, "legal threat (" + c.why["legal"] + ")"
	case c.security:
		return SituationSecurity, "security report (" + c.why["security"] + ")"
	case c.cancel:
		return SituationCancel, "asks to cancel (" + c.why["cancel"] + ")"
	}
	if req.Sentiment == sdk.SentimentAngry {
		return SituationAngry, "sentiment angry"
	}
	if churnHigh(req.ChurnLevel) {
		ask, why := specificAsk(req, c.msg)
		switch {
		case !ask:
			return SituationOutreach, "churn level " + req.ChurnLevel + " and no specific ask"
		case len(tags) == 0 || tags[0] == policy.TagChurnRisk:
			return SituationBilling, "churn level " + req.ChurnLevel + " with a specific ask (" + why + ")"
		}
	}
	if c.repeat && !slices.ContainsFunc(tags, func(t string) bool {
		switch t {
		case policy.TagHowTo, policy.TagFeatureRequest, policy.TagBilling:
			return true
		}
		return false
	}) {
		return SituationRepeat, "the problem came back (" + c.why["repeat"] + ")"
	}
	for _, t := range tags {
		switch t {
		case policy.TagBilling:
			return SituationBilling, "tag " + t
		case policy.TagFeatureRequest:
			return SituationFeature, "tag " + t
		case policy.TagHowTo, policy.TagOnboarding, policy.TagAccount:
			return SituationHowTo, "tag " + t
		case policy.TagBug, policy.TagPerformance, policy.TagIntegration:
			return SituationBug, "tag " + t
		case policy.TagChurnRisk:
			return SituationBilling, "tag " + t
		}
	}
	t := req.Ticket
	var subject string
	if t != nil {
		subject = t.Subject
	}
	if len(questions(subject, c.msg)) > 0 { // c.msg is latestCustomerMessage(t)
		return SituationHowTo, "no known tag; the customer asks a question"
	}
	return SituationUnknown, "no known tag and no question"
}

// allTags is the primary tag followed by the other tags, lower case,
// without repeats.
func allTags(req Request) []string {
	var out []string
	for _, t := range append([]string{req.PrimaryTag}, req.Tags...) {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// requestRE finds a request in a message: please, can you, I need, I want
// to, refund, cancel, in the four languages.
var requestRE = mustFiltered(`(?i)(?:^|[^\pL\pN])(please|pls|can you|could you|would you|i need|we need|i want to|we want to|i'd like|we'd like|help me|refund\pL*|cancel\pL*|downgrade|` +
	`bitte|können sie|kannst du|ich brauche|wir brauchen|ich möchte|wir möchten|erstatt\pL*|kündig\pL*|` +
	`s'il vous plaît|pouvez-vous|peux-tu|j'ai besoin|nous avons besoin|je voudrais|rembours\pL*|résili\pL*|annul\pL*|` +
	`por favor|pueden|puede usted|necesito|necesitamos|quisiera|quiero|reembols\pL*|cancelar)(?:[^\pL\pN]|$)`)

// specificAsk reports whether the customer asks for something: a
// question, a request phrase, or a primary tag other than churn-risk.
// msg is latestCustomerMessage(req.Ticket).
func specificAsk(req Request, msg string) (bool, string) {
	t := req.Ticket
	var subject string
	if t != nil {
		subject = t.Subject
	}
	if q := questions(subject, msg); len(q) > 0 {
		return true, "asks a question"
	}
	if m := requestRE.FindStringSubmatch(msg); m != nil {
		return true, "asks: " + strings.ToLower(m[1])
	}
	if p := strings.ToLower(req.PrimaryTag); p != "" && p != policy.TagChurnRisk {
		return true, "tag " + p
	}
	return false, ""
}
