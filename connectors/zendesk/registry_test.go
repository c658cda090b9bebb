package zendesk

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sdk"
)

// jsonSpec returns a spec whose Decode strictly decodes settings through a
// JSON round trip, standing in for the host's YAML decoder.
func jsonSpec(name string, settings map[string]any) connectors.Spec {
	return connectors.Spec{
		Name: name,
		Decode: func(v any) error {
			b, err := json.Marshal(settings)
			if err != nil {
				return err
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			return dec.Decode(v)
		},
	}
}

func TestRegistry(t *testing.T) {
	if !slices.Contains(connectors.Default.Types(), "zendesk") {
		t.Fatalf("connectors.Default.Types() = %v, want it to contain zendesk", connectors.Default.Types())
	}
	now := mustTime(t, "2025-01-08T10:12:08Z")
	spec := jsonSpec("acme-zendesk", map[string]any{
		"subdomain":               "acme",
		"email":                   "bot@acme.example",
		"api_token":               "token",
		"webhook_secret":          testSecret,
		"replay_window":           "2m",
		"accept_legacy_signature": false,
		"bot_user_id":             "999",
		"base_url":                "http://127.0.0.1:1/zendesk/acme",
		"custom_fields":           map[string]string{"plan": "plan_tier"},
		"ticket_fields":           map[string]int64{"reason": 360012345678},
		"rate_limit":              map[string]any{"rate_per_minute": 400},
	})
	conn, err := connectors.Default.New("zendesk", spec, connectors.Deps{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("Default.New() error = %v, want nil", err)
	}
	c, ok := conn.(*Connector)
	if !ok {
		t.Fatalf("Default.New() = %T, want *zendesk.Connector", conn)
	}
	if c.name != "acme-zendesk" || c.subdomain != "acme" || c.window != 2*time.Minute || c.botUserID != "999" || string(c.secret) != testSecret {
		t.Errorf("connector = name %q subdomain %q window %s bot %q, want acme-zendesk acme 2m0s 999 and the secret", c.name, c.subdomain, c.window, c.botUserID)
	}

	body := []byte(`{"ticket_id":"5158","event":"ticket_created"}`)
	h := signedHeaders(testSecret, "2025-01-08T10:12:08Z", body)
	if err := conn.VerifyWebhook(h, body); err != nil {
		t.Errorf("VerifyWebhook() = %v, want nil", err)
	}
	evs, err := conn.DecodeWebhook(h, body)
	if err != nil || len(evs) != 1 {
		t.Fatalf("DecodeWebhook() = %v, %v; want one event", evs, err)
	}
	if want := (sdk.TicketRef{Connector: "acme-zendesk", Account: "acme", ID: "5158"}); evs[0].Ticket != want {
		t.Errorf("Ticket = %+v, want %+v", evs[0].Ticket, want)
	}
}

func TestRegistryErrors(t *testing.T) {
	tests := []struct {
		name      string
		spec      connectors.Spec
		wantIn    string
		wantIsInv bool
	}{
		{name: "unknown key", spec: jsonSpec("z", map[string]any{"subdomain": "acme", "webhook_secret": "s", "subdomian": "x"}), wantIn: "subdomian"},
		{name: "missing subdomain", spec: jsonSpec("z", map[string]any{"webhook_secret": "s"}), wantIn: "subdomain is required", wantIsInv: true},
		{name: "missing webhook secret", spec: jsonSpec("z", map[string]any{"subdomain": "acme"}), wantIn: "webhook_secret is required", wantIsInv: true},
		{name: "bad replay window", spec: jsonSpec("z", map[string]any{"subdomain": "acme", "webhook_secret": "s", "replay_window": "5 minutes"}), wantIn: "replay_window", wantIsInv: true},
		{name: "no decoder", spec: connectors.Spec{Name: "z"}, wantIn: "no settings decoder", wantIsInv: true},
		{name: "no name", spec: jsonSpec("", map[string]any{"subdomain": "acme", "webhook_secret": "s"}), wantIn: "no name", wantIsInv: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := connectors.Default.New("zendesk", tt.spec, connectors.Deps{})
			if err == nil {
				t.Fatalf("Default.New() = %v, want an error", conn)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("Default.New() error = %q, want it to contain %q", err, tt.wantIn)
			}
			if tt.wantIsInv && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Default.New() error = %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

func TestNewWithoutDeps(t *testing.T) {
	c, err := New(jsonSpec("z", map[string]any{"subdomain": "acme", "webhook_secret": "s"}), connectors.Deps{})
	if err != nil {
		t.Fatalf("New() error = %v, want nil", err)
	}
	if c.window != DefaultReplayWindow {
		t.Errorf("window = %s, want %s", c.window, DefaultReplayWindow)
	}
	ts := time.Now().UTC().Format(time.RFC3339)
	body := []byte(`{"ticket_id":"1"}`)
	if err := c.VerifyWebhook(signedHeaders("s", ts, body), body); err != nil {
		t.Errorf("VerifyWebhook() with the real clock = %v, want nil", err)
	}
	if _, err := c.DecodeWebhook(http.Header{}, body); err != nil {
		t.Errorf("DecodeWebhook() = %v, want nil", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		wantIn string // "" means valid
	}{
		{name: "minimal", mutate: func(*Config) {}},
		{name: "full", mutate: func(c *Config) {
			c.Email, c.APIToken, c.ReplayWindow, c.AcceptLegacySignature, c.BotUserID = "bot@acme.example", "t", "90s", true, "8447388090494"
		}},
		{name: "missing subdomain", mutate: func(c *Config) { c.Subdomain = "" }, wantIn: "subdomain is required"},
		{name: "full host as subdomain", mutate: func(c *Config) { c.Subdomain = "acme.zendesk.com" }, wantIn: "bare lower-case subdomain"},
		{name: "url as subdomain", mutate: func(c *Config) { c.Subdomain = "https://acme" }, wantIn: "bare lower-case subdomain"},
		{name: "upper-case subdomain", mutate: func(c *Config) { c.Subdomain = "Acme" }, wantIn: "bare lower-case subdomain"},
		{name: "missing webhook secret", mutate: func(c *Config) { c.WebhookSecret = "" }, wantIn: "webhook_secret is required"},
		{name: "email without token", mutate: func(c *Config) { c.Email = "bot@acme.example" }, wantIn: "email and api_token"},
		{name: "token without email", mutate: func(c *Config) { c.APIToken = "t" }, wantIn: "email and api_token"},
		{name: "unparsable replay window", mutate: func(c *Config) { c.ReplayWindow = "5" }, wantIn: "replay_window"},
		{name: "zero replay window", mutate: func(c *Config) { c.ReplayWindow = "0s" }, wantIn: "must be positive"},
		{name: "negative replay window", mutate: func(c *Config) { c.ReplayWindow = "-5m" }, wantIn: "must be positive"},
		{name: "email as bot user id", mutate: func(c *Config) { c.BotUserID = "bot@acme.example" }, wantIn: "bot_user_id"},
		{name: "api settings", mutate: func(c *Config) {
			c.BaseURL, c.CustomFields, c.TicketFields = "http://127.0.0.1:8080/zendesk/acme", map[string]string{sdk.AttrPlan: "plan_tier"}, map[string]int64{"reason": 360012345678}
			c.RateLimit.RatePerMinute = 400
		}},
		{name: "relative base_url", mutate: func(c *Config) { c.BaseURL = "acme.zendesk.com" }, wantIn: "base_url"},
		{name: "base_url with credentials", mutate: func(c *Config) { c.BaseURL = "https://u:p@acme.zendesk.com" }, wantIn: "base_url"},
		{name: "unknown customer attribute", mutate: func(c *Config) { c.CustomFields = map[string]string{"tier": "x"} }, wantIn: `unknown customer attribute "tier"`},
		{name: "empty field key", mutate: func(c *Config) { c.CustomFields = map[string]string{sdk.AttrMRR: " "} }, wantIn: "custom_fields.mrr"},
		{name: "zero ticket field id", mutate: func(c *Config) { c.TicketFields = map[string]int64{"reason": 0} }, wantIn: "ticket_fields.reason"},
		{name: "negative rate", mutate: func(c *Config) { c.RateLimit.RatePerMinute = -1 }, wantIn: "rate_limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			tt.mutate(&cfg)
			err := cfg.Validate()
			if tt.wantIn == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("Validate() = %v, want an ErrInvalid error containing %q", err, tt.wantIn)
			}
			if strings.Contains(fmtErr(err), testSecret) {
				t.Errorf("Validate() = %v leaks the secret", err)
			}
		})
	}
}

// fmtErr returns err's message or "".
func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestConfigYAML decodes the settings as the host does (yaml.v3, unknown
// keys rejected), durations included.
func TestConfigYAML(t *testing.T) {
	const doc = `
subdomain: acme
email: heard@acme.example
api_token: tok
webhook_secret: whsec
base_url: https://proxy.example/zendesk
bot_user_id: "8447388090494"
custom_fields:
  plan: plan_tier
  mrr: monthly_revenue
ticket_fields:
  product_area: 360012345678
rate_limit:
  rate_per_minute: 400
  retry_base: 200ms
  timeout: 10s
`
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	var cfg Config
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if cfg.CustomFields[sdk.AttrMRR] != "monthly_revenue" || cfg.TicketFields[sdk.FieldProductArea] != 360012345678 ||
		cfg.RateLimit.RatePerMinute != 400 || cfg.RateLimit.RetryBase != 200*time.Millisecond || cfg.RateLimit.Timeout != 10*time.Second ||
		cfg.BaseURL != "https://proxy.example/zendesk" {
		t.Errorf("decoded %+v", cfg)
	}
}

func TestSignWebhookVerifies(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := newTestConnector(t, Config{Subdomain: "acme", WebhookSecret: "s3cret"}, now)
	body := []byte(`{"ticket_id":"12"}`)
	h, err := c.SignWebhook(body, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyWebhook(h, body); err != nil {
		t.Errorf("VerifyWebhook(SignWebhook(body)) = %v; want nil", err)
	}
	if err := c.VerifyWebhook(h, []byte(`{"ticket_id":"13"}`)); err == nil {
		t.Error("signature verified for another body")
	}
}
