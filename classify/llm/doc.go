// Package llm is the LLM classifier, "classify.llm": it asks an
// OpenAI-compatible model (through internal/llm) for a ticket's priority,
// tags, sentiment, language, product area and churn text signals, and turns
// the structured answer into sdk.Predictions.
//
// What leaves the process: the ticket's subject and messages (oldest
// first, each labelled customer or agent), passed through
// internal/redact first, and the field definitions. Requester names,
// e-mail addresses and customer attributes are never sent.
//
// The request carries a strict JSON Schema whose enums are the allowed
// values: the taxonomy (or a field's FieldSpec.Allowed list) for tags,
// P0-P3 for priority, and so on. The answer is validated again here,
// strictly, because not every OpenAI-compatible server enforces the
// schema: an unknown or missing field, a value outside the allowed set, a
// confidence outside [0,1], more than two secondary tags or an empty reason
// makes the whole answer invalid.
//
// On any failure (timeout, transport error, rate limit, invalid answer) the
// classifier returns the fallback classifier's predictions and logs why,
// without ticket text. The LLM call is bounded by Config.Timeout and also
// ends before the caller's deadline (leaving a tenth of the remaining time,
// up to a second), so the fallback still has time to answer. Predictions from the model carry Source "classify.llm"
// and a Reason prefixed "llm: ".
//
// Token usage is counted per classifier: Stats returns the calls made, the
// fallbacks taken and the summed llm.Usage since New. Each call also logs
// its usage at debug level.
//
// This package is not a public API.
package llm
