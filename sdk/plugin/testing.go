package plugin

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/heardhq/heard/sdk"
)

// TestClient serves opts in this process over a real gRPC connection
// (go-plugin's TestPluginGRPCConn, on a Unix socket) at the given protocol
// version and returns the host's client, as a launched plugin would give
// it. Settings are not passed: call Configure on the client when the
// implementation needs them. Everything is torn down when the test ends.
//
// Stdout guarding, panics that escape the call's goroutine and the host's
// supervision are not exercised; launch the built binary for those.
func TestClient(tb testing.TB, opts Options, protocol int) *Client {
	tb.Helper()
	if protocol < MinProtocolVersion || protocol > ProtocolVersion {
		tb.Fatalf("plugin.TestClient: protocol %d: want %d..%d", protocol, MinProtocolVersion, ProtocolVersion)
	}
	log := opts.Logger
	if log == nil {
		log = NewLogger(nil)
	}
	srv := &server{opts: &opts, log: log}
	gc, _ := goplugin.TestPluginGRPCConn(tb, false, goplugin.PluginSet{pluginName: &grpcPlugin{protocol: protocol, srv: srv}})
	// Close asks the server to stop, as a host's Kill does.
	tb.Cleanup(func() { _ = gc.Close() })
	c, err := Dispense(gc)
	if err != nil {
		tb.Fatalf("plugin.TestClient: %v", err)
	}
	return c
}

// Loopback serves opts in this process over a real gRPC connection held in
// memory, at the given protocol version, and returns the host's client and
// a function that closes both ends. There is no process, socket or
// go-plugin handshake, so it suits examples and benchmarks that have no
// *testing.T; tests should prefer TestClient.
//
// EXPERIMENTAL: Loopback may change or go away in a minor release.
func Loopback(opts Options, protocol int) (*Client, func(), error) {
	if protocol < MinProtocolVersion || protocol > ProtocolVersion {
		return nil, nil, fmt.Errorf("plugin.Loopback: protocol %d: want %d..%d: %w", protocol, MinProtocolVersion, ProtocolVersion, sdk.ErrInvalid)
	}
	log := opts.Logger
	if log == nil {
		log = NewLogger(nil)
	}
	lis := bufconn.Listen(1 << 20)
	s := newGRPCServer(nil)
	if err := (&grpcPlugin{protocol: protocol, srv: &server{opts: &opts, log: log}}).GRPCServer(nil, s); err != nil {
		return nil, nil, err
	}
	go func() { _ = s.Serve(lis) }()
	dial := append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, DialOptions()...)
	cc, err := grpc.NewClient("passthrough:///loopback", dial...)
	if err != nil {
		s.Stop()
		return nil, nil, fmt.Errorf("plugin.Loopback: %w", err)
	}
	return newClient(cc, protocol), func() { _ = cc.Close(); s.Stop() }, nil
}

// Launch starts the plugin binary at path the way heard does (gRPC only,
// automatic mutual TLS, none of the caller's environment) and returns its
// client and a function that stops it. go-plugin's log lines and the
// plugin's output are written to w. heard's host adds checksum
// verification, Configure and supervision; Launch is for tests and tools
// (sdktest.Launch builds on it).
//
// EXPERIMENTAL: Launch may change in a minor release.
func Launch(path string, w io.Writer, startTimeout time.Duration) (*Client, func(), error) {
	return launch(path, w, startTimeout, hclog.Info)
}

// LaunchVerbose is Launch with go-plugin's debug lines written to w too.
// They include every line the plugin wrote to stderr that is not an hclog
// JSON line, such as an interpreter's traceback when a script plugin fails
// to start.
//
// EXPERIMENTAL: LaunchVerbose may change in a minor release.
func LaunchVerbose(path string, w io.Writer, startTimeout time.Duration) (*Client, func(), error) {
	return launch(path, w, startTimeout, hclog.Debug)
}

func launch(path string, w io.Writer, startTimeout time.Duration, level hclog.Level) (*Client, func(), error) {
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: HostPlugins(),
		Cmd:              exec.Command(path), //nolint:gosec // the caller names its plugin binary
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		StartTimeout:     startTimeout,
		GRPCDialOptions:  DialOptions(),
		Logger:           hclog.New(&hclog.LoggerOptions{Name: filepath.Base(path), Output: w, Level: level}),
		SyncStdout:       w,
		SyncStderr:       w,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, nil, fmt.Errorf("launching plugin %s: %w", path, err)
	}
	c, err := Dispense(rpc)
	if err != nil {
		client.Kill()
		return nil, nil, fmt.Errorf("plugin %s: %w", path, err)
	}
	return c, client.Kill, nil
}
