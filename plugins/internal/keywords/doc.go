// Package keywords is a small, deterministic classifier that looks for a
// few words in a ticket. The host's benchmark runs it in-process and as a
// plugin (plugins/testdata/keywords), so the difference between the two is
// the plugin call's overhead and nothing else.
//
// This package is internal to heard's tests and is not a public API.
package keywords
