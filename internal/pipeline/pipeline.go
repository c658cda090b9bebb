package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// StatusProcessed marks a record whose event went through the pipeline.
const StatusProcessed = "processed"

// recorder is the part of the store the pipeline writes to.
type recorder interface {
	SaveRecord(ctx context.Context, r store.Record) (bool, error)
}

// Pipeline handles queue jobs.
type Pipeline struct {
	rec  recorder
	log  *slog.Logger
	now  func() time.Time
	jobs *prometheus.CounterVec
}

var _ queue.Handler = (*Pipeline)(nil)

// New builds a pipeline. reg, when not nil, receives the job-outcome
// counter heard_jobs_total{outcome}.
func New(rec recorder, log *slog.Logger, reg prometheus.Registerer) (*Pipeline, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Pipeline{
		rec: rec, log: log.With("component", "pipeline"), now: time.Now,
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heard_jobs_total",
			Help: "Queue job outcomes: processed, duplicate (already recorded), retry, dead (no attempts left).",
		}, []string{"outcome"}),
	}
	if reg != nil {
		if err := reg.Register(p.jobs); err != nil {
			return nil, fmt.Errorf("registering pipeline metrics: %w", err)
		}
	}
	return p, nil
}

// detail is the record's Detail for now: what the event was.
type detail struct {
	Ticket     sdk.TicketRef `json:"ticket"`
	OccurredAt time.Time     `json:"occurred_at"`
	Actor      string        `json:"actor,omitempty"`
}

// Handle implements queue.Handler.
func (p *Pipeline) Handle(ctx context.Context, job queue.Job, at queue.Attempt) error {
	ev := job.Event
	d, err := json.Marshal(detail{Ticket: ev.Ticket, OccurredAt: ev.OccurredAt, Actor: ev.Actor})
	if err != nil {
		return p.outcome(ctx, job, at, fmt.Errorf("encoding record for %s: %w", job.Key, err))
	}
	stored, err := p.rec.SaveRecord(ctx, store.Record{
		EventKey: job.Key, Connector: job.Connector, Kind: ev.Kind, TicketID: ev.Ticket.ID,
		Status: StatusProcessed, Attempt: at.Number, Detail: d, ProcessedAt: p.now(),
	})
	if err != nil {
		return p.outcome(ctx, job, at, fmt.Errorf("recording %s: %w", job.Key, err))
	}
	if !stored {
		p.jobs.WithLabelValues("duplicate").Inc()
		p.log.InfoContext(ctx, "event already processed", "job_key", job.Key, "attempt", at.Number)
		return nil
	}
	p.jobs.WithLabelValues("processed").Inc()
	p.log.DebugContext(ctx, "event processed", "job_key", job.Key, "kind", string(ev.Kind), "ticket_id", ev.Ticket.ID, "attempt", at.Number)
	return nil
}

func (p *Pipeline) outcome(ctx context.Context, job queue.Job, at queue.Attempt, err error) error {
	out := "retry"
	if at.Number >= at.MaxAttempts || !sdk.Retryable(err) {
		out = "dead"
	}
	p.jobs.WithLabelValues(out).Inc()
	p.log.WarnContext(ctx, "job failed", "job_key", job.Key, "attempt", at.Number, "outcome", out, "err", err)
	return err
}
