package solved

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/terms"
	"github.com/heardhq/heard/sdk"
)

// Ticket is one solved ticket as the index keeps it. Text and Reply must
// already be redacted.
type Ticket struct {
	Connector string    `json:"connector"`
	ID        string    `json:"ticket_id"`
	Subject   string    `json:"subject"`
	Text      string    `json:"text"`     // the customer's messages, redacted
	Priority  string    `json:"priority"` // the final priority
	Tags      []string  `json:"tags"`     // the final tags
	Reply     string    `json:"reply"`    // the public agent reply that solved it, redacted
	SolvedAt  time.Time `json:"solved_at"`
	URL       string    `json:"url"`
	// Vector is the embedding of EmbedText(Subject, Text); Upsert needs
	// the index's dimension. Matches leave it out.
	Vector []float32 `json:"-"`
}

// Match is one solved ticket found for a query.
type Match struct {
	Ticket
	// Score is the relevance in [0, 1]: kb.Score's formula over Similarity
	// and the share of the query's terms the ticket's subject and text
	// contain.
	Score float64 `json:"score"`
	// Similarity is the cosine similarity of the vectors, in [-1, 1].
	Similarity float64 `json:"similarity"`
}

// Limits of Similar.
const (
	DefaultK = 5
	MaxK     = 50
	// Candidates is the least number of rows each candidate list of the
	// PostgreSQL index holds before scoring (4·k when larger).
	Candidates = 50
)

// Index stores solved tickets and finds the ones similar to a query.
// Implementations are safe for concurrent use; every method's ctx bounds
// that call. Errors wrap sdk.ErrInvalid for bad input.
type Index interface {
	// Dim is the dimension of the vectors the index takes.
	Dim() int
	// Upsert stores t, replacing the ticket with the same Connector and
	// ID.
	Upsert(ctx context.Context, t Ticket) error
	// Similar returns up to k (0 means DefaultK, at most MaxK) solved
	// tickets of connector ("" for all) most relevant to a query with
	// embedding vector and text, best first. Text may be empty
	// (vector-only scoring).
	Similar(ctx context.Context, connector string, vector []float32, text string, k int) ([]Match, error)
	// Delete removes a ticket; a missing one is no error.
	Delete(ctx context.Context, connector, id string) error
	// List returns the tickets of connector ("" for all) solved at or
	// after since, oldest first, without vectors: the labels the learned
	// classifier trains on.
	List(ctx context.Context, connector string, since time.Time) ([]Ticket, error)
	// Count returns how many tickets of connector ("" for all) the index
	// holds at its dimension.
	Count(ctx context.Context, connector string) (int, error)
	// Close releases what the index opened itself.
	Close() error
}

// EmbedText is the text a ticket's Vector embeds, and the text a query
// should pass to Similar: the subject, a blank line, the text.
func EmbedText(subject, text string) string {
	return strings.TrimSpace(subject + "\n\n" + text)
}

// termsOf is the analysed terms of a ticket, for the full-text index and
// for scoring.
func termsOf(t Ticket) string { return terms.Join(t.Subject + "\n" + t.Text) }

// checkTicket validates t for an index of dim dimensions.
func checkTicket(t Ticket, dim int) error {
	if t.Connector == "" || t.ID == "" {
		return fmt.Errorf("storing solved ticket: connector and ticket id are required: %w", sdk.ErrInvalid)
	}
	if err := checkVector(t.Vector, dim); err != nil {
		return fmt.Errorf("storing solved ticket %s/%s: %w", t.Connector, t.ID, err)
	}
	return nil
}

func checkVector(v []float32, dim int) error {
	if len(v) != dim {
		return fmt.Errorf("vector has %d dimensions, the index %d: %w", len(v), dim, sdk.ErrInvalid)
	}
	var n float64
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("vector is not finite: %w", sdk.ErrInvalid)
		}
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return fmt.Errorf("vector is zero: %w", sdk.ErrInvalid)
	}
	return nil
}

func checkQuery(vector []float32, dim, k int) (int, error) {
	if k <= 0 {
		k = DefaultK
	}
	if k > MaxK {
		return 0, fmt.Errorf("similar solved tickets: k %d: want at most %d: %w", k, MaxK, sdk.ErrInvalid)
	}
	if err := checkVector(vector, dim); err != nil {
		return 0, fmt.Errorf("similar solved tickets: %w", err)
	}
	return k, nil
}

// queryTerms returns the distinct terms of text, in order.
func queryTerms(text string) []string {
	var out []string
	for _, t := range terms.Analyze(text) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// candidate is a row found by either list, before scoring.
type candidate struct {
	Ticket
	terms string
	sim   float64
}

// rank scores candidates and returns the best k, best first; ties go to
// the most recently solved, then by connector and ID.
func rank(qTerms []string, cs []candidate, k int) []Match {
	out := make([]Match, 0, len(cs))
	for _, c := range cs {
		out = append(out, score(qTerms, c))
	}
	return best(out, k)
}

// score turns a candidate into a Match.
func score(qTerms []string, c candidate) Match {
	s := kb.Score(qTerms, kb.Hit{Similarity: c.sim, Terms: c.terms})
	c.Vector = nil
	return Match{Ticket: c.Ticket, Score: math.Round(s*1e4) / 1e4, Similarity: c.sim}
}

// best sorts ms, best first, and returns the first k.
func best(out []Match, k int) []Match {
	slices.SortFunc(out, func(a, b Match) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := b.SolvedAt.Compare(a.SolvedAt); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Connector, b.Connector), cmp.Compare(a.ID, b.ID))
	})
	return out[:min(len(out), k)]
}
