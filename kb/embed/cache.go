package embed

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/heardhq/heard/sdk"
)

// DefaultCacheSize is how many vectors a Cached keeps by default.
const DefaultCacheSize = 20000

// Cached keeps recent vectors of another Embedder in an LRU, keyed by the
// model and the SHA-256 of the text. It is safe for concurrent use.
type Cached struct {
	next  Embedder
	cache *lru.Cache[[32]byte, []float32]

	hits, misses atomic.Int64
}

var _ Embedder = (*Cached)(nil)

// CacheStats counts lookups since the cache was made.
type CacheStats struct {
	Hits, Misses int64
}

// NewCached wraps next with an LRU of size vectors (0 means
// DefaultCacheSize).
func NewCached(next Embedder, size int) (*Cached, error) {
	if next == nil {
		return nil, fmt.Errorf("embedding cache: nil embedder: %w", sdk.ErrInvalid)
	}
	if size == 0 {
		size = DefaultCacheSize
	}
	c, err := lru.New[[32]byte, []float32](size)
	if err != nil {
		return nil, fmt.Errorf("embedding cache: size %d: %w", size, sdk.ErrInvalid)
	}
	return &Cached{next: next, cache: c}, nil
}

// Model implements Embedder.
func (c *Cached) Model() string { return c.next.Model() }

// Dim implements Embedder.
func (c *Cached) Dim() int { return c.next.Dim() }

// Stats returns the hit and miss counts.
func (c *Cached) Stats() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load()}
}

func (c *Cached) key(text string) [32]byte {
	h := sha256.New()
	h.Write([]byte(c.next.Model()))
	h.Write([]byte{0})
	h.Write([]byte(text))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// Embed implements Embedder. Texts missing from the cache are embedded in
// one call to the wrapped embedder, each distinct text once.
func (c *Cached) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	keys := make([][32]byte, len(texts))
	var missing []string
	slot := map[[32]byte]int{} // key → index in missing
	for i, t := range texts {
		keys[i] = c.key(t)
		if v, ok := c.cache.Get(keys[i]); ok {
			c.hits.Add(1)
			out[i] = slices.Clone(v)
			continue
		}
		c.misses.Add(1)
		if _, ok := slot[keys[i]]; !ok {
			slot[keys[i]] = len(missing)
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	vs, err := c.next.Embed(ctx, missing)
	if err != nil {
		return nil, err
	}
	if len(vs) != len(missing) {
		return nil, fmt.Errorf("embedding cache: %s returned %d vectors for %d texts: %w", c.next.Model(), len(vs), len(missing), sdk.ErrInvalid)
	}
	for k, j := range slot {
		c.cache.Add(k, vs[j])
	}
	for i := range texts {
		if out[i] == nil {
			out[i] = slices.Clone(vs[slot[keys[i]]])
		}
	}
	return out, nil
}
