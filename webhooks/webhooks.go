package webhooks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
)

// Connector is the webhook half of sdk.Connector.
type Connector interface {
	VerifyWebhook(h http.Header, body []byte) error
	DecodeWebhook(h http.Header, body []byte) ([]sdk.Event, error)
}

// Enqueuer stores jobs durably.
type Enqueuer interface {
	Enqueue(ctx context.Context, jobs []queue.Job) ([]queue.Result, error)
}

// Config wires a Server.
type Config struct {
	// Connectors by configured name (the path segment).
	Connectors map[string]Connector
	Queue      Enqueuer
	// MaxBodyBytes caps a webhook body; larger ones get 413. Default 1 MiB.
	MaxBodyBytes int64
	// Ready reports whether heard can take work (store reachable and
	// writable, workers running). Nil means always ready. Return a
	// *NotReadyError to give /readyz a reason; any other error is answered
	// "not ready". The error itself is only logged.
	Ready func(ctx context.Context) error
	// ReadyCacheFor is how long a Ready answer is reused; zero means
	// DefaultReadyCacheFor, negative means check on every request.
	ReadyCacheFor time.Duration
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For and
	// X-Real-IP headers are believed for the client address in logs. Empty
	// means none: the TCP peer is the client.
	TrustedProxies []string
	// QueueCounts, when set, feeds the heard_queue_jobs gauge.
	QueueCounts func(ctx context.Context) (map[string]int64, error)
	// Metrics is where the server registers its collectors and what
	// /metrics serves. Nil disables /metrics.
	Metrics *prometheus.Registry
	// NoMetricsRoute registers the collectors in Metrics but leaves
	// /metrics off this handler (another listener serves MetricsHandler).
	NoMetricsRoute bool
	Logger         *slog.Logger
	// DedupeCacheSize is how many recently acknowledged event keys are kept
	// in memory to answer redeliveries without a database round trip.
	// Default 65536. Keys are kept as 32-byte digests, so the cache holds
	// at most about 100 bytes per entry whatever the ids' size.
	DedupeCacheSize int
	// MaxConcurrent caps the webhook requests in progress; one more is
	// answered 503 with Retry-After. Default 256.
	MaxConcurrent int
	// MaxBufferedBytes caps the body bytes all webhook requests in progress
	// may hold together; a request whose Content-Length does not fit is
	// answered 503 with Retry-After. Default 64 MiB, and never less than
	// MaxBodyBytes.
	MaxBufferedBytes int64
}

// Server handles webhook deliveries.
type Server struct {
	cfg    Config
	log    *slog.Logger
	engine *gin.Engine
	seen   *seenCache
	limit  *limiter
	m      metrics

	readiness *readiness // nil: always ready
}

type metrics struct {
	requests *prometheus.CounterVec
	events   *prometheus.CounterVec
	enqueue  prometheus.Histogram
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Queue == nil {
		return nil, fmt.Errorf("webhooks: no queue: %w", sdk.ErrInvalid)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.DedupeCacheSize <= 0 {
		cfg.DedupeCacheSize = 1 << 16
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 256
	}
	if cfg.MaxBufferedBytes <= 0 {
		cfg.MaxBufferedBytes = 64 << 20
	}
	cfg.MaxBufferedBytes = max(cfg.MaxBufferedBytes, cfg.MaxBodyBytes)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	seen, err := newSeenCache(cfg.DedupeCacheSize)
	if err != nil {
		return nil, fmt.Errorf("webhooks: dedupe cache: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger.With("component", "webhooks"), seen: seen,
		limit: newLimiter(cfg.MaxConcurrent, cfg.MaxBufferedBytes)}
	if cfg.Ready != nil {
		s.readiness = &readiness{check: cfg.Ready, cacheFor: cmp.Or(cfg.ReadyCacheFor, DefaultReadyCacheFor), now: time.Now}
	}
	s.m = metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heard_webhook_requests_total", Help: "Webhook requests by connector and HTTP status.",
		}, []string{"connector", "code"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heard_webhook_events_total", Help: "Decoded webhook events by connector and result (enqueued, duplicate).",
		}, []string{"connector", "result"}),
		enqueue: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "heard_enqueue_duration_seconds", Help: "Time to store a delivery's events durably.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}),
	}
	if cfg.Metrics != nil {
		cs := []prometheus.Collector{s.m.requests, s.m.events, s.m.enqueue}
		if cfg.QueueCounts != nil {
			cs = append(cs, &queueCollector{counts: cfg.QueueCounts, log: s.log})
		}
		for _, c := range cs {
			if err := cfg.Metrics.Register(c); err != nil {
				return nil, fmt.Errorf("webhooks: registering metrics: %w", err)
			}
		}
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, rec any) {
		s.log.ErrorContext(c.Request.Context(), "panic in handler", "path", c.FullPath(), "panic", fmt.Sprint(rec))
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
	}))
	if err := s.configureEngine(e); err != nil {
		return nil, err
	}
	s.routes(e)
	s.engine = e
	return s, nil
}

// ServeHTTP implements http.Handler. A request with a Transfer-Encoding
// is refused with 411 and its connection closed before routing: Go's
// server silently lets Transfer-Encoding override a Content-Length sent
// alongside it, which is how requests are smuggled past a proxy that
// trusts the Content-Length. Help desks send a Content-Length, and heard
// needs it to reserve the body's memory before reading it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.TransferEncoding) > 0 {
		s.refuseTransferEncoding(w, r)
		return
	}
	s.engine.ServeHTTP(w, r)
}

// Accepted is the 202 response body.
type Accepted struct {
	Accepted   int `json:"accepted"`   // events newly stored
	Duplicates int `json:"duplicates"` // events already stored earlier
}

func (s *Server) probe(c *gin.Context) {
	if _, ok := s.cfg.Connectors[c.Param("connector")]; !ok {
		c.Status(http.StatusNotFound)
		return
	}
	c.Status(http.StatusOK)
}

func (s *Server) receive(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("connector")
	conn, ok := s.cfg.Connectors[name]
	if !ok {
		s.fail(c, "unknown", http.StatusNotFound, fmt.Sprintf("unknown connector %q", name), nil)
		return
	}
	if c.Request.ContentLength > s.cfg.MaxBodyBytes {
		s.fail(c, name, http.StatusRequestEntityTooLarge, fmt.Sprintf("body of %d bytes is over the %d-byte limit", c.Request.ContentLength, s.cfg.MaxBodyBytes), nil)
		return
	}
	// Reserve the body's memory before reading a byte of it: the declared
	// length, or the whole limit when none is declared.
	reserve := c.Request.ContentLength
	if reserve < 0 {
		reserve = s.cfg.MaxBodyBytes
	}
	release, ok := s.limit.acquire(reserve)
	if !ok {
		c.Header("Retry-After", "5")
		c.Header("Connection", "close")
		s.fail(c, name, http.StatusServiceUnavailable, "too many webhook requests in progress, retry later", nil)
		return
	}
	defer release()
	if hc, ok := conn.(HeaderChecker); ok {
		if err := hc.CheckWebhookHeaders(c.Request.Header); err != nil {
			// The body is never read; closing spares draining it.
			c.Header("Connection", "close")
			s.fail(c, name, http.StatusUnauthorized, "signature check failed", err)
			return
		}
	}
	body, err := s.readBody(c, c.Request.ContentLength)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, name, http.StatusRequestEntityTooLarge, fmt.Sprintf("body is over the %d-byte limit", s.cfg.MaxBodyBytes), nil)
			return
		}
		s.fail(c, name, http.StatusBadRequest, "reading body failed", err)
		return
	}
	if err := conn.VerifyWebhook(c.Request.Header, body); err != nil {
		s.fail(c, name, http.StatusUnauthorized, "signature check failed", err)
		return
	}
	events, err := conn.DecodeWebhook(c.Request.Header, body)
	if err != nil {
		code := http.StatusBadRequest
		if !errors.Is(err, sdk.ErrInvalid) {
			code = http.StatusInternalServerError
		}
		s.fail(c, name, code, "malformed body", err)
		return
	}
	if err := validateEvents(events); err != nil {
		s.fail(c, name, http.StatusBadRequest, "invalid event", err)
		return
	}

	var res Accepted
	jobs := make([]queue.Job, 0, len(events))
	for _, ev := range events {
		j := queue.NewJob(name, ev)
		if s.seen.contains(j.Key) {
			res.Duplicates++
			continue
		}
		jobs = append(jobs, j)
	}
	if len(jobs) > 0 {
		start := time.Now()
		out, err := s.cfg.Queue.Enqueue(ctx, jobs)
		s.m.enqueue.Observe(time.Since(start).Seconds())
		if err != nil {
			c.Header("Retry-After", "5")
			s.fail(c, name, http.StatusServiceUnavailable, "queue unavailable, retry later", err)
			return
		}
		for i, r := range out {
			s.seen.add(jobs[i].Key)
			if r == queue.Duplicate {
				res.Duplicates++
			} else {
				res.Accepted++
			}
		}
	}
	s.m.events.WithLabelValues(name, "enqueued").Add(float64(res.Accepted))
	s.m.events.WithLabelValues(name, "duplicate").Add(float64(res.Duplicates))
	s.m.requests.WithLabelValues(name, "202").Inc()
	if res.Duplicates > 0 {
		s.log.DebugContext(ctx, "redelivery acknowledged", "connector", name, "duplicates", res.Duplicates)
	}
	c.JSON(http.StatusAccepted, res)
}

// readBody reads a body of length n (-1: undeclared) into a buffer of
// exactly that size, so the memory held is what was reserved.
func (s *Server) readBody(c *gin.Context, n int64) ([]byte, error) {
	if n < 0 {
		b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
		if err != nil {
			return nil, fmt.Errorf("reading body: %w", err)
		}
		return b, nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(c.Request.Body, b); err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return b, nil
}

// refuseTransferEncoding answers 411 and closes the connection, never
// reading the body.
func (s *Server) refuseTransferEncoding(w http.ResponseWriter, r *http.Request) {
	s.m.requests.WithLabelValues("any", strconv.Itoa(http.StatusLengthRequired)).Inc()
	s.log.WarnContext(r.Context(), "request refused: Transfer-Encoding is not accepted",
		"path", r.URL.Path, "transfer_encoding", r.TransferEncoding, "remote", r.RemoteAddr)
	w.Header().Set("Connection", "close")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusLengthRequired)
	_, _ = io.WriteString(w, `{"error":"send the body with a Content-Length; Transfer-Encoding is not accepted"}`)
}

// fail answers with a JSON error and logs it without the body.
func (s *Server) fail(c *gin.Context, connector string, code int, msg string, err error) {
	s.m.requests.WithLabelValues(connector, strconv.Itoa(code)).Inc()
	attrs := []any{"connector", connector, "status", code, "remote", c.ClientIP(), "bytes", c.Request.ContentLength}
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	level := slog.LevelWarn
	if code >= 500 {
		level = slog.LevelError
	}
	s.log.Log(c.Request.Context(), level, "webhook rejected: "+msg, attrs...)
	body := gin.H{"error": msg}
	if d := publicDetail(code, err); d != "" {
		body["detail"] = d
	}
	c.AbortWithStatusJSON(code, body)
}

// queueCollector reports queue depth by job state. Counting reads every
// job row kept for the dedupe window, so a count is reused for
// queueCountsMaxAge: scrapes more frequent than that (a dashboard polling
// every second, a script waiting for a drain) cost nothing, and the gauge
// is at most that stale.
type queueCollector struct {
	counts func(ctx context.Context) (map[string]int64, error)
	log    *slog.Logger
	last   reused[map[string]int64]
}

// queueCountsMaxAge is how long one read of the queue serves scrapes.
const queueCountsMaxAge = 5 * time.Second

// reused keeps the last value a collector read from the store for
// queueCountsMaxAge, so scrapes closer together than that read it once.
// A failed read keeps nothing.
type reused[T any] struct {
	mu sync.Mutex
	v  T
	at time.Time // when v was read; zero: nothing kept
}

// get returns the kept value, or reads a new one at now with a 2 s limit.
func (r *reused[T]) get(now time.Time, read func(ctx context.Context) (T, error)) (T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.at.IsZero() && now.Sub(r.at) < queueCountsMaxAge && !now.Before(r.at) {
		return r.v, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := read(ctx)
	if err != nil {
		var zero T
		r.v, r.at = zero, time.Time{}
		return zero, err
	}
	r.v, r.at = v, now
	return v, nil
}

var queueDesc = prometheus.NewDesc("heard_queue_jobs", "Queue jobs by state (available is the backlog).", []string{"state"}, nil)

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDesc }

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := q.last.get(time.Now(), q.counts)
	if err != nil {
		q.log.Warn("queue depth unavailable for metrics", "err", err)
		return
	}
	for _, st := range []string{"available", "scheduled", "retryable", "running", "completed", "cancelled", "discarded"} {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(counts[st]), st)
	}
}
