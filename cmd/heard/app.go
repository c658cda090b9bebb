package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/classify/learned/retrain"
	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/timeline"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/console"
	"github.com/heardhq/heard/internal/logs"
	"github.com/heardhq/heard/internal/overlay"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/webhooks"
)

// Main is one running heard: store, queue, workers and the HTTP server.
// Build it with newMain, call Run, and Close when Run returns.
type Main struct {
	Config config.Config
	Log    *slog.Logger
	// CatalogPath is the installed-plugins catalog; "" means the default
	// (next to the config file, or in data_dir).
	CatalogPath string

	store store.Store
	queue queue.Queue
	srv   *http.Server
	ln    net.Listener
	admin *http.Server // nil without admin.listen
	adLn  net.Listener
	// overlay is the console's settings over the config; nil until Run
	// built the pipeline.
	overlay *overlay.Settings
	gates   gateSwapper // the decider's run-time gate; nil when it has none
	ready   chan struct{}
	once    sync.Once
}

func newMain(cfg config.Config, log *slog.Logger) *Main {
	return &Main{Config: cfg, Log: log, ready: make(chan struct{})}
}

// openStore opens the configured store and migrates it.
func openStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	if cfg.Store() == config.StorePostgres {
		return postgres.Open(ctx, cfg.DatabaseURL.Reveal())
	}
	return sqlite.Open(ctx, cfg.DataDir)
}

// Ready is closed once the server is listening.
func (m *Main) Ready() <-chan struct{} { return m.ready }

// Addr is the address the server listens on, valid after Ready.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// AdminAddr is the admin listener's address, valid after Ready; "" without
// admin.listen.
func (m *Main) AdminAddr() string {
	if m.adLn == nil {
		return ""
	}
	return m.adLn.Addr().String()
}

// Run starts everything and blocks until ctx ends, then drains: it stops
// taking requests, lets running jobs finish (up to queue.shutdown_timeout)
// and returns.
func (m *Main) Run(ctx context.Context) error {
	cfg, log := m.Config, m.Log
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fmt.Errorf("opening store: %w", err)
	}
	m.store = st

	catalog := m.CatalogPath
	if catalog == "" {
		catalog = plugins.CatalogPath("", cfg.DataDir)
	}
	host, err := plugins.Load(ctx, catalog, cfg.Plugins, log)
	if err != nil {
		return err
	}
	// The plugins stop last (jobs use them while the queue drains), within
	// what is left of queue.shutdown_timeout: a plugin that does not exit
	// in time has its process group killed, so Run always returns.
	var stopBy time.Time
	defer func() {
		if stopBy.IsZero() {
			stopBy = time.Now().Add(cfg.Queue.ShutdownTimeout.Std())
		}
		cctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), stopBy)
		defer cancel()
		if err := host.Close(cctx); err != nil {
			log.WarnContext(cctx, "stopping plugins", "err", err)
		}
	}()

	built, err := buildConnectors(ctx, cfg, host, "", log)
	if err != nil {
		return err
	}
	defer connectors.Close(context.WithoutCancel(ctx), built)
	conns := map[string]webhooks.Connector{}
	targets := map[string]pipeline.Target{}
	listers := map[string]sdk.ArticleLister{}
	links := map[string]sdk.TicketLinker{}
	for _, c := range built {
		if l, ok := c.Connector.(sdk.TicketLinker); ok {
			links[c.Config.Name] = l
		}
		conns[c.Config.Name] = c.Connector
		targets[c.Config.Name] = pipeline.Target{Desk: c.Connector, Mode: c.Config.Mode}
		if l, ok := c.Connector.(sdk.ArticleLister); ok {
			listers[c.Config.Name] = l
		}
	}
	var periodic []queue.Periodic
	var search enrich.KBSearch
	var answerThreshold float64
	var kbase console.KnowledgeBase
	if k, err := openKnowledgeBase(ctx, cfg, st, "", 0, log); err != nil {
		log.WarnContext(ctx, "knowledge base unavailable; drafts will not link articles", "err", err)
	} else {
		defer k.close()
		if ks, err := k.Stats(ctx); err == nil && ks.Articles == 0 {
			log.InfoContext(ctx, "knowledge base is empty: run heard kb sync (help centers) or heard kb ingest --dir DIR")
		}
		search, answerThreshold = draftSearch(k.KB), k.AnswerThreshold()
		kbase = k.KB
		if len(listers) > 0 {
			periodic = append(periodic, queue.Periodic{Name: "kb.sync", Every: kbSyncEvery, Run: func(ctx context.Context) error {
				return k.SyncHelpCenters(ctx, listers)
			}})
		}
	}
	var indexer pipeline.SolvedIndexer
	var similar enrich.SolvedSearch
	sx, six, closeSolved, err := openSolved(ctx, cfg, st, links, log)
	if err != nil {
		log.WarnContext(ctx, "solved-ticket index unavailable; notes will not list similar solved tickets", "err", err)
	} else {
		defer closeSolved()
		indexer, similar = sx, similarSolved(sx)
	}
	tri, err := buildTriage(cfg, st, search, answerThreshold, similar, host, log)
	if err != nil {
		return err
	}
	defer func() { _ = tri.Close(context.WithoutCancel(ctx)) }()
	if six != nil {
		if p, ok, err := retrainJob(cfg, st, six, taxonomyOf(tri.Fields), log); err != nil {
			return err
		} else if ok {
			periodic = append(periodic, p)
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		host, retrain.VersionCollector(st), webhooks.QueueAgeCollector(st.OldestQueued))
	if p, ok, err := slaClockJob(tri, st, built, reg, log); err != nil {
		return err
	} else if ok {
		periodic = append(periodic, p)
	}
	if p, ok, err := alertsJob(cfg, tri.policy, st, log); err != nil {
		return err
	} else if ok {
		periodic = append(periodic, p)
	}

	q, err := st.Queue(queue.Config{
		Workers: cfg.Queue.Workers, MaxAttempts: cfg.Queue.MaxAttempts,
		RetryBase: cfg.Queue.RetryBase.Std(), RetryMax: cfg.Queue.RetryMax.Std(), JobTimeout: cfg.Queue.JobTimeout.Std(),
		OrphanAfter: cfg.Queue.OrphanAfter.Std(), FetchCooldown: cfg.Queue.FetchCooldown.Std(), Periodic: periodic,
	}, log.With("component", "queue"))
	if err != nil {
		return err
	}
	m.queue = q

	pipe, err := pipeline.New(pipeline.Config[enrich.Explanation]{
		Recorder: st, Feedback: st, Solved: indexer, Timeline: &timeline.Observer{Store: st}, Targets: targets, Classifier: tri.Ensemble, Fields: tri.Fields, Decider: tri.decider,
		Enrichers: tri.enrichers,
		Logger:    log, Metrics: reg,
	})
	if err != nil {
		return err
	}
	gates, _ := tri.decider.(gateSwapper)
	m.gates = gates
	configured := map[string]config.Mode{}
	for _, c := range cfg.Connectors {
		configured[c.Name] = c.Mode
	}
	if m.overlay, err = openOverlay(cfg.DataDir, configured, gates, pipe, log); err != nil {
		return err
	}
	web, err := webhooks.New(webhooks.Config{
		Connectors: conns, Queue: q, MaxBodyBytes: cfg.Webhooks.MaxBodyBytes,
		MaxConcurrent: cfg.Webhooks.MaxConcurrent, MaxBufferedBytes: cfg.Webhooks.MaxBufferedBytes,
		Ready: readyCheck(st, q), TrustedProxies: cfg.Webhooks.TrustedProxies,
		QueueCounts: st.QueueCounts, Metrics: reg, NoMetricsRoute: cfg.Admin.Metrics == config.MetricsOnAdmin, Logger: log,
	})
	if err != nil {
		return err
	}

	if err := q.Start(ctx, pipe); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Listen, err)
	}
	m.ln = ln
	m.srv = &http.Server{Handler: web, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	modes := map[string]config.Mode{}
	for _, c := range cfg.Connectors {
		modes[c.Name] = c.Mode
	}
	ops := console.Ops{Models: st, Dead: q, KB: kbase, Plugins: host, Reports: st}
	if err := m.listenAdmin(reg, st, modes, links, ops); err != nil {
		_ = ln.Close()
		return err
	}

	m.announce(ctx)
	close(m.ready)
	serveErr := make(chan error, 2)
	go func() { serveErr <- m.srv.Serve(ln) }()
	if m.admin != nil {
		go func() { serveErr <- m.admin.Serve(m.adLn) }()
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.InfoContext(ctx, "shutting down: draining requests and running jobs", "timeout", cfg.Queue.ShutdownTimeout.String())
	stopBy = time.Now().Add(cfg.Queue.ShutdownTimeout.Std())
	dctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), stopBy)
	defer cancel()
	if err := m.srv.Shutdown(dctx); err != nil {
		log.WarnContext(dctx, "http shutdown", "err", err)
	}
	if m.admin != nil {
		if err := m.admin.Shutdown(dctx); err != nil {
			log.WarnContext(dctx, "admin http shutdown", "err", err)
		}
	}
	if err := q.Stop(dctx); err != nil {
		return fmt.Errorf("draining queue: %w", err)
	}
	log.InfoContext(dctx, "stopped cleanly")
	return nil
}

func (m *Main) announce(ctx context.Context) {
	cfg, log := m.Config, m.Log
	where := "PostgreSQL"
	if cfg.Store() == config.StoreSQLite {
		where = cfg.DataDir
	}
	log.InfoContext(ctx, "heard listening", "addr", m.ln.Addr().String(), "store", cfg.Store(), "data", where, "connectors", len(cfg.Connectors))
	if m.adLn != nil {
		log.InfoContext(ctx, "admin listening", "addr", m.adLn.Addr().String(), "metrics", cfg.Admin.Metrics, "console", cfg.Admin.Console.Enabled)
	}
	if len(cfg.Connectors) == 0 {
		log.InfoContext(ctx, "no connectors configured: add one to a YAML file and start with --config FILE; "+
			"its webhook URL is POST /v1/webhooks/<name> (see docs/configuration.md)",
			"example", "connectors: [{name: acme-zendesk, type: zendesk, subdomain: acme, webhook_secret: ${ZENDESK_WEBHOOK_SECRET}}]")
	}
	for _, c := range cfg.Connectors {
		log.InfoContext(ctx, "connector ready", "connector", c.Name, "type", c.Type, "mode", c.Mode, "webhook", "POST /v1/webhooks/"+c.Name)
	}
}

// readyCheck is the readiness check behind /readyz: the store answers and
// takes a write, and the workers run. Its reasons are what /readyz shows;
// the causes are only logged. The webhook server rate-limits it.
func readyCheck(st store.Store, q queue.Queue) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if err := st.Ping(ctx); err != nil {
			return &webhooks.NotReadyError{Reason: webhooks.ReasonStoreUnavailable, Err: err}
		}
		if err := st.CheckWrite(ctx); err != nil {
			return &webhooks.NotReadyError{Reason: webhooks.ReasonStoreNotWritable, Err: err}
		}
		if !q.Running() {
			return &webhooks.NotReadyError{Reason: webhooks.ReasonQueueNotRunning, Err: errors.New("queue workers are not running")}
		}
		return nil
	}
}

// listenAdmin opens the admin listener when admin.listen is set; it serves
// /metrics when admin.metrics is admin, the console when
// admin.console.enabled, and 404 otherwise.
func (m *Main) listenAdmin(reg *prometheus.Registry, st store.Store, modes map[string]config.Mode, links map[string]sdk.TicketLinker, ops console.Ops) error {
	cfg := m.Config.Admin
	if cfg.Listen == "" {
		return nil
	}
	mux := http.NewServeMux()
	if cfg.Metrics == config.MetricsOnAdmin {
		mux.Handle("GET /metrics", webhooks.MetricsHandler(reg))
	}
	if cfg.Console.Enabled {
		con, err := console.New(console.Config{Listen: cfg.Listen, Auth: cfg.Console, Store: st, Modes: modes, Links: links, Ops: ops,
			Logger: m.Log.With("component", "console"), Settings: m.overlay, Thresholds: m.thresholds})
		if err != nil {
			return err
		}
		mux.Handle("/", con)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on admin.listen %s: %w", cfg.Listen, err)
	}
	m.adLn = ln
	m.admin = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	return nil
}

// kbSyncEvery is how often the help centers are synced into the knowledge
// base (changed articles re-embedded, deleted ones removed); the first sync
// runs at start.
const kbSyncEvery = time.Hour

// Close releases what Run opened. It is safe after a failed or partial Run.
func (m *Main) Close() error {
	var err error
	m.once.Do(func() {
		if m.queue != nil {
			m.queue.Close()
		}
		if m.store != nil {
			err = m.store.Close()
		}
	})
	return err
}

// servePprof serves the runtime profiles on a separate listener, so they
// are never reachable through the webhook port.
func servePprof(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.InfoContext(ctx, "pprof listening", "addr", addr)
	go func() { <-ctx.Done(); _ = srv.Close() }()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.WarnContext(ctx, "pprof server", "err", err)
	}
}

// newLogger builds the process logger from config.
func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level)) // validated by config
	return logs.New(w, lv, strings.EqualFold(format, "json"))
}

func serveCmd() *cobra.Command {
	return cli.Command("serve [--config FILE]", "run the webhook receiver and the queue workers", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		pprofAddr := fs.String("pprof", "", "serve Go's pprof profiles on this `address` (e.g. 127.0.0.1:6060); off by default")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			log := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
			if *pprofAddr != "" {
				go servePprof(ctx, *pprofAddr, log)
			}
			m := newMain(cfg, log)
			m.CatalogPath = plugins.CatalogPath(*cfgPath, cfg.DataDir)
			defer m.Close()
			return m.Run(ctx)
		}
	})
}

func migrateCmd() *cobra.Command {
	return cli.Command("migrate [--config FILE]", "create or upgrade the database schema, then exit", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			st, err := openStore(ctx, cfg)
			if err != nil {
				return fmt.Errorf("migrating: %w", err)
			}
			defer st.Close()
			fmt.Fprintf(stdout, "schema is up to date (%s)\n", st.Driver())
			return nil
		}
	})
}
