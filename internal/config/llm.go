package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// LLM is the `llm:` section: one OpenAI-compatible API shared by every
// component that calls a model (the LLM classifier, the LLM drafter, the
// OpenAI-compatible KB embedder). Each of them may override any key in its
// own section with an LLMOverride.
type LLM struct {
	// BaseURL is the API root including its version path, e.g.
	// "https://api.openai.com/v1" or "http://localhost:11434/v1". Empty
	// means OpenAI's.
	BaseURL string `yaml:"base_url"`
	// APIKey is sent as a bearer token; local servers may not need one.
	APIKey sdk.Secret `yaml:"api_key"`
	// Models names the model for each use.
	Models LLMModels `yaml:"models"`
	// Timeout bounds one HTTP attempt. Zero means the client's default.
	Timeout Duration `yaml:"timeout"`
	// MaxRetries is how often a failed attempt is repeated (429, 5xx,
	// network errors). Zero means the client's default; -1 none.
	MaxRetries int `yaml:"max_retries"`
}

// LLMModels names the model for each use of the API.
type LLMModels struct {
	// Chat answers the classifier and the drafter, e.g. "gpt-4o-mini".
	Chat string `yaml:"chat"`
	// Embedding embeds knowledge-base articles, e.g.
	// "text-embedding-3-small".
	Embedding string `yaml:"embedding"`
}

// LLMOverride is what a component's own section may set on top of the
// `llm:` section. Empty values inherit.
type LLMOverride struct {
	// BaseURL overrides llm.base_url.
	BaseURL string `yaml:"base_url"`
	// APIKey overrides llm.api_key.
	APIKey sdk.Secret `yaml:"api_key"`
	// Model overrides llm.models.chat (or llm.models.embedding for an
	// embedder).
	Model string `yaml:"model"`
	// Timeout overrides llm.timeout.
	Timeout Duration `yaml:"timeout"`
	// MaxRetries overrides llm.max_retries.
	MaxRetries int `yaml:"max_retries"`
}

// Endpoint is one component's resolved connection to the API.
type Endpoint struct {
	BaseURL    string
	APIKey     sdk.Secret
	Model      string
	Timeout    time.Duration
	MaxRetries int
}

// Model uses of the API, for Resolve.
const (
	UseChat      = "chat"
	UseEmbedding = "embedding"
)

// Resolve is the endpoint for one use (UseChat or UseEmbedding) with o's
// non-empty values taking precedence over l's.
func (l LLM) Resolve(o LLMOverride, use string) Endpoint {
	e := Endpoint{BaseURL: l.BaseURL, APIKey: l.APIKey, Model: l.Models.Chat, Timeout: l.Timeout.Std(), MaxRetries: l.MaxRetries}
	if use == UseEmbedding {
		e.Model = l.Models.Embedding
	}
	if o.BaseURL != "" {
		e.BaseURL = o.BaseURL
	}
	if o.APIKey != "" {
		e.APIKey = o.APIKey
	}
	if o.Model != "" {
		e.Model = o.Model
	}
	if o.Timeout != 0 {
		e.Timeout = o.Timeout.Std()
	}
	if o.MaxRetries != 0 {
		e.MaxRetries = o.MaxRetries
	}
	return e
}

// Validate reports every problem with the override, wrapping
// sdk.ErrInvalid.
func (o LLMOverride) Validate() error {
	var errs []error
	if o.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must not be negative", o.Timeout))
	}
	if o.MaxRetries < -1 {
		errs = append(errs, fmt.Errorf("max_retries %d: want -1 (none), 0 (default) or more", o.MaxRetries))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// validate reports every problem with the llm section.
func (l LLM) validate() []error {
	var errs []error
	if l.Timeout < 0 {
		errs = append(errs, fmt.Errorf("llm.timeout: got %s, want >= 0", l.Timeout))
	}
	if l.MaxRetries < -1 {
		errs = append(errs, fmt.Errorf("llm.max_retries: got %d, want -1 (none), 0 (default) or more", l.MaxRetries))
	}
	return errs
}
