package enrich

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/enrich/churn"
	"github.com/heardhq/heard/enrich/credits"
	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/enrich/timeline"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
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
	// (docs/policy.md, auto-reply); off by default.
	AutoReply draft.AutoReplyConfig `yaml:"auto_reply"`
	// Plans are the support plans and their ticket credits (docs/policy.md,
	// "Support plans and credits").
	Plans credits.Config `yaml:"support_plans"`
	// SLAClock configures the periodic SLA warning job (docs/policy.md,
	// the SLA clock).
	SLAClock timeline.Config `yaml:"sla_clock"`
}

// DefaultConfig is the default support policy (docs/policy.md).
func DefaultConfig() Config {
	c := Config{
		Churn: churn.DefaultPolicy(), SLA: sla.DefaultPolicy(), Route: route.DefaultConfig(), Gate: gate.DefaultConfig(),
		SignalConfidence: 0.5, SimilarWindow: 24 * time.Hour, NoteMaxBytes: 8000, AutoReply: draft.DefaultAutoReplyConfig(),
		Plans:    credits.DefaultConfig(),
		SLAClock: timeline.DefaultConfig(),
	}
	// The credit line is a field like any other, with its own gate.
	c.Gate.Fields[c.Plans.Field] = gate.FieldGate{Enabled: true}
	return c
}

// Validate checks every part.
func (c Config) Validate() error {
	var errs []error
	for name, err := range map[string]error{"churn": c.Churn.Validate(), "sla": c.SLA.Validate(), "routing": c.Route.Validate(),
		"gate": c.Gate.Validate(), "auto_reply": c.AutoReply.Validate(), "support_plans": c.Plans.Validate(), "sla_clock": c.SLAClock.Validate()} {
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

// SolvedSearch finds the solved tickets most similar to t (t itself
// excluded), best first.
type SolvedSearch func(ctx context.Context, t *sdk.Ticket) ([]SimilarSolved, error)

// SimilarSolved is a solved ticket like the one being decided: what agents
// finally set on it and how they answered.
type SimilarSolved struct {
	ID       string   `json:"id"`
	Subject  string   `json:"subject"`
	Priority string   `json:"priority,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	URL      string   `json:"url,omitempty"`
	Score    float64  `json:"score"`
	// Reply is the agents' public reply, redacted; it grounds the draft
	// when no article answers the question. Not shown in the note.
	Reply string `json:"-"`
}

// maxSimilarSolved is how many similar solved tickets the note shows.
const maxSimilarSolved = 3

// Deps are the decide stage's optional collaborators.
type Deps struct {
	// Similar counts other customers with the same issue; nil: the
	// product-team flag never fires.
	Similar SimilarCounter
	// Search finds knowledge-base matches; nil: none.
	Search KBSearch
	// AnswerThreshold is the answer confidence (draft.Article.Answer) an
	// article needs before a draft quotes its steps: the knowledge base's
	// kb.answer_threshold. 0 means draft.DefaultAnswerThreshold.
	AnswerThreshold float64
	// Solved finds similar solved tickets; nil: none.
	Solved SolvedSearch
	// Drafter writes the suggested reply; nil: no draft.
	Drafter draft.Drafter
	// Credits counts new tickets against their plan's credit; nil: the
	// plan still sets the SLA tier, but nothing is counted.
	Credits credits.Counter
	Log     *slog.Logger
}

// Decider is the decide stage: it implements pipeline.Decider with
// Explanation as the recorded explanation. It is safe for concurrent use.
type Decider struct {
	cfg     Config
	similar SimilarCounter
	search  KBSearch
	answer  float64
	solved  SolvedSearch
	drafter draft.Drafter
	plans   *credits.Policy
	counter credits.Counter
	log     *slog.Logger
	now     func() time.Time
	// gate is cfg.Gate until SetGate swaps it: each decision reads it once.
	gate atomic.Pointer[gate.Config]
}

var _ pipeline.Decider[Explanation] = (*Decider)(nil)

// New builds the decide stage.
func New(cfg Config, deps Deps) (*Decider, error) {
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
	plans, err := newPlans(cfg)
	if err != nil {
		return nil, fmt.Errorf("enrich config: %w", err)
	}
	tr := &Decider{cfg: cfg, similar: similar, search: deps.Search, answer: deps.AnswerThreshold, solved: deps.Solved, drafter: deps.Drafter,
		plans: plans, counter: deps.Credits, log: log.With("component", "enrich"), now: time.Now}
	g := cfg.Gate
	tr.gate.Store(&g)
	return tr, nil
}

// Gate returns the gate config decisions are made under now.
func (tr *Decider) Gate() gate.Config { return *tr.gate.Load() }

// SetGate validates c and swaps it in: the next decision is gated by it,
// decisions under way keep the one they started with. The config file's
// gate is Config.Gate; the admin console's overlay changes it at run time.
func (tr *Decider) SetGate(c gate.Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	tr.gate.Store(&c)
	return nil
}

// SLAView is the SLA part of a decision.
type SLAView struct {
	FirstResponseDue time.Time `json:"first_response_due"`
	ResolutionDue    time.Time `json:"resolution_due"`
	Multiplier       float64   `json:"multiplier"`
	BusinessHours    bool      `json:"business_hours"`
	UnknownPlan      bool      `json:"unknown_plan,omitempty"`
	// Region is the customer's region when its holidays were added to the
	// business-hours clock.
	Region string `json:"region,omitempty"`
}

// Explanation is everything the decide stage concluded and why. A record
// stores it as pipeline.Detail[Explanation].Decision; its JSON keys are
// the record's (docs/operations.md queries them).
type Explanation struct {
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
	FirstContact   string                   `json:"first_contact,omitempty"`
	SimilarRecent  int                      `json:"similar_recent"`
	KBMatches      []draft.Article          `json:"kb_matches,omitempty"`
	SimilarSolved  []SimilarSolved          `json:"similar_solved,omitempty"`
	Plan           *credits.Selection       `json:"plan,omitempty"`
	Credits        *credits.Result          `json:"credits,omitempty"`
	Draft          *draft.Draft             `json:"draft,omitempty"`
	AutoReply      *draft.AutoReplyDecision `json:"auto_reply,omitempty"`
	Gate           []gate.Decision          `json:"gate"`
	// HeldBack says, one line each, which predicted fields the gates kept
	// off the ticket and why (shadow mode, a disabled gate, a confidence
	// under the threshold, an invalid value, a more confident prediction).
	HeldBack []string `json:"held_back,omitempty"`
	Note     string   `json:"note"`
	Errors   []string `json:"errors,omitempty"`

	held []pipeline.Hold // HeldBack for the metrics
}

// Decide implements pipeline.Decider. It fails only for a request without
// a ticket (sdk.ErrInvalid); a part that fails (SLA, similar tickets,
// knowledge base, draft) is listed in Explanation.Errors.
func (tr *Decider) Decide(ctx context.Context, req *pipeline.DecideRequest) (*pipeline.DecideResult[Explanation], error) {
	if req == nil || req.Ticket == nil {
		return nil, fmt.Errorf("deciding: no ticket: %w", sdk.ErrInvalid)
	}
	t := req.Ticket
	if req.Requester != (sdk.Party{}) {
		// The stage greets and counts by the real requester; the LLM
		// drafter keeps the name out of its prompt (draft.LLMConfig).
		c := *t
		c.Requester = req.Requester
		t = &c
	}
	d, ch := tr.decideEvent(ctx, t, req.Attrs, req.Predictions, req.Mode, req.Kind)
	return &pipeline.DecideResult[Explanation]{Changes: ch, Category: d.PrimaryTag, Requester: requesterKey(t), Explanation: d, Held: d.held}, nil
}

// decide decides a customer's message on t: decideEvent without counting
// the ticket against a credit.
func (tr *Decider) decide(ctx context.Context, t *sdk.Ticket, attrs sdk.Attrs, preds []sdk.Prediction, mode config.Mode) (*Explanation, sdk.Changes) {
	return tr.decideEvent(ctx, t, attrs, preds, mode, sdk.EventMessageCreated)
}

// decideEvent is Decide on its parts, for an event of kind.
func (tr *Decider) decideEvent(ctx context.Context, t *sdk.Ticket, attrs sdk.Attrs, preds []sdk.Prediction, mode config.Mode, kind sdk.EventKind) (*Explanation, sdk.Changes) {
	now := tr.now()
	d := &Explanation{Signals: map[string]string{}}
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

	cust := CustomerFacts(t, attrs, now)
	d.Churn = tr.cfg.Churn.Score(churn.Input{Text: churn.TextSignalsFrom(preds, tr.cfg.SignalConfidence), Attrs: cust, Now: now})

	plan := strings.ToLower(cust[sdk.AttrPlan])
	created := t.CreatedAt
	if created.IsZero() {
		created = now
	}
	policyPreds := tr.credits(ctx, t, attrs, cust, kind, created, d)
	if d.Plan != nil && d.Plan.Plan != "" {
		plan = d.Plan.SLA
	}
	slaPolicy, region := tr.cfg.SLA, ""
	if r := strings.ToLower(strings.TrimSpace(cust[sdk.AttrRegion])); r != "" {
		var known bool
		if slaPolicy.Calendar, known = slaPolicy.Calendar.ForRegion(r); known {
			region = r
		}
	}
	if due, err := slaPolicy.Due(created, d.Priority, plan); err != nil {
		d.Errors = append(d.Errors, "sla: "+err.Error())
	} else {
		d.SLA = &SLAView{FirstResponseDue: due.FirstResponse, ResolutionDue: due.Resolution, Multiplier: due.Multiplier, BusinessHours: due.BusinessHours, UnknownPlan: due.UnknownPlan, Region: region}
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
			if due, err := slaPolicy.Due(created, fp, plan); err == nil {
				d.SLA = &SLAView{FirstResponseDue: due.FirstResponse, ResolutionDue: due.Resolution, Multiplier: due.Multiplier, BusinessHours: due.BusinessHours, UnknownPlan: due.UnknownPlan, Region: region}
			}
		}
	}
	preds = append(preds, policyPreds...)
	reply := tr.draft(ctx, t, d, preds, now)
	gates := tr.Gate()
	judged := gate.Judge(gates, preds)
	d.HeldBack, d.held = heldBack(judged, mode), holds(judged, mode)

	// One gate decides the fields, the note and the reply for the mode;
	// the connector sends the reply after the note and the fields.
	out := gate.Decide(gates, mode, gate.Input{Predictions: preds, Reply: reply, Note: func(replySent bool) string {
		if d.AutoReply != nil {
			d.AutoReply.Sent = replySent
		}
		d.Note = truncate(renderNote(t, d), tr.cfg.NoteMaxBytes)
		if d.Credits != nil { // kept whole when the note is cut: billing reads it
			line := "\n\n" + d.Credits.NoteLine()
			d.Note = truncate(renderNote(t, d), max(tr.cfg.NoteMaxBytes-len(line), 0)) + line
		}
		return d.Note
	}})
	d.Gate = out.Decisions
	return d, out.Changes
}

// draft finds knowledge-base matches and writes the suggested reply, and
// returns it as the auto-reply policy judged it (nil without a draft).
// Failures are recorded in d.Errors; the decision stands without them.
func (tr *Decider) draft(ctx context.Context, t *sdk.Ticket, d *Explanation, preds []sdk.Prediction, now time.Time) *gate.Reply {
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
	if tr.solved != nil {
		m, err := tr.solved(ctx, t)
		if err != nil {
			d.Errors = append(d.Errors, "similar solved tickets: "+err.Error())
		}
		if len(m) > maxSimilarSolved {
			m = m[:maxSimilarSolved]
		}
		d.SimilarSolved = m
	}
	if tr.drafter == nil {
		return nil
	}
	req := draft.Request{Ticket: t, Priority: d.Priority, PrimaryTag: d.PrimaryTag, Tags: d.Tags, Sentiment: d.Sentiment,
		Language: d.Language, Articles: d.KBMatches, ChurnLevel: d.Churn.Level, Now: now, Location: tr.cfg.SLA.Calendar.Location,
		Signals: d.Signals, AnswerThreshold: tr.answer}
	for _, m := range d.SimilarSolved {
		if m.Reply != "" {
			req.PastReplies = append(req.PastReplies, draft.PastReply{Subject: m.Subject, Reply: m.Reply, Score: m.Score})
		}
	}
	if d.SLA != nil {
		req.FirstResponseDue, req.ResolutionDue = d.SLA.FirstResponseDue, d.SLA.ResolutionDue
	}
	if d.Churn.RetentionFlow {
		req.RetentionOffer = d.Churn.Offer
	}
	dr, err := tr.drafter.Draft(ctx, req)
	if err != nil {
		d.Errors = append(d.Errors, "draft: "+err.Error())
		return nil
	}
	d.Draft = &dr
	conf := 0.0
	for _, p := range preds {
		if p.Field == sdk.FieldPrimaryTag && p.Value == d.PrimaryTag && p.Confidence > conf {
			conf = p.Confidence
		}
	}
	ar := draft.AutoReply(req, dr, conf, tr.cfg.AutoReply)
	d.AutoReply = &ar
	return &gate.Reply{Text: ar.Text, Allowed: ar.Allowed, Confidence: conf, Threshold: tr.cfg.AutoReply.Threshold}
}

func requesterKey(t *sdk.Ticket) string {
	if t.Requester.ID != "" {
		return t.Requester.ID
	}
	return strings.ToLower(t.Requester.Email)
}

func (tr *Decider) facts(t *sdk.Ticket, d *Explanation, cust map[string]string, now time.Time) route.Facts {
	f := route.Facts{
		TicketID: t.Ref.ID, CustomerName: t.Organization.Name, Plan: strings.ToLower(cust[sdk.AttrPlan]),
		MRR: amount(cust[sdk.AttrMRR]), LTV: amount(cust[sdk.AttrLTV]), Category: d.PrimaryTag, Tags: d.Tags,
		Priority: d.Priority, Sentiment: d.Sentiment, Signals: d.Signals,
		SimilarRecent: d.SimilarRecent, Summary: summary(t), Now: now,
		Resolved: t.Status == sdk.StatusSolved || t.Status == sdk.StatusClosed,
	}
	if f.CustomerName == "" {
		f.CustomerName = t.Requester.Name
	}
	f.FirstContact, d.FirstContact = firstContact(t, cust, now, tr.cfg.Route.NewCustomerDays)
	f.VIP, _ = strconv.ParseBool(strings.TrimSpace(cust[attrVIP]))
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

// firstContact tells from facts whether t is the requester's first contact
// with support, and why: other tickets from the requester listed by the
// help desk mean it is not; otherwise the customer's signup date, within
// newDays of now or older, does. Nil with a reason when nothing tells: the
// text is never taken as evidence.
func firstContact(t *sdk.Ticket, cust map[string]string, now time.Time, newDays int) (*bool, string) {
	yes, no := true, false
	if n := len(t.Recent); n > 0 {
		return &no, fmt.Sprintf("not first contact: the help desk lists %d other ticket(s) from the requester", n)
	}
	if s, ok := cust[sdk.AttrSignupDate]; ok {
		if ts, err := parseDate(s); err == nil {
			days := int(now.Sub(ts) / (24 * time.Hour))
			if days < newDays {
				return &yes, fmt.Sprintf("first contact: no other tickets listed and the customer signed up %d days ago (within %d)", max(days, 0), newDays)
			}
			return &no, fmt.Sprintf("not first contact: the customer signed up %d days ago (an existing customer)", days)
		}
	}
	return nil, "first contact unknown: no ticket history from the help desk and no signup date"
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
