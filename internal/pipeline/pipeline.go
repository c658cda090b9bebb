package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/redact"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Record statuses.
const (
	// StatusProcessed: the event went through the pipeline.
	StatusProcessed = "processed"
	// StatusEnriched: the ticket was enriched (and, in live mode, written back).
	StatusEnriched = "enriched"
	// StatusSkipped: nothing to enrich for this kind of event.
	StatusSkipped = "skipped"
	// StatusFeedback: agents' final values were compared with heard's.
	StatusFeedback = "feedback"
)

// recorder is the part of the store the pipeline writes to.
type recorder interface {
	SaveRecord(ctx context.Context, r store.Record) (bool, error)
	Record(ctx context.Context, key string) (store.Record, error)
}

// feedbackStore keeps agents' corrections; optional.
type feedbackStore interface {
	LatestEnriched(ctx context.Context, connector, ticketID string) (store.Record, error)
	SaveFeedback(ctx context.Context, rows []store.Feedback) error
}

// SolvedIndexer keeps solved tickets with the agents' final values and
// replies: similar-ticket search and the learned classifier's labels read
// them. IndexSolved must be idempotent (a redelivered event indexes again).
// The pipeline passes the redacted ticket.
type SolvedIndexer interface {
	IndexSolved(ctx context.Context, t *sdk.Ticket) error
}

// Observer records what each event shows about its ticket (the ticket
// timeline). Observe gets the event's queue key, the event and the
// ticket fetched for it, not redacted; it must be idempotent (a
// redelivered event is observed again) and keep no message text.
type Observer interface {
	Observe(ctx context.Context, eventKey string, ev sdk.Event, t *sdk.Ticket) error
}

// Desk is the ticket half of sdk.Connector.
type Desk interface {
	Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error)
	Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error
}

// Target is one configured connector as the pipeline sees it.
type Target struct {
	Desk Desk
	// Mode is the connector's: anything but config.ModeLive records only.
	Mode config.Mode
}

// DecideRequest is what the decide stage decides from. Its contents are
// read-only for the Decider.
type DecideRequest struct {
	// Ticket is the fetched, redacted ticket: personal data in its text
	// replaced by placeholders, the requester's and authors' names dropped
	// and their e-mail addresses cut to "@domain".
	Ticket *sdk.Ticket
	// Requester is the ticket's requester as the help desk has it, not
	// redacted: for the greeting of a draft and for counting a customer's
	// tickets. It must not leave the process (no LLM prompt, plugin or
	// index) unless an administrator configured that.
	Requester sdk.Party
	// Attrs are the enrichers' merged facts, e.g. "customer.plan".
	Attrs sdk.Attrs
	// Predictions are the classifiers' merged predictions.
	Predictions []sdk.Prediction
	// Mode is the target connector's; the Decider gates for it, so in
	// shadow mode DecideResult.Changes comes back empty.
	Mode config.Mode
	// Kind is the kind of the event being handled: sdk.EventTicketCreated
	// for a new ticket, sdk.EventMessageCreated for a customer's reply.
	Kind sdk.EventKind
}

// DecideResult is the decide stage's answer, with E the type of its
// explanation.
type DecideResult[E any] struct {
	// Changes is the one write-back, already gated for the request's Mode;
	// the pipeline sets the fingerprint and applies it unless it is empty.
	Changes sdk.Changes
	// Category (the primary tag) and Requester (the requester's ID, or
	// lower-case e-mail) are indexed on the record, for counting the same
	// issue from other customers.
	Category, Requester string
	// Explanation is everything the stage concluded and why; the record
	// stores it, typed, as Detail.Decision.
	Explanation *E
	// Held are the predictions the gates kept off the ticket, and why; the
	// pipeline counts them (heard_gate_holds_total).
	Held []Hold
}

// Decider is the decide stage: it turns a classified ticket into the one
// gated write-back and an explanation to record. Implementations are safe
// for concurrent use; ctx bounds any IO (knowledge-base search, drafting).
// An error fails the job, which is retried; failures the stage can live
// without belong in its explanation instead.
type Decider[E any] interface {
	Decide(ctx context.Context, req *DecideRequest) (*DecideResult[E], error)
}

// NamedEnricher is an enricher with its component ID, the shape every
// component instance takes.
type NamedEnricher = component.Named[sdk.Enricher]

// Config wires a Pipeline whose decide stage explains itself with an E.
// Only Recorder is required: without a connector
// target for an event, or without a classifier, the event is recorded as
// processed and nothing else happens.
type Config[E any] struct {
	Recorder recorder
	// Feedback, when set, records agents' final priority and tags against
	// heard's predictions on ticket.updated and ticket.solved events.
	Feedback feedbackStore
	// Solved, when set, indexes every ticket.solved event's ticket.
	Solved SolvedIndexer
	// Timeline, when set, observes every event of a connector target with
	// its fetched ticket (fetched once for all stages), after the event was
	// enriched and before it is recorded, so an error retries the job. A
	// priority heard wrote back is observed as the ticket's: the help desk
	// does not tell heard about its own writes.
	Timeline   Observer
	Targets    map[string]Target // by connector name
	Enrichers  []NamedEnricher
	Classifier sdk.Classifier // usually the merged ensemble
	Fields     []sdk.FieldSpec
	Decider    Decider[E]
	// Redactor redacts every fetched ticket, with its requester's own
	// name and e-mail address, before any stage sees it and before a
	// solved ticket is indexed. nil means redact.New(): every kind.
	Redactor *redact.Redactor
	Logger   *slog.Logger
	Metrics  prometheus.Registerer
}

// Pipeline handles queue jobs, recording the decide stage's E explanations.
type Pipeline[E any] struct {
	cfg       Config[E]
	redactor  *redact.Redactor
	log       *slog.Logger
	now       func() time.Time
	jobs      *prometheus.CounterVec
	agreement *prometheus.CounterVec
	triage    *triageMetrics
	// modes overrides Target.Mode per connector (SetMode), read once per
	// event; copied on write.
	modes atomic.Pointer[map[string]config.Mode]
}

var _ queue.Handler = (*Pipeline[struct{}])(nil)

// New builds a pipeline.
func New[E any](cfg Config[E]) (*Pipeline[E], error) {
	if cfg.Recorder == nil {
		return nil, fmt.Errorf("pipeline: no recorder: %w", sdk.ErrInvalid)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Pipeline[E]{
		cfg: cfg, redactor: cfg.Redactor, log: log.With("component", "pipeline"), now: time.Now,
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heard_jobs_total",
			Help: "Queue job outcomes: processed, duplicate (already recorded), retry, dead (no attempts left).",
		}, []string{"outcome"}),
	}
	if p.redactor == nil {
		p.redactor = redact.New()
	}
	p.agreement = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "heard_agreement_total",
		Help: "heard's predictions compared with agents' final values, by field and whether they agreed.",
	}, []string{"field", "agreed"})
	agreementSeries(p.agreement)
	if cfg.Metrics != nil {
		for _, c := range []prometheus.Collector{p.jobs, p.agreement} {
			if err := cfg.Metrics.Register(c); err != nil {
				return nil, fmt.Errorf("registering pipeline metrics: %w", err)
			}
		}
	}
	p.triage = newTriageMetrics(cfg.Fields, slices.Sorted(maps.Keys(cfg.Targets)))
	if cfg.Metrics != nil {
		if err := p.triage.register(cfg.Metrics); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Detail is what a record's Detail holds, as JSON, with E the decide
// stage's explanation type: one json.Unmarshal of store.Record.Detail into
// a Detail[E] reads all of it.
type Detail[E any] struct {
	Ticket      sdk.TicketRef    `json:"ticket"`
	OccurredAt  time.Time        `json:"occurred_at"`
	Actor       string           `json:"actor,omitempty"`
	Mode        config.Mode      `json:"mode,omitempty"` // the connector's, when the ticket was decided
	Attrs       sdk.Attrs        `json:"attrs,omitempty"`
	Predictions []sdk.Prediction `json:"predictions,omitempty"`
	// Decision is the decide stage's explanation.
	Decision *E `json:"decision,omitempty"`
	// Written is what was sent to the help desk (nil in shadow mode or when
	// nothing passed the gates).
	Written *sdk.Changes `json:"written,omitempty"`
	// Errors are stages that failed without stopping the run.
	Errors map[string]string `json:"errors,omitempty"`
	Reason string            `json:"reason,omitempty"`

	category, requester string // indexed on the record, not repeated in the JSON
	held                []Hold // counted once the record is saved
	result              string // the write-back's, one of Writeback*; "" when not enriched

	fetched *sdk.Ticket // the ticket as fetched for this event, once
}

// Fingerprint identifies the write-back of one event: a retried job
// computes the same one, so the connector can tell its note is already there.
func Fingerprint(eventKey string) string {
	sum := sha256.Sum256([]byte("heard-note:" + eventKey))
	return hex.EncodeToString(sum[:8])
}

// Handle implements queue.Handler.
func (p *Pipeline[E]) Handle(ctx context.Context, job queue.Job, at queue.Attempt) error {
	if _, err := p.cfg.Recorder.Record(ctx, job.Key); err == nil {
		p.jobs.WithLabelValues("duplicate").Inc()
		p.log.InfoContext(ctx, "event already processed", "job_key", job.Key, "attempt", at.Number)
		return nil
	} else if !errors.Is(err, sdk.ErrNotFound) {
		return p.fail(ctx, job, at, fmt.Errorf("checking record %s: %w", job.Key, err))
	}
	ev := job.Event
	d := Detail[E]{Ticket: ev.Ticket, OccurredAt: ev.OccurredAt, Actor: ev.Actor}
	status, err := p.run(ctx, job, &d)
	if err != nil {
		return p.fail(ctx, job, at, err)
	}
	if err := p.observe(ctx, job, &d); err != nil {
		return p.fail(ctx, job, at, err)
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return p.fail(ctx, job, at, fmt.Errorf("encoding record for %s: %w", job.Key, err))
	}
	stored, err := p.cfg.Recorder.SaveRecord(ctx, store.Record{
		EventKey: job.Key, Connector: job.Connector, Kind: ev.Kind, TicketID: ev.Ticket.ID,
		Status: status, Attempt: at.Number, Detail: raw, ProcessedAt: p.now(),
		Category: d.category, Requester: d.requester,
	})
	if err != nil {
		return p.fail(ctx, job, at, fmt.Errorf("recording %s: %w", job.Key, err))
	}
	if !stored {
		p.jobs.WithLabelValues("duplicate").Inc()
		return nil
	}
	p.jobs.WithLabelValues("processed").Inc()
	outcome(p.triage, job.Connector, &d)
	p.log.DebugContext(ctx, "event processed", "job_key", job.Key, "kind", string(ev.Kind), "ticket_id", ev.Ticket.ID, "status", status, "attempt", at.Number)
	return nil
}

// Mode returns connector's mode now: the one SetMode set, else its
// Target's.
func (p *Pipeline[E]) Mode(connector string) config.Mode {
	if m := p.modes.Load(); m != nil {
		if mode, ok := (*m)[connector]; ok {
			return mode
		}
	}
	return p.cfg.Targets[connector].Mode
}

// SetModes replaces the modes that override the Targets' (nil or empty:
// every target's own): the next event of a connector is handled in its new
// mode, events under way keep theirs. The admin console's overlay sets
// them at run time.
func (p *Pipeline[E]) SetModes(modes map[string]config.Mode) error {
	for name, m := range modes {
		if _, ok := p.cfg.Targets[name]; !ok {
			return fmt.Errorf("pipeline: mode for %q: no such connector: %w", name, sdk.ErrInvalid)
		}
		if !m.Valid() {
			return fmt.Errorf("pipeline: mode %q for %q: want shadow or live: %w", m, name, sdk.ErrInvalid)
		}
	}
	c := maps.Clone(modes)
	p.modes.Store(&c)
	return nil
}

// run does the work for one event and fills d. An error means the job
// should be retried (or dead-lettered); stage failures that later stages
// can live without are recorded in d.Errors instead.
func (p *Pipeline[E]) run(ctx context.Context, job queue.Job, d *Detail[E]) (string, error) {
	ev := job.Event
	tgt, ok := p.cfg.Targets[job.Connector]
	if !ok || p.cfg.Classifier == nil || p.cfg.Decider == nil {
		return StatusProcessed, nil
	}
	if ev.Kind == sdk.EventTicketUpdated || ev.Kind == sdk.EventTicketSolved {
		return p.feedback(ctx, tgt, ev, d)
	}
	if ev.Kind != sdk.EventTicketCreated && ev.Kind != sdk.EventMessageCreated {
		d.Reason = "event kind " + string(ev.Kind) + " is not enriched"
		return StatusSkipped, nil
	}
	d.Mode = p.Mode(job.Connector)
	if !d.Mode.Live() {
		d.Mode = config.ModeShadow
	}
	start := time.Now()
	raw, err := p.ticket(ctx, tgt, ev, d)
	if errors.Is(err, errors.ErrUnsupported) {
		d.Reason = "connector cannot fetch tickets yet"
		return StatusProcessed, nil
	}
	if err != nil {
		return "", fmt.Errorf("fetching ticket %s: %w", ev.Ticket, err)
	}
	start = p.triage.since(StageFetch, start)
	// The one place tickets are redacted: every stage, plugin, prompt and
	// embedding below sees t. Only plugins an administrator trusts read
	// the original, through ctx.
	t := p.redactor.Ticket(raw)
	ctx = redact.WithOriginal(ctx, t, raw)
	d.Errors = map[string]string{}
	attrs := sdk.Attrs{}
	for _, e := range p.cfg.Enrichers {
		resp, err := e.Impl.Enrich(ctx, &sdk.EnrichRequest{Ticket: t, Attrs: attrs})
		if err != nil {
			d.Errors[e.ID] = err.Error()
			p.log.WarnContext(ctx, "enricher failed; continuing", "enricher", e.ID, "ticket_id", t.Ref.ID, "err", err)
			continue
		}
		if resp != nil {
			for k, v := range resp.Attrs {
				attrs[k] = v
			}
		}
	}
	d.Attrs = attrs
	start = p.triage.since(StageEnrich, start)
	resp, err := p.cfg.Classifier.Classify(ctx, &sdk.ClassifyRequest{Ticket: t, Attrs: attrs, Fields: p.cfg.Fields})
	if err != nil {
		d.Errors["classify"] = err.Error()
	} else if resp != nil {
		d.Predictions = resp.Predictions
	}
	start = p.triage.since(StageClassify, start)
	res, err := p.cfg.Decider.Decide(ctx, &DecideRequest{Ticket: t, Requester: raw.Requester, Attrs: attrs, Predictions: d.Predictions, Mode: d.Mode, Kind: ev.Kind})
	if err != nil {
		return "", fmt.Errorf("deciding for ticket %s: %w", ev.Ticket, err)
	}
	if res == nil {
		res = &DecideResult[E]{}
	}
	d.Decision, d.category, d.requester = res.Explanation, res.Category, res.Requester
	d.held = res.Held
	start = p.triage.since(StageDecide, start)
	if len(d.Errors) == 0 {
		d.Errors = nil
	}
	ch := res.Changes
	switch {
	case !d.Mode.Live():
		d.result = WritebackShadow
		return StatusEnriched, nil
	case ch.Empty():
		d.result = WritebackNothing
		return StatusEnriched, nil
	}
	ch.Fingerprint = Fingerprint(job.Key)
	if err := tgt.Desk.Apply(ctx, ev.Ticket, ch); err != nil {
		p.triage.wrote(job.Connector, WritebackFailed, false)
		return "", fmt.Errorf("writing back to ticket %s: %w", ev.Ticket, err)
	}
	p.triage.since(StageWriteback, start)
	d.result = WritebackWritten
	d.Written = &ch
	return StatusEnriched, nil
}

// feedback compares the ticket's latest enrichment with the values the
// agents have now set, and records the comparison.
func (p *Pipeline[E]) feedback(ctx context.Context, tgt Target, ev sdk.Event, d *Detail[E]) (string, error) {
	if p.cfg.Feedback == nil && p.cfg.Solved == nil {
		d.Reason = "agreement tracking is off"
		return StatusSkipped, nil
	}
	var t *sdk.Ticket
	fetch := func() (bool, error) {
		if t != nil {
			return true, nil
		}
		var err error
		t, err = p.ticket(ctx, tgt, ev, d)
		if errors.Is(err, errors.ErrUnsupported) {
			d.Reason = "connector cannot fetch tickets"
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("fetching ticket %s for agreement: %w", ev.Ticket, err)
		}
		return true, nil
	}
	indexed := false
	if ev.Kind == sdk.EventTicketSolved && p.cfg.Solved != nil {
		if ok, err := fetch(); !ok {
			return StatusSkipped, err
		}
		if err := p.cfg.Solved.IndexSolved(ctx, p.redactor.Ticket(t)); err != nil {
			return "", fmt.Errorf("indexing solved ticket %s: %w", ev.Ticket, err)
		}
		indexed = true
	}
	skipped := func(reason string) (string, error) {
		d.Reason = reason
		if indexed {
			d.Reason = "indexed the solved ticket; " + reason
			return StatusFeedback, nil
		}
		return StatusSkipped, nil
	}
	if p.cfg.Feedback == nil {
		return skipped("agreement tracking is off")
	}
	rec, err := p.cfg.Feedback.LatestEnriched(ctx, ev.Ticket.Connector, ev.Ticket.ID)
	if errors.Is(err, sdk.ErrNotFound) {
		return skipped("heard never enriched this ticket")
	}
	if err != nil {
		return "", err
	}
	var prev struct { // only the predictions are compared
		Predictions []sdk.Prediction `json:"predictions"`
	}
	if err := json.Unmarshal(rec.Detail, &prev); err != nil {
		return "", fmt.Errorf("reading enrichment %s: %w", rec.EventKey, err)
	}
	if ok, err := fetch(); !ok {
		return StatusSkipped, err
	}
	rows := agreement.Compare(ev.Ticket.Connector, ev.Ticket.ID, prev.Predictions, t, p.now())
	out := make([]store.Feedback, 0, len(rows))
	for _, r := range rows {
		out = append(out, store.Feedback{Connector: r.Connector, TicketID: r.TicketID, Field: r.Field, Predicted: r.Predicted,
			Confidence: r.Confidence, Final: r.Final, Agreed: r.Agreed, At: r.At})
	}
	if err := p.cfg.Feedback.SaveFeedback(ctx, out); err != nil {
		return "", err
	}
	// Counted once saved: a failed save is retried and must not count
	// twice, and whoever sees the metric can read the rows.
	for _, r := range rows {
		p.agreement.WithLabelValues(r.Field, strconv.FormatBool(r.Agreed)).Inc()
	}
	d.Reason = fmt.Sprintf("compared %d predictions of %s with the agents' values", len(out), rec.EventKey)
	return StatusFeedback, nil
}

// ticket fetches the event's ticket once per event.
func (p *Pipeline[E]) ticket(ctx context.Context, tgt Target, ev sdk.Event, d *Detail[E]) (*sdk.Ticket, error) {
	if d.fetched != nil {
		return d.fetched, nil
	}
	t, err := tgt.Desk.Ticket(ctx, ev.Ticket)
	if err != nil {
		return nil, err
	}
	d.fetched = t
	return t, nil
}

// observe hands the event and its ticket to the timeline.
func (p *Pipeline[E]) observe(ctx context.Context, job queue.Job, d *Detail[E]) error {
	tgt, ok := p.cfg.Targets[job.Connector]
	if p.cfg.Timeline == nil || !ok {
		return nil
	}
	t, err := p.ticket(ctx, tgt, job.Event, d)
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	if errors.Is(err, sdk.ErrNotFound) { // deleted since: nothing to observe
		p.log.DebugContext(ctx, "ticket gone; not on the timeline", "job_key", job.Key, "ticket_id", job.Event.Ticket.ID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("fetching ticket %s for its timeline: %w", job.Event.Ticket, err)
	}
	if w := d.Written; w != nil && w.Priority != nil {
		cp := *t
		cp.Priority = *w.Priority
		t = &cp
	}
	if err := p.cfg.Timeline.Observe(ctx, job.Key, job.Event, t); err != nil {
		return fmt.Errorf("recording the timeline of %s: %w", job.Event.Ticket, err)
	}
	return nil
}

func (p *Pipeline[E]) fail(ctx context.Context, job queue.Job, at queue.Attempt, err error) error {
	out := "retry"
	if at.Number >= at.MaxAttempts || !sdk.Retryable(err) {
		out = "dead"
	}
	p.jobs.WithLabelValues(out).Inc()
	p.log.WarnContext(ctx, "job failed", "job_key", job.Key, "attempt", at.Number, "outcome", out, "err", err)
	return err
}
