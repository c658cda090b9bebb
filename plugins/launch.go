package plugins

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

// process is one running plugin.
type process struct {
	client *goplugin.Client
	conn   *sdkplugin.Client
	info   sdkplugin.Info
	pid    int
}

// kill stops the process: a graceful shutdown request, then SIGKILL after
// two seconds. It blocks until the process is gone.
func (p *process) kill() { p.client.Kill() }

// exited reports whether the process has exited.
func (p *process) exited() bool { return p.client.Exited() }

// launchSpec is what launch needs.
type launchSpec struct {
	entry        Entry
	startTimeout time.Duration
	log          *slog.Logger
	// configure, when set, is passed to the plugin's Configure.
	configure *sdkplugin.ConfigureRequest
	// maxProcs, when > 0, is the plugin's GOMAXPROCS.
	maxProcs int
}

// launch starts the plugin binary with heard's security settings: the
// catalog checksum verified by go-plugin's SecureConfig immediately before
// exec, gRPC only, automatic mutual TLS, none of heard's environment (API
// keys stay out of plugins; settings arrive through Configure), and a
// start timeout that also bounds GetInfo and Configure.
func launch(ctx context.Context, s launchSpec) (*process, error) {
	e := s.entry
	sum, err := e.checksum()
	if err != nil {
		return nil, err
	}
	hl := newHCLog(s.log, hclog.Debug)
	cmd := exec.Command(e.Path) //nolint:gosec // the admin installed this binary; its checksum is verified before exec
	// The environment is empty (SkipHostEnv) but for go-plugin's handshake
	// variables and, when set, GOMAXPROCS.
	cmd.Env = []string{}
	if s.maxProcs > 0 {
		cmd.Env = append(cmd.Env, fmt.Sprintf("GOMAXPROCS=%d", s.maxProcs))
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  sdkplugin.Handshake,
		VersionedPlugins: sdkplugin.HostPlugins(),
		Cmd:              cmd,
		SecureConfig:     &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		StartTimeout:     s.startTimeout,
		GRPCDialOptions:  sdkplugin.DialOptions(),
		Logger:           hl,
		SyncStdout:       &lineLogger{log: s.log, level: slog.LevelWarn, msg: "plugin wrote to stdout"},
		SyncStderr:       &lineLogger{log: s.log, level: slog.LevelInfo, msg: "plugin wrote to stderr"},
	})
	fail := func(err error) (*process, error) {
		client.Kill()
		return nil, err
	}
	rpc, err := client.Client()
	if err != nil {
		if errors.Is(err, goplugin.ErrChecksumsDoNotMatch) {
			got, serr := Sum(e.Path)
			if serr != nil {
				got = "unknown (" + serr.Error() + ")"
			}
			return fail(checksumError(e, got))
		}
		return fail(fmt.Errorf("plugin %q: launching %s: %w: %w", e.Name, e.Path, err, sdk.ErrUnavailable))
	}
	conn, err := sdkplugin.Dispense(rpc)
	if err != nil {
		return fail(fmt.Errorf("plugin %q: %w", e.Name, err))
	}
	ctx, cancel := context.WithTimeout(ctx, s.startTimeout)
	defer cancel()
	info, err := conn.Info(ctx)
	if err != nil {
		return fail(fmt.Errorf("plugin %q: asking for its info: %w", e.Name, err))
	}
	if s.configure != nil {
		if err := conn.Configure(ctx, s.configure); err != nil {
			return fail(fmt.Errorf("plugin %q: configure: %w", e.Name, err))
		}
	}
	p := &process{client: client, conn: conn, info: info}
	if rc := client.ReattachConfig(); rc != nil {
		p.pid = rc.Pid
	}
	return p, nil
}

// Probe launches the plugin described by e (checksum verified), asks it
// for its info and its health, and stops it. The info is returned even
// when only the health check failed.
func Probe(ctx context.Context, e Entry, startTimeout time.Duration, log *slog.Logger) (sdkplugin.Info, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := launch(ctx, launchSpec{entry: e, startTimeout: startTimeout, log: log.With("plugin", e.Name)})
	if err != nil {
		return sdkplugin.Info{}, err
	}
	defer p.kill()
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	if err := p.conn.CheckHealth(ctx); err != nil {
		return p.info, fmt.Errorf("plugin %q: health: %w", e.Name, err)
	}
	return p.info, nil
}
