package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

func TestLoadUnknownKeys(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string
	}{
		{"top level", "listen: \":8080\"\n\nlisen: \":9090\"\n", []string{`heard.yaml:3: unknown key "lisen" (did you mean "listen"?)`}},
		{"nested flow mapping", "listen: \":8080\"\nqueue: {workerz: 3}\n", []string{`heard.yaml:2: unknown key "workerz" (did you mean "workers"?)`}},
		{"nested block mapping", "webhooks:\n  max_body_bytes: 10\n  max_bdy: 3\n", []string{`heard.yaml:3: unknown key "max_bdy"`}},
		{"no suggestion when far", "frobnicate: true\n", []string{`heard.yaml:1: unknown key "frobnicate"`}},
		{"all reported", "a_key: 1\nqueue:\n  b_key: 2\n", []string{`heard.yaml:1: unknown key "a_key"`, `heard.yaml:3: unknown key "b_key"`}},
		{"through an alias", "defaults: &d {workers: 1}\n", []string{`heard.yaml:1: unknown key "defaults"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.content), env(nil))
			wantErrContains(t, err, tc.want...)
		})
	}
}

func TestLoadVendorKeysLeftForDecode(t *testing.T) {
	c, err := Load(writeFile(t, "connectors:\n  - name: a\n    type: zendesk\n    anything_goes: here\n"), env(nil))
	if err != nil {
		t.Fatalf("Load: got %v, want nil: vendor keys are checked by Connector.Decode", err)
	}
	var v struct{}
	wantErrContains(t, c.Connectors[0].Decode(&v), `heard.yaml:4: connector "a": unknown key "anything_goes"`)
}

// vendorRule exercises nested structs inside slices and maps.
type vendorRule struct {
	Match  string   `yaml:"match"`
	Tags   []string `yaml:"tags"`
	Weight float64  `yaml:"weight"`
}

type vendorSettings struct {
	Subdomain             string                `yaml:"subdomain"`
	Email                 string                `yaml:"email"`
	APIToken              sdk.Secret            `yaml:"api_token"`
	WebhookSecret         sdk.Secret            `yaml:"webhook_secret"`
	ReplayWindow          Duration              `yaml:"replay_window"`
	AcceptLegacySignature bool                  `yaml:"accept_legacy_signature"`
	Fields                struct{ Plan string } `yaml:"fields"`
	Rules                 []vendorRule          `yaml:"rules"`
	Named                 map[string]vendorRule `yaml:"named"`
	Limits                *struct {
		PerMinute int `yaml:"per_minute"`
	} `yaml:"limits"`
}

const vendorYAML = `listen: ":8080"
connectors:
  - name: acme-zendesk
    type: zendesk
    subdomain: acme
    email: bot@acme.example
    api_token: ${ZENDESK_API_TOKEN}
    webhook_secret: ${ZENDESK_WEBHOOK_SECRET}
    replay_window: 10m
    accept_legacy_signature: true
    fields: {plan: enterprise}
    rules:
      - match: refund
        tags: [billing, refund]
        weight: 0.5
    named:
      outage: {match: down, tags: [p0]}
    limits:
      per_minute: 60
    mode: live
`

func TestConnectorDecode(t *testing.T) {
	c, err := Load(writeFile(t, vendorYAML), env(map[string]string{
		"ZENDESK_API_TOKEN":      "token-1",
		"ZENDESK_WEBHOOK_SECRET": "secret-2",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	cn := c.Connectors[0]
	if cn.Name != "acme-zendesk" || cn.Type != "zendesk" || cn.Mode != ModeLive {
		t.Errorf("common keys: got {%q %q %q}, want {acme-zendesk zendesk live}", cn.Name, cn.Type, cn.Mode)
	}
	got := vendorSettings{ReplayWindow: Duration(5 * time.Minute), Email: "kept@default"}
	if err := cn.Decode(&got); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := vendorSettings{
		Subdomain:             "acme",
		Email:                 "bot@acme.example",
		APIToken:              "token-1",
		WebhookSecret:         "secret-2",
		ReplayWindow:          Duration(10 * time.Minute),
		AcceptLegacySignature: true,
		Rules:                 []vendorRule{{Match: "refund", Tags: []string{"billing", "refund"}, Weight: 0.5}},
		Named:                 map[string]vendorRule{"outage": {Match: "down", Tags: []string{"p0"}}},
		Limits: &struct {
			PerMinute int `yaml:"per_minute"`
		}{PerMinute: 60},
	}
	want.Fields.Plan = "enterprise"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode:\ngot  %+v\nwant %+v", got, want)
	}

	t.Run("defaults kept for absent keys", func(t *testing.T) {
		c, err := Load(writeFile(t, "connectors:\n  - name: a\n    type: zendesk\n"), env(nil))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		got := vendorSettings{ReplayWindow: Duration(5 * time.Minute)}
		if err := c.Connectors[0].Decode(&got); err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if got.ReplayWindow != Duration(5*time.Minute) {
			t.Errorf("replay_window: got %v, want the preset 5m", got.ReplayWindow)
		}
	})
}

func TestConnectorDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		vendor  string // vendor keys of the connector starting at line 4, indented 4
		want    []string
		notWant string
	}{
		{"unknown key", "subdomian: acme\n", []string{`heard.yaml:4: connector "acme-zendesk": unknown key "subdomian" (did you mean "subdomain"?)`}, ""},
		{"unknown nested in slice", "rules:\n      - match: x\n        wieght: 2\n", []string{`heard.yaml:6: connector "acme-zendesk": unknown key "wieght"`}, ""},
		{"unknown nested in map", "named:\n      a: {match: x, tgs: [y]}\n", []string{`heard.yaml:5: connector "acme-zendesk": unknown key "tgs"`}, ""},
		{"unknown nested in pointer", "limits:\n      per_hour: 1\n", []string{`heard.yaml:5: connector "acme-zendesk": unknown key "per_hour"`}, ""},
		{"bad duration", "replay_window: soon\n", []string{`heard.yaml:4: connector "acme-zendesk": invalid duration`}, ""},
		{"type error", "accept_legacy_signature: maybe\n", []string{`heard.yaml:4: connector "acme-zendesk": cannot unmarshal`}, ""},
		{"secret value not echoed", "api_token: [hunter2]\n", []string{`heard.yaml:4: connector "acme-zendesk"`}, "hunter2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			content := "connectors:\n  - name: acme-zendesk\n    type: zendesk\n    " + tc.vendor
			c, err := Load(writeFile(t, content), env(nil))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var v vendorSettings
			err = c.Connectors[0].Decode(&v)
			wantErrContains(t, err, tc.want...)
			if tc.notWant != "" && err != nil && strings.Contains(err.Error(), tc.notWant) {
				t.Errorf("got error %q, want it not to contain %q", err, tc.notWant)
			}
		})
	}
}

func TestConnectorDecodeArgs(t *testing.T) {
	c, err := Load(writeFile(t, "connectors:\n  - name: a\n    type: zendesk\n"), env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	tests := []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"non-pointer", vendorSettings{}},
		{"nil pointer", (*vendorSettings)(nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErrContains(t, c.Connectors[0].Decode(tc.v), `connector "a"`, "want a non-nil pointer")
		})
	}
	t.Run("built in code", func(t *testing.T) {
		v := vendorSettings{Subdomain: "preset"}
		if err := (Connector{Name: "x", Type: "zendesk"}).Decode(&v); err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if v.Subdomain != "preset" {
			t.Errorf("Subdomain: got %q, want unchanged %q", v.Subdomain, "preset")
		}
	})
}

func TestUnknownKeysWalker(t *testing.T) {
	type inner struct {
		A int `yaml:"a"`
	}
	type withInline struct {
		inner `yaml:",inline"`
		B     string         `yaml:"b"`
		Extra map[string]int `yaml:",inline"`
	}
	type plain struct {
		inner `yaml:",inline"`
		NoTag string
		Skip  string `yaml:"-"`
		Node  yaml.Node
		Any   any `yaml:"any"`
	}
	tests := []struct {
		name string
		typ  reflect.Type
		doc  string
		want []string // unknown keys found
	}{
		{"inline struct and map accept all", reflect.TypeFor[withInline](), "a: 1\nb: x\nc: 3\n", nil},
		{"untagged field lowercased", reflect.TypeFor[plain](), "notag: x\nNoTag: y\n", []string{"NoTag"}},
		{"dash skipped", reflect.TypeFor[plain](), "skip: x\n-: y\n", []string{"skip", "-"}},
		{"yaml.Node and any take anything", reflect.TypeFor[plain](), "node: {x: 1}\nany: {y: 2}\n", nil},
		{"merge keys", reflect.TypeFor[map[string]inner](), "base: &b {a: 1}\nchild:\n  <<: *b\n  z: 2\n", []string{"z"}},
		{"merge of unknown", reflect.TypeFor[map[string]inner](), "base: &b {a: 1, q: 1}\nchild: {<<: [*b]}\n", []string{"q"}},
		{"alias cycle terminates", reflect.TypeFor[[]any](), "&a [*a]\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tc.doc), &n); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, k := range unknownKeys(&n, tc.typ, nil) {
				got = append(got, k.key)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("unknown keys: got %q, want %q", got, tc.want)
			}
		})
	}
}
