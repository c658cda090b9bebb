package plugins

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

const (
	// killGrace is how long a plugin has to exit after the host asks it to
	// shut down; then its whole process group is killed.
	killGrace = 2 * time.Second
	// reapWait is how long, after SIGKILL, the host waits for go-plugin to
	// notice the exit and release the process's pipes before it gives up
	// on it (and logs so). A killed process group lets go at once; this
	// only bounds what cannot happen otherwise.
	reapWait = time.Second
	// crashWait is how long a failed call waits for a crashing process to
	// exit, so that the error can tell its exit status and last stderr.
	crashWait = 500 * time.Millisecond
)

// process is one running plugin.
type process struct {
	client *goplugin.Client
	cmd    *exec.Cmd
	conn   *sdkplugin.Client
	info   sdkplugin.Info
	pid    int // also its process group
	stderr *stderrTail
	log    *slog.Logger

	stopOnce sync.Once
	stopped  chan struct{} // closed once stop has finished
}

// kill stops the process with the default grace period.
func (p *process) kill() { p.stop(killGrace) }

// stop stops the process: go-plugin's graceful shutdown request, then,
// if the process has not exited and been reaped within grace (0: at
// once), SIGKILL to its whole process group. It returns once go-plugin has
// let go of the process, or reapWait after the SIGKILL at the latest, so a
// plugin that ignores the shutdown request, wedges its gRPC server or
// leaves a child holding its stderr cannot hang the host. Calls after the
// first wait for the first to finish.
func (p *process) stop(grace time.Duration) {
	p.stopOnce.Do(func() {
		defer close(p.stopped)
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.client.Kill()
		}()
		if grace > 0 {
			t := time.NewTimer(grace)
			defer t.Stop()
			select {
			case <-done:
				// Exited: kill what it may have left in its group. Its
				// group ID cannot have been reused while members remain.
				if err := killGroup(p.pid, time.Now().Add(reapWait)); err != nil {
					p.log.Warn("killing what the plugin left in its process group", "pid", p.pid, "err", err)
				}
				return
			case <-t.C:
				p.log.Warn("plugin did not exit within its grace period; killing its process group", "pid", p.pid, "grace", grace.String())
			}
		}
		reapBy := time.Now().Add(reapWait)
		if err := killGroup(p.pid, reapBy); err != nil {
			p.log.Error("killing the plugin's process group", "pid", p.pid, "err", err)
		}
		t := time.NewTimer(max(time.Until(reapBy), 0))
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			p.log.Error("plugin process group killed but its pipes are still open; leaving it", "pid", p.pid)
		}
	})
	<-p.stopped
}

// exited reports whether the process has exited.
func (p *process) exited() bool { return p.client.Exited() }

// waitExit waits up to d for the process to exit and reports whether it
// has.
func (p *process) waitExit(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !p.exited() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// exitStatus describes how the process ended ("exit status 1", "signal:
// killed"); "" while it runs.
func (p *process) exitStatus() string {
	// go-plugin marks the client exited, under its lock, after cmd.Wait
	// has set ProcessState; Exited takes the same lock.
	if p.cmd == nil || !p.client.Exited() || p.cmd.ProcessState == nil {
		return ""
	}
	return p.cmd.ProcessState.String()
}

// exitError describes the exit of a process that died on its own: its
// status and its last stderr lines.
func (p *process) exitError() error {
	how := "exited"
	if status := p.exitStatus(); status != "" {
		how += " (" + status + ")"
	}
	return fmt.Errorf("process %d %s%s", p.pid, how, p.stderr.note())
}

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
// keys stay out of plugins; settings arrive through Configure), its own
// process group, and a start timeout that bounds the whole launch:
// handshake, connection, GetInfo and Configure. A launch that fails kills
// the process group and says why, with the plugin's last stderr lines.
// Cancelling ctx aborts the launch once the handshake is over.
func launch(ctx context.Context, s launchSpec) (*process, error) {
	e := s.entry
	sum, err := e.checksum()
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(s.startTimeout)
	tail := &stderrTail{}
	hl := newHCLog(s.log, hclog.Debug, filepath.Base(e.Path))
	cmd := exec.Command(e.Path) //nolint:gosec // the admin installed this binary; its checksum is verified before exec
	ownProcessGroup(cmd)
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
		Stderr:           &tailWriter{tail: tail},
		SyncStdout:       &lineLogger{log: s.log, level: slog.LevelWarn, msg: "plugin wrote to stdout"},
		SyncStderr:       &lineLogger{log: s.log, level: slog.LevelInfo, msg: "plugin wrote to stderr", tail: tail},
	})
	p := &process{client: client, cmd: cmd, stderr: tail, log: s.log, stopped: make(chan struct{})}
	// fail kills the process group at once, so that its stderr is closed
	// and read to the end, and returns err.
	fail := func(err error) (*process, error) {
		p.stop(0)
		return nil, err
	}
	// The handshake: go-plugin bounds it by StartTimeout and cannot be
	// interrupted; cmd is this goroutine's to read once Start returns.
	_, err = client.Start()
	if cmd.Process != nil {
		p.pid = cmd.Process.Pid
	}
	if err != nil {
		if errors.Is(err, goplugin.ErrChecksumsDoNotMatch) {
			got, serr := Sum(e.Path)
			if serr != nil {
				got = "unknown (" + serr.Error() + ")"
			}
			return fail(checksumError(e, got))
		}
		p.stop(0)
		return nil, p.launchError(e.Name, err)
	}
	// The rest runs on its own goroutine so that a plugin that completed
	// the handshake but does not serve cannot hold the launch past its
	// deadline (or past ctx, when the host closes).
	cctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	type result struct {
		conn *sdkplugin.Client
		info sdkplugin.Info
		err  error
	}
	res := make(chan result, 1)
	go func() {
		var r result
		r.conn, r.info, r.err = connect(cctx, client, e, s.configure)
		res <- r
	}()
	select {
	case r := <-res:
		if r.err != nil {
			p.stop(0)
			if status := p.exitStatus(); status != "" && status != "exit status 0" && status != "signal: killed" {
				return nil, fmt.Errorf("%w (the process exited: %s)%s", r.err, status, tail.note())
			}
			return nil, fmt.Errorf("%w%s", r.err, tail.note())
		}
		p.conn, p.info = r.conn, r.info
		return p, nil
	case <-cctx.Done():
		p.stop(0)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("plugin %q: launch abandoned: %w", e.Name, ctx.Err())
		}
		return nil, fmt.Errorf("plugin %q: completed the handshake but did not answer within the start timeout (%s)%s: %w",
			e.Name, s.startTimeout, tail.note(), errors.Join(context.DeadlineExceeded, sdk.ErrUnavailable))
	}
}

// connect opens the gRPC connection to a plugin that completed the
// handshake, asks for its info and configures it.
func connect(ctx context.Context, client *goplugin.Client, e Entry, configure *sdkplugin.ConfigureRequest) (*sdkplugin.Client, sdkplugin.Info, error) {
	rpc, err := client.Client()
	if err != nil {
		return nil, sdkplugin.Info{}, fmt.Errorf("plugin %q: connecting to %s: %w: %w", e.Name, e.Path, err, sdk.ErrUnavailable)
	}
	conn, err := sdkplugin.Dispense(rpc)
	if err != nil {
		return nil, sdkplugin.Info{}, fmt.Errorf("plugin %q: %w", e.Name, err)
	}
	info, err := conn.Info(ctx)
	if err != nil {
		return nil, sdkplugin.Info{}, fmt.Errorf("plugin %q: asking for its info: %w", e.Name, err)
	}
	if configure != nil {
		if err := conn.Configure(ctx, configure); err != nil {
			return nil, sdkplugin.Info{}, fmt.Errorf("plugin %q: configure: %w", e.Name, err)
		}
	}
	return conn, info, nil
}

// launchError describes a failed handshake. go-plugin's own message for a
// plugin that died before it (an "Unrecognized remote plugin message" and
// a guess about the architecture) hides the cause, so when the process
// exited with an error the message says that instead; either way the
// plugin's last stderr lines follow. Call after stop.
func (p *process) launchError(name string, err error) error {
	e := fmt.Sprintf("plugin %q: launching %s", name, p.cmd.Path)
	status := p.exitStatus()
	if status != "" && status != "exit status 0" && status != "signal: killed" { // killed: by go-plugin, at the start timeout
		return fmt.Errorf("%s: the process exited (%s) before completing the handshake%s: %w", e, status, p.stderr.note(), sdk.ErrUnavailable)
	}
	return fmt.Errorf("%s: %w%s: %w", e, err, p.stderr.note(), sdk.ErrUnavailable)
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
