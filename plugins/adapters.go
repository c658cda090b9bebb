package plugins

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/heardhq/heard/internal/redact"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

// The adapters make a plugin look like any built-in: they implement the
// sdk interfaces, and every call goes through the instance's supervision.

// classifier is a classifier plugin.
type classifier struct{ in *instance }

var _ sdk.Classifier = (*classifier)(nil)

// Classify implements sdk.Classifier. Tickets from connectors the plugin
// is not enabled for get no predictions, without a call.
func (c *classifier) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if req.Ticket != nil && !c.in.serves(req.Ticket.Ref.Connector) {
		return &sdk.ClassifyResponse{}, nil
	}
	if c.in.trusted && req.Ticket != nil {
		r := *req
		r.Ticket = redact.Original(ctx, req.Ticket)
		req = &r
	}
	var resp *sdk.ClassifyResponse
	err := c.in.call(ctx, func(ctx context.Context, p *process) error {
		cl := p.conn.Classifier()
		if cl == nil || !p.info.Has(sdkplugin.KindClassifier) {
			return fmt.Errorf("it does not serve a classifier at protocol %d: %w", p.info.Protocol, errors.ErrUnsupported)
		}
		var err error
		resp, err = cl.Classify(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range resp.Predictions {
		resp.Predictions[i].Source = c.in.id // a plugin speaks only for itself
	}
	return resp, nil
}

// enricher is an enricher plugin.
type enricher struct{ in *instance }

var _ sdk.Enricher = (*enricher)(nil)

// Enrich implements sdk.Enricher. Keys already in the request's Attrs are
// dropped from the answer: a plugin adds facts, it does not overwrite the
// built-ins'.
func (e *enricher) Enrich(ctx context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
	if req.Ticket != nil && !e.in.serves(req.Ticket.Ref.Connector) {
		return &sdk.EnrichResponse{}, nil
	}
	if e.in.trusted && req.Ticket != nil {
		r := *req
		r.Ticket = redact.Original(ctx, req.Ticket)
		req = &r
	}
	var resp *sdk.EnrichResponse
	err := e.in.call(ctx, func(ctx context.Context, p *process) error {
		en := p.conn.Enricher()
		if en == nil || !p.info.Has(sdkplugin.KindEnricher) {
			return fmt.Errorf("it does not serve an enricher at protocol %d: %w", p.info.Protocol, errors.ErrUnsupported)
		}
		var err error
		resp, err = en.Enrich(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	for k := range resp.Attrs {
		if _, taken := req.Attrs[k]; taken {
			e.in.log.WarnContext(ctx, "dropping an attribute the plugin may not overwrite", "key", k)
			delete(resp.Attrs, k)
		}
	}
	return resp, nil
}

// connector is a connector plugin serving one configured connector.
type connector struct {
	in   *instance
	name string
}

var _ sdk.Connector = (*connector)(nil)

func (c *connector) do(ctx context.Context, fn func(ctx context.Context, cc *sdkplugin.ConnectorClient) error) error {
	return c.in.call(ctx, func(ctx context.Context, p *process) error {
		cc := p.conn.Connector()
		if cc == nil || !p.info.Has(sdkplugin.KindConnector) {
			return fmt.Errorf("it does not serve a connector at protocol %d: %w", p.info.Protocol, errors.ErrUnsupported)
		}
		return fn(ctx, cc)
	})
}

// VerifyWebhook implements sdk.Connector. sdk.Connector gives the webhook
// methods no ctx, so the call is bounded by the plugin's call timeout.
func (c *connector) VerifyWebhook(h http.Header, body []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.in.timeout)
	defer cancel()
	return c.do(ctx, func(ctx context.Context, cc *sdkplugin.ConnectorClient) error { return cc.VerifyWebhook(ctx, h, body) })
}

// DecodeWebhook implements sdk.Connector. Events get the configured
// connector name when the plugin left it empty.
func (c *connector) DecodeWebhook(h http.Header, body []byte) ([]sdk.Event, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.in.timeout)
	defer cancel()
	var evs []sdk.Event
	err := c.do(ctx, func(ctx context.Context, cc *sdkplugin.ConnectorClient) error {
		var err error
		evs, err = cc.DecodeWebhook(ctx, h, body)
		return err
	})
	for i := range evs {
		if evs[i].Ticket.Connector == "" {
			evs[i].Ticket.Connector = c.name
		}
	}
	return evs, err
}

// Ticket implements sdk.Connector.
func (c *connector) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	var t *sdk.Ticket
	err := c.do(ctx, func(ctx context.Context, cc *sdkplugin.ConnectorClient) error {
		var err error
		t, err = cc.Ticket(ctx, ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	if t.Ref.Connector == "" {
		t.Ref.Connector = c.name
	}
	return t, nil
}

// Apply implements sdk.Connector.
func (c *connector) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	return c.do(ctx, func(ctx context.Context, cc *sdkplugin.ConnectorClient) error { return cc.Apply(ctx, ref, ch) })
}

// articleConnector is a connector plugin that lists articles.
type articleConnector struct{ *connector }

var _ sdk.ArticleLister = (*articleConnector)(nil)

// ListArticles implements sdk.ArticleLister.
func (c *articleConnector) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	var resp *sdk.ListArticlesResponse
	err := c.do(ctx, func(ctx context.Context, cc *sdkplugin.ConnectorClient) error {
		var err error
		resp, err = cc.ListArticles(ctx, req)
		return err
	})
	return resp, err
}
