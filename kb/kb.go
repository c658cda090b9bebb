package kb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/sdk"
)

// Defaults for Config's zero fields.
const (
	// DefaultMinScore hides matches scoring below it. Tuned on the
	// fixture (sandbox/helpcenter) with the offline embedder: it keeps about 98%
	// of the correct answers that rank in the top 3 and hides the best
	// match of most off-topic questions (see TestThresholdOnFixture). With
	// another embedder, check it with `heard kb eval` and set
	// Config.MinScore.
	DefaultMinScore = 0.30
	// DefaultCandidates is how many chunks each of the vector and
	// full-text lists contributes before fusion.
	DefaultCandidates = 50
	// DefaultFullSyncEvery is how often Sync lists a source completely (to
	// notice deleted articles) rather than only what changed.
	DefaultFullSyncEvery = 24 * time.Hour
	// DefaultEmbedBatch is how many chunks are embedded per call on sync.
	DefaultEmbedBatch = 64
)

// Config configures a KB.
type Config struct {
	// Store keeps the articles and vectors. Required.
	Store Store
	// Embedder embeds chunks and queries. Required; wrap it in
	// embed.Cached to embed nothing twice.
	Embedder embed.Embedder
	// Logger; nil discards.
	Logger *slog.Logger
	// Chunking sets chunk size and overlap.
	Chunking ChunkConfig
	// MinScore hides matches whose Score is below it. 0 means
	// DefaultMinScore; a negative value shows every match.
	MinScore float64
	// Candidates is how many chunks each list contributes before fusion.
	// 0 means DefaultCandidates.
	Candidates int
	// FullSyncEvery is how often Sync lists a source completely. 0 means
	// DefaultFullSyncEvery.
	FullSyncEvery time.Duration
	// EmbedBatch is how many chunks Sync embeds per call. 0 means
	// DefaultEmbedBatch.
	EmbedBatch int
	// AnswerThreshold is the Answer a top match needs for a draft to quote
	// it (0..1); 0 means DefaultAnswerThreshold. The KB only reports it
	// (AnswerThreshold); Evaluate measures precision and coverage at it.
	AnswerThreshold float64
	// AnswerModel computes Match.Answer; nil means DefaultAnswerModel.
	AnswerModel *AnswerModel
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// KB is the knowledge base: sync articles in, search them. It is safe for
// concurrent use.
type KB struct {
	cfg   Config
	store Store
	emb   embed.Embedder
	log   *slog.Logger
	model AnswerModel

	mu      sync.Mutex  // serialises Check and Reembed
	checked atomic.Bool // the store's Meta matches the embedder's
}

// New validates cfg and returns a KB. It does no IO; the store's model and
// dimension are checked on first use (or by Check).
func New(cfg Config) (*KB, error) {
	var errs []error
	if cfg.Store == nil {
		errs = append(errs, errors.New("store is required"))
	}
	if cfg.Embedder == nil {
		errs = append(errs, errors.New("embedder is required"))
	} else if cfg.Embedder.Dim() <= 0 || cfg.Embedder.Model() == "" {
		errs = append(errs, fmt.Errorf("embedder %q has dimension %d", cfg.Embedder.Model(), cfg.Embedder.Dim()))
	}
	if err := cfg.Chunking.Validate(); err != nil {
		errs = append(errs, err)
	}
	if cfg.MinScore > 1 {
		errs = append(errs, fmt.Errorf("min_score %g: want at most 1", cfg.MinScore))
	}
	if cfg.AnswerThreshold < 0 || cfg.AnswerThreshold > 1 || math.IsNaN(cfg.AnswerThreshold) {
		errs = append(errs, fmt.Errorf("answer_threshold %v: want 0 (the default %.2f) to 1", cfg.AnswerThreshold, DefaultAnswerThreshold))
	}
	if cfg.AnswerModel != nil {
		if err := cfg.AnswerModel.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if cfg.Candidates < 0 || cfg.FullSyncEvery < 0 || cfg.EmbedBatch < 0 {
		errs = append(errs, errors.New("candidates, full_sync_every and embed_batch must not be negative"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("knowledge base config: %w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	cfg.Chunking = cfg.Chunking.withDefaults()
	if cfg.MinScore == 0 {
		cfg.MinScore = DefaultMinScore
	}
	if cfg.Candidates == 0 {
		cfg.Candidates = DefaultCandidates
	}
	if cfg.FullSyncEvery == 0 {
		cfg.FullSyncEvery = DefaultFullSyncEvery
	}
	if cfg.EmbedBatch == 0 {
		cfg.EmbedBatch = DefaultEmbedBatch
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AnswerThreshold == 0 {
		cfg.AnswerThreshold = DefaultAnswerThreshold
	}
	model := DefaultAnswerModel
	if cfg.AnswerModel != nil {
		model = *cfg.AnswerModel
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &KB{cfg: cfg, store: cfg.Store, emb: cfg.Embedder, log: log.With("component", "kb"), model: model}, nil
}

// AnswerThreshold is the Answer a top match needs for a draft to quote its
// steps (Config.AnswerThreshold, or DefaultAnswerThreshold).
func (k *KB) AnswerThreshold() float64 { return k.cfg.AnswerThreshold }

// Store returns the KB's store.
func (k *KB) Store() Store { return k.store }

// AnswerModel is the model that computes Match.Answer.
func (k *KB) AnswerModel() AnswerModel { return k.model }

// Meta returns the embedder's model and dimension.
func (k *KB) Meta() Meta { return Meta{Model: k.emb.Model(), Dim: k.emb.Dim()} }

// Check verifies that the store's vectors were made by the configured
// embedder, recording it in an empty store. Another model or dimension is
// a *MismatchError telling the admin to re-embed.
func (k *KB) Check(ctx context.Context) error {
	if k.checked.Load() {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.checked.Load() {
		return nil
	}
	if err := k.store.Prepare(ctx, k.Meta()); err != nil {
		return err
	}
	k.checked.Store(true)
	return nil
}

// Stats describes the knowledge base.
func (k *KB) Stats(ctx context.Context) (Stats, error) { return k.store.Stats(ctx) }

// Reembed re-embeds every stored chunk with the configured embedder and
// records its model and dimension, in one transaction. It is how an admin
// switches embedders (`heard kb ingest --reembed`); stored text is used,
// so no source is listed again.
func (k *KB) Reembed(ctx context.Context, progress func(done, total int)) error {
	fn := func(ctx context.Context, chunks []ReembedChunk) ([][]float32, error) {
		texts := make([]string, len(chunks))
		for i, c := range chunks {
			texts[i] = EmbedText(c.Title, c.Heading, c.Text)
		}
		return k.embed(ctx, texts)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	start := k.cfg.Now()
	if err := k.store.Reembed(ctx, k.Meta(), fn, progress); err != nil {
		return fmt.Errorf("re-embedding the knowledge base with %s: %w", k.emb.Model(), err)
	}
	k.checked.Store(true)
	k.log.InfoContext(ctx, "knowledge base re-embedded", "model", k.emb.Model(), "dim", k.emb.Dim(),
		"duration_ms", k.cfg.Now().Sub(start).Milliseconds())
	return nil
}

// embed embeds texts and checks the vectors' shape.
func (k *KB) embed(ctx context.Context, texts []string) ([][]float32, error) {
	vs, err := k.emb.Embed(ctx, texts)
	if err != nil {
		return nil, err
	}
	if len(vs) != len(texts) {
		return nil, fmt.Errorf("embedder %s returned %d vectors for %d texts: %w", k.emb.Model(), len(vs), len(texts), sdk.ErrInvalid)
	}
	for i, v := range vs {
		if len(v) != k.emb.Dim() {
			return nil, fmt.Errorf("embedder %s returned a vector of %d dimensions, not %d: %w", k.emb.Model(), len(v), k.emb.Dim(), sdk.ErrInvalid)
		}
		vs[i] = embed.Normalize(v)
	}
	return vs, nil
}
