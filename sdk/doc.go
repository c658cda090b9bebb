// Package sdk is heard's public, versioned contract: the domain types that
// flow through the pipeline (TicketRef, Ticket, Event, Prediction, Changes),
// the extension interfaces (Connector, Classifier, Enricher), and the errors
// that cross package and process boundaries.
//
// Built-in connectors and classifiers implement the same interfaces as
// plugins, so the pipeline cannot tell them apart. The package imports only
// the standard library so it can become a nested module without changing its
// import path.
//
// Compatibility: exported names in this package follow semantic versioning
// with the heard release. Request and response structs may gain fields in a
// minor release; implementations must ignore fields they do not know.
package sdk
