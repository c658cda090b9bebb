// Package churn scores a ticket's churn risk from 0 to 100 (docs/policy.md,
// "Churn risk").
//
// The score is the sum of the signals present, capped: three come from the
// ticket text (cancel, competitor, downgrade; found by classifiers and passed
// in as TextSignals) and five from customer attributes (negative
// interactions, usage trend, payment status, last login, renewal date with
// engagement). An attribute that is missing or cannot be parsed is never
// guessed: its signal counts 0 and is listed in Result.Unknown.
//
// The score maps to a level and its action, and the customer's MRR to the
// largest retention offer. Points, thresholds, levels and offers are data in
// Policy; DefaultPolicy returns the documented defaults.
//
// This package is not a public API.
package churn
