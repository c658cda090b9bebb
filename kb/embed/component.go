package embed

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/sdk"
)

// Component IDs of the built-in embedders.
const (
	HashedID = "embed.hashed"
	OpenAIID = "embed.openai"
)

// Deps are what an embedder component may use besides its own config.
type Deps struct {
	// Logger is scoped by the caller; nil discards.
	Logger *slog.Logger
	// LLM is the shared `llm:` section; embed.openai overrides any of it
	// (its model overrides llm.models.embedding).
	LLM config.LLM
}

// Components is the registry of embedders ("embed.hashed",
// "embed.openai"). The knowledge base's embedder is chosen with
// kb.embedder in the config file.
var Components = NewRegistry()

// Registry is a registry of embedder components.
type Registry = component.Registry[Embedder, Deps]

// NewRegistry returns an empty embedder registry, for tests.
func NewRegistry() *Registry { return component.NewRegistry[Embedder, Deps]("embed") }

// HashedConfig is the embed.hashed section.
type HashedConfig struct {
	// Dim is the vector dimension. Zero means DefaultHashedDim.
	Dim int `yaml:"dim"`
}

// Validate reports a negative dimension, wrapping sdk.ErrInvalid.
func (c *HashedConfig) Validate() error {
	if c.Dim < 0 {
		return fmt.Errorf("%s: dim %d: want 0 (default %d) or more: %w", HashedID, c.Dim, DefaultHashedDim, sdk.ErrInvalid)
	}
	return nil
}

// OpenAIComponentConfig is the embed.openai section: the embedder's own
// settings plus any key of the shared `llm:` section to override.
type OpenAIComponentConfig struct {
	config.LLMOverride `yaml:",inline"`
	// Dim is the model's output dimension; zero means KnownDims[model].
	Dim int `yaml:"dim"`
	// BatchSize is how many texts go in one request; zero means
	// DefaultBatchSize.
	BatchSize int `yaml:"batch_size"`
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c *OpenAIComponentConfig) Validate() error {
	if err := c.LLMOverride.Validate(); err != nil {
		return fmt.Errorf("%s config: %w", OpenAIID, err)
	}
	if c.Dim < 0 || c.BatchSize < 0 {
		return fmt.Errorf("%s config: dim and batch_size must not be negative: %w", OpenAIID, sdk.ErrInvalid)
	}
	return nil
}

// HashedComponent registers the offline hashed embedder.
var HashedComponent = component.Define(HashedID, "offline feature hashing, no model",
	func() *HashedConfig { return &HashedConfig{} },
	func(c *HashedConfig, _ Deps) (Embedder, error) { return NewHashed(c.Dim) })

// OpenAIComponent registers the embedder for any OpenAI-compatible
// /embeddings endpoint.
var OpenAIComponent = component.Define(OpenAIID, "any OpenAI-compatible embedding model",
	func() *OpenAIComponentConfig { return &OpenAIComponentConfig{} },
	func(c *OpenAIComponentConfig, d Deps) (Embedder, error) {
		ep := d.LLM.Resolve(c.LLMOverride, config.UseEmbedding)
		if ep.Model == "" {
			return nil, fmt.Errorf("no embedding model: set llm.models.embedding or kb.openai.model: %w", sdk.ErrInvalid)
		}
		client, err := llm.New(llm.Config(ep), d.Logger)
		if err != nil {
			return nil, err
		}
		oe, err := NewOpenAI(client, OpenAIConfig{Model: ep.Model, Dim: c.Dim, BatchSize: c.BatchSize})
		if err != nil {
			_ = client.Close(context.Background())
			return nil, err
		}
		return &ownedOpenAI{OpenAI: oe, client: client}, nil
	})

func init() {
	Components.MustRegister(HashedComponent)
	Components.MustRegister(OpenAIComponent)
}

// ownedOpenAI is an OpenAI embedder that owns its client and closes it.
type ownedOpenAI struct {
	*OpenAI
	client *llm.Client
}

var _ sdk.Closer = (*ownedOpenAI)(nil)

// Close closes the client.
func (o *ownedOpenAI) Close(ctx context.Context) error { return o.client.Close(ctx) }
