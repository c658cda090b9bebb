// Package route decides where a ticket goes and who hears about it
// (docs/policy.md, "Routing and escalation"), from rules held as data.
//
// Three tables drive a Decision, all in Config:
//
//   - Rules pick the route: the first rule whose Match holds wins, and may
//     force a priority (security → P0); no match means DefaultRoute.
//   - The always-rules add flags: P0 escalates at once and notifies
//     on-call; a churn-risk tag starts the retention flow; security
//     escalates at once and is never auto-resolved; the same issue from
//     several customers goes to the product team; customers in their first
//     days get extra care.
//   - Escalation triggers each produce a Notice carrying what the policy
//     lists: ticket, customer as "name — plan — $MRR", summary, priority,
//     attempts, sentiment, business impact, action and deadline.
//
// Rules can be loaded from YAML with LoadRules, strictly: an unknown key is
// an error.
//
// This package is not a public API.
package route
