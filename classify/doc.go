// Package classify runs heard's classifiers and merges what they say.
//
// Built-in classifiers live in subpackages (rules: offline patterns; llm: any
// OpenAI-compatible model); plugins implement the same sdk.Classifier. Run
// calls every classifier concurrently, each under its own timeout, and a
// failing or slow classifier only loses its own predictions. Merge then
// decides one value per field with a documented, configurable policy:
//
//   - highest_confidence (the default): for each field the prediction with
//     the highest confidence wins; ties go to the source listed first in
//     Sources, then to the earlier prediction.
//   - source_order: the first source in Sources that predicted the field
//     wins, whatever its confidence (e.g. trust a VIP plugin over the rules).
//
// Secondary tags are merged as a set: every source's secondary tags, best
// confidence per tag, minus the primary tag, the top MaxSecondary (2) kept.
//
// Hard rules run last and override everything: when a prediction matches
// a rule's When, the rule sets its fields with confidence 1 and its own
// reason. The default rule is the policy's security rule (policy.Security,
// docs/policy.md "Routing and escalation"): a security signal or the
// security tag makes the ticket P0 with the primary tag security.
//
// This package is not a public API.
package classify
