package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/heardhq/heard/sdk"
)

// Usage counts the tokens one call (or, summed with Add, many calls) used.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Add returns the sum of u and o.
func (u Usage) Add(o Usage) Usage {
	return Usage{
		PromptTokens:     u.PromptTokens + o.PromptTokens,
		CompletionTokens: u.CompletionTokens + o.CompletionTokens,
		TotalTokens:      u.TotalTokens + o.TotalTokens,
	}
}

// JSONRequest asks the model for one JSON value that follows Schema.
type JSONRequest struct {
	// System is the instruction prompt; may be empty.
	System string
	// User is the user prompt: the (already redacted) material to work on.
	User string
	// SchemaName names the schema for the model: letters, digits, "_" and
	// "-", at most 64 characters.
	SchemaName string
	// Schema is a JSON Schema object in the subset that strict structured
	// output accepts: every object lists all its properties as required
	// and sets "additionalProperties": false.
	Schema json.RawMessage
}

// JSONResponse is the model's structured answer.
type JSONResponse struct {
	// Content is the JSON text the model produced. JSON checks that it is
	// well-formed; checking it against the schema is the caller's job, as
	// not every OpenAI-compatible server enforces strict schemas.
	Content json.RawMessage
	// Model is the model that answered, as the server reports it.
	Model string
	// Usage is the call's token usage, as the server reports it.
	Usage Usage
}

// Client talks to one OpenAI-compatible endpoint. It is safe for concurrent
// use.
type Client struct {
	cfg  Config // with defaults
	http *http.Client
	log  *slog.Logger

	// sleep waits d or until ctx ends; backoff is the wait before retry n
	// (1-based) when the server gave no Retry-After. Tests replace both.
	sleep   func(ctx context.Context, d time.Duration) error
	backoff func(n int) time.Duration
}

// New validates cfg and returns a Client. It does not touch the network. A
// nil logger discards logs.
func New(cfg Config, logger *slog.Logger) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, errors.New("llm: http.DefaultTransport is not an *http.Transport")
	}
	return &Client{
		cfg:     cfg.withDefaults(),
		http:    &http.Client{Transport: tr.Clone()},
		log:     logger.With("component", "llm"),
		sleep:   sleepCtx,
		backoff: expBackoff,
	}, nil
}

// Model returns the configured chat model.
func (c *Client) Model() string { return c.cfg.Model }

// Close releases idle connections. The Client must not be used afterwards.
func (c *Client) Close(context.Context) error {
	c.http.CloseIdleConnections()
	return nil
}

var schemaNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// JSON sends req as a chat completion with response_format json_schema
// (strict) and returns the model's JSON answer.
//
// If the server answered but the answer is unusable (no choices, cut off by
// the token limit, refused, filtered, or not well-formed JSON), the error
// wraps sdk.ErrInvalid and the response is returned too, so the caller can
// still account for its Usage. Other errors are described in the package
// documentation; their response is nil.
func (c *Client) JSON(ctx context.Context, req JSONRequest) (*JSONResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	creq := openai.ChatCompletionRequest{
		Model: c.cfg.Model,
		ResponseFormat: &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   req.SchemaName,
				Schema: req.Schema,
				Strict: true,
			},
		},
	}
	if req.System != "" {
		creq.Messages = append(creq.Messages, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleSystem, Content: req.System})
	}
	creq.Messages = append(creq.Messages, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: req.User})

	var resp openai.ChatCompletionResponse
	start := time.Now()
	attempts, err := c.retry(ctx, opChat, func(ctx context.Context, oc *openai.Client) error {
		var err error
		resp, err = oc.CreateChatCompletion(ctx, creq)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &JSONResponse{
		Model: resp.Model,
		Usage: Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens, TotalTokens: resp.Usage.TotalTokens},
	}
	c.log.DebugContext(ctx, "llm call done", "op", opChat, "model", resp.Model, "attempts", attempts,
		"duration_ms", time.Since(start).Milliseconds(), "prompt_tokens", out.Usage.PromptTokens,
		"completion_tokens", out.Usage.CompletionTokens)
	if len(resp.Choices) == 0 {
		return out, answerError(opChat, "the answer has no choices")
	}
	ch := resp.Choices[0]
	out.Content = json.RawMessage(ch.Message.Content)
	switch {
	case ch.Message.Refusal != "":
		return out, answerError(opChat, "the model refused to answer")
	case ch.FinishReason == openai.FinishReasonLength:
		return out, answerError(opChat, "the answer was cut off at the token limit")
	case ch.FinishReason == openai.FinishReasonContentFilter:
		return out, answerError(opChat, "the answer was withheld by the content filter")
	case !json.Valid(out.Content):
		return out, answerError(opChat, "the answer is not well-formed JSON")
	}
	return out, nil
}

func (r JSONRequest) validate() error {
	var errs []error
	if r.User == "" {
		errs = append(errs, errors.New("empty user prompt"))
	}
	if !schemaNameRE.MatchString(r.SchemaName) {
		errs = append(errs, fmt.Errorf("schema name %q: want 1-64 letters, digits, _ or -", r.SchemaName))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(r.Schema, &obj); err != nil {
		errs = append(errs, fmt.Errorf("schema is not a JSON object: %w", err))
	}
	if len(errs) > 0 {
		return fmt.Errorf("llm json request: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// maxEmbedInputs is the most inputs one embeddings request may carry.
const maxEmbedInputs = 2048

// Embed returns one embedding per input, in input order, using model.
// Inputs must be non-empty; at most 2048 per call.
func (c *Client) Embed(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error) {
	if err := validateEmbed(model, inputs); err != nil {
		return nil, Usage{}, err
	}
	ereq := openai.EmbeddingRequestStrings{
		Input:          inputs,
		Model:          openai.EmbeddingModel(model),
		EncodingFormat: openai.EmbeddingEncodingFormatFloat,
	}
	var resp openai.EmbeddingResponse
	start := time.Now()
	attempts, err := c.retry(ctx, opEmbed, func(ctx context.Context, oc *openai.Client) error {
		var err error
		resp, err = oc.CreateEmbeddings(ctx, ereq)
		return err
	})
	if err != nil {
		return nil, Usage{}, err
	}
	usage := Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens, TotalTokens: resp.Usage.TotalTokens}
	c.log.DebugContext(ctx, "llm call done", "op", opEmbed, "model", string(resp.Model), "attempts", attempts,
		"duration_ms", time.Since(start).Milliseconds(), "inputs", len(inputs), "prompt_tokens", usage.PromptTokens)
	out := make([][]float32, len(inputs))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(out) || out[d.Index] != nil || len(d.Embedding) == 0 {
			return nil, usage, answerError(opEmbed, fmt.Sprintf("embedding index %d is out of range, repeated or empty", d.Index))
		}
		out[d.Index] = d.Embedding
	}
	for i, v := range out {
		if v == nil {
			return nil, usage, answerError(opEmbed, fmt.Sprintf("no embedding for input %d of %d", i, len(inputs)))
		}
	}
	return out, usage, nil
}

func validateEmbed(model string, inputs []string) error {
	var errs []error
	if model == "" {
		errs = append(errs, errors.New("empty model"))
	}
	if len(inputs) == 0 || len(inputs) > maxEmbedInputs {
		errs = append(errs, fmt.Errorf("%d inputs: want 1 to %d", len(inputs), maxEmbedInputs))
	}
	for i, in := range inputs {
		if in == "" {
			errs = append(errs, fmt.Errorf("input %d is empty", i))
			break
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("llm embed request: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}
