package embed_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/internal/llm/llmtest"
	"github.com/heardhq/heard/kb/embed"
	"github.com/heardhq/heard/sdk"
)

func hashed(t *testing.T, dim int) *embed.Hashed {
	t.Helper()
	h, err := embed.NewHashed(dim)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func one(t *testing.T, e embed.Embedder, text string) []float32 {
	t.Helper()
	vs, err := e.Embed(t.Context(), []string{text})
	if err != nil {
		t.Fatal(err)
	}
	return vs[0]
}

func TestHashedDeterministic(t *testing.T) {
	h := hashed(t, 0)
	if h.Dim() != embed.DefaultHashedDim || h.Model() != "heard-hash-v1-384" {
		t.Fatalf("model %s dim %d", h.Model(), h.Dim())
	}
	text := "How do I export invoices to CSV? Exporting invoices, quickly."
	a := one(t, h, text)
	for range 5 {
		b := one(t, hashed(t, 0), text)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("dimension %d differs between runs: %v vs %v", i, a[i], b[i])
			}
		}
	}
	// A pinned value guards against accidental changes to the features:
	// changing them must come with a new model version.
	var sum float64
	for i, x := range a {
		sum += float64(x) * float64(i%7+1)
	}
	const pinned = 1.1330 // update only together with hashedVersion
	if math.Abs(sum-pinned) > 1e-3 {
		t.Errorf("fingerprint %.4f, want %.4f: the offline embedder's output changed; bump hashedVersion", sum, pinned)
	}
}

func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func TestHashedSimilarity(t *testing.T) {
	h := hashed(t, 0)
	q := one(t, h, "how do I reset my password")
	cases := []struct {
		name       string
		closer     string
		further    string
		minCloser  float32
		maxFurther float32
	}{
		{"paraphrase beats unrelated", "Reset your password from the sign-in page", "Export invoices to a spreadsheet", 0.3, 0.15},
		{"morphology", "resetting passwords", "exporting invoices", 0.3, 0.15},
		{"typo still close", "how do i rest my pasword", "set up a recurring invoice", 0.2, 0.15},
		{"accents fold", "Réinitialiser le mot de passe: resét pássword", "facturation mensuelle", 0.2, 0.15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := embed.Dot(q, one(t, h, tc.closer))
			f := embed.Dot(q, one(t, h, tc.further))
			if c <= f || c < tc.minCloser || f > tc.maxFurther {
				t.Errorf("similarity to %q = %.3f, to %q = %.3f; want the first ≥ %.2f and above the second (≤ %.2f)",
					tc.closer, c, tc.further, f, tc.minCloser, tc.maxFurther)
			}
		})
	}
	if n := norm(q); math.Abs(n-1) > 1e-5 {
		t.Errorf("norm %v, want 1", n)
	}
	if s := embed.Dot(q, q); math.Abs(float64(s)-1) > 1e-5 {
		t.Errorf("self-similarity %v, want 1", s)
	}
	zero := one(t, h, "the of and to")
	if n := norm(zero); n != 0 || len(zero) != h.Dim() {
		t.Errorf("only stopwords: norm %v, len %d; want a zero vector of length %d", n, len(zero), h.Dim())
	}
}

func TestNewHashedInvalid(t *testing.T) {
	for _, dim := range []int{-1, 8, 20000} {
		if _, err := embed.NewHashed(dim); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("NewHashed(%d) = %v, want sdk.ErrInvalid", dim, err)
		}
	}
}

func TestHashedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := hashed(t, 0).Embed(ctx, []string{"a"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v, want context.Canceled", err)
	}
}

// counting counts the texts it embeds.
type counting struct {
	embed.Embedder
	calls, texts atomic.Int64
}

func (c *counting) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.calls.Add(1)
	c.texts.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func TestCached(t *testing.T) {
	inner := &counting{Embedder: hashed(t, 64)}
	c, err := embed.NewCached(inner, 100)
	if err != nil {
		t.Fatal(err)
	}
	if c.Model() != inner.Model() || c.Dim() != 64 {
		t.Errorf("cached model %s dim %d", c.Model(), c.Dim())
	}
	first, err := c.Embed(t.Context(), []string{"alpha", "beta", "alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if got := inner.texts.Load(); got != 2 {
		t.Errorf("first call embedded %d texts, want 2 (alpha once)", got)
	}
	second, err := c.Embed(t.Context(), []string{"beta", "alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if got := inner.calls.Load(); got != 1 {
		t.Errorf("second call reached the embedder (%d calls), want all hits", got)
	}
	if st := c.Stats(); st.Hits != 2 || st.Misses != 3 {
		t.Errorf("stats %+v, want 2 hits and 3 misses", st)
	}
	for i := range first[0] {
		if first[0][i] != second[1][i] || first[1][i] != second[0][i] {
			t.Fatal("cached vectors differ from the originals")
		}
	}
	// The caller owns the result: changing it does not change the cache.
	second[0][0] = 42
	third, _ := c.Embed(t.Context(), []string{"beta"})
	if third[0][0] == 42 {
		t.Error("the cache returned a vector the caller had modified")
	}
	// Another model never shares entries.
	other, _ := embed.NewCached(&counting{Embedder: hashed(t, 32)}, 100)
	if v, _ := other.Embed(t.Context(), []string{"alpha"}); len(v[0]) != 32 {
		t.Errorf("other model returned %d dims", len(v[0]))
	}
}

func TestOpenAI(t *testing.T) {
	srv := llmtest.New(t)
	var batches []int
	srv.RespondEmbed = func(req llmtest.EmbeddingRequest) llmtest.Response {
		batches = append(batches, len(req.Inputs))
		vs := make([][]float32, len(req.Inputs))
		for i, in := range req.Inputs {
			v := llmtest.FakeVector(in)
			for j := range v {
				v[j] *= 3 // not unit length: the embedder normalises
			}
			vs[i] = v
		}
		return llmtest.Embeddings(req.Model, vs)
	}
	client, err := llm.New(llm.Config{BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: "chat-unused"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.NewOpenAI(client, embed.OpenAIConfig{Model: "text-embedding-3-small", Dim: 8, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"a", "b", "c", "d", "e"}
	vs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 5 || len(batches) != 3 || batches[0] != 2 || batches[2] != 1 {
		t.Fatalf("%d vectors in batches %v, want 5 in [2 2 1]", len(vs), batches)
	}
	for i, v := range vs {
		want := llmtest.FakeVector(texts[i])
		for j := range v {
			if math.Abs(float64(v[j]-want[j])) > 1e-6 {
				t.Fatalf("vector %d differs from the server's, normalised: %v vs %v", i, v, want)
			}
		}
	}
	if _, err := e.Embed(t.Context(), []string{"ok", ""}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("empty text: %v, want sdk.ErrInvalid", err)
	}
}

func TestOpenAIErrors(t *testing.T) {
	srv := llmtest.New(t)
	client, err := llm.New(llm.Config{BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: "m", MaxRetries: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("wrong dimension", func(t *testing.T) {
		e, _ := embed.NewOpenAI(client, embed.OpenAIConfig{Model: "nomic-embed-text"}) // 768 known; server sends 8
		if e.Dim() != 768 {
			t.Fatalf("known dim %d, want 768", e.Dim())
		}
		_, err := e.Embed(t.Context(), []string{"x"})
		if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "8 dimensions") {
			t.Errorf("err %v, want sdk.ErrInvalid naming the 8 dimensions", err)
		}
	})
	t.Run("server error", func(t *testing.T) {
		srv.RespondEmbed = func(llmtest.EmbeddingRequest) llmtest.Response {
			return llmtest.Error(http.StatusServiceUnavailable, "server_error", "down")
		}
		e, _ := embed.NewOpenAI(client, embed.OpenAIConfig{Model: "m", Dim: 8})
		if _, err := e.Embed(t.Context(), []string{"x"}); !errors.Is(err, sdk.ErrUnavailable) {
			t.Errorf("err %v, want sdk.ErrUnavailable", err)
		}
	})
	t.Run("config", func(t *testing.T) {
		for _, cfg := range []embed.OpenAIConfig{{}, {Model: "unknown-model"}, {Model: "m", Dim: 8, BatchSize: 5000}} {
			if _, err := embed.NewOpenAI(client, cfg); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("NewOpenAI(%+v) = %v, want sdk.ErrInvalid", cfg, err)
			}
		}
	})
}
