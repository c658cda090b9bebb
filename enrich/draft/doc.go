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
// Classify picks one of the six draft situations (bug report, how-to,
// feature-request decline, billing, angry customer, proactive outreach)
// from the tags, sentiment and churn level.
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
// what was found or missing. A draft needs 8/10 to pass; drafts below that
// are still returned, with Rubric.Pass false, and NoteSection marks them.
//
// AutoReply applies the auto-reply policy: off by default; when enabled,
// only above the confidence threshold, only for an exact FAQ match,
// account-status questions, password reset or unlock, or service status
// during a known incident; never for security, angry or churn-risk tickets.
// The text it approves ends by offering a human.
//
// Everything here is pure computation except LLM.Draft, which calls the
// model. All exported functions and types are safe for concurrent use.
//
// This package is not a public API.
package draft
