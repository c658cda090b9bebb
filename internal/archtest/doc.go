// Package archtest holds the test that enforces heard's import rules
// (STYLE.md §1) on every non-test Go file, alongside golangci's depguard:
// imports point toward sdk, peers do not import peers, and each third-party
// library stays in its one package; product packages do not import the
// sandbox. A second test lists what the heard binary links (go list -deps
// ./cmd/heard) and fails if the sandbox, the OpenAPI contract checker or
// kin-openapi are among it: they belong to cmd/heard-sandbox and tests.
//
// This package is not a public API.
package archtest
