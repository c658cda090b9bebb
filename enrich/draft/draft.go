package draft

import (
	"context"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Situation is one of the draft shapes of docs/policy.md, "Replies: the
// HEARD method".
type Situation string

// The draft situations.
const (
	SituationBug      Situation = "bug-report"         // first reply to a bug report
	SituationHowTo    Situation = "how-to"             // first reply to a how-to question
	SituationFeature  Situation = "feature-decline"    // declining a feature request
	SituationBilling  Situation = "billing"            // billing or refund
	SituationAngry    Situation = "angry-customer"     // angry customer
	SituationOutreach Situation = "proactive-outreach" // outreach to a high-risk customer
	SituationCancel   Situation = "cancellation"       // a cancellation request: the retention flow
	SituationSecurity Situation = "security-report"    // a security disclosure
	SituationLegal    Situation = "legal-threat"       // a lawyer or legal action is mentioned
	SituationRepeat   Situation = "repeat-issue"       // a problem that came back
	SituationUnknown  Situation = "no-answer-yet"      // nothing known answers it yet
)

// Situations returns every situation, in the documented order.
func Situations() []Situation {
	return []Situation{SituationBug, SituationHowTo, SituationFeature, SituationBilling, SituationAngry, SituationOutreach,
		SituationCancel, SituationSecurity, SituationLegal, SituationRepeat, SituationUnknown}
}

// Valid reports whether s is one of the situations.
func (s Situation) Valid() bool {
	switch s {
	case SituationBug, SituationHowTo, SituationFeature, SituationBilling, SituationAngry, SituationOutreach,
		SituationCancel, SituationSecurity, SituationLegal, SituationRepeat, SituationUnknown:
		return true
	}
	return false
}

// Label is the situation in words, for the internal note.
func (s Situation) Label() string {
	switch s {
	case SituationBug:
		return "first reply to a bug report"
	case SituationHowTo:
		return "how-to answer"
	case SituationFeature:
		return "feature request declined"
	case SituationBilling:
		return "billing or refund"
	case SituationAngry:
		return "angry customer"
	case SituationOutreach:
		return "proactive outreach"
	case SituationCancel:
		return "cancellation and retention"
	case SituationSecurity:
		return "security report"
	case SituationLegal:
		return "legal threat"
	case SituationRepeat:
		return "repeat issue"
	case SituationUnknown:
		return "no answer yet"
	}
	return string(s)
}

// Register is how formally the customer writes, and so how the reply
// should.
type Register string

// Registers. RegisterNeutral means no marker either way; replies to a
// neutral message are casual.
const (
	RegisterNeutral Register = "neutral"
	RegisterFormal  Register = "formal" // "Dear", "Kind regards", Sie, vous, usted
	RegisterCasual  Register = "casual" // "Hi", "Cheers", du, tu, tú
)

// Article is one matched help-center article. Only articles in
// Request.Articles may be cited; both drafters link them as "Title — URL".
type Article struct {
	Title   string `json:"title"`
	URL     string `json:"url"`
	Snippet string `json:"snippet,omitempty"` // the matched text; how-to steps are taken from it
	// Score is the search relevance in [0, 1]; AutoReply treats a top
	// article at AutoReplyConfig.FAQMinScore or above as an exact FAQ match.
	Score float64 `json:"score"`
	// Answer is the calibrated probability in [0, 1] that this article
	// answers the customer's question. Steps are quoted only from an
	// article at Request.AnswerThreshold or above; below it an article is
	// at most listed as one that "may help".
	Answer float64 `json:"answer"`
}

// DefaultAnswerThreshold is the Answer an article needs before a draft
// quotes its steps, when Request.AnswerThreshold is zero.
const DefaultAnswerThreshold = 0.8

// mayHelpFraction is the share of the answer threshold an article needs
// to be listed as one that "may help" (or a relevance Score of
// mayHelpScore); it must also share a key term of its title with the
// customer's message. The answer confidence judges the top match against
// the runner-up, so a strongly relevant second article can have a low
// Answer and still be worth a look.
const (
	mayHelpFraction = 0.5
	mayHelpScore    = 0.6
)

// mayHelp reports whether a, which does not answer the question, may
// still be listed as one that "may help" a customer whose message is text.
// On its answer confidence a title word sharing a stem with the message is
// enough; on relevance alone a title word must be one of the message's
// own words (or its plural), since a shared stem is too weak a tie
// ("accounting" and "account").
func mayHelp(a Article, threshold float64, text string) bool {
	switch {
	case a.Answer >= threshold*mayHelpFraction:
		shared, _ := termsInStems(keyTerms(a.Title), stemSet(text))
		return len(shared) > 0
	case a.Score >= mayHelpScore:
		own := map[string]bool{}
		for _, w := range words(text) {
			own[w], own[w+"s"], own[w+"es"] = true, true, true
		}
		for _, t := range keyTerms(a.Title) {
			if own[t] {
				return true
			}
		}
	}
	return false
}

// PastReply is an agent's public reply to a solved ticket similar to the
// one being answered.
type PastReply struct {
	Subject string  `json:"subject"`
	Reply   string  `json:"reply"`
	Score   float64 `json:"score"` // similarity in [0, 1]
}

// Request is everything a drafter needs. Only Ticket is required; every
// other field has a documented fallback.
type Request struct {
	// Ticket is the ticket to reply to; its messages are already redacted.
	// The latest message not from an agent is the one the draft answers.
	Ticket *sdk.Ticket
	// Priority sets the fallback timeline when ResolutionDue is unknown.
	Priority sdk.Priority
	// PrimaryTag and Tags (secondary tags, or all tags) drive Classify.
	PrimaryTag string
	Tags       []string
	// Sentiment is one of the sdk.Sentiment* values; "" is unknown.
	Sentiment string
	// Language is an ISO 639-1 code ("en", "de", "fr", "es"; "de-AT" is
	// read as "de"); anything else, or "", gets English.
	Language string
	// Situation forces a draft shape; "" lets Classify choose.
	Situation Situation
	// Articles are the matched articles, best first.
	Articles []Article
	// AnswerThreshold is the Article.Answer an article needs before its
	// steps are quoted; 0 means DefaultAnswerThreshold.
	AnswerThreshold float64
	// Signals are the signal fields the classifiers found (sdk.FieldSignal*
	// to value: signal.cancel, signal.legal, signal.security,
	// signal.repeat, ...). With text cues they pick the cancellation,
	// legal, security and repeat situations.
	Signals map[string]string
	// PastReplies are how agents answered similar solved tickets, best
	// first, already redacted. They ground a draft only when no article
	// matched, and are never linked or named to the customer.
	PastReplies []PastReply
	// FirstResponseDue and ResolutionDue are the SLA deadlines; the zero
	// time is unknown. See NextUpdate for how the promised time is chosen.
	FirstResponseDue time.Time
	ResolutionDue    time.Time
	// ChurnLevel is the churn level's name ("healthy", "watch", "high",
	// "very-high", "critical"); "" is unknown.
	ChurnLevel string
	// RetentionOffer is the largest retention offer allowed, offered only
	// in a billing reply to a churn-risk ticket; "" offers nothing.
	RetentionOffer string
	// Compensation is what the team has approved for this ticket, e.g.
	// "a refund of $49.00" or "one month's credit". Drafts never promise
	// money or credit unless it is set.
	Compensation string
	// KnownIncident reports an ongoing incident on the status page; only
	// then may service-status questions be auto-replied.
	KnownIncident bool
	// Products are product and feature names worth quoting when the
	// customer mentions them (the team's glossary), in addition to the
	// common browsers, systems and integrations the package knows.
	Products []string
	// AgentName signs the reply; "" means a localized "Support team".
	AgentName string
	// Location is the time zone of the times shown to the customer; nil
	// means UTC.
	Location *time.Location
	// Now is the current time; zero means time.Now().
	Now time.Time
}

// Draft sources.
const (
	SourceTemplate = "template"
	SourceLLM      = "llm"
)

// Draft is a suggested reply with its rubric.
type Draft struct {
	// Text is the reply, plain text, paragraphs separated by blank lines.
	Text      string    `json:"text"`
	Situation Situation `json:"situation"`
	// Source is SourceTemplate or SourceLLM.
	Source string `json:"source"`
	// Language and Register are what the reply was written in.
	Language string   `json:"language"`
	Register Register `json:"register"`
	Rubric   Rubric   `json:"rubric"`
	// Reason says how the draft came about: the situation and why it was
	// chosen, and for a template draft written after a failed LLM call,
	// why the LLM draft was not used.
	Reason string `json:"reason"`
	// CitedURLs are the article URLs the text links, in order.
	CitedURLs []string `json:"cited_urls,omitempty"`
}

// Drafter writes a draft reply.
//
// Implementations are safe for concurrent use. Draft returns an error
// wrapping sdk.ErrInvalid for a request without a ticket; a drafter that
// can fall back (LLM) returns the fallback's draft rather than its own
// error. The returned Draft's Rubric is filled by Score. ctx bounds any IO.
type Drafter interface {
	Draft(ctx context.Context, req Request) (Draft, error)
}

// now returns req.Now or the wall clock.
func (r Request) now() time.Time {
	if r.Now.IsZero() {
		return time.Now()
	}
	return r.Now
}

// answerThreshold returns req.AnswerThreshold or the default.
func (r Request) answerThreshold() float64 {
	if r.AnswerThreshold <= 0 {
		return DefaultAnswerThreshold
	}
	return r.AnswerThreshold
}

// location returns req.Location or UTC.
func (r Request) location() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}
