package plugins

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

// Host runs the enabled plugins and hands them to the pipeline as sdk
// implementations. It is safe for concurrent use. Close it to stop every
// plugin process.
type Host struct {
	cfg       Config
	log       *slog.Logger
	instances []*instance
	wg        sync.WaitGroup
	closing   chan struct{} // closed by Close: launches in flight give up
	closeOnce sync.Once
	closeErr  error
}

// Load reads the catalog at catalogPath, decodes the `plugins:` config
// section and starts every enabled plugin. Configuration mistakes (an
// enabled plugin that is not installed, a connector plugin without
// connectors) are errors. A plugin that fails to start is not: it is
// logged, retried with backoff on use, and meanwhile skipped, so heard
// runs on its built-ins.
func Load(ctx context.Context, catalogPath string, sec config.Section, log *slog.Logger) (*Host, error) {
	cfg, err := DecodeConfig(sec)
	if err != nil {
		return nil, err
	}
	cat, err := OpenCatalog(catalogPath)
	if err != nil {
		return nil, err
	}
	h, err := New(cat, cfg, log)
	if err != nil {
		return nil, err
	}
	_ = h.Start(ctx) // failures are logged, and retried with backoff on use
	return h, nil
}

// New builds a Host for the plugins cfg enables, without starting them.
func New(cat *Catalog, cfg Config, log *slog.Logger) (*Host, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Host{cfg: cfg, log: log.With("component", "plugins")}
	h.closing = make(chan struct{})
	var errs []error
	for i, en := range cfg.Enabled {
		at := fmt.Sprintf("plugins.enabled[%d]", i)
		e, ok := cat.Get(en.Name)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: plugin %q is not installed (catalog %s); install it with `heard plugin install PATH --name %s`: %w",
				at, en.Name, cat.Path(), en.Name, sdk.ErrNotFound))
			continue
		}
		if e.Has(sdkplugin.KindConnector) && len(en.Connectors) == 0 {
			errs = append(errs, fmt.Errorf("%s: plugin %q is a connector; list the connectors it implements under connectors: %w",
				at, en.Name, sdk.ErrInvalid))
			continue
		}
		settings := []byte("{}")
		if len(en.Settings) > 0 {
			var err error
			if settings, err = json.Marshal(en.Settings); err != nil {
				errs = append(errs, fmt.Errorf("%s: settings: %w: %w", at, err, sdk.ErrInvalid))
				continue
			}
		}
		timeout := cfg.CallTimeout.Std()
		if en.Timeout > 0 {
			timeout = en.Timeout.Std()
		}
		maxProcs := cfg.MaxProcs
		if en.MaxProcs != nil {
			maxProcs = *en.MaxProcs
		}
		id := en.instanceID()
		h.instances = append(h.instances, &instance{
			id: id, entry: e, settings: settings, connectors: en.Connectors, timeout: timeout, maxProcs: maxProcs, trusted: en.Trusted, cfg: cfg,
			log: h.log.With("plugin", id), wg: &h.wg, now: time.Now, closing: h.closing,
		})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return h, nil
}

// Start launches every enabled plugin and waits until each has started or
// failed (bounded by the start timeout). Failures are logged and retried
// on use; Start returns them joined for callers that want to report them.
func (h *Host) Start(ctx context.Context) error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, in := range h.instances {
		wg.Go(func() {
			if _, err := in.acquire(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Classifiers returns the classifier plugins enabled for connector, or
// every classifier plugin when connector is "". Each one also checks the
// ticket's connector itself and answers with no predictions for tickets
// from connectors it is not enabled for, so one ensemble can serve every
// connector. Predictions are attributed to the plugin's ID. Each one's
// Timeout is the plugin's call timeout plus a margin, so the plugin's own
// timeout (which counts towards its circuit) fires first.
func (h *Host) Classifiers(connector string) []component.Named[sdk.Classifier] {
	var out []component.Named[sdk.Classifier]
	for _, in := range h.instances {
		if in.entry.Has(sdkplugin.KindClassifier) && (connector == "" || in.serves(connector)) {
			out = append(out, component.Named[sdk.Classifier]{ID: in.id, Impl: &classifier{in: in}, Timeout: in.timeout + time.Second})
		}
	}
	return out
}

// Enrichers returns the enricher plugins enabled for connector, or every
// one when connector is "", scoped like Classifiers.
func (h *Host) Enrichers(connector string) []pipeline.NamedEnricher {
	var out []pipeline.NamedEnricher
	for _, in := range h.instances {
		if in.entry.Has(sdkplugin.KindEnricher) && (connector == "" || in.serves(connector)) {
			out = append(out, pipeline.NamedEnricher{ID: in.id, Impl: &enricher{in: in}})
		}
	}
	return out
}

// Connector returns the connector plugin enabled for the configured
// connector name, and false when there is none. The result also
// implements sdk.ArticleLister when the plugin lists articles.
func (h *Host) Connector(name string) (sdk.Connector, bool) {
	for _, in := range h.instances {
		if in.entry.Has(sdkplugin.KindConnector) && len(in.connectors) > 0 && in.serves(name) {
			c := &connector{in: in, name: name}
			if slices.Contains(in.entry.Features, sdkplugin.FeatureListArticles) {
				return &articleConnector{connector: c}, true
			}
			return c, true
		}
	}
	return nil, false
}

// Status returns a snapshot of every enabled plugin, in config order.
func (h *Host) Status() []Status {
	out := make([]Status, len(h.instances))
	for i, in := range h.instances {
		out[i] = in.status()
	}
	return out
}

// CheckHealth asks every enabled plugin for its health; it implements
// sdk.HealthChecker. Errors name the plugin.
func (h *Host) CheckHealth(ctx context.Context) error {
	var errs []error
	for _, in := range h.instances {
		errs = append(errs, in.call(ctx, func(ctx context.Context, p *process) error { return p.conn.CheckHealth(ctx) }))
	}
	return errors.Join(errs...)
}

// Close stops every plugin process and waits until they are gone. Each
// plugin is asked to shut down and gets two seconds (less when ctx's
// deadline is nearer) before its whole process group is killed. Close
// returns once every process is gone, or, when ctx is done first, about a
// second later, with an error if some had still not let go (a launch still
// in its handshake cannot be interrupted: it kills its process itself when
// the handshake ends, within plugins.start_timeout).
// Calls made afterwards fail with ErrClosed. It is safe to call more than
// once and after a failed Start; later calls return the first one's error.
func (h *Host) Close(ctx context.Context) error {
	h.closeOnce.Do(func() {
		close(h.closing)
		var wg sync.WaitGroup
		for _, in := range h.instances {
			wg.Go(func() { in.close(ctx) })
		}
		done := make(chan struct{})
		go func() {
			wg.Wait()
			h.wg.Wait()
			close(done)
		}()
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		// Every instance's stop is under way with no grace left; give the
		// kills a moment to land.
		t := time.NewTimer(reapWait + 100*time.Millisecond)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			h.closeErr = fmt.Errorf("plugins: stopping: some plugin processes had not let go when %w", ctx.Err())
			h.log.Error("plugin host closed with plugins still stopping", "err", h.closeErr)
		}
	})
	return h.closeErr
}

var (
	_ sdk.HealthChecker = (*Host)(nil)
	_ sdk.Closer        = (*Host)(nil)
)
