// Command v1plugin is a test fixture: a classifier plugin built against
// protocol 1 (N-1), the way an SDK of that era served it, straight on
// go-plugin and the heard.plugin.v1 generated code. It negotiates only
// protocol version 1 and serves only the Plugin and Classifier services.
package main

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/heardhq/heard/sdk/plugin"
	pb "github.com/heardhq/heard/sdk/proto/heard/plugin/v1"
)

type v1 struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (v1) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterPluginServer(s, info{})
	pb.RegisterClassifierServer(s, classifier{})
	return nil
}

func (v1) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil // the plugin side never dispenses
}

type info struct{ pb.UnimplementedPluginServer }

func (info) GetInfo(context.Context, *pb.GetInfoRequest) (*pb.GetInfoResponse, error) {
	return &pb.GetInfoResponse{Name: "oldie", Version: "0.9.0", Kinds: []string{"classifier"}, Protocol: 1}, nil
}

func (info) Configure(context.Context, *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	return &pb.ConfigureResponse{}, nil
}

func (info) CheckHealth(context.Context, *pb.CheckHealthRequest) (*pb.CheckHealthResponse, error) {
	return &pb.CheckHealthResponse{}, nil
}

type classifier struct {
	pb.UnimplementedClassifierServer
}

func (classifier) Classify(_ context.Context, req *pb.ClassifyRequest) (*pb.ClassifyResponse, error) {
	return &pb.ClassifyResponse{Predictions: []*pb.Prediction{{
		Field: "product_area", Value: "legacy", Confidence: 0.7, Reason: "protocol 1 plugin saw subject " + req.GetTicket().GetSubject(),
	}}}, nil
}

func main() {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  1,
			MagicCookieKey:   plugin.MagicCookieKey,
			MagicCookieValue: plugin.MagicCookieValue,
		},
		Plugins:    goplugin.PluginSet{"heard": v1{}},
		GRPCServer: goplugin.DefaultGRPCServer,
	})
}
