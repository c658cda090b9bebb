package sdktest

import (
	"context"
	"fmt"
	"net/http"

	"github.com/heardhq/heard/sdk"
)

// Classifier is a function-field fake of sdk.Classifier and
// sdk.HealthChecker. A nil ClassifyFunc answers with no predictions; a
// nil CheckHealthFunc reports healthy.
type Classifier struct {
	ClassifyFunc    func(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error)
	CheckHealthFunc func(ctx context.Context) error
}

var (
	_ sdk.Classifier    = (*Classifier)(nil)
	_ sdk.HealthChecker = (*Classifier)(nil)
)

// Classify calls ClassifyFunc.
func (f *Classifier) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if f.ClassifyFunc == nil {
		return &sdk.ClassifyResponse{}, nil
	}
	return f.ClassifyFunc(ctx, req)
}

// CheckHealth calls CheckHealthFunc.
func (f *Classifier) CheckHealth(ctx context.Context) error {
	if f.CheckHealthFunc == nil {
		return nil
	}
	return f.CheckHealthFunc(ctx)
}

// Enricher is a function-field fake of sdk.Enricher. A nil EnrichFunc
// adds no attributes.
type Enricher struct {
	EnrichFunc func(ctx context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error)
}

var _ sdk.Enricher = (*Enricher)(nil)

// Enrich calls EnrichFunc.
func (f *Enricher) Enrich(ctx context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
	if f.EnrichFunc == nil {
		return &sdk.EnrichResponse{}, nil
	}
	return f.EnrichFunc(ctx, req)
}

// Connector is a function-field fake of sdk.Connector and
// sdk.ArticleLister. Nil functions accept every webhook, decode none,
// find no ticket (sdk.ErrNotFound), apply nothing and list no articles.
type Connector struct {
	VerifyWebhookFunc func(h http.Header, body []byte) error
	DecodeWebhookFunc func(h http.Header, body []byte) ([]sdk.Event, error)
	TicketFunc        func(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error)
	ApplyFunc         func(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error
	ListArticlesFunc  func(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error)
}

var (
	_ sdk.Connector     = (*Connector)(nil)
	_ sdk.ArticleLister = (*Connector)(nil)
)

// VerifyWebhook calls VerifyWebhookFunc.
func (f *Connector) VerifyWebhook(h http.Header, body []byte) error {
	if f.VerifyWebhookFunc == nil {
		return nil
	}
	return f.VerifyWebhookFunc(h, body)
}

// DecodeWebhook calls DecodeWebhookFunc.
func (f *Connector) DecodeWebhook(h http.Header, body []byte) ([]sdk.Event, error) {
	if f.DecodeWebhookFunc == nil {
		return nil, nil
	}
	return f.DecodeWebhookFunc(h, body)
}

// Ticket calls TicketFunc.
func (f *Connector) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	if f.TicketFunc == nil {
		return nil, fmt.Errorf("ticket %s: %w", ref, sdk.ErrNotFound)
	}
	return f.TicketFunc(ctx, ref)
}

// Apply calls ApplyFunc.
func (f *Connector) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	if f.ApplyFunc == nil {
		return nil
	}
	return f.ApplyFunc(ctx, ref, ch)
}

// ListArticles calls ListArticlesFunc.
func (f *Connector) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	if f.ListArticlesFunc == nil {
		return &sdk.ListArticlesResponse{}, nil
	}
	return f.ListArticlesFunc(ctx, req)
}
