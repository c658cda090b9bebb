// Package report computes the weekly support report (docs/policy.md,
// "The weekly report"): for one ISO week, from the ticket timelines and
// the decisions heard recorded, the volume by priority and category,
// first response and resolution times, SLA compliance, first-contact
// resolution, reopen rate, tickets per customer, CSAT and NPS, automation,
// backlog, escalations and the voice of the customer, with the previous
// weeks for trends. Build loads and computes a Report; WriteText,
// WriteMarkdown, WriteHTML and WriteJSON render it.
//
// A metric heard cannot know (no ratings, no tickets to divide by, no
// recorded decisions) is nil in the Report, null in JSON and "unknown" in
// the other formats, never zero.
//
// This package is not a public API.
package report
