package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// memRecorder keeps records in a map with the store's first-wins rule.
type memRecorder struct {
	mu   sync.Mutex
	recs map[string]store.Record
	fail error
}

func newRec() *memRecorder { return &memRecorder{recs: map[string]store.Record{}} }

func (m *memRecorder) SaveRecord(_ context.Context, r store.Record) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	if _, ok := m.recs[r.EventKey]; ok {
		return false, nil
	}
	m.recs[r.EventKey] = r
	return true, nil
}

func (m *memRecorder) Record(_ context.Context, key string) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[key]
	if !ok {
		return r, fmt.Errorf("record %s: %w", key, sdk.ErrNotFound)
	}
	return r, nil
}

// fakeDesk is a function-field connector half.
type fakeDesk struct {
	ticket func(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error)
	apply  func(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error
}

func (f fakeDesk) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	return f.ticket(ctx, ref)
}
func (f fakeDesk) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	return f.apply(ctx, ref, ch)
}

// explained is the test decider's explanation.
type explained struct {
	Mode  config.Mode `json:"mode"`
	Facts int         `json:"facts"` // how many attrs the decider saw
	Note  string      `json:"note"`
}

type deciderFunc func(ctx context.Context, req *DecideRequest) (*DecideResult[explained], error)

func (f deciderFunc) Decide(ctx context.Context, req *DecideRequest) (*DecideResult[explained], error) {
	return f(ctx, req)
}

func count(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func job(kind sdk.EventKind) queue.Job {
	return queue.NewJob("acme", sdk.Event{ID: "e1", Kind: kind, Ticket: sdk.TicketRef{Connector: "acme", Account: "a", ID: "42"}, Actor: "7"})
}

func TestRecordOnlyWithoutTargets(t *testing.T) {
	rec := newRec()
	p, err := New(Config[explained]{Recorder: rec, Metrics: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	p.now = func() time.Time { return at }
	for i := 1; i <= 2; i++ { // the second run is a retry after a crash
		if err := p.Handle(t.Context(), job(sdk.EventMessageCreated), queue.Attempt{Number: i, MaxAttempts: 5}); err != nil {
			t.Fatalf("Handle attempt %d: %v", i, err)
		}
	}
	r, ok := rec.recs["acme:e1"]
	if !ok || len(rec.recs) != 1 {
		t.Fatalf("records = %v; want exactly acme:e1", rec.recs)
	}
	if r.Attempt != 1 || r.Status != StatusProcessed || r.TicketID != "42" || r.Kind != sdk.EventMessageCreated || !r.ProcessedAt.Equal(at) {
		t.Errorf("record = %+v; want the first attempt's record for ticket 42", r)
	}
	if got := count(t, p.jobs.WithLabelValues("processed")); got != 1 {
		t.Errorf("processed = %v; want 1", got)
	}
	if got := count(t, p.jobs.WithLabelValues("duplicate")); got != 1 {
		t.Errorf("duplicate = %v; want 1", got)
	}
}

// enrichSetup builds a pipeline with one target whose calls are counted.
type enrichSetup struct {
	p                    *Pipeline[explained]
	rec                  *memRecorder
	applied              []sdk.Changes
	fetches              int
	failFetch, failApply error
	live                 bool
}

func newEnrich(t *testing.T, live bool) *enrichSetup {
	t.Helper()
	s := &enrichSetup{rec: newRec(), live: live}
	desk := fakeDesk{
		ticket: func(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
			s.fetches++
			if s.failFetch != nil {
				return nil, s.failFetch
			}
			return &sdk.Ticket{Ref: ref, Subject: "Site down", Requester: sdk.Party{Email: "Ana@Example.com"}, Messages: []sdk.Message{{Body: "everything is down"}}}, nil
		},
		apply: func(_ context.Context, _ sdk.TicketRef, ch sdk.Changes) error {
			if s.failApply != nil {
				return s.failApply
			}
			s.applied = append(s.applied, ch)
			return nil
		},
	}
	cls := sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		if req.Attrs["enrich.vip"] != true {
			return nil, errors.New("enricher output not passed to the classifier")
		}
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{Field: sdk.FieldPriority, Value: "P0", Confidence: 0.9, Reason: "outage"},
			{Field: sdk.FieldPrimaryTag, Value: "performance", Confidence: 0.4}, {Field: sdk.FieldPrimaryTag, Value: "bug", Confidence: 0.8}}}, nil
	})
	enr := sdk.EnricherFunc(func(context.Context, *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
		return &sdk.EnrichResponse{Attrs: sdk.Attrs{"enrich.vip": true}}, nil
	})
	broken := sdk.EnricherFunc(func(context.Context, *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
		return nil, errors.New("crm down")
	})
	dec := deciderFunc(func(_ context.Context, req *DecideRequest) (*DecideResult[explained], error) {
		why := &explained{Mode: req.Mode, Facts: len(req.Attrs), Note: "P0 because outage"}
		// Changes even in shadow mode: the pipeline must not apply them.
		p := sdk.Priority(req.Predictions[0].Value)
		return &DecideResult[explained]{Changes: sdk.Changes{Priority: &p, InternalNote: why.Note},
			Category: "bug", Requester: "ana@example.com", Explanation: why}, nil
	})
	mode := config.ModeShadow
	if live {
		mode = config.ModeLive
	}
	var err error
	s.p, err = New(Config[explained]{
		Recorder: s.rec, Targets: map[string]Target{"acme": {Desk: desk, Mode: mode}},
		Enrichers:  []NamedEnricher{{ID: "enrich.vip", Impl: enr}, {ID: "enrich.crm", Impl: broken}},
		Classifier: cls, Decider: dec,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *enrichSetup) detail(t *testing.T) Detail[explained] {
	t.Helper()
	var d Detail[explained]
	if err := json.Unmarshal(s.rec.recs["acme:e1"].Detail, &d); err != nil {
		t.Fatalf("record detail: %v", err)
	}
	return d
}

func TestLiveEnrichmentWritesOnceWithStableFingerprint(t *testing.T) {
	s := newEnrich(t, true)
	s.failApply = errors.New("vendor 503")
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err == nil {
		t.Fatal("Handle succeeded although the write-back failed; want an error so the job retries")
	}
	if len(s.rec.recs) != 0 {
		t.Fatal("a record was written for a failed write-back")
	}
	s.failApply = nil
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 2, MaxAttempts: 5}); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if len(s.applied) != 1 || *s.applied[0].Priority != sdk.P0 || s.applied[0].Fingerprint != Fingerprint("acme:e1") {
		t.Fatalf("applied %+v; want one write with P0 and the event's fingerprint", s.applied)
	}
	d := s.detail(t)
	want := explained{Mode: config.ModeLive, Facts: 1, Note: "P0 because outage"}
	if d.Mode != config.ModeLive || d.Written == nil || len(d.Predictions) != 3 || d.Decision == nil || *d.Decision != want {
		t.Errorf("detail = %+v, decision %+v; want live mode, the written changes, predictions and the decision %+v", d, d.Decision, want)
	}
	if d.Errors["enrich.crm"] != "crm down" || d.Attrs["enrich.vip"] != true {
		t.Errorf("detail errors %v attrs %v; want the failed enricher recorded and the other's facts kept", d.Errors, d.Attrs)
	}
	if r := s.rec.recs["acme:e1"]; r.Status != StatusEnriched || r.Attempt != 2 || r.Category != "bug" || r.Requester != "ana@example.com" {
		t.Errorf("record = %+v; want enriched on attempt 2 with category bug and the requester", r)
	}
	// A redelivered job after the record exists does nothing at all.
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if len(s.applied) != 1 || s.fetches != 2 {
		t.Errorf("after a duplicate job: %d writes, %d fetches; want 1 and 2", len(s.applied), s.fetches)
	}
}

func TestFingerprintIsPerEvent(t *testing.T) {
	a, again, b := Fingerprint("a:1"), Fingerprint("a:"+"1"), Fingerprint("a:2")
	if a != again || a == b || len(a) != 16 {
		t.Error("fingerprints must be stable per event and differ between events")
	}
}

func TestShadowModeWritesNothing(t *testing.T) {
	s := newEnrich(t, false)
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if len(s.applied) != 0 {
		t.Errorf("shadow mode wrote %+v", s.applied)
	}
	if d := s.detail(t); d.Mode != config.ModeShadow || d.Written != nil || d.Decision == nil || d.Decision.Mode != config.ModeShadow {
		t.Errorf("detail = %+v, decision %+v; want shadow, nothing written, decision recorded", d, d.Decision)
	}
}

func TestSkipsNonEnrichedKindsAndUnsupportedFetch(t *testing.T) {
	s := newEnrich(t, true)
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketSolved), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if r := s.rec.recs["acme:e1"]; r.Status != StatusSkipped || s.fetches != 0 {
		t.Errorf("solved event: record %+v, %d fetches; want skipped without fetching", r, s.fetches)
	}
	s2 := newEnrich(t, true)
	s2.failFetch = fmt.Errorf("zendesk: %w", errors.ErrUnsupported)
	if err := s2.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if r := s2.rec.recs["acme:e1"]; r.Status != StatusProcessed || len(s2.applied) != 0 {
		t.Errorf("unsupported fetch: %+v; want processed, nothing written", r)
	}
}

func TestHandleFailureOutcomes(t *testing.T) {
	cases := []struct {
		name    string
		fail    error
		attempt int
		want    string
	}{
		{"transient, attempts left", errors.New("connection reset"), 1, "retry"},
		{"transient, last attempt", errors.New("connection reset"), 5, "dead"},
		{"invalid input is never retried", fmt.Errorf("bad: %w", sdk.ErrInvalid), 1, "dead"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRec()
			rec.fail = tc.fail
			p, err := New(Config[explained]{Recorder: rec})
			if err != nil {
				t.Fatal(err)
			}
			err = p.Handle(t.Context(), queue.NewJob("acme", sdk.Event{ID: "x"}), queue.Attempt{Number: tc.attempt, MaxAttempts: 5})
			if !errors.Is(err, tc.fail) {
				t.Errorf("Handle error = %v; want it to wrap %v", err, tc.fail)
			}
			if got := count(t, p.jobs.WithLabelValues(tc.want)); got != 1 {
				t.Errorf("outcome %q counted %v times; want 1", tc.want, got)
			}
		})
	}
}

// memFeedback is a feedbackStore over memRecorder.
type memFeedback struct {
	*memRecorder
	rows []store.Feedback
}

func (m *memFeedback) LatestEnriched(_ context.Context, connector, ticketID string) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best store.Record
	for _, r := range m.recs {
		if r.Connector == connector && r.TicketID == ticketID && r.Status == StatusEnriched && r.ProcessedAt.After(best.ProcessedAt) {
			best = r
		}
	}
	if best.EventKey == "" {
		return best, fmt.Errorf("no enrichment: %w", sdk.ErrNotFound)
	}
	return best, nil
}

func (m *memFeedback) SaveFeedback(_ context.Context, rows []store.Feedback) error {
	m.rows = append(m.rows, rows...)
	return nil
}

func TestAgentsFinalValuesAreComparedWithPredictions(t *testing.T) {
	s := newEnrich(t, true)
	fb := &memFeedback{memRecorder: s.rec}
	s.p.cfg.Feedback = fb
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	// The agent solves the ticket as P2 with the tag bug.
	final := &sdk.Ticket{Ref: sdk.TicketRef{Connector: "acme", ID: "42"}, Priority: sdk.P2, Tags: []string{"bug", "vip"}, Status: sdk.StatusSolved}
	p2, err := New(Config[explained]{Recorder: s.rec, Feedback: fb, Metrics: prometheus.NewRegistry(),
		Targets:    map[string]Target{"acme": {Desk: fakeDesk{ticket: func(context.Context, sdk.TicketRef) (*sdk.Ticket, error) { return final, nil }}, Mode: config.ModeLive}},
		Classifier: s.p.cfg.Classifier, Decider: s.p.cfg.Decider})
	if err != nil {
		t.Fatal(err)
	}
	solved := queue.NewJob("acme", sdk.Event{ID: "e2", Kind: sdk.EventTicketSolved, Ticket: sdk.TicketRef{Connector: "acme", Account: "a", ID: "42"}})
	if err := p2.Handle(t.Context(), solved, queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Feedback{}
	for _, r := range fb.rows {
		got[r.Field] = r
	}
	if r := got[sdk.FieldPriority]; r.Predicted != "P0" || r.Final != "P2" || r.Agreed {
		t.Errorf("priority feedback %+v; want P0 predicted, P2 final, disagreed", r)
	}
	if r := got[sdk.FieldPrimaryTag]; r.Predicted != "bug" || !r.Agreed {
		t.Errorf("primary tag feedback %+v; want bug, agreed", r)
	}
	if rec := s.rec.recs["acme:e2"]; rec.Status != StatusFeedback {
		t.Errorf("solved event record %+v; want status feedback", rec)
	}
	if c := count(t, p2.agreement.WithLabelValues(sdk.FieldPriority, "false")); c != 1 {
		t.Errorf("heard_agreement_total{priority,false} = %v; want 1", c)
	}
	// An event for a ticket heard never enriched is skipped.
	other := queue.NewJob("acme", sdk.Event{ID: "e3", Kind: sdk.EventTicketUpdated, Ticket: sdk.TicketRef{Connector: "acme", ID: "77"}})
	if err := p2.Handle(t.Context(), other, queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if rec := s.rec.recs["acme:e3"]; rec.Status != StatusSkipped {
		t.Errorf("record %+v; want skipped", rec)
	}
}

type solvedFunc func(ctx context.Context, t *sdk.Ticket) error

func (f solvedFunc) IndexSolved(ctx context.Context, t *sdk.Ticket) error { return f(ctx, t) }

// TestSolvedTicketsAreIndexed checks that every ticket.solved event's
// ticket is indexed, also when heard never enriched it, that updates are
// not, and that an indexing failure retries the job.
func TestSolvedTicketsAreIndexed(t *testing.T) {
	s := newEnrich(t, false)
	final := &sdk.Ticket{Ref: sdk.TicketRef{Connector: "acme", ID: "42"}, Subject: "Export", Priority: sdk.P3, Tags: []string{"how-to"}, Status: sdk.StatusSolved}
	var indexed []string
	fail := false
	p2, err := New(Config[explained]{Recorder: s.rec, Metrics: prometheus.NewRegistry(),
		Solved: solvedFunc(func(_ context.Context, tk *sdk.Ticket) error {
			if fail {
				return fmt.Errorf("index down: %w", sdk.ErrUnavailable)
			}
			indexed = append(indexed, tk.Ref.ID+":"+tk.Subject)
			return nil
		}),
		Targets:    map[string]Target{"acme": {Desk: fakeDesk{ticket: func(context.Context, sdk.TicketRef) (*sdk.Ticket, error) { return final, nil }}, Mode: config.ModeShadow}},
		Classifier: s.p.cfg.Classifier, Decider: s.p.cfg.Decider})
	if err != nil {
		t.Fatal(err)
	}
	at := queue.Attempt{Number: 1, MaxAttempts: 5}
	upd := queue.NewJob("acme", sdk.Event{ID: "u1", Kind: sdk.EventTicketUpdated, Ticket: final.Ref})
	if err := p2.Handle(t.Context(), upd, at); err != nil {
		t.Fatal(err)
	}
	if len(indexed) != 0 {
		t.Fatalf("an update indexed %v; want only solved tickets", indexed)
	}
	solved := queue.NewJob("acme", sdk.Event{ID: "s1", Kind: sdk.EventTicketSolved, Ticket: final.Ref})
	fail = true
	if err := p2.Handle(t.Context(), solved, at); err == nil {
		t.Fatal("indexing failed but the job succeeded; want a retry")
	}
	fail = false
	if err := p2.Handle(t.Context(), solved, queue.Attempt{Number: 2, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"42:Export"}; !slices.Equal(indexed, want) {
		t.Errorf("indexed %v; want %v", indexed, want)
	}
	if rec := s.rec.recs["acme:s1"]; rec.Status != StatusFeedback {
		t.Errorf("solved record %+v; want status feedback (indexed)", rec)
	}
}

// SetModes switches a connector in a running pipeline: the next event is
// handled in the new mode.
func TestSetModesSwitchesTheNextEvent(t *testing.T) {
	s := newEnrich(t, false)
	if err := s.p.SetModes(map[string]config.Mode{"acme": config.ModeLive}); err != nil {
		t.Fatal(err)
	}
	if got := s.p.Mode("acme"); got != config.ModeLive {
		t.Fatalf("Mode(acme) = %q after SetModes; want live", got)
	}
	if err := s.p.Handle(t.Context(), job(sdk.EventTicketCreated), queue.Attempt{Number: 1, MaxAttempts: 5}); err != nil {
		t.Fatal(err)
	}
	if len(s.applied) != 1 || s.detail(t).Mode != config.ModeLive {
		t.Errorf("a shadow target switched to live wrote %d times, mode %q; want one live write", len(s.applied), s.detail(t).Mode)
	}
	if err := s.p.SetModes(map[string]config.Mode{"nope": config.ModeLive}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("mode for an unknown connector: %v; want sdk.ErrInvalid", err)
	}
	if err := s.p.SetModes(nil); err != nil || s.p.Mode("acme") != config.ModeShadow {
		t.Errorf("SetModes(nil): %v, mode %q; want the target's shadow back", err, s.p.Mode("acme"))
	}
}
