package llm

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultTimeout    = 20 * time.Second
	DefaultMaxRetries = 2
)

// maxRetriesLimit bounds Config.MaxRetries: more than this only delays the
// fallback.
const maxRetriesLimit = 10

// Config configures a Client.
type Config struct {
	// BaseURL is the API root including its version path, e.g.
	// "https://api.openai.com/v1" or "http://localhost:11434/v1" (Ollama).
	// Empty means DefaultBaseURL.
	BaseURL string `json:"base_url"`
	// APIKey is sent as "Authorization: Bearer <key>". Local servers may
	// not need one.
	APIKey sdk.Secret `json:"api_key"`
	// Model is the chat model used by JSON, e.g. "gpt-4o-mini".
	Model string `json:"model"`
	// Timeout bounds each HTTP attempt; the caller's ctx bounds the whole
	// call including retries. Zero means DefaultTimeout.
	Timeout time.Duration `json:"timeout"`
	// MaxRetries is how many times a failed attempt is repeated on 429,
	// 5xx, network errors and attempt timeouts. Zero means
	// DefaultMaxRetries; -1 disables retries.
	MaxRetries int `json:"max_retries"`
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid. It does
// not touch the network.
func (c Config) Validate() error {
	var errs []error
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		switch {
		case err != nil: // url.Parse's message quotes the URL, credentials and all
			errs = append(errs, fmt.Errorf("base_url %q: not a URL", sdk.RedactURL(c.BaseURL)))
		case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
			errs = append(errs, fmt.Errorf("base_url %q: want an absolute http or https URL", sdk.RedactURL(c.BaseURL)))
		case u.RawQuery != "" || u.Fragment != "":
			errs = append(errs, fmt.Errorf("base_url %q: must not have a query or fragment", sdk.RedactURL(c.BaseURL)))
		}
	}
	if c.Model == "" {
		errs = append(errs, errors.New("model: required"))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must not be negative", c.Timeout))
	}
	if c.MaxRetries < -1 || c.MaxRetries > maxRetriesLimit {
		errs = append(errs, fmt.Errorf("max_retries %d: want -1 (none), 0 (default %d) or up to %d", c.MaxRetries, DefaultMaxRetries, maxRetriesLimit))
	}
	if len(errs) > 0 {
		return fmt.Errorf("llm config: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// withDefaults fills zero fields.
func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	switch c.MaxRetries {
	case 0:
		c.MaxRetries = DefaultMaxRetries
	case -1:
		c.MaxRetries = 0
	}
	return c
}
