package llmtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Usage the scripted chat answers report.
const (
	PromptTokens     = 120
	CompletionTokens = 30
	TotalTokens      = PromptTokens + CompletionTokens
)

// AnswerModel is the model name scripted answers report.
const AnswerModel = "llmtest-model"

var completionID atomic.Int64

// Completion answers with one choice whose message content is content and
// whose finish_reason is finishReason ("stop", "length", "content_filter").
func Completion(content, finishReason string) Response {
	return Response{Body: completion(content, nil, finishReason)}
}

// completion is a chat.completion body; content and refusal may be nil.
func completion(content, refusal any, finishReason string) []byte {
	return mustJSON(map[string]any{
		"id":      "chatcmpl-llmtest-" + strconv.FormatInt(completionID.Add(1), 10),
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   AnswerModel,
		"choices": []any{map[string]any{
			"index":         0,
			"finish_reason": finishReason,
			"logprobs":      nil,
			"message":       map[string]any{"role": "assistant", "content": content, "refusal": refusal},
		}},
		"usage": map[string]any{
			"prompt_tokens": PromptTokens, "completion_tokens": CompletionTokens, "total_tokens": TotalTokens,
		},
	})
}

// JSONAnswer answers with content as the model's JSON text. A string,
// []byte or json.RawMessage is sent as is; anything else is marshalled.
func JSONAnswer(content any) Response {
	var text string
	switch c := content.(type) {
	case string:
		text = c
	case []byte:
		text = string(c)
	case json.RawMessage:
		text = string(c)
	default:
		text = string(mustJSON(c))
	}
	return Completion(text, "stop")
}

// InvalidJSON answers with content that is not JSON: an answer cut off
// mid-object.
func InvalidJSON() Response {
	return Completion(`{"priority": {"value": "P1", "confidence": 0.`, "stop")
}

// Refusal answers with a refusal instead of content, as OpenAI models do
// when they decline.
func Refusal(reason string) Response {
	return Response{Body: completion(nil, reason, "stop")}
}

// Conforming answers with a value generated from the request's schema that
// satisfies it: the first enum value, the minimum number, false, the
// shortest string matching a pattern. It fails the request (500) if the
// schema has constructs the generator does not know.
func Conforming(req ChatRequest) Response {
	v, err := Generate(req.Schema, false)
	if err != nil {
		return Error(http.StatusInternalServerError, "server_error", err.Error())
	}
	return JSONAnswer(v)
}

// OutOfEnum answers like Conforming, except that the first enum met (in
// schema order, properties sorted by name) holds OutOfEnumValue.
func OutOfEnum(req ChatRequest) Response {
	v, err := Generate(req.Schema, true)
	if err != nil {
		return Error(http.StatusInternalServerError, "server_error", err.Error())
	}
	return JSONAnswer(v)
}

// Slow holds then back for d. Use a d longer than the client's timeout:
// the handler gives up as soon as the client disconnects.
func Slow(d time.Duration, then Response) Response {
	then.Delay = d
	return then
}

// RateLimited answers 429 with a Retry-After header of wait, rounded up to
// whole seconds.
func RateLimited(wait time.Duration) Response {
	r := Error(http.StatusTooManyRequests, "rate_limit_exceeded", "Rate limit reached for requests")
	r.Header = http.Header{"Retry-After": []string{strconv.Itoa(int(math.Ceil(wait.Seconds())))}}
	return r
}

// ServerError answers 500.
func ServerError() Response {
	return Error(http.StatusInternalServerError, "server_error", "The server had an error while processing your request.")
}

// Error answers status with an OpenAI-style error body.
func Error(status int, typ, message string) Response {
	return Response{Status: status, Body: mustJSON(map[string]any{"error": map[string]any{
		"message": message, "type": typ, "param": nil, "code": nil,
	}})}
}

// Sequence scripts a conversation: the n-th chat request gets steps[n-1];
// requests past the end get the last step.
func Sequence(steps ...func(ChatRequest) Response) func(ChatRequest) Response {
	return func(req ChatRequest) Response {
		i := min(req.N, len(steps)) - 1
		return steps[i](req)
	}
}

// Always adapts a fixed response to a Sequence step.
func Always(r Response) func(ChatRequest) Response {
	return func(ChatRequest) Response { return r }
}

// Embeddings answers an embeddings request with vectors, in order.
func Embeddings(model string, vectors [][]float32) Response {
	data := make([]any, len(vectors))
	for i, v := range vectors {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	return Response{Body: mustJSON(map[string]any{
		"object": "list",
		"model":  model,
		"data":   data,
		"usage":  map[string]any{"prompt_tokens": 8 * len(vectors), "total_tokens": 8 * len(vectors)},
	})}
}

// FakeVector is a deterministic 8-dimensional unit vector for s.
func FakeVector(s string) []float32 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	x := h.Sum64()
	v := make([]float32, 8)
	var norm float64
	for i := range v {
		f := float64((x>>(8*i))&0xff) - 127.5
		v[i] = float32(f)
		norm += f * f
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(norm))
	}
	return v
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("llmtest: marshalling a scripted body: %v", err))
	}
	return b
}

// Models answers GET /v1/models with the models named ids.
func Models(ids ...string) Response {
	data := make([]any, len(ids))
	for i, id := range ids {
		data[i] = map[string]any{"id": id, "object": "model", "created": 1700000000, "owned_by": "llmtest"}
	}
	return Response{Body: mustJSON(map[string]any{"object": "list", "data": data})}
}
