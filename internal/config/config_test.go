package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestDefault(t *testing.T) {
	want := Config{
		Listen:    ":8080",
		DataDir:   "./heard-data",
		LogLevel:  "info",
		LogFormat: "text",
		Webhooks:  Webhooks{MaxBodyBytes: 1 << 20, MaxConcurrent: 256, MaxBufferedBytes: 64 << 20},
		Admin:     Admin{Metrics: MetricsOnMain, Console: Console{SessionTTL: Duration(12 * time.Hour)}},
		Queue: Queue{
			Workers:         128,
			MaxAttempts:     24,
			RetryBase:       Duration(time.Second),
			RetryMax:        Duration(10 * time.Minute),
			JobTimeout:      Duration(2 * time.Minute),
			ShutdownTimeout: Duration(30 * time.Second),
			OrphanAfter:     Duration(30 * time.Second),
			FetchCooldown:   Duration(20 * time.Millisecond),
		},
	}
	got := Default()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Default():\ngot  %+v\nwant %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
	if s := got.Store(); s != StoreSQLite {
		t.Errorf("Default().Store() = %q, want %q", s, StoreSQLite)
	}
}

func TestLoadNoFile(t *testing.T) {
	got, err := Load("", env(nil))
	if err != nil {
		t.Fatalf("Load(\"\") error: %v", err)
	}
	if want := Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("Load(\"\"):\ngot  %+v\nwant %+v", got, want)
	}
}

func TestLoadEmptyFile(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"empty", ""},
		{"comments only", "# nothing here\n"},
		{"empty document", "---\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Load(writeFile(t, tc.content), env(nil))
			if err != nil {
				t.Fatalf("Load error: %v", err)
			}
			if want := Default(); !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want defaults %+v", got, want)
			}
		})
	}
}

func TestEnvFields(t *testing.T) {
	var got []string
	for _, f := range envFields() {
		got = append(got, f.name)
	}
	want := []string{
		"HEARD_LISTEN", "HEARD_DATA_DIR", "HEARD_DATABASE_URL", "HEARD_LOG_LEVEL", "HEARD_LOG_FORMAT",
		"HEARD_WEBHOOKS_MAX_BODY_BYTES", "HEARD_WEBHOOKS_MAX_CONCURRENT", "HEARD_WEBHOOKS_MAX_BUFFERED_BYTES", "HEARD_ADMIN_LISTEN", "HEARD_ADMIN_METRICS",
		"HEARD_ADMIN_CONSOLE_ENABLED", "HEARD_ADMIN_CONSOLE_TOKEN", "HEARD_ADMIN_CONSOLE_USERNAME", "HEARD_ADMIN_CONSOLE_PASSWORD_HASH",
		"HEARD_ADMIN_CONSOLE_PROXY_HEADER", "HEARD_ADMIN_CONSOLE_SESSION_TTL",
		"HEARD_QUEUE_WORKERS", "HEARD_QUEUE_MAX_ATTEMPTS", "HEARD_QUEUE_RETRY_BASE", "HEARD_QUEUE_RETRY_MAX",
		"HEARD_QUEUE_JOB_TIMEOUT", "HEARD_QUEUE_SHUTDOWN_TIMEOUT", "HEARD_QUEUE_ORPHAN_AFTER",
		"HEARD_QUEUE_FETCH_COOLDOWN",
		"HEARD_LLM_BASE_URL", "HEARD_LLM_API_KEY", "HEARD_LLM_MODELS_CHAT", "HEARD_LLM_MODELS_EMBEDDING",
		"HEARD_LLM_TIMEOUT", "HEARD_LLM_MAX_RETRIES",
	}
	if !slices.Equal(got, want) {
		t.Errorf("envFields():\ngot  %q\nwant %q", got, want)
	}
}

func TestLoadEnvOverride(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		value string
		check func(Config) (got, want any)
	}{
		{"listen", "HEARD_LISTEN", "127.0.0.1:9090", func(c Config) (any, any) { return c.Listen, "127.0.0.1:9090" }},
		{"data dir", "HEARD_DATA_DIR", "/var/lib/heard", func(c Config) (any, any) { return c.DataDir, "/var/lib/heard" }},
		{"database url", "HEARD_DATABASE_URL", "postgres://u:p@db/heard", func(c Config) (any, any) {
			return c.DatabaseURL, sdk.Secret("postgres://u:p@db/heard")
		}},
		{"log level", "HEARD_LOG_LEVEL", "debug", func(c Config) (any, any) { return c.LogLevel, "debug" }},
		{"log format", "HEARD_LOG_FORMAT", "json", func(c Config) (any, any) { return c.LogFormat, "json" }},
		{"max body bytes", "HEARD_WEBHOOKS_MAX_BODY_BYTES", "2048", func(c Config) (any, any) { return c.Webhooks.MaxBodyBytes, int64(2048) }},
		{"max concurrent", "HEARD_WEBHOOKS_MAX_CONCURRENT", "32", func(c Config) (any, any) { return c.Webhooks.MaxConcurrent, 32 }},
		{"max buffered bytes", "HEARD_WEBHOOKS_MAX_BUFFERED_BYTES", "8388608", func(c Config) (any, any) { return c.Webhooks.MaxBufferedBytes, int64(8 << 20) }},
		{"admin listen", "HEARD_ADMIN_LISTEN", "127.0.0.1:9091", func(c Config) (any, any) { return c.Admin.Listen, "127.0.0.1:9091" }},
		// The file sets admin.listen, so metrics default to admin there.
		{"admin metrics", "HEARD_ADMIN_METRICS", "main", func(c Config) (any, any) { return c.Admin.Metrics, MetricsOnMain }},
		{"console enabled", "HEARD_ADMIN_CONSOLE_ENABLED", "true", func(c Config) (any, any) { return c.Admin.Console.Enabled, true }},
		{"console token", "HEARD_ADMIN_CONSOLE_TOKEN", "0123456789abcdef", func(c Config) (any, any) {
			return c.Admin.Console.Token, sdk.Secret("0123456789abcdef")
		}},
		{"console username", "HEARD_ADMIN_CONSOLE_USERNAME", "ann", func(c Config) (any, any) { return c.Admin.Console.Username, "ann" }},
		{"console password hash", "HEARD_ADMIN_CONSOLE_PASSWORD_HASH", "$2a$10$abcdefghijklmnopqrstuu5WwZ0pnrwYkyMyXf0qNmeJmC8YQvU5W", func(c Config) (any, any) {
			return c.Admin.Console.PasswordHash, sdk.Secret("$2a$10$abcdefghijklmnopqrstuu5WwZ0pnrwYkyMyXf0qNmeJmC8YQvU5W")
		}},
		{"console proxy header", "HEARD_ADMIN_CONSOLE_PROXY_HEADER", "X-Forwarded-User", func(c Config) (any, any) {
			return c.Admin.Console.ProxyHeader, "X-Forwarded-User"
		}},
		{"console session ttl", "HEARD_ADMIN_CONSOLE_SESSION_TTL", "2h", func(c Config) (any, any) { return c.Admin.Console.SessionTTL, Duration(2 * time.Hour) }},
		{"workers", "HEARD_QUEUE_WORKERS", "3", func(c Config) (any, any) { return c.Queue.Workers, 3 }},
		{"max attempts", "HEARD_QUEUE_MAX_ATTEMPTS", "4", func(c Config) (any, any) { return c.Queue.MaxAttempts, 4 }},
		{"retry base", "HEARD_QUEUE_RETRY_BASE", "250ms", func(c Config) (any, any) { return c.Queue.RetryBase, Duration(250 * time.Millisecond) }},
		{"retry max", "HEARD_QUEUE_RETRY_MAX", "1h", func(c Config) (any, any) { return c.Queue.RetryMax, Duration(time.Hour) }},
		{"job timeout", "HEARD_QUEUE_JOB_TIMEOUT", "45s", func(c Config) (any, any) { return c.Queue.JobTimeout, Duration(45 * time.Second) }},
		{"shutdown timeout", "HEARD_QUEUE_SHUTDOWN_TIMEOUT", "1m30s", func(c Config) (any, any) {
			return c.Queue.ShutdownTimeout, Duration(90 * time.Second)
		}},
		{"orphan after", "HEARD_QUEUE_ORPHAN_AFTER", "12s", func(c Config) (any, any) { return c.Queue.OrphanAfter, Duration(12 * time.Second) }},
		{"fetch cooldown", "HEARD_QUEUE_FETCH_COOLDOWN", "20ms", func(c Config) (any, any) { return c.Queue.FetchCooldown, Duration(20 * time.Millisecond) }},
		{"llm base url", "HEARD_LLM_BASE_URL", "http://localhost:11434/v1", func(c Config) (any, any) { return c.LLM.BaseURL, "http://localhost:11434/v1" }},
		{"llm api key", "HEARD_LLM_API_KEY", "sk-test", func(c Config) (any, any) { return c.LLM.APIKey, sdk.Secret("sk-test") }},
		{"llm chat model", "HEARD_LLM_MODELS_CHAT", "gpt-4o-mini", func(c Config) (any, any) { return c.LLM.Models.Chat, "gpt-4o-mini" }},
		{"llm embedding model", "HEARD_LLM_MODELS_EMBEDDING", "nomic-embed-text", func(c Config) (any, any) { return c.LLM.Models.Embedding, "nomic-embed-text" }},
		{"llm timeout", "HEARD_LLM_TIMEOUT", "20s", func(c Config) (any, any) { return c.LLM.Timeout, Duration(20 * time.Second) }},
		{"llm max retries", "HEARD_LLM_MAX_RETRIES", "5", func(c Config) (any, any) { return c.LLM.MaxRetries, 5 }},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.key] = true
		t.Run(tc.name, func(t *testing.T) {
			// The file sets a different value; the environment wins.
			path := writeFile(t, "listen: \":7000\"\nadmin:\n  listen: 127.0.0.1:7001\nqueue:\n  workers: 2\n")
			c, err := Load(path, env(map[string]string{tc.key: tc.value}))
			if err != nil {
				t.Fatalf("Load with %s=%s: %v", tc.key, tc.value, err)
			}
			if got, want := tc.check(c); got != want {
				t.Errorf("with %s=%s: got %v, want %v", tc.key, tc.value, got, want)
			}
		})
	}
	for _, f := range envFields() {
		if !covered[f.name] {
			t.Errorf("override %s has no test case", f.name)
		}
	}
}

func TestLoadEnvBadValue(t *testing.T) {
	tests := []struct {
		name, key, value string
		want             []string
	}{
		{"int", "HEARD_QUEUE_WORKERS", "many", []string{"HEARD_QUEUE_WORKERS", `invalid integer "many"`}},
		{"int64 overflow", "HEARD_WEBHOOKS_MAX_BODY_BYTES", "99999999999999999999", []string{"HEARD_WEBHOOKS_MAX_BODY_BYTES", "out of range"}},
		{"duration without unit", "HEARD_QUEUE_RETRY_BASE", "30", []string{"HEARD_QUEUE_RETRY_BASE", "invalid duration", "missing unit"}},
		{"negative after parsing", "HEARD_QUEUE_MAX_ATTEMPTS", "-1", []string{"queue.max_attempts", "got -1"}},
		{"bad enum", "HEARD_LOG_LEVEL", "loud", []string{`log_level "loud"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("", env(map[string]string{tc.key: tc.value}))
			wantErrContains(t, err, tc.want...)
		})
	}
}

func TestValidate(t *testing.T) {
	conn := func(name, typ string, mode Mode) Connector { return Connector{Name: name, Type: typ, Mode: mode} }
	tests := []struct {
		name   string
		modify func(*Config)
		want   []string // substrings; nil means valid
	}{
		{"defaults", func(*Config) {}, nil},
		{"listen with host", func(c *Config) { c.Listen = "127.0.0.1:80" }, nil},
		{"listen ipv6", func(c *Config) { c.Listen = "[::1]:8080" }, nil},
		{"listen without port", func(c *Config) { c.Listen = "localhost" }, []string{`listen "localhost"`, "host:port"}},
		{"listen named port", func(c *Config) { c.Listen = ":http" }, []string{`port "http"`}},
		{"listen port too big", func(c *Config) { c.Listen = ":70000" }, []string{`port "70000"`}},
		{"postgres url", func(c *Config) { c.DatabaseURL = "postgresql://db/heard" }, nil},
		{"bad database url", func(c *Config) { c.DatabaseURL = "mysql://root:hunter2@db" }, []string{"database_url: must start with postgres://"}},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, []string{`log_format "xml"`}},
		{"zero workers", func(c *Config) { c.Queue.Workers = 0 }, []string{"queue.workers: got 0, want > 0"}},
		{"negative body", func(c *Config) { c.Webhooks.MaxBodyBytes = -1 }, []string{"webhooks.max_body_bytes"}},
		{"no concurrency", func(c *Config) { c.Webhooks.MaxConcurrent = -1 }, []string{"webhooks.max_concurrent"}},
		{"buffer below one body", func(c *Config) { c.Webhooks.MaxBufferedBytes = 1024 }, []string{"webhooks.max_buffered_bytes"}},
		{"negative timeout", func(c *Config) { c.Queue.JobTimeout = Duration(-time.Second) }, []string{"queue.job_timeout: got -1s"}},
		{"retry max below base", func(c *Config) { c.Queue.RetryMax = Duration(time.Millisecond) }, []string{"queue.retry_max (1ms) is less than queue.retry_base (1s)"}},
		{"trusted proxies", func(c *Config) { c.Webhooks.TrustedProxies = []string{"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"} }, nil},
		{"bad trusted proxy", func(c *Config) { c.Webhooks.TrustedProxies = []string{"10.0.0.0/8", "proxy.internal"} }, []string{`webhooks.trusted_proxies[1] "proxy.internal": want an IP address or a CIDR`}},
		{"admin listener with metrics", func(c *Config) { c.Admin = Admin{Listen: "127.0.0.1:8081", Metrics: MetricsOnAdmin} }, nil},
		{"admin listener, metrics kept on main", func(c *Config) { c.Admin = Admin{Listen: "127.0.0.1:8081", Metrics: MetricsOnMain} }, nil},
		{"metrics on admin without a listener", func(c *Config) { c.Admin.Metrics = MetricsOnAdmin }, []string{"admin.metrics: admin needs admin.listen"}},
		{"bad metrics place", func(c *Config) { c.Admin.Metrics = "both" }, []string{`admin.metrics "both": want admin or main`}},
		{"bad admin listen", func(c *Config) { c.Admin.Listen = "localhost" }, []string{`admin.listen "localhost"`}},
		{"admin listen same as listen", func(c *Config) { c.Admin.Listen = c.Listen }, []string{`admin.listen ":8080": must differ from listen`}},
		{"console on loopback without auth", func(c *Config) { c.Admin.Listen, c.Admin.Console.Enabled = "127.0.0.1:8081", true }, nil},
		{"console on public address without auth", func(c *Config) { c.Admin.Listen, c.Admin.Console.Enabled = "0.0.0.0:8081", true },
			[]string{`admin.console: admin.listen "0.0.0.0:8081" is not a loopback address`}},
		{"console on all interfaces without auth", func(c *Config) { c.Admin.Listen, c.Admin.Console.Enabled = ":8081", true },
			[]string{`admin.listen ":8081" is not a loopback address`}},
		{"console on public address with a token", func(c *Config) {
			c.Admin.Listen, c.Admin.Console.Enabled, c.Admin.Console.Token = "0.0.0.0:8081", true, "0123456789abcdef"
		}, nil},
		{"console token too short", func(c *Config) {
			c.Admin.Listen, c.Admin.Console.Enabled, c.Admin.Console.Token = "127.0.0.1:8081", true, "hunter2"
		}, []string{"admin.console.token: want at least 16 characters"}},
		{"console username without hash", func(c *Config) {
			c.Admin.Listen, c.Admin.Console.Enabled, c.Admin.Console.Username = "127.0.0.1:8081", true, "ann"
		}, []string{"admin.console: username and password_hash go together"}},
		{"console hash not bcrypt", func(c *Config) {
			c.Admin.Listen, c.Admin.Console.Enabled, c.Admin.Console.Username, c.Admin.Console.PasswordHash = "127.0.0.1:8081", true, "ann", "plaintext"
		}, []string{"admin.console.password_hash: want a bcrypt hash"}},
		{"console proxy header without addresses", func(c *Config) {
			c.Admin.Listen, c.Admin.Console.Enabled, c.Admin.Console.ProxyHeader = "127.0.0.1:8081", true, "X-User"
		}, []string{"admin.console.proxy_header: needs admin.console.proxy_addresses"}},
		{"console bad proxy address", func(c *Config) {
			c.Admin.Listen, c.Admin.Console.Enabled, c.Admin.Console.ProxyHeader = "127.0.0.1:8081", true, "X-User"
			c.Admin.Console.ProxyAddresses = []string{"10.0.0.1", "proxy"}
		}, []string{`admin.console.proxy_addresses[1] "proxy": want an IP address or CIDR`}},
		{"good connectors", func(c *Config) {
			c.Connectors = []Connector{conn("acme-zendesk", "zendesk", ModeShadow), conn("b_2", "freshdesk", ModeLive)}
		}, nil},
		{"bad mode", func(c *Config) { c.Connectors = []Connector{conn("acme", "zendesk", "dry-run")} }, []string{`connectors[0]: mode "dry-run": want shadow or live`}},
		{"uppercase name", func(c *Config) { c.Connectors = []Connector{conn("Acme", "zendesk", ModeShadow)} }, []string{`connectors[0]: name "Acme": must match`}},
		{"name starts with dash", func(c *Config) { c.Connectors = []Connector{conn("-acme", "zendesk", ModeShadow)} }, []string{`name "-acme"`}},
		{"name with slash", func(c *Config) { c.Connectors = []Connector{conn("a/b", "zendesk", ModeShadow)} }, []string{`name "a/b"`}},
		{"missing name and type", func(c *Config) { c.Connectors = []Connector{conn("", "", ModeShadow)} }, []string{"connectors[0]: name is required", "connectors[0]: type is required"}},
		{"duplicate names", func(c *Config) {
			c.Connectors = []Connector{conn("acme", "zendesk", ModeShadow), conn("other", "zendesk", ModeShadow), conn("acme", "freshdesk", ModeLive)}
		}, []string{`connectors[2]: duplicate name "acme" (first used by connectors[0])`}},
		{"all problems reported", func(c *Config) {
			c.Listen = "nope"
			c.LogLevel = "trace"
			c.Connectors = []Connector{conn("x", "zendesk", "")}
		}, []string{`listen "nope"`, `log_level "trace"`, `mode ""`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.modify(&c)
			err := c.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantErrContains(t, err, tc.want...)
		})
	}
}

func TestValidateHidesDatabaseURL(t *testing.T) {
	c := Default()
	c.DatabaseURL = "mysql://root:hunter2@db"
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want an error")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q reveals the database URL", err)
	}
}

func TestAdminMetricsDefault(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"no admin listener: metrics stay on the main listener", "", MetricsOnMain},
		{"admin listener: metrics move there", "admin:\n  listen: 127.0.0.1:8081\n", MetricsOnAdmin},
		{"admin listener, metrics kept on main", "admin:\n  listen: 127.0.0.1:8081\n  metrics: main\n", MetricsOnMain},
		{"console enabled: listener defaults to loopback, metrics move there", "admin:\n  console:\n    enabled: true\n", MetricsOnAdmin},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(writeFile(t, "listen: \":7000\"\n"+tc.yaml), env(nil))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.Admin.Metrics != tc.want {
				t.Errorf("admin.metrics = %q, want %q", c.Admin.Metrics, tc.want)
			}
		})
	}
}

func TestStore(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  sdk.Secret
		want string
	}{
		{"embedded", "", StoreSQLite},
		{"postgres", "postgres://db/heard", StorePostgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			c.DatabaseURL = tc.url
			if got := c.Store(); got != tc.want {
				t.Errorf("Store() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	path := writeFile(t, `listen: "127.0.0.1:9000"
data_dir: /data
database_url: postgres://heard@db/heard
log_level: warn
log_format: json
webhooks:
  max_body_bytes: 4096
queue:
  workers: 2
  retry_base: 500ms
connectors:
  - name: acme-zendesk
    type: zendesk
    subdomain: acme
  - name: live-one
    type: freshdesk
    mode: live
`)
	c, err := Load(path, env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"listen", c.Listen, "127.0.0.1:9000"},
		{"data_dir", c.DataDir, "/data"},
		{"store", c.Store(), StorePostgres},
		{"log_level", c.LogLevel, "warn"},
		{"log_format", c.LogFormat, "json"},
		{"max_body_bytes", c.Webhooks.MaxBodyBytes, int64(4096)},
		{"workers", c.Queue.Workers, 2},
		{"retry_base", c.Queue.RetryBase, Duration(500 * time.Millisecond)},
		{"retry_max default", c.Queue.RetryMax, Duration(10 * time.Minute)},
		{"max_attempts default", c.Queue.MaxAttempts, 24},
		{"connectors", len(c.Connectors), 2},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if len(c.Connectors) != 2 {
		t.FailNow()
	}
	for i, want := range []Connector{
		{Name: "acme-zendesk", Type: "zendesk", Mode: ModeShadow},
		{Name: "live-one", Type: "freshdesk", Mode: ModeLive},
	} {
		got := c.Connectors[i]
		if got.Name != want.Name || got.Type != want.Type || got.Mode != want.Mode {
			t.Errorf("connectors[%d]: got {%s %s %s}, want {%s %s %s}", i, got.Name, got.Type, got.Mode, want.Name, want.Type, want.Mode)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string
	}{
		{"type error with line", "listen: \":1\"\nqueue:\n  workers: lots\n", []string{"heard.yaml:3:", "cannot unmarshal", "lots"}},
		{"bad duration with line", "queue:\n\n  retry_max: 10\n", []string{"heard.yaml:3:", "invalid duration", "missing unit"}},
		{"syntax error with line", "listen: \":1\"\nqueue: [\n", []string{"heard.yaml:2:", "did not find expected node content"}},
		{"duplicate key", "listen: \":1\"\nlisten: \":2\"\n", []string{"heard.yaml:2:", `"listen" already defined at line 1`}},
		{"two documents", "listen: \":1\"\n---\nlisten: \":2\"\n", []string{"heard.yaml:2:", "second YAML document"}},
		{"connector not a mapping", "connectors:\n  - acme\n", []string{"heard.yaml:2:", "connector: want a mapping"}},
		{"duplicate connector names", "connectors:\n  - name: a\n    type: zendesk\n  - name: a\n    type: zendesk\n", []string{"heard.yaml:4: connectors[1]: duplicate name \"a\""}},
		{"bad connector mode", "connectors:\n  - name: a\n    type: zendesk\n    mode: Live\n", []string{"heard.yaml:2: connectors[0]: mode \"Live\""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.content), env(nil))
			wantErrContains(t, err, tc.want...)
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(t.TempDir()+"/nope.yaml", env(nil))
	wantErrContains(t, err, "read config", "nope.yaml")
}

func TestDuration(t *testing.T) {
	d := Duration(90 * time.Second)
	if got, want := d.String(), "1m30s"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := d.Std(), 90*time.Second; got != want {
		t.Errorf("Std() = %v, want %v", got, want)
	}
	text, err := d.MarshalText()
	if err != nil || string(text) != "1m30s" {
		t.Errorf("MarshalText() = %q, %v; want \"1m30s\", nil", text, err)
	}
	var back Duration
	if err := back.UnmarshalText(text); err != nil || back != d {
		t.Errorf("UnmarshalText(%q) = %v, %v; want %v, nil", text, back, err, d)
	}
}
