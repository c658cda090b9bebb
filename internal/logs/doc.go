// Package logs builds heard's process logger: records a person can read at
// INFO. A record never repeats a key, and the queue library's (River's)
// INFO chatter (clients starting, maintenance runs, job counts) is logged
// at DEBUG, keeping its warnings and errors.
//
// It is part of heard, not a public API.
package logs
