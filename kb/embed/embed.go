package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Embedder turns texts into vectors.
//
// Implementations are safe for concurrent use. Embed returns exactly one
// vector of length Dim per input, in input order; it does not keep texts
// or vectors after returning, and the caller owns the result. ctx bounds
// the whole call, retries included. Errors wrap sdk sentinels where the
// cause is known (sdk.ErrInvalid for bad input, sdk.ErrUnavailable for an
// endpoint that is down).
type Embedder interface {
	// Model names the model and its version; together with Dim it is what
	// a knowledge base records, so vectors from different models never mix.
	Model() string
	// Dim is the length of every vector Embed returns.
	Dim() int
	// Embed embeds texts.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Normalize scales v to unit length in place and returns it. A zero
// vector is returned unchanged.
func Normalize(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// Dot returns the dot product of a and b, which must have the same length;
// for unit vectors it is their cosine similarity.
func Dot(a, b []float32) float32 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("embed.Dot: lengths %d and %d", len(a), len(b)))
	}
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+8 <= len(a); i += 8 {
		a8, b8 := a[i:i+8:i+8], b[i:i+8:i+8]
		s0 += a8[0]*b8[0] + a8[4]*b8[4]
		s1 += a8[1]*b8[1] + a8[5]*b8[5]
		s2 += a8[2]*b8[2] + a8[6]*b8[6]
		s3 += a8[3]*b8[3] + a8[7]*b8[7]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// errEmptyInput is returned for an empty text: no model embeds nothing.
var errEmptyInput = errors.New("empty text")
