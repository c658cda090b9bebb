// Package draft writes the suggested first reply that goes into the internal
// note, following the HEARD method of docs/policy.md (Hear, Empathize, Act,
// Resolve, Delight), scores it with the five-criterion rubric and decides
// whether a reply may be sent without an agent.
//
// The inputs are the package's own types (Request, Article): the caller
// copies in the ticket, the deciding stages' results (priority, tags,
// sentiment, language, SLA due times, churn level) and the matched
// help-center articles, so the package depends on neither kb nor enrich.
//
// Classify picks one of the draft situations (bug report, how-to,
// feature-request decline, billing, angry customer, proactive outreach,
// cancellation, security report, legal threat, repeat issue, no answer
// yet) from the classifiers' signals, text cues, tags, sentiment and churn
// level.
//
// Steps are quoted only from an article whose Answer (the probability
// that it answers the question) reaches the answer threshold; below it an
// article is at most listed as one that "may help", and a how-to with
// nothing that answers it becomes the honest "no answer yet" reply.
//
// Two Drafters produce a Draft:
//
//   - Template is the offline default. It fills the team's own wording for
//     the situation, in English, German, French or Spanish and in the
//     customer's register (formal or casual), with the customer's first
//     name, specifics taken from their latest message by deterministic
//     rules (subject, amounts, error messages and codes, invoice and order
//     numbers, versions, dates, product names), the questions they asked,
//     a timeline derived from the SLA due times, and the matched articles
//     as "Title — URL". It never invents an article: without one it says
//     the team will follow up.
//   - LLM asks a model for a draft grounded only in the matched articles
//     (ticket text redacted first), validates the structured answer (every
//     cited URL is a matched article and appears in the text, no other
//     link, no promise of money the request does not allow) and falls back
//     to the Template on any error or rejected answer, saying why in
//     Draft.Reason.
//
// Score is the rubric: personalization, completeness, clarity, tone and
// proactivity, 0–2 each, computed by explainable rules whose Reasons say
// what was found or missing, less 3 points for each Fault — what makes a
// draft wrong whatever its form (steps from an article that does not
// answer, an unanswered question, empathy that does not fit, a promise the
// SLA contradicts, an admission on a legal threat, internal wording or
// filler). A draft needs 8/10 and no fault to pass; drafts below that are
// still returned, with Rubric.Pass false, and NoteSection marks them.
//
// The template drafter's wording is an overlay (Wording) on the built-in
// phrasebooks: company, product, sign-off, tone and per-language phrases,
// validated with the line of every mistake.
//
// AutoReply applies the auto-reply policy: off by default; when enabled,
// only above the confidence threshold, only for an exact FAQ match,
// account-status questions, password reset or unlock, or service status
// during a known incident; never for security, legal, cancellation, angry
// or churn-risk tickets.
// The text it approves ends by offering a human.
//
// Everything here is pure computation except LLM.Draft, which calls the
// model. All exported functions and types are safe for concurrent use.
//
// This package is not a public API.
package draft
