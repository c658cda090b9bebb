package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Store names returned by Config.Store.
const (
	StoreSQLite   = "sqlite"   // embedded SQLite under DataDir
	StorePostgres = "postgres" // PostgreSQL at DatabaseURL
)

// Mode says whether heard writes back to a help desk. It is the one
// representation of shadow mode: a connector's config, the pipeline's
// target, the record and the write-back gate all use it.
type Mode string

// Modes.
const (
	// ModeShadow records what heard would write back without writing it.
	ModeShadow Mode = "shadow"
	// ModeLive writes changes back to the help desk.
	ModeLive Mode = "live"
)

// Live reports whether m writes back. Anything but ModeLive, the zero
// value included, is shadow mode: a mistake records instead of writing.
func (m Mode) Live() bool { return m == ModeLive }

// Valid reports whether m is ModeShadow or ModeLive.
func (m Mode) Valid() bool { return m == ModeShadow || m == ModeLive }

// Config is heard's whole configuration. The zero value is not usable; get
// one from Default or Load.
type Config struct {
	// Listen is the HTTP listen address, host:port. Default ":8080".
	Listen string `yaml:"listen"`
	// DataDir holds the embedded SQLite store. Default "./heard-data".
	DataDir string `yaml:"data_dir"`
	// DatabaseURL selects PostgreSQL when set (postgres://...); empty means
	// the embedded SQLite store under DataDir.
	DatabaseURL sdk.Secret `yaml:"database_url"`
	// LogLevel is one of debug, info, warn, error. Default "info".
	LogLevel string `yaml:"log_level"`
	// LogFormat is text or json. Default "text".
	LogFormat string `yaml:"log_format"`
	// Webhooks configures the webhook receiver.
	Webhooks Webhooks `yaml:"webhooks"`
	// Admin configures the operators' listener, apart from the webhooks.
	Admin Admin `yaml:"admin"`
	// Queue configures the job queue.
	Queue Queue `yaml:"queue"`
	// Connectors are the configured help desks, each with a unique name.
	Connectors []Connector `yaml:"connectors"`
	// LLM is the OpenAI-compatible API the model-backed components share;
	// each may override any of it in its own section.
	LLM LLM `yaml:"llm"`
	// Classify chooses the classifiers, configures each (classify.<name>)
	// and how their predictions merge (decoded by cmd/heard with the
	// classify registry; see docs/configuration.md).
	Classify Section `yaml:"classify"`
	// Draft chooses the reply drafter and configures it (draft.<name>).
	Draft Section `yaml:"draft"`
	// KB configures the knowledge base: its embedder (embed.<name>) and
	// the lowest score a match needs.
	KB Section `yaml:"kb"`
	// Triage is the support policy: churn, SLA, routing, gating (decoded
	// by package enrich; defaults are in docs/policy.md).
	Triage Section `yaml:"triage"`
	// Plugins enables installed plugins per connector with their settings
	// (decoded by package plugins; see docs/plugins.md).
	Plugins Section `yaml:"plugins"`
	// Alerts configures the alert rules and their webhooks (decoded by
	// package internal/alerts; see docs/configuration.md).
	Alerts Section `yaml:"alerts"`
}

// Webhooks configures the webhook receiver.
type Webhooks struct {
	// MaxBodyBytes caps a webhook request body. Default 1 MiB.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxConcurrent caps the webhook requests in progress; more are
	// answered 503 with Retry-After. Default 256.
	MaxConcurrent int `yaml:"max_concurrent"`
	// MaxBufferedBytes caps the body bytes all webhook requests in progress
	// hold together; a request that does not fit is answered 503 with
	// Retry-After. Default 64 MiB; at least max_body_bytes.
	MaxBufferedBytes int64 `yaml:"max_buffered_bytes"`
	// TrustedProxies are the IP addresses or CIDRs of the reverse proxies
	// in front of heard; only from them is X-Forwarded-For believed for
	// the client address heard logs. Default none.
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Where Admin.Metrics serves /metrics.
const (
	MetricsOnMain  = "main"  // on Listen, with the webhooks
	MetricsOnAdmin = "admin" // on Admin.Listen only
)

// Admin configures the operators' listener.
type Admin struct {
	// Listen is the admin listener's host:port, e.g. "127.0.0.1:8081".
	// Empty (the default) means no admin listener.
	Listen string `yaml:"listen"`
	// Metrics is where /metrics is served: MetricsOnAdmin or
	// MetricsOnMain. Default MetricsOnAdmin when Listen is set, else
	// MetricsOnMain.
	Metrics string `yaml:"metrics"`
	// Console configures the admin console on Listen.
	Console Console `yaml:"console"`
}

// Queue configures the job queue that runs enrichment and write-back.
type Queue struct {
	// Workers is the number of concurrent jobs. Default 128.
	Workers int `yaml:"workers"`
	// MaxAttempts is how often a job runs before it is dead. Default 24:
	// with the default backoff a job outlives a vendor outage of over an hour.
	MaxAttempts int `yaml:"max_attempts"`
	// RetryBase is the exponential backoff base. Default 1s.
	RetryBase Duration `yaml:"retry_base"`
	// RetryMax caps the backoff. Default 10m.
	RetryMax Duration `yaml:"retry_max"`
	// JobTimeout bounds one job attempt. Default 2m.
	JobTimeout Duration `yaml:"job_timeout"`
	// ShutdownTimeout bounds the graceful drain on SIGTERM. Default 30s.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	// OrphanAfter is how long a running job's lease may go unrenewed (its
	// process died, or its worker lost the database) before the job is
	// requeued. Default 30s.
	OrphanAfter Duration `yaml:"orphan_after"`
	// FetchCooldown is the least time between two fetches of queued jobs.
	// Default 2ms.
	FetchCooldown Duration `yaml:"fetch_cooldown"`
}

// Default returns the configuration with every default filled in and no
// connectors.
func Default() Config {
	var c Config
	c.fillDefaults()
	return c
}

// fillDefaults sets every zero-valued field to its default.
func (c *Config) fillDefaults() {
	setDefault(&c.Listen, ":8080")
	setDefault(&c.DataDir, "./heard-data")
	setDefault(&c.LogLevel, "info")
	setDefault(&c.LogFormat, "text")
	setDefault(&c.Webhooks.MaxBodyBytes, 1<<20)
	setDefault(&c.Webhooks.MaxConcurrent, 256)
	setDefault(&c.Webhooks.MaxBufferedBytes, 64<<20)
	if c.Admin.Console.Enabled {
		setDefault(&c.Admin.Listen, DefaultAdminListen)
	}
	setDefault(&c.Admin.Console.SessionTTL, Duration(12*time.Hour))
	if c.Admin.Listen != "" {
		setDefault(&c.Admin.Metrics, MetricsOnAdmin)
	}
	setDefault(&c.Admin.Metrics, MetricsOnMain)
	setDefault(&c.Queue.Workers, 128)
	setDefault(&c.Queue.MaxAttempts, 24)
	setDefault(&c.Queue.RetryBase, Duration(time.Second))
	setDefault(&c.Queue.RetryMax, Duration(10*time.Minute))
	setDefault(&c.Queue.JobTimeout, Duration(2*time.Minute))
	setDefault(&c.Queue.ShutdownTimeout, Duration(30*time.Second))
	setDefault(&c.Queue.OrphanAfter, Duration(30*time.Second))
	setDefault(&c.Queue.FetchCooldown, Duration(20*time.Millisecond))
	for i := range c.Connectors {
		setDefault(&c.Connectors[i].Mode, ModeShadow)
	}
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

// Store reports which store the configuration selects: StorePostgres when
// DatabaseURL is set, StoreSQLite otherwise.
func (c Config) Store() string {
	if c.DatabaseURL != "" {
		return StorePostgres
	}
	return StoreSQLite
}

// Validate reports every problem in c, joined with errors.Join, or nil.
// Secret values never appear in its messages.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if err := checkListen(c.Listen); err != nil {
		add("listen %q: %w", c.Listen, err)
	}
	if c.Store() == StoreSQLite && c.DataDir == "" {
		add("data_dir: must not be empty when database_url is unset")
	}
	if u := c.DatabaseURL.Reveal(); u != "" && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		add("database_url: must start with postgres:// or postgresql://")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add("log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		add("log_format %q: want text or json", c.LogFormat)
	}
	if c.Webhooks.MaxBodyBytes <= 0 {
		add("webhooks.max_body_bytes: got %d, want > 0", c.Webhooks.MaxBodyBytes)
	}
	if c.Webhooks.MaxConcurrent <= 0 {
		add("webhooks.max_concurrent: got %d, want > 0", c.Webhooks.MaxConcurrent)
	}
	if c.Webhooks.MaxBufferedBytes < c.Webhooks.MaxBodyBytes {
		add("webhooks.max_buffered_bytes: got %d, want at least max_body_bytes (%d)", c.Webhooks.MaxBufferedBytes, c.Webhooks.MaxBodyBytes)
	}
	for i, p := range c.Webhooks.TrustedProxies {
		if !validProxy(p) {
			add("webhooks.trusted_proxies[%d] %.64q: want an IP address or a CIDR such as 10.0.0.0/8", i, p)
		}
	}
	errs = append(errs, c.Admin.validate(c.Listen)...)
	if c.Queue.Workers <= 0 {
		add("queue.workers: got %d, want > 0", c.Queue.Workers)
	}
	if c.Queue.MaxAttempts <= 0 {
		add("queue.max_attempts: got %d, want > 0", c.Queue.MaxAttempts)
	}
	for _, d := range []struct {
		key string
		val Duration
	}{
		{"queue.retry_base", c.Queue.RetryBase},
		{"queue.retry_max", c.Queue.RetryMax},
		{"queue.job_timeout", c.Queue.JobTimeout},
		{"queue.shutdown_timeout", c.Queue.ShutdownTimeout},
		{"queue.orphan_after", c.Queue.OrphanAfter},
		{"queue.fetch_cooldown", c.Queue.FetchCooldown},
	} {
		if d.val <= 0 {
			add("%s: got %s, want > 0", d.key, d.val)
		}
	}
	if c.Queue.RetryBase > 0 && c.Queue.RetryMax > 0 && c.Queue.RetryMax < c.Queue.RetryBase {
		add("queue.retry_max (%s) is less than queue.retry_base (%s)", c.Queue.RetryMax, c.Queue.RetryBase)
	}
	errs = append(errs, c.LLM.validate()...)
	first := make(map[string]int, len(c.Connectors))
	for i, cn := range c.Connectors {
		at := cn.where(i)
		if cn.Name == "" {
			add("%s: name is required", at)
		} else if !validName(cn.Name) {
			add("%s: name %q: must match ^[a-z0-9][a-z0-9_-]*$", at, cn.Name)
		} else if j, dup := first[cn.Name]; dup {
			add("%s: duplicate name %q (first used by connectors[%d])", at, cn.Name, j)
		} else {
			first[cn.Name] = i
		}
		if cn.Type == "" {
			add("%s: type is required", at)
		}
		if !cn.Mode.Valid() {
			add("%s: mode %q: want shadow or live", at, cn.Mode)
		}
	}
	return errors.Join(errs...)
}

// checkListen accepts host:port with a numeric port; the host may be empty.
func checkListen(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("want host:port: %w", err)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q: want a number from 0 to 65535", port)
	}
	return nil
}

// validName reports whether s matches ^[a-z0-9][a-z0-9_-]*$.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// validProxy reports whether s is an IP address or a CIDR.
func validProxy(s string) bool {
	if _, err := netip.ParsePrefix(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// validate checks the admin section; listen is the main listener's address.
func (a Admin) validate(listen string) []error {
	var errs []error
	if a.Listen != "" {
		if err := checkListen(a.Listen); err != nil {
			errs = append(errs, fmt.Errorf("admin.listen %q: %w", a.Listen, err))
		} else if _, port, _ := net.SplitHostPort(a.Listen); a.Listen == listen && port != "0" {
			errs = append(errs, fmt.Errorf("admin.listen %q: must differ from listen", a.Listen))
		}
	}
	switch a.Metrics {
	case MetricsOnMain:
	case MetricsOnAdmin:
		if a.Listen == "" {
			errs = append(errs, errors.New("admin.metrics: admin needs admin.listen (e.g. 127.0.0.1:8081)"))
		}
	default:
		errs = append(errs, fmt.Errorf("admin.metrics %q: want admin or main", a.Metrics))
	}
	return append(errs, a.Console.validate(a.Listen)...)
}
