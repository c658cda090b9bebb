package plugin

import (
	"reflect"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func sampleTicket() *sdk.Ticket {
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)
	return &sdk.Ticket{
		Ref: sdk.TicketRef{Connector: "acme", Account: "a", ID: "42"}, Subject: "S", Status: sdk.StatusOpen, Priority: sdk.P1,
		Requester: sdk.Party{ID: "u", Name: "N", Email: "e@x"}, Organization: sdk.Party{ID: "o"},
		Tags: []string{"a", "b"}, Fields: map[string]string{"f": "v"}, Customer: map[string]string{"plan": "pro"},
		Messages:  []sdk.Message{{ID: "m", Author: sdk.Party{Name: "N"}, FromAgent: true, Public: true, Body: "hi", CreatedAt: at}, {Body: "no time"}},
		Recent:    []sdk.TicketRef{{Connector: "acme", ID: "41"}},
		CreatedAt: at, UpdatedAt: at.Add(time.Hour),
	}
}

func TestTicketRoundTrip(t *testing.T) {
	for _, tk := range []*sdk.Ticket{sampleTicket(), {}, nil} {
		if got := fromTicket(toTicket(tk)); !reflect.DeepEqual(got, tk) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, tk)
		}
	}
}

func TestRequestsRoundTrip(t *testing.T) {
	req := &sdk.ClassifyRequest{Ticket: sampleTicket(), Attrs: sdk.Attrs{"enrich.tier": "gold", "enrich.n": 2.0, "enrich.list": []any{"x"}},
		Fields: []sdk.FieldSpec{{Name: sdk.FieldPriority, Allowed: []string{"P0"}}, {Name: sdk.FieldLanguage}}}
	pr, err := toClassifyRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fromClassifyRequest(pr)
	if err != nil || !reflect.DeepEqual(got, req) {
		t.Errorf("classify request round trip = %+v, %v", got, err)
	}
	er := &sdk.EnrichRequest{Ticket: sampleTicket(), Attrs: sdk.Attrs{"a.b": true}}
	pe, err := toEnrichRequest(er)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fromEnrichRequest(pe); err != nil || !reflect.DeepEqual(got, er) {
		t.Errorf("enrich request round trip = %+v, %v", got, err)
	}
	if _, err := toClassifyRequest(&sdk.ClassifyRequest{Attrs: sdk.Attrs{"bad": func() {}}}); err == nil {
		t.Error("attrs that are not JSON must fail")
	}
	if got, _ := fromClassifyRequest(nil); got.Ticket == nil {
		t.Error("an empty request must carry an empty ticket, never nil")
	}
}

func TestOtherTypesRoundTrip(t *testing.T) {
	p := sdk.P0
	for _, ch := range []sdk.Changes{{AddTags: []string{"x"}, Priority: &p, Fields: map[string]string{"a": "b"}, InternalNote: "n", Fingerprint: "f", PublicReply: "r"}, {}} {
		if got := fromChanges(toChanges(ch)); !reflect.DeepEqual(got, ch) {
			t.Errorf("changes: got %+v want %+v", got, ch)
		}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	evs := []sdk.Event{{ID: "e", Kind: sdk.EventTicketCreated, Ticket: sdk.TicketRef{ID: "1"}, OccurredAt: at, Actor: "u", Payload: []byte(`{"a":1}`)}}
	if got := fromEvents(toEvents(evs)); !reflect.DeepEqual(got, evs) {
		t.Errorf("events: got %+v", got)
	}
	as := []sdk.Article{{ID: "a", Title: "T", Body: "B", URL: "u", Locale: "en", Section: "s", Draft: true, UpdatedAt: at}}
	if got := fromArticles(toArticles(as)); !reflect.DeepEqual(got, as) {
		t.Errorf("articles: got %+v", got)
	}
	ps := []sdk.Prediction{{Field: "f", Value: "v", Confidence: 0.5, Reason: "r", Source: "s"}}
	if got := fromPredictions(toPredictions(ps)); !reflect.DeepEqual(got, ps) {
		t.Errorf("predictions: got %+v", got)
	}
	i := Info{Name: "n", Version: "1", Description: "d", Kinds: []Kind{KindConnector}, Features: []string{FeatureListArticles}, Protocol: 2}
	if got := fromInfo(toInfo(i)); !reflect.DeepEqual(got, i) {
		t.Errorf("info: got %+v", got)
	}
}
