package backtest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Source is the help desk the solved tickets come from: listed and
// fetched, never written.
type Source interface {
	sdk.TicketLister
	Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error)
}

// Config is one backtest; E is the decide stage's explanation type.
type Config[E any] struct {
	// Connector is the configured connector's name; Source reads its desk.
	Connector string
	Source    Source
	// Mode runs the decide stage as that mode would (the connector's
	// configured mode); the write still never happens.
	Mode config.Mode
	// Since and Limit select the tickets solved since then, at most Limit.
	Since time.Time
	Limit int
	// The pipeline's stages, built exactly as for serve.
	Enrichers  []pipeline.NamedEnricher
	Classifier sdk.Classifier
	Fields     []sdk.FieldSpec
	Decider    pipeline.Decider[E]
	// Baseline, when set, is a second classifier run through the same
	// pipeline over the same tickets (e.g. the rules without the learned
	// model), reported beside the main one as BaselineName.
	Baseline     sdk.Classifier
	BaselineName string
	// Progress, when set, is called after each ticket.
	Progress func(done, total int)
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Result is a backtest's outcome.
type Result struct {
	// Tickets is how many solved tickets were triaged.
	Tickets int `json:"tickets"`
	// WouldWrite is how many of them live mode would have written to.
	WouldWrite int `json:"would_write"`
	agreement.Report
	// Baseline is the agreement of Config.Baseline, when one was given.
	Baseline *Baseline `json:"baseline,omitempty"`
}

// Baseline is the agreement a second classifier would have had.
type Baseline struct {
	Name string `json:"name"`
	agreement.Report
}

// Run triages the solved tickets and reports agreement. Errors fetching
// or triaging a ticket stop the run; a failing enricher or classifier is
// recorded by the pipeline and does not.
func Run[E any](ctx context.Context, cfg Config[E]) (Result, error) {
	if cfg.Source == nil || cfg.Classifier == nil || cfg.Decider == nil {
		return Result{}, fmt.Errorf("backtest: source, classifier and decider are required: %w", sdk.ErrInvalid)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	refs, err := ListSolved(ctx, cfg.Source, cfg.Since, cfg.Limit)
	if err != nil {
		return Result{}, err
	}
	desk := &snapshot{tickets: map[sdk.TicketRef]*sdk.Ticket{}}
	rec := &memRecorder{m: map[string]store.Record{}}
	p, err := pipeline.New(pipeline.Config[E]{
		Recorder: rec, Targets: map[string]pipeline.Target{cfg.Connector: {Desk: desk, Mode: cfg.Mode}},
		Enrichers: cfg.Enrichers, Classifier: cfg.Classifier, Fields: cfg.Fields, Decider: cfg.Decider, Logger: cfg.Logger,
	})
	if err != nil {
		return Result{}, err
	}
	var base *pipeline.Pipeline[E]
	baseDesk := &snapshot{tickets: map[sdk.TicketRef]*sdk.Ticket{}}
	baseRec := &memRecorder{m: map[string]store.Record{}}
	if cfg.Baseline != nil {
		base, err = pipeline.New(pipeline.Config[E]{
			Recorder: baseRec, Targets: map[string]pipeline.Target{cfg.Connector: {Desk: baseDesk, Mode: cfg.Mode}},
			Enrichers: cfg.Enrichers, Classifier: cfg.Baseline, Fields: cfg.Fields, Decider: cfg.Decider, Logger: cfg.Logger,
		})
		if err != nil {
			return Result{}, err
		}
	}
	var rows, baseRows []agreement.Feedback
	for i, ref := range refs {
		final, err := cfg.Source.Ticket(ctx, ref)
		if err != nil {
			return Result{}, fmt.Errorf("fetching ticket %s: %w", ref, err)
		}
		desk.put(ref, AsOpened(final))
		job := queue.NewJob(cfg.Connector, sdk.Event{ID: "backtest-" + ref.ID, Kind: sdk.EventTicketCreated, Ticket: ref, OccurredAt: final.CreatedAt})
		if err := p.Handle(ctx, job, queue.Attempt{Number: 1, MaxAttempts: 1}); err != nil {
			return Result{}, fmt.Errorf("triaging ticket %s: %w", ref, err)
		}
		var d pipeline.Detail[E]
		if err := json.Unmarshal(rec.m[job.Key].Detail, &d); err != nil {
			return Result{}, fmt.Errorf("reading the triage of ticket %s: %w", ref, err)
		}
		rows = append(rows, agreement.Compare(ref.Connector, ref.ID, d.Predictions, final, now())...)
		if base != nil {
			baseDesk.put(ref, AsOpened(final))
			if err := base.Handle(ctx, job, queue.Attempt{Number: 1, MaxAttempts: 1}); err != nil {
				return Result{}, fmt.Errorf("triaging ticket %s with the baseline: %w", ref, err)
			}
			var bd pipeline.Detail[E]
			if err := json.Unmarshal(baseRec.m[job.Key].Detail, &bd); err != nil {
				return Result{}, fmt.Errorf("reading the baseline triage of ticket %s: %w", ref, err)
			}
			baseRows = append(baseRows, agreement.Compare(ref.Connector, ref.ID, bd.Predictions, final, now())...)
		}
		if cfg.Progress != nil {
			cfg.Progress(i+1, len(refs))
		}
	}
	rep := agreement.Summarize(rows)
	rep.Connector, rep.Since = cfg.Connector, cfg.Since
	res := Result{Tickets: len(refs), WouldWrite: desk.writes(), Report: rep}
	if base != nil {
		br := agreement.Summarize(baseRows)
		br.Connector, br.Since = cfg.Connector, cfg.Since
		res.Baseline = &Baseline{Name: cfg.BaselineName, Report: br}
	}
	return res, nil
}

// ListSolved pages through the solved tickets, without duplicates.
func ListSolved(ctx context.Context, l sdk.TicketLister, since time.Time, limit int) ([]sdk.TicketRef, error) {
	seen := map[sdk.TicketRef]bool{}
	var out []sdk.TicketRef
	req := &sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since, Limit: 100}
	for len(out) < limit {
		resp, err := l.ListTickets(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("listing solved tickets: %w", err)
		}
		for _, r := range resp.Tickets {
			if !seen[r] && len(out) < limit {
				seen[r] = true
				out = append(out, r)
			}
		}
		if resp.NextCursor == "" {
			break
		}
		req = &sdk.ListTicketsRequest{Cursor: resp.NextCursor}
	}
	return out, nil
}

// AsOpened is the ticket as heard would have seen it when it was opened:
// the customer's messages before the first agent reply, no agent values.
func AsOpened(t *sdk.Ticket) *sdk.Ticket {
	c := *t
	c.Priority, c.Tags, c.Status = sdk.PriorityUnknown, nil, sdk.StatusNew
	c.Messages = nil
	for _, m := range t.Messages {
		if m.FromAgent {
			break
		}
		c.Messages = append(c.Messages, m)
	}
	if len(c.Messages) == 0 && len(t.Messages) > 0 {
		c.Messages = t.Messages[:1]
	}
	return &c
}

// snapshot is the pipeline's help desk: the tickets as opened, and an
// Apply that only counts what live mode would have written. It has no
// connection to the vendor at all.
type snapshot struct {
	mu      sync.Mutex
	tickets map[sdk.TicketRef]*sdk.Ticket
	would   map[sdk.TicketRef]bool
}

var _ pipeline.Desk = (*snapshot)(nil)

func (s *snapshot) put(ref sdk.TicketRef, t *sdk.Ticket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tickets[ref] = t
}

func (s *snapshot) Ticket(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tickets[ref]
	if !ok {
		return nil, fmt.Errorf("ticket %s: %w", ref, sdk.ErrNotFound)
	}
	return t, nil
}

// Apply records that live mode would write to ref and writes nothing.
func (s *snapshot) Apply(_ context.Context, ref sdk.TicketRef, _ sdk.Changes) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.would == nil {
		s.would = map[sdk.TicketRef]bool{}
	}
	s.would[ref] = true
	return nil
}

func (s *snapshot) writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.would)
}

// memRecorder keeps the pipeline's records in memory.
type memRecorder struct {
	mu sync.Mutex
	m  map[string]store.Record
}

func (r *memRecorder) SaveRecord(_ context.Context, rec store.Record) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[rec.EventKey]; dup {
		return false, nil
	}
	r.m[rec.EventKey] = rec
	return true, nil
}

func (r *memRecorder) Record(_ context.Context, key string) (store.Record, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.m[key]
	if !ok {
		return store.Record{}, fmt.Errorf("record %s: %w", key, sdk.ErrNotFound)
	}
	return rec, nil
}
