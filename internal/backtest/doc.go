// Package backtest replays a help desk's solved tickets through the real
// pipeline — enrichers, classifiers, plugins and the decide stage, exactly
// as `heard serve` wires them — as each ticket looked when it was opened,
// and compares heard's predictions with the values the agents finally set.
//
// Nothing is written: the pipeline's help desk is a snapshot of the fetched
// tickets whose Apply only records what live mode would have written, and
// its record store is in memory. The report says how many tickets live
// mode would have written to.
//
// This package is not a public API.
package backtest
