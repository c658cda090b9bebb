package plugins_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

// A plugin sees the pipeline's redacted ticket unless the config marks it
// trusted: the vip plugin, matching one requester's e-mail address, finds
// it only when trusted (the redacted ticket keeps just "@bigco.example").
func TestPluginsSeeRedactedTicketsUnlessTrusted(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"vip": pluginBinary(t, pkgVIP)})
	for _, tc := range []struct {
		name    string
		trusted bool
		wantVIP bool
	}{
		{name: "untrusted", trusted: false, wantVIP: false},
		{name: "trusted", trusted: true, wantVIP: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := "plugins:\n  enabled:\n    - name: vip\n      connectors: [acme-zendesk]\n      settings:\n        vip_emails: [ceo@bigco.example]\n"
			if tc.trusted {
				doc += "      trusted: true\n"
			}
			h := load(t, cat.Path(), doc, log)
			tk := ticket("acme-zendesk", "")
			desk := &sdktest.Connector{TicketFunc: func(context.Context, sdk.TicketRef) (*sdk.Ticket, error) { return tk, nil }}
			rec := &memRecorder{recs: map[string]store.Record{}}
			p, err := pipeline.New(pipeline.Config[struct{}]{
				Recorder: rec, Targets: map[string]pipeline.Target{"acme-zendesk": {Desk: desk}},
				Classifier: newEnsemble(t, h), Fields: sdktest.Fields(), Decider: decideNothing{}, Logger: log,
			})
			if err != nil {
				t.Fatal(err)
			}
			job := queue.NewJob("acme-zendesk", sdk.Event{ID: "d-1", Kind: sdk.EventTicketCreated, Ticket: tk.Ref})
			if err := p.Handle(t.Context(), job, queue.Attempt{Number: 1, MaxAttempts: 3}); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			var d pipeline.Detail[struct{}]
			if err := json.Unmarshal(rec.recs[job.Key].Detail, &d); err != nil {
				t.Fatal(err)
			}
			if got := find(d.Predictions, sdk.FieldSecondaryTag, "vip") != nil; got != tc.wantVIP {
				t.Errorf("vip tag from the plugin: %v; want %v (predictions %+v)", got, tc.wantVIP, d.Predictions)
			}
		})
	}
}
