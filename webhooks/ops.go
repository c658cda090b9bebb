package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/heardhq/heard/sdk"
)

// Reasons a NotReadyError gives; /readyz shows them to anyone who asks.
const (
	ReasonStoreUnavailable = "store unavailable"
	ReasonStoreNotWritable = "store not writable"
	ReasonQueueNotRunning  = "queue not running"
	reasonNotReady         = "not ready" // any other error
)

// DefaultReadyCacheFor is how long a readiness answer is reused.
const DefaultReadyCacheFor = 2 * time.Second

// NotReadyError says why heard cannot take work. Reason is short and safe
// to show to anyone (it is the /readyz body); Err is the cause, which is
// only logged.
type NotReadyError struct {
	Reason string
	Err    error
}

func (e *NotReadyError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	return e.Reason + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *NotReadyError) Unwrap() error { return e.Err }

// configureEngine sets how the engine treats methods and client addresses.
func (s *Server) configureEngine(e *gin.Engine) error {
	// A wrong method on a known path is a 405 naming the allowed ones.
	e.HandleMethodNotAllowed = true
	e.NoMethod(func(c *gin.Context) {
		c.JSON(http.StatusMethodNotAllowed, gin.H{"error": "method not allowed", "allow": c.Writer.Header().Get("Allow")})
	})
	// X-Forwarded-For and X-Real-IP are believed only from these peers; by
	// default from none, so the logged client address is the TCP peer.
	if err := e.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		return fmt.Errorf("webhooks: trusted proxies %q: %w", strings.Join(s.cfg.TrustedProxies, ", "), errors.Join(err, sdk.ErrInvalid))
	}
	return nil
}

// routes is the route table.
func (s *Server) routes(e *gin.Engine) {
	e.POST("/v1/webhooks/:connector", s.receive)
	e.HEAD("/v1/webhooks/:connector", s.probe) // Intercom checks the URL with HEAD
	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	e.GET("/readyz", s.ready)
	if s.cfg.Metrics != nil && !s.cfg.NoMetricsRoute {
		e.GET("/metrics", gin.WrapH(MetricsHandler(s.cfg.Metrics)))
	}
	e.NoRoute(func(c *gin.Context) { c.JSON(http.StatusNotFound, gin.H{"error": "no such endpoint"}) })
}

// MetricsHandler serves what g gathers in the Prometheus text format, for
// whichever listener serves /metrics.
func MetricsHandler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}

// readiness runs the Ready check at most once per cacheFor, so /readyz,
// which anyone can call, costs the store at most one check (and write
// probe) per interval, and logs when the answer changes.
type readiness struct {
	check    func(ctx context.Context) error
	cacheFor time.Duration
	now      func() time.Time

	mu      sync.Mutex
	at      time.Time
	err     error
	checked bool
}

// state returns the cached answer, checking again when it is stale.
// changed reports whether the answer differs from the previous one.
func (r *readiness) state(ctx context.Context) (err error, changed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.checked && r.cacheFor > 0 && r.now().Sub(r.at) < r.cacheFor {
		return r.err, false
	}
	// The answer is shared: a caller who hangs up must not cut it short.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	err = r.check(cctx)
	changed = !r.checked || (err == nil) != (r.err == nil) || reason(err) != reason(r.err)
	r.at, r.err, r.checked = r.now(), err, true
	return err, changed
}

// reason is the public text for a readiness error: its NotReadyError
// reason, or a generic one that reveals nothing.
func reason(err error) string {
	if err == nil {
		return ""
	}
	var nr *NotReadyError
	if errors.As(err, &nr) && nr.Reason != "" {
		return nr.Reason
	}
	return reasonNotReady
}

func (s *Server) ready(c *gin.Context) {
	if s.readiness == nil {
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
		return
	}
	ctx := c.Request.Context()
	err, changed := s.readiness.state(ctx)
	if err != nil {
		if changed {
			s.log.WarnContext(ctx, "not ready", "reason", reason(err), "err", err)
		}
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "not ready", "reason": reason(err)})
		return
	}
	if changed {
		s.log.InfoContext(ctx, "ready")
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// publicDetail is what an error response may say about err beyond its
// message: nothing for 5xx (internals) and 401 (a signature check's detail
// names headers and the server clock, which help an attacker); the
// error's text otherwise.
func publicDetail(code int, err error) string {
	if err == nil || code >= 500 || code == http.StatusUnauthorized {
		return ""
	}
	return err.Error()
}
