package retrain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// VersionSource is the part of heard's store a serving replica reads.
type VersionSource interface {
	CurrentModelVersion(ctx context.Context, kind string) (int64, error)
	CurrentModel(ctx context.Context, kind string) (store.ModelVersion, error)
}

// Serving is the learned classifier as `serve` runs it: it serves the
// store's current model through the merge policy (learned.Gated) and
// reloads it when another replica or `heard model promote` changes it.
// With no current model it predicts nothing, so the ensemble behaves as
// without it. It is safe for concurrent use.
type Serving struct {
	src    VersionSource
	policy learned.MergePolicy
	log    *slog.Logger

	// Every is how often Classify checks the store for a new current
	// version; 0 never (call Refresh or Watch yourself).
	Every time.Duration

	mu      sync.Mutex // serialises reloads
	version atomic.Int64
	checked atomic.Int64 // unix nanos of the last check
	gated   atomic.Pointer[learned.Gated]
	now     func() time.Time
}

var _ sdk.Classifier = (*Serving)(nil)

// NewServing builds a Serving; call Refresh to load the current model.
func NewServing(src VersionSource, policy learned.MergePolicy, log *slog.Logger) (*Serving, error) {
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Serving{src: src, policy: policy, log: log.With("component", learned.ID), now: time.Now}, nil
}

// Version is the version being served; 0 when none.
func (s *Serving) Version() int64 { return s.version.Load() }

// Refresh loads the store's current model if it is not the one served. A
// model that cannot be read is logged and the one served is kept.
func (s *Serving) Refresh(ctx context.Context) error {
	s.checked.Store(s.now().UnixNano())
	v, err := s.src.CurrentModelVersion(ctx, Kind)
	if err != nil {
		return fmt.Errorf("reading the current model version: %w", err)
	}
	if v == s.version.Load() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v == s.version.Load() {
		return nil
	}
	if v == 0 { // rolled back to nothing
		s.gated.Store(nil)
		s.version.Store(0)
		s.log.InfoContext(ctx, "no current model; serving the rules alone")
		return nil
	}
	mv, err := s.src.CurrentModel(ctx, Kind)
	if errors.Is(err, sdk.ErrNotFound) {
		s.gated.Store(nil)
		s.version.Store(0)
		return nil
	}
	if err != nil {
		return fmt.Errorf("loading the current model: %w", err)
	}
	m, err := learned.Unmarshal(mv.Blob)
	if err != nil {
		return fmt.Errorf("loading model %d: %w", mv.Version, err)
	}
	c, err := learned.NewClassifier(m)
	if err != nil {
		return err
	}
	g, err := learned.NewGated(c, s.policy)
	if err != nil {
		return err
	}
	s.gated.Store(g)
	s.version.Store(mv.Version)
	s.log.InfoContext(ctx, "serving model", "version", mv.Version)
	return nil
}

// Watch refreshes every interval until ctx ends.
func (s *Serving) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "model refresh failed; keeping the one served", "err", err)
			}
		}
	}
}

// Classify implements sdk.Classifier with the served model. Every Every,
// one call first checks the store for a newer current version (a failed
// check is logged and the served model kept).
func (s *Serving) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if s.Every > 0 && s.now().UnixNano()-s.checked.Load() >= int64(s.Every) && s.mu.TryLock() {
		s.mu.Unlock()
		if err := s.Refresh(ctx); err != nil {
			s.log.WarnContext(ctx, "model refresh failed; keeping the one served", "err", err)
		}
	}
	g := s.gated.Load()
	if g == nil {
		return &sdk.ClassifyResponse{}, nil
	}
	return g.Classify(ctx, req)
}
