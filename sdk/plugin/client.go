package plugin

import (
	"context"
	"fmt"
	"net/http"

	"google.golang.org/grpc"

	"github.com/heardhq/heard/sdk"
	pb "github.com/heardhq/heard/sdk/proto/heard/plugin/v1"
)

// Client is a connected plugin as the host sees it, returned by Dispense.
// It is safe for concurrent use. Every call carries the caller's ctx, and
// with it the deadline, across the process boundary; errors come back as
// described on RemoteError, so errors.Is works with the sdk sentinels.
type Client struct {
	protocol   int
	plugin     pb.PluginClient
	classifier pb.ClassifierClient
	enricher   pb.EnricherClient
	connector  pb.ConnectorClient
}

func newClient(cc grpc.ClientConnInterface, protocol int) *Client {
	return &Client{
		protocol:   protocol,
		plugin:     pb.NewPluginClient(cc),
		classifier: pb.NewClassifierClient(cc),
		enricher:   pb.NewEnricherClient(cc),
		connector:  pb.NewConnectorClient(cc),
	}
}

// Protocol returns the negotiated protocol version.
func (c *Client) Protocol() int { return c.protocol }

// Info asks the plugin who it is and what it serves.
func (c *Client) Info(ctx context.Context) (Info, error) {
	resp, err := c.plugin.GetInfo(ctx, &pb.GetInfoRequest{})
	if err != nil {
		return Info{}, fromStatus(err)
	}
	i := fromInfo(resp)
	if i.Protocol == 0 {
		i.Protocol = c.protocol
	}
	return i, nil
}

// Configure passes the plugin its settings.
func (c *Client) Configure(ctx context.Context, req *ConfigureRequest) error {
	_, err := c.plugin.Configure(ctx, &pb.ConfigureRequest{SettingsJson: req.Settings, Instance: req.Instance, Connectors: req.Connectors})
	return fromStatus(err)
}

// CheckHealth implements sdk.HealthChecker: nil when the plugin and every
// capability that reports health are healthy.
func (c *Client) CheckHealth(ctx context.Context) error {
	_, err := c.plugin.CheckHealth(ctx, &pb.CheckHealthRequest{})
	return fromStatus(err)
}

// Classifier returns the plugin's classifier, or nil when the negotiated
// protocol cannot carry one. Check Info's Kinds for whether the plugin
// serves one at all.
func (c *Client) Classifier() sdk.Classifier {
	if !KindAllowed(c.protocol, KindClassifier) {
		return nil
	}
	return classifierClient{c.classifier}
}

// Enricher returns the plugin's enricher, or nil when the negotiated
// protocol cannot carry one.
func (c *Client) Enricher() sdk.Enricher {
	if !KindAllowed(c.protocol, KindEnricher) {
		return nil
	}
	return enricherClient{c.enricher}
}

// Connector returns the plugin's connector, or nil when the negotiated
// protocol cannot carry one.
func (c *Client) Connector() *ConnectorClient {
	if !KindAllowed(c.protocol, KindConnector) {
		return nil
	}
	return &ConnectorClient{c: c.connector}
}

var _ sdk.HealthChecker = (*Client)(nil)

type classifierClient struct{ c pb.ClassifierClient }

var _ sdk.Classifier = classifierClient{}

func (c classifierClient) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	r, err := toClassifyRequest(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.c.Classify(ctx, r)
	if err != nil {
		return nil, fromStatus(err)
	}
	return &sdk.ClassifyResponse{Predictions: fromPredictions(resp.GetPredictions())}, nil
}

type enricherClient struct{ c pb.EnricherClient }

var _ sdk.Enricher = enricherClient{}

func (c enricherClient) Enrich(ctx context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
	r, err := toEnrichRequest(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.c.Enrich(ctx, r)
	if err != nil {
		return nil, fromStatus(err)
	}
	attrs, err := fromAttrs(resp.GetAttrsJson())
	if err != nil {
		return nil, fmt.Errorf("plugin enricher response: %w", err)
	}
	return &sdk.EnrichResponse{Attrs: attrs}, nil
}

// ConnectorClient is a plugin's connector. Unlike sdk.Connector every
// method takes a ctx, because every call crosses a process boundary; the
// host's adapter supplies one for the webhook methods.
type ConnectorClient struct{ c pb.ConnectorClient }

// VerifyWebhook checks a delivery's authenticity in the plugin.
func (c *ConnectorClient) VerifyWebhook(ctx context.Context, h http.Header, body []byte) error {
	_, err := c.c.VerifyWebhook(ctx, &pb.VerifyWebhookRequest{Header: toHeader(h), Body: body})
	return fromStatus(err)
}

// DecodeWebhook turns a verified delivery into events in the plugin.
func (c *ConnectorClient) DecodeWebhook(ctx context.Context, h http.Header, body []byte) ([]sdk.Event, error) {
	resp, err := c.c.DecodeWebhook(ctx, &pb.DecodeWebhookRequest{Header: toHeader(h), Body: body})
	if err != nil {
		return nil, fromStatus(err)
	}
	return fromEvents(resp.GetEvents()), nil
}

// Ticket fetches a ticket through the plugin.
func (c *ConnectorClient) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	resp, err := c.c.GetTicket(ctx, &pb.GetTicketRequest{Ref: toRef(ref)})
	if err != nil {
		return nil, fromStatus(err)
	}
	t := fromTicket(resp.GetTicket())
	if t == nil {
		return nil, fmt.Errorf("plugin returned no ticket for %s: %w", ref, sdk.ErrNotFound)
	}
	return t, nil
}

// Apply writes changes back through the plugin.
func (c *ConnectorClient) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	_, err := c.c.Apply(ctx, &pb.ApplyRequest{Ref: toRef(ref), Changes: toChanges(ch)})
	return fromStatus(err)
}

// ListArticles lists one page of articles through the plugin. A plugin
// without the FeatureListArticles feature returns an error matching
// errors.ErrUnsupported.
func (c *ConnectorClient) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	r := &pb.ListArticlesRequest{}
	if req != nil {
		r.UpdatedSince, r.Cursor = toTime(req.UpdatedSince), req.Cursor
	}
	resp, err := c.c.ListArticles(ctx, r)
	if err != nil {
		return nil, fromStatus(err)
	}
	return &sdk.ListArticlesResponse{Articles: fromArticles(resp.GetArticles()), NextCursor: resp.GetNextCursor()}, nil
}
