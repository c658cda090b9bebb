package plugins

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

// ErrCircuitOpen is returned, without calling the plugin, while a plugin's
// circuit is open after repeated failures. It wraps sdk.ErrUnavailable.
var ErrCircuitOpen = fmt.Errorf("plugin circuit open: %w", sdk.ErrUnavailable)

// ErrClosed is returned by calls after Host.Close.
var ErrClosed = fmt.Errorf("plugin host closed: %w", sdk.ErrUnavailable)

// instance is one enabled plugin: its settings, its current process and
// its supervision state. Calls go through call, which launches the
// process on demand, restarts it with backoff after a crash or a panic,
// skips it while its circuit is open and bounds every call.
type instance struct {
	id         string
	entry      Entry
	settings   []byte
	connectors []string
	timeout    time.Duration
	maxProcs   int
	trusted    bool // sees unredacted tickets
	cfg        Config
	log        *slog.Logger
	wg         *sync.WaitGroup // the host's: launches and kills in flight
	now        func() time.Time
	// closing is closed by the host's Close, to abort launches in flight;
	// nil means never.
	closing <-chan struct{}

	mu        sync.Mutex
	proc      *process
	starting  *attempt // the launch in flight
	closed    bool
	failures  int           // consecutive
	restarts  int           // consecutive launches without a successful call since
	nextStart time.Time     // no launch before
	openUntil time.Time     // circuit open until
	cooldown  time.Duration // next open period
	starts    int
	replaced  int // launches scheduled after a failure, ever (Status.Restarts)
	lastErr   error
}

// attempt is one launch; done is closed when it has succeeded or failed,
// and err is then set on failure.
type attempt struct {
	done chan struct{}
	err  error
}

// serves reports whether the instance is enabled for the connector.
func (in *instance) serves(connector string) bool {
	return len(in.connectors) == 0 || slices.Contains(in.connectors, connector)
}

// call runs fn against the running plugin, bounded by the instance's
// timeout, and feeds the outcome to supervision.
func (in *instance) call(ctx context.Context, fn func(ctx context.Context, p *process) error) error {
	p, err := in.acquire(ctx)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, in.timeout)
	defer cancel()
	err = fn(cctx, p)
	if errors.Is(err, sdkplugin.ErrTransport) && p.waitExit(crashWait) {
		// The process died under the call: say how, and what it wrote last.
		err = fmt.Errorf("%w: %w", err, p.exitError())
	}
	// The call timed out on the plugin's own timeout (a failure), not on
	// the caller's deadline or cancellation (not the plugin's fault).
	// gRPC's deadline timer may fire a moment before cctx records it.
	dl, _ := cctx.Deadline()
	parentDL, parentHas := ctx.Deadline()
	ours := !parentHas || dl.Before(parentDL)
	timedOut := err != nil && ours && ctx.Err() == nil &&
		(errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded))
	in.report(p, err, timedOut)
	switch {
	case err == nil:
		return nil
	case timedOut:
		return fmt.Errorf("plugin %q: no answer within %s: %w", in.entry.Name, in.timeout, errors.Join(context.DeadlineExceeded, sdk.ErrUnavailable))
	default:
		return fmt.Errorf("plugin %q: %w", in.entry.Name, err)
	}
}

// acquire returns the running process, launching it when needed and
// allowed.
func (in *instance) acquire(ctx context.Context) (*process, error) {
	for {
		in.mu.Lock()
		if in.closed {
			in.mu.Unlock()
			return nil, fmt.Errorf("plugin %q: %w", in.entry.Name, ErrClosed)
		}
		now := in.now()
		if now.Before(in.openUntil) {
			err := fmt.Errorf("plugin %q: skipped for %s after %d consecutive failures: %w (last: %w)",
				in.entry.Name, in.openUntil.Sub(now).Round(time.Millisecond), in.failures, ErrCircuitOpen, in.lastFailure())
			in.mu.Unlock()
			return nil, err
		}
		if p := in.proc; p != nil {
			if !p.exited() {
				in.mu.Unlock()
				return p, nil
			}
			// It died between calls.
			in.proc = nil
			in.lastErr = p.exitError()
			in.failures++
			in.scheduleRestartLocked(now)
			in.killAsync(p)
			in.log.Warn("plugin process exited; restarting", "pid", p.pid, "restarts", in.restarts, "err", in.lastErr)
			in.openIfFailingLocked()
			in.mu.Unlock()
			continue
		}
		if in.starting == nil {
			if now.Before(in.nextStart) {
				err := fmt.Errorf("plugin %q: restarting in %s: %w (last: %w)",
					in.entry.Name, in.nextStart.Sub(now).Round(time.Millisecond), sdk.ErrUnavailable, in.lastFailure())
				in.mu.Unlock()
				return nil, err
			}
			in.starting = &attempt{done: make(chan struct{})}
			in.wg.Add(1)
			go in.start(in.starting) //nolint:gosec // G118: a launch outlives the call that triggered it; Close waits for it
		}
		a := in.starting
		in.mu.Unlock()
		select {
		case <-a.done:
			if a.err != nil {
				return nil, a.err // the launch this call waited for failed: say why
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("plugin %q: still starting: %w", in.entry.Name, ctx.Err())
		}
	}
}

// start makes launch attempt a. It runs on its own goroutine so that a
// caller's short deadline does not abort a launch others are waiting for.
func (in *instance) start(a *attempt) {
	defer in.wg.Done()
	ctx, cancel := context.WithTimeout(context.Background(), in.cfg.StartTimeout.Std())
	defer cancel()
	if in.closing != nil {
		go func() {
			select {
			case <-in.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	p, err := launch(ctx, launchSpec{entry: in.entry, startTimeout: in.cfg.StartTimeout.Std(), log: in.log, maxProcs: in.maxProcs,
		configure: &sdkplugin.ConfigureRequest{Settings: in.settings, Instance: in.id, Connectors: in.connectors}})
	in.mu.Lock()
	defer in.mu.Unlock()
	in.starting = nil
	defer close(a.done)
	in.starts++
	if in.closed {
		if p != nil {
			in.killAsync(p)
		}
		return
	}
	if err != nil {
		a.err = err
		in.lastErr = err
		in.failures++
		in.scheduleRestartLocked(in.now())
		in.openIfFailingLocked()
		in.log.Error("plugin failed to start; the built-ins carry on without it", "err", err, "failures", in.failures)
		return
	}
	in.proc = p
	in.log.Info("plugin started", "pid", p.pid, "version", p.info.Version, "protocol", p.info.Protocol, "starts", in.starts)
}

// report feeds one call's outcome to supervision. Errors the plugin
// returned on purpose (not found, invalid, a vendor's rate limit) show a
// working plugin. Crashes, panics and timeouts are failures; after a crash
// or a panic the process is replaced.
func (in *instance) report(p *process, err error, timedOut bool) {
	crashed := errors.Is(err, sdkplugin.ErrTransport)
	panicked := errors.Is(err, sdkplugin.ErrPanicked)
	in.mu.Lock()
	defer in.mu.Unlock()
	if !crashed && !panicked && !timedOut {
		in.failures, in.restarts, in.cooldown = 0, 0, 0
		return
	}
	in.failures++
	in.lastErr = err
	if timedOut {
		in.lastErr = fmt.Errorf("no answer within %s", in.timeout)
	}
	if (crashed || panicked) && p != nil && in.proc == p {
		in.proc = nil
		in.scheduleRestartLocked(in.now())
		in.killAsync(p)
		in.log.Warn("plugin failed mid-call; restarting it", "pid", p.pid, "err", err, "panicked", panicked, "restarts", in.restarts)
	}
	in.openIfFailingLocked()
}

// lastFailure returns the last failure, for messages. Call with mu held.
func (in *instance) lastFailure() error {
	if in.lastErr == nil {
		return errors.New("no failure recorded")
	}
	return in.lastErr
}

// scheduleRestartLocked sets when the next launch may happen: at once the
// first time, then after RestartBackoff, doubling up to MaxBackoff.
func (in *instance) scheduleRestartLocked(now time.Time) {
	in.restarts++
	in.replaced++
	in.nextStart = now.Add(backoff(in.restarts-1, in.cfg.RestartBackoff.Std(), in.cfg.MaxBackoff.Std()))
}

// backoff returns 0 for n == 0, then base, 2*base, ... up to max.
func backoff(n int, base, max time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// openIfFailingLocked opens the circuit once failures reach the threshold:
// the plugin is skipped for the cooldown (doubling on each reopening) and
// its process is stopped. After the cooldown the next call tries again.
func (in *instance) openIfFailingLocked() {
	if in.failures < in.cfg.FailureThreshold {
		return
	}
	if in.cooldown == 0 {
		in.cooldown = in.cfg.Cooldown.Std()
	}
	in.openUntil = in.now().Add(in.cooldown)
	in.log.Error("plugin keeps failing; skipping it", "failures", in.failures, "for", in.cooldown.String(), "err", in.lastErr)
	in.cooldown = min(2*in.cooldown, in.cfg.MaxBackoff.Std())
	in.failures = in.cfg.FailureThreshold - 1 // one more failure after the cooldown reopens it
	if p := in.proc; p != nil {
		in.proc = nil
		in.killAsync(p)
	}
}

// killAsync stops p without holding up the caller; Host.Close waits for it.
func (in *instance) killAsync(p *process) {
	in.wg.Go(p.kill)
}

// close stops the process and refuses further calls. The process gets
// killGrace to exit, less when ctx's deadline is nearer, and none once ctx
// is done.
func (in *instance) close(ctx context.Context) {
	in.mu.Lock()
	in.closed = true
	p := in.proc
	in.proc = nil
	in.mu.Unlock()
	if p != nil {
		p.stop(graceBefore(ctx))
	}
}

// graceBefore returns killGrace, cut to what is left before ctx's
// deadline; 0 when ctx is done.
func graceBefore(ctx context.Context) time.Duration {
	if ctx.Err() != nil {
		return 0
	}
	grace := killGrace
	if dl, ok := ctx.Deadline(); ok {
		grace = max(0, min(grace, time.Until(dl)))
	}
	return grace
}

// Status is a snapshot of one enabled plugin.
type Status struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Version string           `json:"version,omitempty"`
	Kinds   []sdkplugin.Kind `json:"kinds"`
	// PID is the running process, 0 when none is running.
	PID int `json:"pid,omitempty"`
	// Starts counts launches, successful or not.
	Starts int `json:"starts"`
	// Failures counts consecutive failures.
	Failures int `json:"failures"`
	// Restarts counts, since heard started, the times the plugin had to be
	// launched again after a crash, a panic, an exit or a failed launch.
	Restarts int `json:"restarts"`
	// SkippedUntil is when an open circuit closes; zero when closed.
	SkippedUntil time.Time `json:"skipped_until,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
}

func (in *instance) status() Status {
	in.mu.Lock()
	defer in.mu.Unlock()
	s := Status{ID: in.id, Name: in.entry.Name, Version: in.entry.Version, Kinds: in.entry.Kinds, Starts: in.starts, Failures: in.failures, Restarts: in.replaced}
	if p := in.proc; p != nil && !p.exited() {
		s.PID, s.Version = p.pid, p.info.Version
	}
	if in.now().Before(in.openUntil) {
		s.SkippedUntil = in.openUntil
	}
	if in.lastErr != nil {
		s.LastError = in.lastErr.Error()
	}
	return s
}
