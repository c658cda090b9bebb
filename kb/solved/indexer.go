package solved

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heardhq/heard/internal/redact"
	"github.com/heardhq/heard/sdk"
)

// embedder is the part of an embed.Embedder the Indexer uses.
type embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Indexer keeps help-desk tickets in an Index: it redacts them, embeds
// them and finds the solved tickets most like a new one. It implements
// the pipeline's SolvedIndexer and is safe for concurrent use.
type Indexer struct {
	index Index
	embed embedder
	link  func(sdk.TicketRef) string
	now   func() time.Time
}

// NewIndexer returns an Indexer over ix with the embedder the index was
// built with; link (optional) gives a ticket's address in the help desk.
func NewIndexer(ix Index, e embedder, link func(sdk.TicketRef) string) (*Indexer, error) {
	if ix == nil || e == nil {
		return nil, fmt.Errorf("solved-ticket indexer: index and embedder are required: %w", sdk.ErrInvalid)
	}
	return &Indexer{index: ix, embed: e, link: link, now: time.Now}, nil
}

// FromTicket is the index row of a solved ticket, redacted and without a
// vector: the customer's messages as Text, the last public agent message
// as Reply, the agents' final priority and tags.
func FromTicket(t *sdk.Ticket) Ticket {
	// The pipeline hands over tickets it has already redacted; heard train
	// reads them from the help desk. Redacting again is a no-op on the
	// first and the same redaction, requester included, on the second.
	return rowOf(redact.Ticket(t))
}

// rowOf is FromTicket without the redaction.
func rowOf(t *sdk.Ticket) Ticket {
	var text []string
	reply := ""
	for _, m := range t.Messages {
		switch {
		case !m.FromAgent:
			text = append(text, m.Body)
		case m.Public:
			reply = m.Body
		}
	}
	row := Ticket{Connector: t.Ref.Connector, ID: t.Ref.ID, Subject: t.Subject,
		Text: strings.Join(text, "\n\n"), Reply: reply, Tags: t.Tags, SolvedAt: t.UpdatedAt}
	if t.Priority != sdk.PriorityUnknown {
		row.Priority = string(t.Priority)
	}
	return row
}

// IndexSolved stores a solved ticket.
func (x *Indexer) IndexSolved(ctx context.Context, t *sdk.Ticket) error {
	row := FromTicket(t)
	if row.SolvedAt.IsZero() {
		row.SolvedAt = x.now()
	}
	if x.link != nil {
		row.URL = x.link(t.Ref)
	}
	vs, err := x.embed.Embed(ctx, []string{EmbedText(row.Subject, row.Text)})
	if err != nil {
		return fmt.Errorf("embedding solved ticket %s: %w", t.Ref, err)
	}
	row.Vector = vs[0]
	return x.index.Upsert(ctx, row)
}

// Similar finds up to k solved tickets of t's connector most like t, t
// itself left out. t must already be redacted, as the pipeline hands it to
// the decide stage: the query is embedded, never stored.
func (x *Indexer) Similar(ctx context.Context, t *sdk.Ticket, k int) ([]Match, error) {
	q := rowOf(t)
	text := EmbedText(q.Subject, q.Text)
	vs, err := x.embed.Embed(ctx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("embedding ticket %s: %w", t.Ref, err)
	}
	ms, err := x.index.Similar(ctx, t.Ref.Connector, vs[0], text, k+1)
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		if m.Connector == t.Ref.Connector && m.ID == t.Ref.ID {
			continue
		}
		out = append(out, m)
	}
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}
