// Package gate decides, field by field, which predictions are written back
// to the help desk and which are only recorded.
//
// Each field family has a gate, on or off, with a confidence threshold:
// "priority" for sdk.FieldPriority, "tags" for the primary and secondary
// tags, "note" for the internal note, and for any other field a gate under
// the field's own name, all of them also subject to the "fields" gate. A
// field without a gate is recorded and never written. The public reply
// (an auto-reply) passes when the auto-reply policy allowed it. In shadow
// mode (config.Mode, the connector's) nothing is written: every decision is
// recorded with the reason "shadow mode", and WouldWrite tells what live
// mode would have done.
//
// Decide returns the one combined sdk.Changes for the write-back and a
// Decision per prediction, the note and the reply explaining it.
//
// This package is not a public API.
package gate
