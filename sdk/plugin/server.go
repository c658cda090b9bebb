package plugin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/heardhq/heard/sdk"
	pb "github.com/heardhq/heard/sdk/proto/heard/plugin/v1"
)

// grpcPlugin is the go-plugin Plugin for one protocol version. On the
// plugin side srv is set and GRPCServer registers the services; on the
// host side srv is nil and GRPCClient builds a *Client.
type grpcPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	protocol int
	srv      *server
}

var _ goplugin.GRPCPlugin = (*grpcPlugin)(nil)

// GRPCServer registers the services the author set that protocol
// p.protocol can carry.
func (p *grpcPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.srv == nil {
		return fmt.Errorf("plugin: no implementation to serve: %w", sdk.ErrInvalid)
	}
	v := &versioned{server: p.srv, protocol: p.protocol}
	pb.RegisterPluginServer(s, &pluginService{v: v})
	o := p.srv.opts
	if o.Classifier != nil && KindAllowed(p.protocol, KindClassifier) {
		pb.RegisterClassifierServer(s, &classifierService{v: v, c: o.Classifier})
	}
	if o.Enricher != nil && KindAllowed(p.protocol, KindEnricher) {
		pb.RegisterEnricherServer(s, &enricherService{v: v, e: o.Enricher})
	}
	if o.Connector != nil && KindAllowed(p.protocol, KindConnector) {
		pb.RegisterConnectorServer(s, &connectorService{v: v, c: o.Connector})
	}
	return nil
}

// GRPCClient returns the host's view of the plugin.
func (p *grpcPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, cc *grpc.ClientConn) (any, error) {
	return newClient(cc, p.protocol), nil
}

// server holds what the plugin process serves.
type server struct {
	opts *Options
	log  *slog.Logger
}

// versioned is the server as seen at one negotiated protocol.
type versioned struct {
	*server
	protocol int
}

// info is the plugin's Info at v's protocol.
func (v *versioned) info() Info {
	o := v.opts
	i := Info{Name: o.Info.Name, Version: o.Info.Version, Description: o.Info.Description, Protocol: v.protocol,
		Files: slices.Clone(o.Info.Files)}
	add := func(set bool, k Kind) {
		if set && KindAllowed(v.protocol, k) {
			i.Kinds = append(i.Kinds, k)
		}
	}
	add(o.Classifier != nil, KindClassifier)
	add(o.Enricher != nil, KindEnricher)
	add(o.Connector != nil, KindConnector)
	if _, ok := o.Connector.(sdk.ArticleLister); ok && i.Has(KindConnector) {
		i.Features = append(i.Features, FeatureListArticles)
	}
	return i
}

// call runs fn, turning a panic into an error that wraps ErrPanicked and
// logging its stack, and maps the result onto a gRPC status.
func (v *versioned) call(ctx context.Context, method string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{val: r}
			v.log.ErrorContext(ctx, "plugin panicked; recovered", "method", method, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
		err = toStatus(err)
	}()
	return fn()
}

type pluginService struct {
	pb.UnimplementedPluginServer
	v *versioned
}

func (s *pluginService) GetInfo(context.Context, *pb.GetInfoRequest) (*pb.GetInfoResponse, error) {
	return toInfo(s.v.info()), nil
}

func (s *pluginService) Configure(ctx context.Context, req *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	err := s.v.call(ctx, "Configure", func() error {
		if s.v.opts.Configure == nil {
			return nil
		}
		settings := req.GetSettingsJson()
		if len(settings) == 0 {
			settings = []byte("{}")
		}
		return s.v.opts.Configure(ctx, &ConfigureRequest{Settings: settings, Instance: req.GetInstance(), Connectors: req.GetConnectors()})
	})
	if err != nil {
		return nil, err
	}
	return &pb.ConfigureResponse{}, nil
}

func (s *pluginService) CheckHealth(ctx context.Context, _ *pb.CheckHealthRequest) (*pb.CheckHealthResponse, error) {
	err := s.v.call(ctx, "CheckHealth", func() error {
		var errs []error
		for _, c := range s.v.opts.capabilities() {
			if h, ok := c.(sdk.HealthChecker); ok {
				errs = append(errs, h.CheckHealth(ctx))
			}
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return nil, err
	}
	return &pb.CheckHealthResponse{}, nil
}

type classifierService struct {
	pb.UnimplementedClassifierServer
	v *versioned
	c sdk.Classifier
}

func (s *classifierService) Classify(ctx context.Context, req *pb.ClassifyRequest) (*pb.ClassifyResponse, error) {
	var out pb.ClassifyResponse
	err := s.v.call(ctx, "Classify", func() error {
		r, err := fromClassifyRequest(req)
		if err != nil {
			return err
		}
		resp, err := s.c.Classify(ctx, r)
		if err != nil {
			return err
		}
		if resp != nil {
			out.Predictions = toPredictions(resp.Predictions)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

type enricherService struct {
	pb.UnimplementedEnricherServer
	v *versioned
	e sdk.Enricher
}

func (s *enricherService) Enrich(ctx context.Context, req *pb.EnrichRequest) (*pb.EnrichResponse, error) {
	var out pb.EnrichResponse
	err := s.v.call(ctx, "Enrich", func() error {
		r, err := fromEnrichRequest(req)
		if err != nil {
			return err
		}
		resp, err := s.e.Enrich(ctx, r)
		if err != nil {
			return err
		}
		if resp != nil {
			out.AttrsJson, err = toAttrs(resp.Attrs)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

type connectorService struct {
	pb.UnimplementedConnectorServer
	v *versioned
	c sdk.Connector
}

func (s *connectorService) VerifyWebhook(ctx context.Context, req *pb.VerifyWebhookRequest) (*pb.VerifyWebhookResponse, error) {
	err := s.v.call(ctx, "VerifyWebhook", func() error {
		return s.c.VerifyWebhook(fromHeader(req.GetHeader()), req.GetBody())
	})
	if err != nil {
		return nil, err
	}
	return &pb.VerifyWebhookResponse{}, nil
}

func (s *connectorService) DecodeWebhook(ctx context.Context, req *pb.DecodeWebhookRequest) (*pb.DecodeWebhookResponse, error) {
	var out pb.DecodeWebhookResponse
	err := s.v.call(ctx, "DecodeWebhook", func() error {
		evs, err := s.c.DecodeWebhook(fromHeader(req.GetHeader()), req.GetBody())
		out.Events = toEvents(evs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *connectorService) GetTicket(ctx context.Context, req *pb.GetTicketRequest) (*pb.GetTicketResponse, error) {
	var out pb.GetTicketResponse
	err := s.v.call(ctx, "GetTicket", func() error {
		t, err := s.c.Ticket(ctx, fromRef(req.GetRef()))
		if err != nil {
			return err
		}
		if t == nil {
			return fmt.Errorf("connector returned no ticket and no error: %w", sdk.ErrNotFound)
		}
		out.Ticket = toTicket(t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *connectorService) Apply(ctx context.Context, req *pb.ApplyRequest) (*pb.ApplyResponse, error) {
	err := s.v.call(ctx, "Apply", func() error {
		return s.c.Apply(ctx, fromRef(req.GetRef()), fromChanges(req.GetChanges()))
	})
	if err != nil {
		return nil, err
	}
	return &pb.ApplyResponse{}, nil
}

func (s *connectorService) ListArticles(ctx context.Context, req *pb.ListArticlesRequest) (*pb.ListArticlesResponse, error) {
	var out pb.ListArticlesResponse
	err := s.v.call(ctx, "ListArticles", func() error {
		l, ok := s.c.(sdk.ArticleLister)
		if !ok {
			return fmt.Errorf("connector lists no articles: %w", errors.ErrUnsupported)
		}
		resp, err := l.ListArticles(ctx, &sdk.ListArticlesRequest{UpdatedSince: fromTime(req.GetUpdatedSince()), Cursor: req.GetCursor()})
		if err != nil {
			return err
		}
		if resp != nil {
			out.Articles, out.NextCursor = toArticles(resp.Articles), resp.NextCursor
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
