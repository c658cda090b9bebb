// Package enrich holds heard's deciding stages: pure functions that turn the
// facts gathered about a ticket (customer attributes, classifier
// predictions, timestamps) into decisions, following the support policy in
// docs/policy.md. Its subpackages do no IO and keep no state between calls:
//
//   - churn scores churn risk from text signals and customer attributes
//     (policy "Churn risk") and picks the largest retention offer allowed by MRR.
//   - sla computes first-response and resolution deadlines in business or
//     wall-clock time, the fraction of a target elapsed, and the warning
//     level reached (policy "Priority and SLA").
//   - route applies the routing rules, the always-rules and the escalation
//     triggers, and builds escalation notices (policy "Routing and escalation").
//   - gate decides, per field, which predictions are written back to the
//     help desk and which are only recorded (shadow mode, thresholds).
//
// The package itself composes them: Decider is the pipeline's decide stage
// (pipeline.Decider[Explanation]). It takes the ticket, the enrichers'
// attributes and the merged predictions, applies a priority a routing rule
// forces, computes churn, SLA due times, routing and escalations, drafts a
// reply, renders the internal note, and gates — in one gate.Decide call, for
// the connector's config.Mode — the fields, the note and the public reply.
// Customer facts come from Ticket.Customer and, taking precedence, from
// the enrichers' "customer.*" and "account.age_days" attributes
// (CustomerFacts; docs/plugins.md lists the keys).
//
// Explanation, what the stage concluded and why, is defined here, next to
// the results of the subpackages it is made of (churn.Result,
// route.Decision, draft.Draft, gate.Decision, …). The pipeline records it
// typed without importing this package: its Decider, DecideResult and
// Detail take the explanation's type as a type parameter, so a record reads
// back with one json.Unmarshal into pipeline.Detail[enrich.Explanation].
//
// Every policy number is a default an admin can override: each subpackage
// has a config type with yaml tags, a Default constructor returning exactly
// the documented values, and Validate.
//
// This package is not a public API.
package enrich
