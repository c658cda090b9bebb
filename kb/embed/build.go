package embed

import (
	"context"
	"fmt"
	"log/slog"
	"math"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// SectionConfig is the `kb:` section's own keys; every other key is a
// registered embedder's section (hashed:, openai:).
type SectionConfig struct {
	// Embedder embeds the knowledge base, by name or ID: hashed (the
	// default, offline) or openai (llm.models.embedding, or kb.openai.model).
	Embedder string `yaml:"embedder"`
	// MinScore hides matches scoring below it (0..1); 0 means the knowledge
	// base's default, negative shows all.
	MinScore float64 `yaml:"min_score"`
	// AnswerThreshold is the answer confidence (0..1) a top match needs
	// for a draft to quote its steps; 0 means the knowledge base's default.
	AnswerThreshold float64 `yaml:"answer_threshold"`
	// AnswerModel is a JSON file of answer-model coefficients written by
	// `heard kb calibrate`; empty means the built-in model.
	AnswerModel string `yaml:"answer_model"`
}

// Validate checks the section's own keys.
func (sc SectionConfig) Validate() error {
	if sc.AnswerThreshold < 0 || sc.AnswerThreshold > 1 || math.IsNaN(sc.AnswerThreshold) {
		return fmt.Errorf("kb.answer_threshold %v: want a number from 0 (the default) to 1: %w", sc.AnswerThreshold, sdk.ErrInvalid)
	}
	if sc.MinScore > 1 {
		return fmt.Errorf("kb.min_score %v: want at most 1: %w", sc.MinScore, sdk.ErrInvalid)
	}
	return nil
}

// Build builds the embedder configured in sec (or the one named by
// override, when not empty) from the registry r, wrapped in the cache.
// close releases what it holds.
func Build(r *Registry, sec config.Section, shared config.LLM, override string, log *slog.Logger) (e Embedder, sc SectionConfig, close func(context.Context) error, err error) {
	parts, err := sec.Parts("kb", &sc, r.Names())
	if err != nil {
		return nil, sc, nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, sc, nil, err
	}
	name := sc.Embedder
	if override != "" {
		name = override
	}
	if name == "" {
		name = "hashed"
	}
	s, ok := r.Lookup(name)
	if !ok {
		return nil, sc, nil, r.Unknown(name)
	}
	n, err := r.New(s.ID, parts[s.Name()].Decoder("kb."+s.Name()), Deps{Logger: log, LLM: shared})
	if err != nil {
		return nil, sc, nil, err
	}
	close = func(context.Context) error { return nil }
	if c, ok := n.Impl.(sdk.Closer); ok {
		close = c.Close
	}
	cached, err := NewCached(n.Impl, 0)
	if err != nil {
		_ = close(context.Background())
		return nil, sc, nil, err
	}
	return cached, sc, close, nil
}
