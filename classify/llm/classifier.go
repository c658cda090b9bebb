package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	llmapi "github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/internal/redact"
	"github.com/heardhq/heard/sdk"
)

// schemaName names the answer schema in requests.
const schemaName = "ticket_triage"

// jsonClient is the part of *llm.Client the classifier uses.
type jsonClient interface {
	JSON(ctx context.Context, req llmapi.JSONRequest) (*llmapi.JSONResponse, error)
}

var _ jsonClient = (*llmapi.Client)(nil)

// Classifier classifies tickets with an LLM and falls back to another
// classifier when the LLM fails. It is safe for concurrent use.
type Classifier struct {
	client   jsonClient
	cfg      Config
	fallback sdk.Classifier
	redactor *redact.Redactor
	log      *slog.Logger

	mu    sync.Mutex
	stats Stats
}

var _ sdk.Classifier = (*Classifier)(nil)

// Stats are a classifier's counters since New.
type Stats struct {
	Calls     int          // classifications that called the model
	Fallbacks int          // classifications answered by the fallback
	Usage     llmapi.Usage // tokens used, including calls whose answer was rejected
}

// New returns a classifier that asks client (usually an *llm.Client) and
// answers with fallback's predictions whenever that fails. A nil logger
// discards logs.
func New(client jsonClient, cfg Config, fallback sdk.Classifier, logger *slog.Logger) (*Classifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if client == nil || fallback == nil {
		return nil, fmt.Errorf("%s: client and fallback are required: %w", ID, sdk.ErrInvalid)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Classifier{
		client:   client,
		cfg:      cfg.withDefaults(),
		fallback: fallback,
		redactor: redact.New(),
		log:      logger.With("component", ID),
	}, nil
}

// Stats returns the counters since New.
func (c *Classifier) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Classify predicts the fields req asks for (every field the classifier
// knows when req.Fields is empty). Fields it has no definition for are
// skipped. On any failure of the LLM call or its answer it returns the
// fallback's response; it returns an error only for a request without a
// ticket or when the fallback fails too.
func (c *Classifier) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if req == nil || req.Ticket == nil {
		return nil, fmt.Errorf("%s: request without a ticket: %w", ID, sdk.ErrInvalid)
	}
	fields := fieldsFor(req.Fields, c.cfg.Taxonomy)
	if len(fields) == 0 {
		return &sdk.ClassifyResponse{}, nil
	}
	start := time.Now()
	preds, err := c.ask(ctx, req.Ticket, fields)
	if err == nil {
		c.log.DebugContext(ctx, "classified", "ticket_id", req.Ticket.Ref.ID, "predictions", len(preds),
			"duration_ms", time.Since(start).Milliseconds())
		return &sdk.ClassifyResponse{Predictions: preds}, nil
	}
	c.mu.Lock()
	c.stats.Fallbacks++
	c.mu.Unlock()
	c.log.WarnContext(ctx, "llm classification failed; using the fallback", "ticket_id", req.Ticket.Ref.ID,
		"reason", reason(err), "duration_ms", time.Since(start).Milliseconds(), "error", err)
	resp, ferr := c.fallback.Classify(ctx, req)
	if ferr != nil {
		return nil, fmt.Errorf("%s: fallback after %w: %w", ID, err, ferr)
	}
	return resp, nil
}

// fallbackShare is the part of the caller's remaining time, up to
// maxFallbackReserve, that the LLM call leaves for the fallback.
const (
	fallbackShare      = 10
	maxFallbackReserve = time.Second
)

// ask makes one LLM call and parses the answer. The call is bounded by
// Config.Timeout, and ends early enough before the caller's own deadline
// for the fallback to run.
func (c *Classifier) ask(ctx context.Context, t *sdk.Ticket, fields []field) ([]sdk.Prediction, error) {
	timeout := c.cfg.Timeout
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		timeout = min(timeout, left-min(left/fallbackShare, maxFallbackReserve))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := c.client.JSON(ctx, llmapi.JSONRequest{
		System:     systemPrompt(fields, c.cfg.Taxonomy),
		User:       userPrompt(c.redactor.Ticket(t), c.redactor), // the pipeline redacted it; backtests may not have
		SchemaName: schemaName,
		Schema:     schema(fields),
	})
	c.mu.Lock()
	c.stats.Calls++
	if resp != nil {
		c.stats.Usage = c.stats.Usage.Add(resp.Usage)
	}
	c.mu.Unlock()
	if resp != nil {
		c.log.DebugContext(ctx, "llm usage", "ticket_id", t.Ref.ID, "model", resp.Model,
			"prompt_tokens", resp.Usage.PromptTokens, "completion_tokens", resp.Usage.CompletionTokens)
	}
	if err != nil {
		return nil, fmt.Errorf("asking the model: %w", err)
	}
	return parse(resp.Content, fields)
}

// reason is a short, stable label for why the LLM path failed, for logs
// and dashboards.
func reason(err error) string {
	var ra *sdk.RetryAfterError
	switch {
	case errors.Is(err, errAnswer):
		return "invalid_answer"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ra):
		return "rate_limited"
	case errors.Is(err, sdk.ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, sdk.ErrInvalid):
		return "invalid_request_or_answer"
	case errors.Is(err, sdk.ErrUnavailable):
		return "unavailable"
	}
	return "error"
}
