// Package agreement measures how often agents agree with heard: Compare
// turns heard's predictions for a ticket and the values the agents left on
// it (the ticket as fetched once it was updated, solved or closed) into
// Feedback rows, and Summarize turns rows into a Report per field —
// predictions, agreement rate, the most common corrections, and how
// agreement and coverage move with the confidence threshold — which
// WriteText prints as aligned tables. `heard stats` and `heard backtest`
// print the same Report.
//
// Only priority (sdk.FieldPriority), the primary tag and the secondary
// tags are compared; the package is pure computation over the standard
// library and sdk.
//
// This package is not a public API.
package agreement
