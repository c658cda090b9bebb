// Package rules is heard's built-in offline classifier, component ID
// "classify.rules". It predicts a ticket's priority (P0..P3), one primary and
// up to two secondary tags, sentiment, language and the text signals that
// churn scoring, routing and escalation use (cancel, competitor, downgrade,
// legal, refund amount, security, outage, repeat, executive).
//
// Everything it knows lives in data: an embedded patterns.yaml that an admin
// can copy, edit and point Config.PatternsFile at. The file is decoded
// strictly (an unknown key is an error naming its line) and validated (tags
// must be in the taxonomy, priorities P0..P3, patterns must compile). Phrases
// are matched on case-folded, accent-stripped tokens, so "Kündigung",
// "kundigung" and "KÜNDIGUNG" are the same; a phrase preceded by a negation
// ("no data was lost") or inside a hypothetical ("if it ever goes down") does
// not fire. The latest customer message weighs most; agent messages are
// ignored; the customer's plan never changes priority (SLA handles tiers).
//
// Every prediction carries a confidence in [0,1] and a reason naming the
// phrases or facts that fired, with Source "classify.rules". A Classifier is
// immutable after New and safe for concurrent use; all patterns are compiled
// once in New and classification allocates little.
//
// This package is not a public API.
package rules
