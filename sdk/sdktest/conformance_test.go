package sdktest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// keyword is a small, well-behaved classifier and enricher.
type keyword struct{}

func (keyword) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var ps []sdk.Prediction
	for _, m := range req.Ticket.Messages {
		if strings.Contains(strings.ToLower(m.Body), "outage") {
			ps = append(ps, sdk.Prediction{Field: sdk.FieldPriority, Value: "P0", Confidence: 0.9, Reason: `mentions "outage"`})
			break
		}
	}
	return &sdk.ClassifyResponse{Predictions: ps}, nil
}

func (keyword) Enrich(ctx context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &sdk.EnrichResponse{Attrs: sdk.Attrs{"keyword.messages": len(req.Ticket.Messages), "keyword.subject": req.Ticket.Subject}}, nil
}

func TestSuitesPassOnAGoodImplementation(t *testing.T) {
	sdktest.TestClassifier(t, keyword{})
	sdktest.TestEnricher(t, keyword{})
}

func TestServeRunsEverything(t *testing.T) {
	var configured []string
	sdktest.TestServe(t, plugin.Options{
		Info: plugin.Info{Name: "keyword", Version: "1.0.0"}, Classifier: keyword{}, Enricher: keyword{},
		Configure: func(_ context.Context, req *plugin.ConfigureRequest) error {
			configured = append(configured, string(req.Settings))
			return nil
		},
	}, sdktest.WithSettings([]byte(`{"k":1}`)), sdktest.WithTickets(&sdk.Ticket{Ref: sdk.TicketRef{ID: "x"}, Subject: "extra"}))
	// in-process, then over gRPC at protocols 1 and 2
	if want := fmt.Sprint([]string{`{"k":1}`, `{"k":1}`, `{"k":1}`}); fmt.Sprint(configured) != want {
		t.Errorf("Configure received %v; want %s", configured, want)
	}
}

func TestFakes(t *testing.T) {
	ctx := t.Context()
	var c sdktest.Classifier
	if resp, err := c.Classify(ctx, &sdk.ClassifyRequest{}); err != nil || resp == nil || c.CheckHealth(ctx) != nil {
		t.Errorf("zero Classifier: %v, %v", resp, err)
	}
	var e sdktest.Enricher
	if resp, err := e.Enrich(ctx, &sdk.EnrichRequest{}); err != nil || resp == nil {
		t.Errorf("zero Enricher: %v, %v", resp, err)
	}
	var k sdktest.Connector
	if _, err := k.Ticket(ctx, sdk.TicketRef{ID: "1"}); err == nil {
		t.Error("zero Connector found a ticket")
	}
	calls := 0
	k.ApplyFunc = func(context.Context, sdk.TicketRef, sdk.Changes) error { calls++; return nil }
	_ = k.Apply(ctx, sdk.TicketRef{}, sdk.Changes{})
	if calls != 1 {
		t.Error("ApplyFunc not called")
	}
}
