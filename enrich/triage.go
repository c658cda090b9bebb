package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/enrich/churn"
	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/sdk"
)

// Config is the whole deciding policy.
type Config struct {
	Churn churn.Policy `yaml:"churn"`
	SLA   sla.Policy   `yaml:"sla"`
	Route route.Config `yaml:"routing"`
	Gate  gate.Config  `yaml:"gate"`
	// SignalConfidence is the confidence a text signal needs to count for
	// churn, routing and escalation. Default 0.5.
	SignalConfidence float64 `yaml:"signal_confidence"`
	// SimilarWindow is how far back "the same issue from other customers"
	// looks. Default 24h.
	SimilarWindow time.Duration `yaml:"similar_window"`
	// NoteMaxBytes caps the internal note. Default 8000.
	NoteMaxBytes int `yaml:"note_max_bytes"`
	// AutoReply decides when a draft may be sent without an agent
	// (DOMAIN §6); off by default.
	AutoReply draft.AutoReplyConfig `yaml:"auto_reply"`
}

// DefaultConfig is DOMAIN.md's policy.
func DefaultConfig() Config {
	return Config{
		Churn: churn.DefaultPolicy(), SLA: sla.DefaultPolicy(), Route: route.DefaultConfig(), Gate: gate.DefaultConfig(),
		SignalConfidence: 0.5, SimilarWindow: 24 * time.Hour, NoteMaxBytes: 8000, AutoReply: draft.DefaultAutoReplyConfig(),
	}
}

// Validate checks every part.
func (c Config) Validate() error {
	var errs []error
	for name, err := range map[string]error{"churn": c.Churn.Validate(), "sla": c.SLA.Validate(), "routing": c.Route.Validate(),
		"gate": c.Gate.Validate(), "auto_reply": c.AutoReply.Validate()} {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if c.SignalConfidence < 0 || c.SignalConfidence > 1 {
		errs = append(errs, fmt.Errorf("signal_confidence %v: want 0..1: %w", c.SignalConfidence, sdk.ErrInvalid))
	}
	return errors.Join(errs...)
}

// SimilarCounter counts distinct customers who reported a ticket in
// category on connector since a time, this ticket's customer excluded.
type SimilarCounter func(ctx context.Context, connector, category, requester string, since time.Time) (int, error)

// KBSearch finds help-center articles for a ticket's text in a locale
// ("" for any) from a source (the connector, "" for any), best first,
// weak matches already left out.
type KBSearch func(ctx context.Context, text, locale, source string) ([]draft.Article, error)

// Deps are the decide stage's optional collaborators.
type Deps struct {
	// Similar counts other customers with the same issue; nil: the
	// product-team flag never fires.
	Similar SimilarCounter
	// Search finds knowledge-base matches; nil: none.
	Search KBSearch
	// Drafter writes the suggested reply; nil: no draft.
	Drafter draft.Drafter
	Log     *slog.Logger
}

// Triage is the decide stage. It is safe for concurrent use.
type Triage struct {
	cfg     Config
	similar SimilarCounter
	search  KBSearch
	drafter draft.Drafter
	log     *slog.Logger
	now     func() time.Time
}

// New builds the decide stage.
func New(cfg Config, deps Deps) (*Triage, error) {
	similar, log := deps.Similar, deps.Log
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("enrich config: %w", err)
	}
	if cfg.SignalConfidence == 0 {
		cfg.SignalConfidence = 0.5
	}
	if cfg.SimilarWindow <= 0 {
		cfg.SimilarWindow = 24 * time.Hour
	}
	if cfg.NoteMaxBytes <= 0 {
		cfg.NoteMaxBytes = 8000
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Triage{cfg: cfg, similar: similar, search: deps.Search, drafter: deps.Drafter, log: log.With("component", "enrich"), now: time.Now}, nil
}

// SLAView is the SLA part of a decision.
type SLAView struct {
	FirstResponseDue time.Time `json:"first_response_due"`
	ResolutionDue    time.Time `json:"resolution_due"`
	Multiplier       float64   `json:"multiplier"`
	BusinessHours    bool      `json:"business_hours"`
	UnknownPlan      bool      `json:"unknown_plan,omitempty"`
}

// Decision is everything the decide stage concluded, as recorded.
type Decision struct {
	Priority       sdk.Priority             `json:"priority"`
	PriorityReason string                   `json:"priority_reason"`
	PrimaryTag     string                   `json:"primary_tag,omitempty"`
	Tags           []string                 `json:"tags,omitempty"`
	Sentiment      string                   `json:"sentiment,omitempty"`
	Language       string                   `json:"language,omitempty"`
	Signals        map[string]string        `json:"signals,omitempty"`
	Churn          churn.Result             `json:"churn"`
	SLA            *SLAView                 `json:"sla,omitempty"`
	Route          route.Decision           `json:"route"`
	SimilarRecent  int                      `json:"similar_recent"`
	KBMatches      []draft.Article          `json:"kb_matches,omitempty"`
	Draft          *draft.Draft             `json:"draft,omitempty"`
	AutoReply      *draft.AutoReplyDecision `json:"auto_reply,omitempty"`
	Gate           []gate.Decision          `json:"gate"`
	Note           string                   `json:"note"`
	Errors         []string                 `json:"errors,omitempty"`
}

// Decide implements the pipeline's decide stage.
func (tr *Triage) Decide(ctx context.Context, t *sdk.Ticket, _ sdk.Attrs, preds []sdk.Prediction, live bool) (sdk.Changes, json.RawMessage, error) {
	d, ch := tr.decide(ctx, t, preds, live)
	raw, err := json.Marshal(d)
	if err != nil {
		return sdk.Changes{}, nil, fmt.Errorf("encoding decision: %w", err)
	}
	return ch, raw, nil
}

// decide is Decide without the encoding, for tests and the demo.
func (tr *Triage) decide(ctx context.Context, t *sdk.Ticket, preds []sdk.Prediction, live bool) (*Decision, sdk.Changes) {
	now := tr.now()
	d := &Decision{Signals: map[string]string{}}
	best := map[string]sdk.Prediction{}
	for _, p := range preds {
		switch {
		case p.Field == sdk.FieldSecondaryTag:
			d.Tags = append(d.Tags, p.Value)
		case strings.HasPrefix(p.Field, "signal."):
			if p.Confidence >= tr.cfg.SignalConfidence {
				d.Signals[p.Field] = p.Value
			}
		}
		if cur, ok := best[p.Field]; !ok || p.Confidence > cur.Confidence {
			best[p.Field] = p
		}
	}
	if p, ok := best[sdk.FieldPriority]; ok {
		d.Priority, d.PriorityReason = sdk.Priority(p.Value), p.Reason
	}
	if d.Priority == sdk.PriorityUnknown {
		d.Priority, d.PriorityReason = sdk.P2, "no classifier predicted a priority; P2 (normal) assumed"
	}
	d.PrimaryTag = best[sdk.FieldPrimaryTag].Value
	if d.PrimaryTag != "" {
		d.Tags = append([]string{d.PrimaryTag}, d.Tags...)
	}
	d.Sentiment = best[sdk.FieldSentiment].Value
	d.Language = best[sdk.FieldLanguage].Value

	cust := t.Customer
	if cust == nil {
		cust = map[string]string{}
	}
	d.Churn = tr.cfg.Churn.Score(churn.Input{Text: churn.TextSignalsFrom(preds, tr.cfg.SignalConfidence), Attrs: cust, Now: now})

	plan := strings.ToLower(cust[sdk.AttrPlan])
	created := t.CreatedAt
	if created.IsZero() {
		created = now
	}
	if due, err := tr.cfg.SLA.Due(created, d.Priority, plan); err != nil {
		d.Errors = append(d.Errors, "sla: "+err.Error())
	} else {
		d.SLA = &SLAView{FirstResponseDue: due.FirstResponse, ResolutionDue: due.Resolution, Multiplier: due.Multiplier, BusinessHours: due.BusinessHours, UnknownPlan: due.UnknownPlan}
	}

	if tr.similar != nil && d.PrimaryTag != "" {
		n, err := tr.similar(ctx, t.Ref.Connector, d.PrimaryTag, requesterKey(t), now.Add(-tr.cfg.SimilarWindow))
		if err != nil {
			d.Errors = append(d.Errors, "similar tickets: "+err.Error())
		} else {
			d.SimilarRecent = n + 1
		}
	}
	d.Route = tr.cfg.Route.Decide(tr.facts(t, d, cust, now))
	preds = append([]sdk.Prediction(nil), preds...)
	if fp := d.Route.ForcedPriority; fp != "" && fp != d.Priority {
		reason := fmt.Sprintf("routing rule %q forces %s (was %s: %s)", d.Route.Rule, fp, d.Priority, d.PriorityReason)
		d.Priority, d.PriorityReason = fp, reason
		preds = append(preds, sdk.Prediction{Field: sdk.FieldPriority, Value: string(fp), Confidence: 1, Reason: reason, Source: "enrich.route"})
		if d.SLA != nil {
			if due, err := tr.cfg.SLA.Due(created, fp, plan); err == nil {
				d.SLA = &SLAView{FirstResponseDue: due.FirstResponse, ResolutionDue: due.Resolution, Multiplier: due.Multiplier, BusinessHours: due.BusinessHours, UnknownPlan: due.UnknownPlan}
			}
		}
	}
	tr.draft(ctx, t, d, preds, now, live)
	d.Note = truncate(renderNote(t, d), tr.cfg.NoteMaxBytes)

	gcfg := tr.cfg.Gate
	gcfg.Mode = gate.ModeShadow
	if live {
		gcfg.Mode = gate.ModeLive
	}
	out := gate.Decide(gcfg, preds, d.Note, "")
	d.Gate = out.Decisions
	if d.AutoReply != nil && d.AutoReply.Sent {
		// The auto-reply policy is the reply's gate (DOMAIN.md §6); the
		// connector sends it after the note and the fields.
		out.Changes.PublicReply = d.AutoReply.Text
	}
	return d, out.Changes
}

// draft finds knowledge-base matches and writes the suggested reply.
// Failures are recorded in d.Errors; the triage stands without them.
func (tr *Triage) draft(ctx context.Context, t *sdk.Ticket, d *Decision, preds []sdk.Prediction, now time.Time, live bool) {
	if tr.search != nil {
		text := t.Subject
		for i := len(t.Messages) - 1; i >= 0; i-- {
			if !t.Messages[i].FromAgent {
				text += "\n" + t.Messages[i].Body
				break
			}
		}
		m, err := tr.search(ctx, text, d.Language, t.Ref.Connector)
		if err != nil {
			d.Errors = append(d.Errors, "knowledge base: "+err.Error())
		}
		d.KBMatches = m
	}
	if tr.drafter == nil {
		return
	}
	req := draft.Request{Ticket: t, Priority: d.Priority, PrimaryTag: d.PrimaryTag, Tags: d.Tags, Sentiment: d.Sentiment,
		Language: d.Language, Articles: d.KBMatches, ChurnLevel: d.Churn.Level, Now: now, Location: tr.cfg.SLA.Calendar.Location}
	if d.SLA != nil {
		req.FirstResponseDue, req.ResolutionDue = d.SLA.FirstResponseDue, d.SLA.ResolutionDue
	}
	if d.Churn.RetentionFlow {
		req.RetentionOffer = d.Churn.Offer
	}
	dr, err := tr.drafter.Draft(ctx, req)
	if err != nil {
		d.Errors = append(d.Errors, "draft: "+err.Error())
		return
	}
	d.Draft = &dr
	conf := 0.0
	for _, p := range preds {
		if p.Field == sdk.FieldPrimaryTag && p.Value == d.PrimaryTag && p.Confidence > conf {
			conf = p.Confidence
		}
	}
	ar := draft.AutoReply(req, dr, conf, tr.cfg.AutoReply)
	ar.Sent = ar.Allowed && live
	d.AutoReply = &ar
}

func requesterKey(t *sdk.Ticket) string {
	if t.Requester.ID != "" {
		return t.Requester.ID
	}
	return strings.ToLower(t.Requester.Email)
}

func (tr *Triage) facts(t *sdk.Ticket, d *Decision, cust map[string]string, now time.Time) route.Facts {
	f := route.Facts{
		TicketID: t.Ref.ID, CustomerName: t.Organization.Name, Plan: strings.ToLower(cust[sdk.AttrPlan]),
		MRR: amount(cust[sdk.AttrMRR]), LTV: amount(cust[sdk.AttrLTV]), Category: d.PrimaryTag, Tags: d.Tags,
		Priority: d.Priority, Sentiment: d.Sentiment, Signals: d.Signals,
		FirstContact: len(t.Recent) == 0, SimilarRecent: d.SimilarRecent, Summary: summary(t), Now: now,
		Resolved: t.Status == sdk.StatusSolved || t.Status == sdk.StatusClosed,
	}
	if f.CustomerName == "" {
		f.CustomerName = t.Requester.Name
	}
	if s, ok := cust[sdk.AttrSignupDate]; ok {
		if ts, err := parseDate(s); err == nil {
			f.SignupDate = &ts
		}
	}
	for _, m := range t.Messages {
		if m.FromAgent && m.Public {
			f.Exchanges++
		}
	}
	if !t.CreatedAt.IsZero() {
		f.OpenFor = now.Sub(t.CreatedAt)
	}
	if d.SLA != nil {
		f.SLADeadline = d.SLA.ResolutionDue
	}
	return f
}

func amount(s string) *float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 {
		return nil
	}
	return &v
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

// summary is a one-sentence summary: the subject, or the first sentence of
// the first customer message.
func summary(t *sdk.Ticket) string {
	if s := strings.TrimSpace(t.Subject); s != "" {
		return s
	}
	for _, m := range t.Messages {
		if !m.FromAgent {
			body := strings.Join(strings.Fields(m.Body), " ")
			if i := strings.IndexAny(body, ".!?"); i > 0 {
				body = body[:i+1]
			}
			return truncate(body, 160)
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8Boundary(s, cut) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Boundary(s string, i int) bool { return i == len(s) || s[i]&0xC0 != 0x80 }
