package embed

import (
	"context"
	"errors"
	"fmt"

	"github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/sdk"
)

// DefaultBatchSize is how many texts one embeddings request carries.
const DefaultBatchSize = 128

// maxBatchSize is the most inputs one request may carry (the API's limit).
const maxBatchSize = 2048

// KnownDims are the output dimensions of common embedding models, used
// when OpenAIConfig.Dim is zero.
var KnownDims = map[string]int{
	"text-embedding-3-small": 1536,
	"text-embedding-3-large": 3072,
	"text-embedding-ada-002": 1536,
	"nomic-embed-text":       768,
	"mxbai-embed-large":      1024,
	"all-minilm":             384,
	"bge-m3":                 1024,
	"snowflake-arctic-embed": 1024,
}

// embedClient is the part of *llm.Client this package uses.
type embedClient interface {
	Embed(ctx context.Context, model string, inputs []string) ([][]float32, llm.Usage, error)
}

var _ embedClient = (*llm.Client)(nil)

// OpenAIConfig configures an OpenAI-compatible embedder.
type OpenAIConfig struct {
	// Model is the embedding model, e.g. "text-embedding-3-small" or, on
	// Ollama, "nomic-embed-text". Required.
	Model string `yaml:"model" json:"model"`
	// Dim is the model's output dimension. Zero means KnownDims[Model];
	// required for other models.
	Dim int `yaml:"dim" json:"dim"`
	// BatchSize is how many texts go in one request; zero means
	// DefaultBatchSize.
	BatchSize int `yaml:"batch_size" json:"batch_size"`
}

// OpenAI embeds through any OpenAI-compatible /embeddings endpoint. Retries
// on 429, 5xx and network errors happen in the llm client.
type OpenAI struct {
	client embedClient
	cfg    OpenAIConfig
}

var _ Embedder = (*OpenAI)(nil)

// NewOpenAI validates cfg and returns the embedder. It does no network IO.
func NewOpenAI(client embedClient, cfg OpenAIConfig) (*OpenAI, error) {
	if client == nil {
		return nil, fmt.Errorf("openai embedder: nil client: %w", sdk.ErrInvalid)
	}
	if cfg.Model == "" {
		return nil, fmt.Errorf("openai embedder: model is required: %w", sdk.ErrInvalid)
	}
	if cfg.Dim == 0 {
		cfg.Dim = KnownDims[cfg.Model]
	}
	if cfg.Dim <= 0 {
		return nil, fmt.Errorf("openai embedder: model %q: set its output dimension (dim): %w", cfg.Model, sdk.ErrInvalid)
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.BatchSize < 1 || cfg.BatchSize > maxBatchSize {
		return nil, fmt.Errorf("openai embedder: batch_size %d: want 1 to %d: %w", cfg.BatchSize, maxBatchSize, sdk.ErrInvalid)
	}
	return &OpenAI{client: client, cfg: cfg}, nil
}

// Model implements Embedder.
func (o *OpenAI) Model() string { return o.cfg.Model }

// Dim implements Embedder.
func (o *OpenAI) Dim() int { return o.cfg.Dim }

// Embed implements Embedder: one request per BatchSize texts, vectors
// normalised to unit length. A vector of another length than Dim is an
// error wrapping sdk.ErrInvalid (the configured dim is wrong).
func (o *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for i, t := range texts {
		if t == "" {
			return nil, fmt.Errorf("openai embedder: text %d: %w: %w", i, errEmptyInput, sdk.ErrInvalid)
		}
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += o.cfg.BatchSize {
		batch := texts[start:min(start+o.cfg.BatchSize, len(texts))]
		vs, _, err := o.client.Embed(ctx, o.cfg.Model, batch)
		if err != nil {
			return nil, fmt.Errorf("embedding %d texts with %s: %w", len(batch), o.cfg.Model, err)
		}
		if len(vs) != len(batch) {
			return nil, fmt.Errorf("embedding with %s: got %d vectors for %d texts: %w", o.cfg.Model, len(vs), len(batch), sdk.ErrInvalid)
		}
		for _, v := range vs {
			if len(v) != o.cfg.Dim {
				return nil, fmt.Errorf("embedding with %s: %w", o.cfg.Model,
					errors.Join(fmt.Errorf("the endpoint returned %d dimensions, the configuration says %d", len(v), o.cfg.Dim), sdk.ErrInvalid))
			}
			out = append(out, Normalize(v))
		}
	}
	return out, nil
}
