// Package llm is heard's client for OpenAI-compatible endpoints (OpenAI,
// Azure OpenAI, vLLM, Ollama, LM Studio) and the only importer of
// github.com/sashabaranov/go-openai. Its exported API uses its own types, so
// the library can be replaced without touching callers.
//
// Client.JSON asks for a structured answer (response_format json_schema with
// strict: true) and returns the raw JSON the model produced, with token
// usage; callers validate the content against their own rules. Client.Embed
// embeds a batch of texts.
//
// Each HTTP attempt is bounded by Config.Timeout. Failures worth repeating
// (429, 5xx, network errors, attempt timeouts) are retried up to
// Config.MaxRetries times, honouring the server's Retry-After header and
// otherwise backing off exponentially; the caller's ctx bounds the whole
// call, retries and waits included. Errors wrap sdk sentinels, inside an
// *Error that says the LLM endpoint was the source:
//
//	401, 403             sdk.ErrUnauthorized
//	400, 404, 422, ...   sdk.ErrInvalid (also: an answer that is not JSON,
//	                     was cut off, or was refused)
//	429                  *sdk.RetryAfterError wrapping sdk.ErrUnavailable
//	5xx, network errors,
//	attempt timeouts     sdk.ErrUnavailable
//
// Nothing is redacted here: callers pass text that is already redacted
// (see internal/redact). Prompts and answers are never logged.
//
// This package is not a public API.
package llm
