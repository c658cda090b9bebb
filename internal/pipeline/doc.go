// Package pipeline runs one queue job: event → ticket → redact → enrich →
// classify → gate → one write-back → record. Today it records each event as
// processed, exactly once per event key; later stages hang off Handle.
//
// Handle is idempotent: a job that runs again after a crash finds the record
// its first run wrote and does nothing twice.
//
// The decide stage is an interface, Decider[E], called with a
// DecideRequest (ticket, enrichers' attributes, predictions, the target's
// config.Mode) and answering a DecideResult[E]: the gated write-back, the
// record's index columns and an explanation of type E. The record stores E
// as a typed field (Detail[E].Decision), so reading a record back is one
// json.Unmarshal. E is a type parameter rather than a type defined here or
// in a package both sides import because the explanation is made of the
// results of the policy packages (churn scores, routes, drafts, gate
// decisions, with their methods and constants); moving all of them below
// the pipeline, or keeping a copy of each, would split every policy from
// its own output. The pipeline never looks inside E, so it need not know it.
//
// Redaction happens here and only here: the fetched ticket goes through
// Config.Redactor (with the requester's own name and e-mail address)
// before the enrichers, the classifiers, the plugins and the decide stage
// see it, and a solved ticket is redacted before it is indexed. The
// unredacted ticket stays in ctx (redact.Original) for plugins an
// administrator marked trusted, and DecideRequest.Requester carries the
// requester for the draft's greeting and per-customer counts.
//
// Shadow mode has one representation, config.Mode: the connector's config,
// Target.Mode, DecideRequest.Mode and Detail.Mode. The pipeline applies
// nothing unless the mode is config.ModeLive, whatever the Decider returns.
//
// Triage outcomes are counted in Prometheus metrics (metrics.go):
// predictions by field and value, gate holds by field and reason (the
// Decider reports them in DecideResult.Held), write-backs and auto-replies
// by connector, and stage durations. Every series is made in New from
// closed sets (the configured fields and their allowed values, the
// configured connectors, fixed reasons), so counting an event does not
// allocate and nothing a ticket says becomes a label.
//
// This package is not a public API.
package pipeline
