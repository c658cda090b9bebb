// Package timeline keeps each ticket's timeline and runs its SLA clock.
//
// Observer turns every event the pipeline handles, with the ticket fetched
// for it, into timeline entries (store.Timeline): creation, public agent
// and customer replies, each wait on the customer and resume, solves,
// reopens, priority, plan, assignee and group changes, and satisfaction
// ratings. Entries are keyed so a redelivered event adds nothing.
//
// Job is the periodic task that works out the SLA clock (sla.Policy.Clock)
// of every open ticket from its timeline and, when a warning level of the
// ladder is reached for the first time in a period, records it on the
// timeline, counts it in heard_sla_warnings_total, logs it (a WARN from
// breach up) and, where the connector is live and the tags gate is
// enabled, adds the level's tag (heard-sla-80) to the ticket.
//
// This package is not a public API.
package timeline
