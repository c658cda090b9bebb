// Package archtest holds the test that enforces heard's import rules
// (STYLE.md §1) on every non-test Go file, alongside golangci's depguard:
// imports point toward sdk, peers do not import peers, and each third-party
// library stays in its one package.
//
// This package is not a public API.
package archtest
