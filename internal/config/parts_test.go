package config

import (
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

// defaulted is a struct with its own UnmarshalYAML that decodes a plain
// copy of itself, like enrich/gate's FieldGate.
type defaulted struct {
	Enabled   bool    `yaml:"enabled"`
	Threshold float64 `yaml:"threshold"`
}

func (d *defaulted) UnmarshalYAML(n *yaml.Node) error {
	type plain defaulted
	v := plain{Enabled: true}
	if err := n.Decode(&v); err != nil {
		return err
	}
	*d = defaulted(v)
	return nil
}

func TestSectionParts(t *testing.T) {
	type own struct {
		Use   []string             `yaml:"use"`
		Gates map[string]defaulted `yaml:"gates"`
	}
	partNames := []string{"rules", "llm"}
	cases := []struct {
		name      string
		yaml      string
		wantErr   []string
		wantParts []string
		check     func(t *testing.T, o own, parts map[string]Section)
	}{
		{"own keys and parts", "classify:\n  use: [llm]\n  rules: {patterns_file: x.yaml}\n  llm:\n    model: m\n", nil, []string{"llm", "rules"},
			func(t *testing.T, o own, parts map[string]Section) {
				if len(o.Use) != 1 || o.Use[0] != "llm" {
					t.Errorf("use = %v; want [llm]", o.Use)
				}
				var v struct {
					Model string `yaml:"model"`
				}
				if err := parts["llm"].Decode("classify.llm", &v); err != nil || v.Model != "m" {
					t.Errorf("llm part: %+v, %v; want model m", v, err)
				}
				if got := parts["llm"].Line(); got != 5 {
					t.Errorf("llm part line = %d; want 5", got)
				}
			}},
		{"a part with no settings", "classify:\n  llm:\n", nil, []string{"llm"}, nil},
		{"unknown key names key and line", "classify:\n  use: [rules]\n  lmm: {}\n", []string{`heard.yaml:3: classify: unknown key "lmm" (did you mean "llm"?)`}, nil, nil},
		{"unknown key inside a part is the part's own business", "classify:\n  llm: {modle: x}\n", nil, []string{"llm"},
			func(t *testing.T, _ own, parts map[string]Section) {
				var v struct {
					Model string `yaml:"model"`
				}
				err := parts["llm"].Decode("classify.llm", &v)
				if err == nil || !strings.Contains(err.Error(), `heard.yaml:2: classify.llm: unknown key "modle" (did you mean "model"?)`) {
					t.Errorf("decoding the part: %v; want the unknown key with its line", err)
				}
			}},
		{"unknown key in a self-decoding struct", "classify:\n  gates:\n    priority:\n      treshold: 0.9\n", []string{`heard.yaml:4: classify: unknown key "treshold" (did you mean "threshold"?)`}, nil, nil},
		{"self-decoding struct keeps its default", "classify:\n  gates:\n    priority: {threshold: 0.9}\n", nil, nil,
			func(t *testing.T, o own, _ map[string]Section) {
				if g := o.Gates["priority"]; !g.Enabled || g.Threshold != 0.9 {
					t.Errorf("gate = %+v; want enabled at 0.9", g)
				}
			}},
		{"a part must be a mapping", "classify:\n  llm: yes\n", []string{"heard.yaml:2: classify: llm: want a mapping"}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parse([]byte(tc.yaml), "heard.yaml", func(string) string { return "" })
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var o own
			parts, err := c.Classify.Parts("classify", &o, partNames)
			if tc.wantErr != nil {
				wantErrContains(t, err, tc.wantErr...)
				return
			}
			if err != nil {
				t.Fatalf("Parts: %v", err)
			}
			for _, k := range tc.wantParts {
				if _, ok := parts[k]; !ok {
					t.Errorf("parts lack %q: %v", k, parts)
				}
			}
			if len(parts) != len(tc.wantParts) {
				t.Errorf("got %d parts; want %d", len(parts), len(tc.wantParts))
			}
			if tc.check != nil {
				tc.check(t, o, parts)
			}
		})
	}
}

func TestLLMSection(t *testing.T) {
	path := writeFile(t, "llm:\n  base_url: http://localhost:11434/v1\n  api_key: k\n  models: {chat: small, embedding: embed}\n  timeout: 20s\n  max_retries: 3\n")
	c, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		o    LLMOverride
		use  string
		want Endpoint
	}{
		{"chat inherits everything", LLMOverride{}, UseChat,
			Endpoint{BaseURL: "http://localhost:11434/v1", APIKey: "k", Model: "small", Timeout: 20 * time.Second, MaxRetries: 3}},
		{"embedding picks its model", LLMOverride{}, UseEmbedding,
			Endpoint{BaseURL: "http://localhost:11434/v1", APIKey: "k", Model: "embed", Timeout: 20 * time.Second, MaxRetries: 3}},
		{"override wins key by key", LLMOverride{APIKey: "other", Model: "big", Timeout: Duration(time.Minute)}, UseChat,
			Endpoint{BaseURL: "http://localhost:11434/v1", APIKey: "other", Model: "big", Timeout: time.Minute, MaxRetries: 3}},
		{"override base url and retries", LLMOverride{BaseURL: "https://api.openai.com/v1", MaxRetries: -1}, UseEmbedding,
			Endpoint{BaseURL: "https://api.openai.com/v1", APIKey: "k", Model: "embed", Timeout: 20 * time.Second, MaxRetries: -1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.LLM.Resolve(tc.o, tc.use); got != tc.want {
				t.Errorf("Resolve = %+v; want %+v", got, tc.want)
			}
		})
	}
	if c.LLM.APIKey != sdk.Secret("k") {
		t.Errorf("api_key = %q", c.LLM.APIKey.Reveal())
	}
}

func TestLLMSectionErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown key", "llm:\n  models:\n    chatt: x\n", `heard.yaml:3: unknown key "chatt" (did you mean "chat"?)`},
		{"negative timeout", "llm:\n  timeout: -1s\n", "llm.timeout"},
		{"retries below -1", "llm:\n  max_retries: -2\n", "llm.max_retries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.yaml)
			_, err := Load(path, env(nil))
			wantErrContains(t, err, strings.Replace(tc.want, "heard.yaml", path, 1))
		})
	}
}
