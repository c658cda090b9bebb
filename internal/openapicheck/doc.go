// Package openapicheck checks HTTP requests and responses against an
// OpenAPI description, for the test doubles that stand in for a vendor's
// API: the sandbox help desks (sandbox/...) and the local OpenAI server
// (internal/llm/llmtest).
//
// Load parses a description without validating it as a whole (vendor
// descriptions rarely pass kin-openapi's document validation, although
// their operations validate requests fine) and builds a route table over
// every operation. Spec.Find maps a method and a path, relative to the
// description's first server URL, onto its Operation; Operation.CheckRequest
// and Operation.CheckResponse validate parameters, headers and JSON bodies
// and report every problem on one line. Validation on one Spec is
// serialised: kin-openapi compiles schemas lazily and promises nothing
// about concurrent use of one document.
//
// kin-openapi stays behind this package. The heard binary (cmd/heard) must
// never link it; internal/archtest enforces that.
//
// This package is not a public API.
package openapicheck
