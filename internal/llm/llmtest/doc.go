// Package llmtest runs a local OpenAI-compatible server for tests: POST
// /v1/chat/completions, POST /v1/embeddings and GET /v1/models on an
// httptest.Server.
//
// Every request is validated against the official OpenAI OpenAPI
// description (testdata/openai-openapi.yaml, an unchanged copy of
// github.com/openai/openai-openapi's openapi.yaml) with
// internal/openapicheck, the contract checker the sandbox help desks use
// too. A request that fails gets a 400 with the validation error and is
// recorded; New fails the test at cleanup if any request failed, so
// a test cannot pass while sending something the real API would reject.
// The 2xx responses the server sends are validated against the same
// description, which keeps the scripted answers honest.
//
// Tests script the chat endpoint with Server.Respond and helpers for the
// cases a client must survive: JSONAnswer, InvalidJSON, OutOfEnum, Slow,
// RateLimited, ServerError and Sequence. The server counts requests and
// keeps their bodies, so tests can check what left the process.
//
// The description is about 3 MB; it is parsed once per test binary.
//
// This package is not a public API.
package llmtest
