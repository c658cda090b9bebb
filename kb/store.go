package kb

import (
	"context"
	"fmt"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Entry is one article with its chunks, as a Store keeps it.
type Entry struct {
	Source    string // the connector name, or the local folder's source name
	ID        string // the article's ID within Source
	Hash      string // content hash: unchanged articles are skipped on sync
	Title     string
	URL       string
	Locale    string // normalised ("en-us")
	Lang      string // Lang(Locale), what filters compare
	Section   string
	UpdatedAt time.Time
	// TitleTerms is terms.Join(Title), for the full-text index.
	TitleTerms string
	Chunks     []Chunk
}

// Chunk is one piece of an article.
type Chunk struct {
	Index   int    // 0-based position in the article
	Heading string // heading path, "Billing › Refunds"; "" before the first heading
	Text    string // plain text
	// Terms is terms.Join(Heading + Text), for the full-text index.
	Terms string
	// Vector is the unit-length embedding of EmbedText(title, Heading, Text).
	Vector []float32
}

// Filter narrows a search. Empty fields match everything.
type Filter struct {
	Lang   string // primary language subtag; articles without one always match
	Source string // exact source name
}

// BatchStore is a Store that answers several candidate queries in one
// call, sharing work between them (KB.SearchEach uses it). The answers
// are Candidates' for each query, in the queries' order.
type BatchStore interface {
	Store
	CandidatesEach(ctx context.Context, qs []CandidateQuery) (vector, text [][]Hit, err error)
}

// CandidateQuery asks a Store for the best chunks by vector similarity
// and by full-text rank.
type CandidateQuery struct {
	// Vector is the unit-length query embedding. Every Hit's Similarity is
	// computed against it, whichever list it is in.
	Vector []float32
	// Terms are the query's distinct terms (terms.Analyze); a chunk
	// matches when it has any of them.
	Terms  []string
	Filter Filter
	// VectorK and TextK are how many chunks each list may hold; 0 skips
	// the list.
	VectorK, TextK int
}

// Hit is one candidate chunk with its article's metadata.
type Hit struct {
	Source    string
	ArticleID string
	Chunk     int
	Title     string
	URL       string
	Locale    string
	Section   string
	Heading   string
	Text      string
	// Terms are the chunk's indexed terms (TitleTerms and Chunk.Terms,
	// space-separated), for scoring without analysing Text again.
	Terms string
	// Similarity is the cosine similarity between the chunk's vector and
	// CandidateQuery.Vector, in [-1, 1].
	Similarity float64
}

// Meta is what a knowledge base's vectors were made with.
type Meta struct {
	Model string `json:"model"`
	Dim   int    `json:"dim"`
}

// SyncState is what a source's last successful sync left behind.
type SyncState struct {
	LastSync time.Time `json:"last_sync"` // start of the last successful sync
	LastFull time.Time `json:"last_full"` // start of the last successful full sync
}

// SourceStats counts one source's content.
type SourceStats struct {
	Source   string    `json:"source"`
	Articles int       `json:"articles"`
	Chunks   int       `json:"chunks"`
	LastSync time.Time `json:"last_sync"`
	LastFull time.Time `json:"last_full"`
}

// Stats describes a knowledge base.
type Stats struct {
	Driver   string        `json:"driver"`
	Model    string        `json:"model"`
	Dim      int           `json:"dim"`
	Articles int           `json:"articles"`
	Chunks   int           `json:"chunks"`
	LastSync time.Time     `json:"last_sync"`
	Sources  []SourceStats `json:"sources"`
}

// ReembedFunc embeds a batch of chunks for Store.Reembed; it returns one
// unit vector per chunk.
type ReembedFunc func(ctx context.Context, chunks []ReembedChunk) ([][]float32, error)

// ReembedChunk is what ReembedFunc needs to rebuild a chunk's EmbedText.
type ReembedChunk struct {
	Title, Heading, Text string
}

// Store keeps articles, chunks and vectors, and finds candidates. The
// sqlite and postgres subpackages implement it and pass kbtest's suite.
//
// Implementations are safe for concurrent use. Every method's ctx bounds
// that call. Errors wrap sdk.ErrInvalid for bad input and *MismatchError
// for vectors of another model or dimension.
type Store interface {
	// Driver names the implementation: "sqlite" or "postgres".
	Driver() string
	// Prepare records m as the model and dimension of the store's vectors.
	// A store with chunks made with another Meta returns a *MismatchError
	// and changes nothing; an empty store takes m.
	Prepare(ctx context.Context, m Meta) error
	// Meta returns the recorded model and dimension (zero before Prepare).
	Meta(ctx context.Context) (Meta, error)
	// Upsert stores e, replacing the article with the same Source and ID
	// and all its chunks, atomically.
	Upsert(ctx context.Context, e Entry) error
	// Delete removes an article and its chunks; a missing one is no error.
	Delete(ctx context.Context, source, id string) error
	// Hashes returns the content hash of every article of source, by ID.
	Hashes(ctx context.Context, source string) (map[string]string, error)
	// Candidates returns the best chunks by vector similarity (highest
	// first) and by full-text rank (best first), each list at most its K.
	Candidates(ctx context.Context, q CandidateQuery) (vector, text []Hit, err error)
	// SyncState returns source's last sync times (zero when never synced).
	SyncState(ctx context.Context, source string) (SyncState, error)
	// SetSyncState records source's sync times.
	SetSyncState(ctx context.Context, source string, st SyncState) error
	// Stats counts what the store holds.
	Stats(ctx context.Context) (Stats, error)
	// Reembed replaces every chunk's vector with embed's and records m, in
	// one transaction: on error nothing changes. progress, when not nil,
	// is called with the chunks done and the total.
	Reembed(ctx context.Context, m Meta, embed ReembedFunc, progress func(done, total int)) error
	// Close releases what the store opened itself.
	Close() error
}

// MismatchError is returned when the knowledge base holds vectors of
// another model or dimension than the configured embedder's.
type MismatchError struct {
	Have, Want Meta
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("the knowledge base was embedded with %s (%d dimensions) but the configured embedder is %s (%d dimensions): re-embed it with `heard kb ingest --reembed`, or configure the embedder it was built with",
		e.Have.Model, e.Have.Dim, e.Want.Model, e.Want.Dim)
}

// Unwrap makes errors.Is(err, sdk.ErrInvalid) true.
func (e *MismatchError) Unwrap() error { return sdk.ErrInvalid }
