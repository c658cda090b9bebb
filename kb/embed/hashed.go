package embed

import (
	"context"
	"fmt"
	"math"

	"github.com/heardhq/heard/kb/terms"
	"github.com/heardhq/heard/sdk"
)

// DefaultHashedDim is the offline embedder's default dimension.
const DefaultHashedDim = 384

// hashedVersion changes whenever the features or weights change, so a
// knowledge base built by an older version asks to be re-embedded.
const hashedVersion = "v1"

// Feature weights, relative to a word unigram. Character n-grams are many
// per word, so each weighs little; together they let "invoice" and
// "invoicing" or a typo still meet.
const (
	weightUnigram = 1.0
	weightBigram  = 0.3
	weightChar3   = 0.05
	weightChar4   = 0.35
)

// Hashed is the offline embedder. It is deterministic: the same text gives
// the same vector on every machine, forever (for a given Model). The zero
// value is not usable; call NewHashed.
type Hashed struct {
	dim int
}

var _ Embedder = (*Hashed)(nil)

// NewHashed returns the offline embedder with dim dimensions (0 means
// DefaultHashedDim; at least 16).
func NewHashed(dim int) (*Hashed, error) {
	if dim == 0 {
		dim = DefaultHashedDim
	}
	if dim < 16 || dim > 16000 {
		return nil, fmt.Errorf("hashed embedder: dimension %d: want 16 to 16000: %w", dim, sdk.ErrInvalid)
	}
	return &Hashed{dim: dim}, nil
}

// Model implements Embedder: "heard-hash-v1-384" for the default.
func (h *Hashed) Model() string { return fmt.Sprintf("heard-hash-%s-%d", hashedVersion, h.dim) }

// Dim implements Embedder.
func (h *Hashed) Dim() int { return h.dim }

// Embed implements Embedder. A text without any term (empty, or only
// stopwords) gets the zero vector.
func (h *Hashed) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("hashed embedder: %w", err)
			}
		}
		out[i] = h.vector(t)
	}
	return out, nil
}

type feature struct {
	key    uint64
	weight float64
	count  float64
}

// vector computes one text's embedding.
func (h *Hashed) vector(text string) []float32 {
	// feats keeps first-seen order, so the float sums below always run in
	// the same order and the result is bit-for-bit reproducible.
	var feats []feature
	seen := make(map[uint64]int, 256)
	add := func(key uint64, w float64) {
		if i, ok := seen[key]; ok {
			feats[i].count++
			return
		}
		seen[key] = len(feats)
		feats = append(feats, feature{key: key, weight: w, count: 1})
	}
	prev := ""
	for _, w := range terms.Canonical(text) {
		if terms.IsStop(w) || (len(w) < 2 && !isDigit(w[0])) {
			prev = ""
			continue
		}
		st := terms.Stem(w)
		add(hashString('u', st, ""), weightUnigram)
		if prev != "" {
			add(hashString('b', prev, st), weightBigram)
		}
		prev = st
		charGrams(w, add)
	}
	v := make([]float32, h.dim)
	for _, f := range feats {
		idx := int(f.key % uint64(h.dim)) //nolint:gosec // dim is a small positive constant
		val := f.weight * (1 + math.Log(f.count))
		if f.key>>63 == 1 {
			val = -val
		}
		v[idx] += float32(val)
	}
	return Normalize(v)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// charGrams adds the character 3- and 4-grams of "<word>", where < and >
// mark the word's ends.
func charGrams(word string, add func(uint64, float64)) {
	rs := make([]rune, 0, len(word)+2)
	rs = append(rs, '<')
	rs = append(rs, []rune(word)...)
	rs = append(rs, '>')
	for _, g := range [...]struct {
		n int
		w float64
	}{{3, weightChar3}, {4, weightChar4}} {
		for i := 0; i+g.n <= len(rs); i++ {
			add(hashString(byte('0'+g.n), string(rs[i:i+g.n]), ""), g.w) //nolint:gosec // g.n is 3 or 4
		}
	}
}

// hashString is 64-bit FNV-1a over kind, a, a separator and b.
func hashString(kind byte, a, b string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * prime
	}
	h = (h ^ 0xff) * prime
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * prime
	}
	// FNV's low bits mix poorly for short keys; finish with a 64-bit mixer.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
