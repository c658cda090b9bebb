package plugins_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
)

func TestDecodeConfig(t *testing.T) {
	c, err := plugins.DecodeConfig(section(t, `
plugins:
  call_timeout: 2s
  enabled:
    - name: vip
      connectors: [acme-zendesk, acme-intercom]
      timeout: 500ms
      max_procs: 0
      settings:
        plans: {enterprise: P1}
        vip_domains: [bigco.example]
        nested: {list: [1, 2], deep: {ok: true}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.CallTimeout.Std() != 2*time.Second || c.StartTimeout.Std() != 10*time.Second || c.FailureThreshold != 3 || c.MaxProcs != 1 {
		t.Errorf("timeouts and defaults: %+v", c)
	}
	if len(c.Enabled) != 1 || c.Enabled[0].Timeout.Std() != 500*time.Millisecond || len(c.Enabled[0].Connectors) != 2 ||
		c.Enabled[0].MaxProcs == nil || *c.Enabled[0].MaxProcs != 0 {
		t.Errorf("enabled: %+v", c.Enabled)
	}
	if d, ok := c.Enabled[0].Settings["nested"].(map[string]any)["deep"].(map[string]any); !ok || d["ok"] != true {
		t.Errorf("settings: %#v", c.Enabled[0].Settings)
	}

	if c, err := plugins.DecodeConfig(section(t, "other: 1\n")); err != nil || len(c.Enabled) != 0 {
		t.Errorf("absent section = %+v, %v; want the defaults", c, err)
	}
}

func TestDecodeConfigErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"unknown key", "plugins:\n  enabld: []\n", `unknown key "enabld"`},
		{"bad name", "plugins:\n  enabled: [{name: Bad Name}]\n", `name "Bad Name"`},
		{"duplicate id", "plugins:\n  enabled: [{name: vip}, {name: vip}]\n", `id "plugin.vip" is already used`},
		{"zero threshold", "plugins:\n  failure_threshold: -1\n", "failure_threshold"},
		{"bad duration", "plugins:\n  call_timeout: 5\n", "invalid duration"},
		{"negative max_procs", "plugins:\n  enabled: [{name: vip, max_procs: -1}]\n", "max_procs: got -1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := plugins.DecodeConfig(section(t, tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("DecodeConfig = %v; want an error containing %q", err, tc.want)
			}
			if tc.name != "unknown key" && tc.name != "bad duration" && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("DecodeConfig = %v; want ErrInvalid", err)
			}
		})
	}
}
