package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/heardhq/heard/sdk"
)

// Options says what a plugin serves. Set any mix of Classifier, Enricher
// and Connector; only those set are served, and at least one must be.
type Options struct {
	// Info names the plugin. Name defaults to the binary's file name.
	// Kinds, Features and Protocol are filled in by Serve.
	Info Info
	// Classifier, when set, is served at protocol 1 and later.
	Classifier sdk.Classifier
	// Enricher, when set, is served at protocol 2 and later.
	Enricher sdk.Enricher
	// Connector, when set, is served at protocol 2 and later. When it also
	// implements sdk.ArticleLister, so does the host's adapter.
	Connector sdk.Connector
	// Configure, when set, receives the settings the admin wrote for this
	// plugin. The host calls it after every launch, before any other call,
	// and again only after a restart, so an implementation may keep what
	// it decodes without further locking as long as it publishes it safely
	// (a mutex or atomic.Pointer). Return an error wrapping sdk.ErrInvalid
	// for bad settings; the host then logs it and keeps the plugin off.
	Configure func(ctx context.Context, req *ConfigureRequest) error
	// Logger is used for the SDK's own messages (recovered panics, stray
	// stdout, shutdown). Default: NewLogger(slog.LevelInfo).
	Logger *slog.Logger
}

// ConfigureRequest is the input of Options.Configure.
type ConfigureRequest struct {
	// Settings is a JSON object, "{}" when the admin wrote none.
	Settings json.RawMessage
	// Instance is the ID the host attributes this plugin's output to, such
	// as "plugin.vip".
	Instance string
	// Connectors are the configured connector names this instance serves;
	// empty means all of them.
	Connectors []string
}

// capabilities returns the non-nil implementations.
func (o *Options) capabilities() []any {
	var out []any
	if o.Classifier != nil {
		out = append(out, o.Classifier)
	}
	if o.Enricher != nil {
		out = append(out, o.Enricher)
	}
	if o.Connector != nil {
		out = append(out, o.Connector)
	}
	return out
}

// versionedPlugins returns a PluginSet for every protocol version at which
// at least one of the capabilities set can be served.
func (o *Options) versionedPlugins(srv *server) map[int]goplugin.PluginSet {
	sets := map[int]goplugin.PluginSet{}
	for v := MinProtocolVersion; v <= ProtocolVersion; v++ {
		if (o.Classifier != nil && KindAllowed(v, KindClassifier)) ||
			(o.Enricher != nil && KindAllowed(v, KindEnricher)) ||
			(o.Connector != nil && KindAllowed(v, KindConnector)) {
			sets[v] = goplugin.PluginSet{pluginName: &grpcPlugin{protocol: v, srv: srv}}
		}
	}
	return sets
}

// Serve serves the capabilities set in opts to the heard host that
// launched this process. Call it from main, first thing or right after
// building the implementations; it returns when the host shuts the plugin
// down, after closing every capability that implements sdk.Closer.
//
// Serve owns the process's stdout, signals and logging:
//   - stdout carries the go-plugin handshake, so Serve redirects
//     os.Stdout first: anything printed from then on is logged to the
//     host instead of breaking the handshake (call GuardStdout earlier
//     when setup code might print);
//   - interrupts are the host's to handle and are ignored; when the host
//     process dies, the plugin exits within a second;
//   - a panic in a call is recovered and returned as an error that matches
//     ErrPanicked in the host, which restarts the plugin;
//   - errors keep their sdk sentinel across the wire (see RemoteError);
//   - logs are JSON on stderr in hclog's format (see NewLogger), which the
//     host parses and re-logs under the plugin's name.
//
// Run outside a heard host, Serve prints that the binary is a plugin and
// exits with status 1.
func Serve(opts Options) {
	GuardStdout()
	log := opts.Logger
	if log == nil {
		log = NewLogger(slog.LevelInfo)
	}
	if opts.Info.Name == "" {
		opts.Info.Name = filepath.Base(os.Args[0])
	}
	if len(opts.capabilities()) == 0 {
		log.Error("plugin.Serve: set at least one of Options.Classifier, Enricher or Connector")
		os.Exit(1)
	}
	srv := &server{opts: &opts, log: log}
	if os.Getenv(MagicCookieKey) == MagicCookieValue {
		go watchHost(os.Getppid(), 250*time.Millisecond, func() {
			log.Warn("host process is gone; plugin exiting", "plugin", opts.Info.Name)
			closeAll(&opts, log)
			os.Exit(0)
		})
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: opts.versionedPlugins(srv),
		GRPCServer:       newGRPCServer,
	})
	closeAll(&opts, log)
}

// watchHost calls gone once the parent process is no longer hostPID, that
// is, when the host died and the plugin was re-parented.
func watchHost(hostPID int, every time.Duration, gone func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		if os.Getppid() != hostPID {
			gone()
			return
		}
	}
}

// closeAll closes each capability that implements sdk.Closer, once.
func closeAll(o *Options, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var seen []any
	var errs []error
	for _, c := range o.capabilities() {
		if containsSame(seen, c) {
			continue
		}
		seen = append(seen, c)
		if cl, ok := c.(sdk.Closer); ok {
			errs = append(errs, cl.Close(ctx))
		}
	}
	if err := errors.Join(errs...); err != nil {
		log.Error("closing plugin", "err", err)
	}
}

// containsSame reports whether xs holds v itself (the same pointer), the
// one case where one value serves several capabilities.
func containsSame(xs []any, v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return false
	}
	for _, x := range xs {
		if rx := reflect.ValueOf(x); rx.Kind() == reflect.Pointer && rx.Pointer() == rv.Pointer() && rx.Type() == rv.Type() {
			return true
		}
	}
	return false
}
