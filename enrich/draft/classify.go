package draft

import (
	"regexp"
	"slices"
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
//  1. an angry customer gets the angry-customer shape, unless the ticket
//     is a security report (which gets the bug-report shape);
//  2. a high, very-high or critical churn level with no specific ask (no
//     question, no request, and no primary tag other than churn-risk)
//     gets proactive outreach; with an ask on an untagged or churn-risk
//     ticket it gets the billing shape (cancelling or downgrading is a
//     billing conversation); otherwise the tags decide;
//  3. the primary tag, then the other tags in order: billing → billing;
//     feature-request → feature decline; how-to, onboarding, account →
//     how-to; bug, performance, integration, security → bug report;
//     churn-risk → billing (a cancellation is a billing conversation);
//  4. with no known tag: how-to if the customer asked a question, else bug
//     report.
func Classify(req Request) Situation {
	s, _ := classify(req)
	return s
}

// classify is Classify with the reason for the choice.
func classify(req Request) (Situation, string) {
	if req.Situation.Valid() {
		return req.Situation, "situation set by the caller"
	}
	tags := allTags(req)
	security := slices.Contains(tags, policy.TagSecurity)
	if req.Sentiment == sdk.SentimentAngry {
		if security {
			return SituationBug, "angry, but a security report gets the bug-report shape"
		}
		return SituationAngry, "sentiment angry"
	}
	if churnHigh(req.ChurnLevel) {
		ask, why := specificAsk(req)
		switch {
		case !ask:
			return SituationOutreach, "churn level " + req.ChurnLevel + " and no specific ask"
		case len(tags) == 0 || tags[0] == policy.TagChurnRisk:
			return SituationBilling, "churn level " + req.ChurnLevel + " with a specific ask (" + why + ")"
		}
	}
	for _, t := range tags {
		switch t {
		case policy.TagBilling:
			return SituationBilling, "tag " + t
		case policy.TagFeatureRequest:
			return SituationFeature, "tag " + t
		case policy.TagHowTo, policy.TagOnboarding, policy.TagAccount:
			return SituationHowTo, "tag " + t
		case policy.TagBug, policy.TagPerformance, policy.TagIntegration, policy.TagSecurity:
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
	if len(questions(subject, latestCustomerMessage(t))) > 0 {
		return SituationHowTo, "no known tag; the customer asks a question"
	}
	return SituationBug, "no known tag and no question"
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
var requestRE = regexp.MustCompile(`(?i)(?:^|[^\pL\pN])(please|pls|can you|could you|would you|i need|we need|i want to|we want to|i'd like|we'd like|help me|refund\pL*|cancel\pL*|downgrade|` +
	`bitte|können sie|kannst du|ich brauche|wir brauchen|ich möchte|wir möchten|erstatt\pL*|kündig\pL*|` +
	`s'il vous plaît|pouvez-vous|peux-tu|j'ai besoin|nous avons besoin|je voudrais|rembours\pL*|résili\pL*|annul\pL*|` +
	`por favor|pueden|puede usted|necesito|necesitamos|quisiera|quiero|reembols\pL*|cancelar)(?:[^\pL\pN]|$)`)

// specificAsk reports whether the customer asks for something: a
// question, a request phrase, or a primary tag other than churn-risk.
func specificAsk(req Request) (bool, string) {
	t := req.Ticket
	var subject string
	if t != nil {
		subject = t.Subject
	}
	msg := latestCustomerMessage(t)
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
