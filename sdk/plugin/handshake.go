package plugin

import (
	"slices"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// The handshake: a cookie that marks a binary as a heard plugin, fixed
// forever, and the protocol versions.
const (
	// MagicCookieKey and MagicCookieValue are the go-plugin handshake
	// cookie. They never change, in any release.
	MagicCookieKey   = "HEARD_PLUGIN_MAGIC_COOKIE"
	MagicCookieValue = "f93b1b05e8eb1ceab80402acea1063f86ad850ada388a512"

	// ProtocolVersion is the current protocol, N. Protocol 2 serves the
	// Plugin, Classifier, Enricher and Connector services.
	ProtocolVersion = 2
	// MinProtocolVersion is N-1, still served by this SDK and by the host.
	// Protocol 1 serves the Plugin and Classifier services.
	MinProtocolVersion = 1

	// MaxMessageSize bounds one gRPC message in either direction. Large
	// tickets (long threads, many custom fields) fit comfortably.
	MaxMessageSize = 16 << 20

	// windowSize is the HTTP/2 flow-control window. A fixed window turns
	// off gRPC's bandwidth probing, whose pings cost latency on a local
	// connection and buy nothing.
	windowSize = 4 << 20

	// pluginName is the one entry in each go-plugin PluginSet.
	pluginName = "heard"
)

// Handshake is the go-plugin handshake shared by the host and every
// plugin. Its ProtocolVersion is unset because both sides negotiate it
// through VersionedPlugins.
var Handshake = goplugin.HandshakeConfig{
	MagicCookieKey:   MagicCookieKey,
	MagicCookieValue: MagicCookieValue,
}

// Kind is a capability a plugin serves.
type Kind string

// Kinds of plugin. One binary may serve several.
const (
	KindClassifier Kind = "classifier" // sdk.Classifier, protocol 1+
	KindEnricher   Kind = "enricher"   // sdk.Enricher, protocol 2+
	KindConnector  Kind = "connector"  // sdk.Connector, protocol 2+
)

// FeatureListArticles is reported by connector plugins whose connector
// implements sdk.ArticleLister.
const FeatureListArticles = "connector.list_articles"

// kindsAt lists the kinds each protocol version can carry.
var kindsAt = map[int][]Kind{
	1: {KindClassifier},
	2: {KindClassifier, KindEnricher, KindConnector},
}

// KindAllowed reports whether protocol version v can carry kind k.
func KindAllowed(v int, k Kind) bool { return slices.Contains(kindsAt[v], k) }

// Info describes a plugin. Authors set Name, Version and Description in
// Options (and Files, when the plugin loads files); the SDK fills Kinds,
// Features and Protocol.
type Info struct {
	// Name is the plugin's default catalog name, lowercase, e.g. "vip".
	Name string `json:"name"`
	// Version is the plugin's own version, e.g. "1.2.0".
	Version string `json:"version"`
	// Description is one line for `heard plugin list`.
	Description string `json:"description,omitempty"`
	// Kinds are the capabilities served at the negotiated protocol.
	Kinds []Kind `json:"kinds"`
	// Features are optional abilities, e.g. FeatureListArticles.
	Features []string `json:"features,omitempty"`
	// Protocol is the negotiated handshake protocol version.
	Protocol int `json:"protocol"`
	// Files are files the plugin loads besides its executable (data,
	// models; for interpreted plugins, their modules), absolute or relative
	// to the executable's directory. `heard plugin install` records each
	// one's SHA-256 and heard refuses to launch the plugin once any of them
	// changed. Authors set it in Options.Info.
	Files []string `json:"files,omitempty"`
}

// Has reports whether the plugin serves kind k.
func (i Info) Has(k Kind) bool { return slices.Contains(i.Kinds, k) }

// HostPlugins is what a host passes as go-plugin's
// ClientConfig.VersionedPlugins: every protocol version the host speaks,
// N and N-1. Dispense returns a *Client.
func HostPlugins() map[int]goplugin.PluginSet {
	out := make(map[int]goplugin.PluginSet, ProtocolVersion-MinProtocolVersion+1)
	for v := MinProtocolVersion; v <= ProtocolVersion; v++ {
		out[v] = goplugin.PluginSet{pluginName: &grpcPlugin{protocol: v}}
	}
	return out
}

// Dispense returns the heard plugin behind a connected go-plugin client.
func Dispense(c goplugin.ClientProtocol) (*Client, error) {
	raw, err := c.Dispense(pluginName)
	if err != nil {
		return nil, err
	}
	pc, ok := raw.(*Client)
	if !ok {
		return nil, errUnexpectedDispense(raw)
	}
	return pc, nil
}

// DialOptions are the gRPC options a host adds to go-plugin's
// ClientConfig.GRPCDialOptions: MaxMessageSize in both directions.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageSize), grpc.MaxCallSendMsgSize(MaxMessageSize)),
		grpc.WithInitialWindowSize(windowSize),
		grpc.WithInitialConnWindowSize(windowSize),
	}
}

// newGRPCServer is go-plugin's ServeConfig.GRPCServer: the defaults plus
// MaxMessageSize in both directions.
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize),
		grpc.InitialWindowSize(windowSize), grpc.InitialConnWindowSize(windowSize))
	return grpc.NewServer(opts...)
}
