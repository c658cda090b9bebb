package plugins

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// SectionName is the config key this package decodes: `plugins:`.
const SectionName = "plugins"

// Config is the `plugins:` section of heard's config:
//
//	plugins:
//	  call_timeout: 5s
//	  enabled:
//	    - name: vip                   # catalog name (heard plugin list)
//	      connectors: [acme-zendesk]  # empty: every connector
//	      trusted: false              # true: unredacted tickets
//	      settings:                   # passed to the plugin as JSON
//	        vip_domains: [bigco.example]
//
// Plugins that are installed but not enabled never run.
type Config struct {
	// Enabled are the plugins heard runs, each as its own process.
	Enabled []Enabled `yaml:"enabled"`
	// CallTimeout bounds one call into a plugin. Default 5s.
	CallTimeout config.Duration `yaml:"call_timeout"`
	// StartTimeout bounds launching a plugin: handshake, info and
	// configure. Default 10s.
	StartTimeout config.Duration `yaml:"start_timeout"`
	// FailureThreshold is how many consecutive failures (crashes, panics,
	// timeouts, failed starts) open a plugin's circuit. Default 3.
	FailureThreshold int `yaml:"failure_threshold"`
	// Cooldown is how long an open circuit skips the plugin the first
	// time; it doubles on each reopening up to MaxBackoff. Default 30s.
	Cooldown config.Duration `yaml:"cooldown"`
	// RestartBackoff is the delay before the second restart in a row of a
	// crashed plugin (the first is immediate); it doubles per restart up
	// to MaxBackoff. Default 250ms.
	RestartBackoff config.Duration `yaml:"restart_backoff"`
	// MaxBackoff caps Cooldown and RestartBackoff growth. Default 5m.
	MaxBackoff config.Duration `yaml:"max_backoff"`
	// MaxProcs is passed to Go plugins as GOMAXPROCS: how many CPUs one
	// plugin process may run Go code on at once. Default 1, which suits
	// plugins that look things up or call out, keeps a busy plugin from
	// competing with heard for every core, and halves a call's latency on
	// small machines (fewer thread wake-ups per call). 0 leaves Go's own
	// default (every CPU the process may use). Other languages ignore it.
	MaxProcs int `yaml:"max_procs"`
}

// Enabled turns one installed plugin on.
type Enabled struct {
	// Name is the plugin's catalog name.
	Name string `yaml:"name"`
	// ID attributes the plugin's predictions and facts. Default
	// "plugin.<name>". Set it to run one plugin twice with different
	// settings.
	ID string `yaml:"id"`
	// Connectors limits the plugin to these configured connectors; empty
	// means every connector. Connector plugins must list the connectors
	// they implement (each with `type: plugin` under connectors:).
	Connectors []string `yaml:"connectors"`
	// Settings are passed to the plugin's Configure as a JSON object.
	// ${ENV} references are expanded like anywhere in the config, so
	// secrets reach the plugin without it inheriting heard's environment.
	Settings map[string]any `yaml:"settings"`
	// Timeout overrides CallTimeout for this plugin.
	Timeout config.Duration `yaml:"timeout"`
	// MaxProcs overrides the section's MaxProcs for this plugin; raise it
	// for a plugin that computes a lot (a local model).
	MaxProcs *int `yaml:"max_procs"`
	// Trusted gives the plugin the ticket as the help desk has it: text
	// not redacted, the requester's name and e-mail address. Default
	// false: the plugin sees what the LLM sees, personal data replaced by
	// placeholders.
	Trusted bool `yaml:"trusted"`
}

// instanceID returns the enabled plugin's ID.
func (e Enabled) instanceID() string {
	if e.ID != "" {
		return e.ID
	}
	return "plugin." + e.Name
}

// DefaultConfig returns the defaults, with nothing enabled.
func DefaultConfig() Config {
	return Config{
		CallTimeout:      config.Duration(5 * time.Second),
		StartTimeout:     config.Duration(10 * time.Second),
		FailureThreshold: 3,
		Cooldown:         config.Duration(30 * time.Second),
		RestartBackoff:   config.Duration(250 * time.Millisecond),
		MaxBackoff:       config.Duration(5 * time.Minute),
		MaxProcs:         1,
	}
}

// DecodeConfig decodes the `plugins:` section strictly over the defaults
// and validates it. An absent section enables nothing.
func DecodeConfig(sec config.Section) (Config, error) {
	c := DefaultConfig()
	if err := sec.Decode(SectionName, &c); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate reports every problem in c.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, d := range []struct {
		key string
		val config.Duration
	}{
		{"call_timeout", c.CallTimeout}, {"start_timeout", c.StartTimeout}, {"cooldown", c.Cooldown},
		{"restart_backoff", c.RestartBackoff}, {"max_backoff", c.MaxBackoff},
	} {
		if d.val <= 0 {
			add("plugins.%s: got %s, want > 0", d.key, d.val)
		}
	}
	if c.FailureThreshold <= 0 {
		add("plugins.failure_threshold: got %d, want > 0", c.FailureThreshold)
	}
	if c.MaxProcs < 0 {
		add("plugins.max_procs: got %d, want >= 0 (0: every CPU)", c.MaxProcs)
	}
	ids := map[string]int{}
	for i, e := range c.Enabled {
		at := fmt.Sprintf("plugins.enabled[%d]", i)
		if !ValidName(e.Name) {
			add("%s: name %q: must match ^[a-z0-9][a-z0-9_-]*$", at, e.Name)
		}
		id := e.instanceID()
		if j, dup := ids[id]; dup {
			add("%s: id %q is already used by plugins.enabled[%d]; give one of them its own id", at, id, j)
		}
		ids[id] = i
		if e.Timeout < 0 {
			add("%s: timeout: got %s, want > 0", at, e.Timeout)
		}
		if e.MaxProcs != nil && *e.MaxProcs < 0 {
			add("%s: max_procs: got %d, want >= 0 (0: every CPU)", at, *e.MaxProcs)
		}
		if _, err := json.Marshal(e.Settings); err != nil {
			add("%s: settings cannot be passed as JSON: %v", at, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}
