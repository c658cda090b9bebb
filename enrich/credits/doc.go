// Package credits applies support plans and their ticket credits
// (docs/policy.md, "Support plans and credits").
//
// A plan names the SLA tier its tickets get and a credit: unlimited, or N
// tickets per week, month, quarter or year. A plan may be limited to some
// products; an account can hold several plans (one per contract), listed
// in a customer attribute. For each new ticket, Policy.Select finds the
// account's plan for the ticket's product and Policy.Count counts the
// ticket against that plan's credit for the period the ticket was created
// in, through a Counter (the store), which counts each ticket once however
// often its events are delivered. A ticket beyond the credit is
// chargeable.
//
// Periods are calendar periods in the account's time zone (a customer
// attribute), else the configured zone, else the SLA calendar's: ISO weeks
// starting on Monday, calendar months, quarters starting in January, April,
// July and October, and calendar years.
//
// This package is not a public API.
package credits
