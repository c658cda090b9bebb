// Package policy owns heard's support vocabulary: the words every stage
// agrees on when it classifies, scores, routes and writes back a ticket.
//
//   - Tags and their descriptions, as a Taxonomy value: Default (ten
//     tags) and Alternative (nine mutually exclusive topics), selectable by
//     name with Named and replaceable by configuration (a Taxonomy decoded
//     from YAML or JSON, checked with Validate).
//   - Priorities P0..P3 (the values themselves are sdk.Priority): what
//     each means, its default SLA targets, whether its clock runs 24/7,
//     and how it maps to each help desk's own priority values
//     (VendorPriority, PriorityFromVendor).
//   - Sentiments, the text signals classifiers raise (Signals), churn
//     levels and churn score signal names.
//   - The sdk.FieldSpec of every field classifiers are asked to predict
//     (FieldSpecs, PriorityField, TagFields, SentimentField).
//   - The single hard rule of the policy: a security report is P0
//     (Security). The classifier merge and the router both read it.
//
// The numbers and names here are defaults; docs/policy.md describes the
// policy and how each part is configured. Everything in the package is a
// constant or is returned as a fresh value the caller may modify. It
// imports only the standard library and sdk, so connectors, classifiers
// and enrichers can all read it.
//
// This package is not a public API.
package policy
