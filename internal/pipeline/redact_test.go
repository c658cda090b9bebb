package pipeline

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/redact"
	"github.com/heardhq/heard/sdk"
)

// piiTicket carries personal data in every free-text place a stage reads.
func piiTicket(ref sdk.TicketRef) *sdk.Ticket {
	return &sdk.Ticket{
		Ref: ref, Subject: "Anna Weber: refund to DE89 3704 0044 0532 0130 00", Status: sdk.StatusSolved,
		Requester: sdk.Party{ID: "u7", Name: "Anna Weber", Email: "anna.weber@kleinwerk.example"},
		Fields:    map[string]string{"callback": "+49 30 1234567"},
		Messages: []sdk.Message{
			{Author: sdk.Party{Name: "Anna Weber", Email: "anna.weber@kleinwerk.example"},
				Body: "Hi, my card 4111 1111 1111 1111 was charged twice. Call me on 4155550132 or write to jane.doe [at] example [dot] com.\nThanks,\nAnna"},
			{FromAgent: true, Public: true, Author: sdk.Party{Name: "Sam Agent", Email: "sam@heard.example"}, Body: "Hi Anna, we refunded it."},
		},
	}
}

// leaks lists the personal data of piiTicket found in v's JSON.
func leaks(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	var out []string
	for _, p := range []string{"Anna", "Weber", "anna.weber", "4111", "4155550132", "jane.doe", "DE89", "1234567"} {
		if strings.Contains(s, p) {
			out = append(out, p)
		}
	}
	return out
}

// TestStagesSeeRedactedTickets: enrichers, classifiers and the decide
// stage get the redacted ticket; a stage reading ctx for the original gets
// it only through redact.Original; the decide stage gets the requester
// apart; the solved index gets the redacted ticket.
func TestStagesSeeRedactedTickets(t *testing.T) {
	ref := sdk.TicketRef{Connector: "acme", Account: "a", ID: "42"}
	var seen []*sdk.Ticket
	var originals []*sdk.Ticket
	var decided *DecideRequest
	var indexed *sdk.Ticket
	enr := sdk.EnricherFunc(func(ctx context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
		seen = append(seen, req.Ticket)
		originals = append(originals, redact.Original(ctx, req.Ticket))
		return &sdk.EnrichResponse{}, nil
	})
	cls := sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		seen = append(seen, req.Ticket)
		return &sdk.ClassifyResponse{}, nil
	})
	dec := deciderFunc(func(_ context.Context, req *DecideRequest) (*DecideResult[explained], error) {
		decided = req
		return &DecideResult[explained]{}, nil
	})
	p, err := New(Config[explained]{
		Recorder: newRec(), Metrics: prometheus.NewRegistry(),
		Targets: map[string]Target{"acme": {Mode: config.ModeShadow, Desk: fakeDesk{ticket: func(context.Context, sdk.TicketRef) (*sdk.Ticket, error) {
			return piiTicket(ref), nil
		}}}},
		Enrichers:  []NamedEnricher{{ID: "enrich.x", Impl: enr}},
		Classifier: cls, Decider: dec,
		Solved: solvedFunc(func(_ context.Context, tk *sdk.Ticket) error {
			indexed = tk
			return nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	at := queue.Attempt{Number: 1, MaxAttempts: 3}
	if err := p.Handle(t.Context(), queue.NewJob("acme", sdk.Event{ID: "c1", Kind: sdk.EventTicketCreated, Ticket: ref}), at); err != nil {
		t.Fatal(err)
	}
	if err := p.Handle(t.Context(), queue.NewJob("acme", sdk.Event{ID: "s1", Kind: sdk.EventTicketSolved, Ticket: ref}), at); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || decided == nil || indexed == nil {
		t.Fatalf("stages saw %d tickets, decided %v, indexed %v; want enricher, classifier, decider and index", len(seen), decided != nil, indexed != nil)
	}
	for i, tk := range append(seen, decided.Ticket, indexed) {
		if l := leaks(t, tk); len(l) > 0 {
			t.Errorf("ticket %d handed on contains %q: %+v", i, l, tk)
		}
	}
	if got := seen[0].Requester; got.ID != "u7" || got.Email != "@kleinwerk.example" || got.Name != "" {
		t.Errorf("redacted requester %+v; want the ID and the e-mail domain only", got)
	}
	if got := seen[0].Messages[0].Body; !strings.Contains(got, "[CARD]") || !strings.Contains(got, "[PHONE]") || !strings.Contains(got, "[EMAIL]") || !strings.Contains(got, "Thanks,\n[NAME]") {
		t.Errorf("redacted body %q; want placeholders", got)
	}
	if originals[0].Requester.Name != "Anna Weber" || !strings.Contains(originals[0].Messages[0].Body, "4111") {
		t.Errorf("redact.Original = %+v; want the fetched ticket", originals[0])
	}
	if decided.Requester.Name != "Anna Weber" || decided.Requester.Email != "anna.weber@kleinwerk.example" {
		t.Errorf("DecideRequest.Requester = %+v; want the unredacted requester", decided.Requester)
	}
}
