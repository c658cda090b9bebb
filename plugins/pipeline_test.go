package plugins_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

// memRecorder keeps the pipeline's records in memory.
type memRecorder struct {
	mu   sync.Mutex
	recs map[string]store.Record
}

func (m *memRecorder) SaveRecord(_ context.Context, r store.Record) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
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

type decideNothing struct{}

func (decideNothing) Decide(context.Context, *pipeline.DecideRequest) (*pipeline.DecideResult[struct{}], error) {
	return &pipeline.DecideResult[struct{}]{}, nil
}

// Install → enrich a ticket through the pipeline → the plugins' facts and
// predictions are in the record, next to the built-in rules classifier's.
func TestPipelineRecordsPluginOutput(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"vip": pluginBinary(t, pkgVIP), "misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), vipConfig+"    - name: misbehave\n      connectors: [acme-zendesk]\n", log)
	tk := ticket("acme-zendesk", "")
	desk := &sdktest.Connector{TicketFunc: func(context.Context, sdk.TicketRef) (*sdk.Ticket, error) { return tk, nil }}
	rec := &memRecorder{recs: map[string]store.Record{}}
	p, err := pipeline.New(pipeline.Config[struct{}]{
		Recorder:   rec,
		Targets:    map[string]pipeline.Target{"acme-zendesk": {Desk: desk}},
		Enrichers:  h.Enrichers(""),
		Classifier: newEnsemble(t, h),
		Fields:     sdktest.Fields(),
		Decider:    decideNothing{},
		Logger:     log,
	})
	if err != nil {
		t.Fatal(err)
	}
	job := queue.NewJob("acme-zendesk", sdk.Event{ID: "d-1", Kind: sdk.EventTicketCreated, Ticket: tk.Ref})
	if err := p.Handle(t.Context(), job, queue.Attempt{Number: 1, MaxAttempts: 3}); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	r, err := rec.Record(t.Context(), job.Key)
	if err != nil {
		t.Fatal(err)
	}
	var d pipeline.Detail[struct{}]
	if err := json.Unmarshal(r.Detail, &d); err != nil {
		t.Fatal(err)
	}
	if tag := find(d.Predictions, sdk.FieldSecondaryTag, "vip"); tag == nil || tag.Source != "plugin.vip" {
		t.Errorf("recorded predictions %+v; want plugin.vip's vip tag", d.Predictions)
	}
	if _, ok := d.Attrs["fixture.pid"]; !ok {
		t.Errorf("recorded attrs %v; want the enricher plugin's facts", d.Attrs)
	}
	if len(d.Errors) != 0 {
		t.Errorf("recorded errors %v", d.Errors)
	}
}
