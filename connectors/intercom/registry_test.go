package intercom

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sdk"
)

func TestRegistry(t *testing.T) {
	if !slices.Contains(connectors.Default.Types(), Type) {
		t.Fatalf("connectors.Default.Types() = %v, want it to contain %s", connectors.Default.Types(), Type)
	}
	spec := jsonSpec("acme-intercom", map[string]any{
		"workspace":               "acme",
		"app_id":                  "abc123",
		"access_token":            "tok",
		"client_secret":           testSecret,
		"base_url":                "https://api.eu.intercom.io/",
		"api_version":             "2.15",
		"custom_attributes":       map[string]string{sdk.AttrPlan: "company.plan", sdk.AttrMRR: "mrr"},
		"conversation_attributes": map[string]string{"product_area": "Product area"},
		"rate_limit":              map[string]any{"rate_per_minute": 600},
		"admin_id":                "991",
		"write_priority":          false,
	})
	conn, err := connectors.Default.New(Type, spec, connectors.Deps{Now: time.Now})
	if err != nil {
		t.Fatalf("Default.New() error = %v, want nil", err)
	}
	c, ok := conn.(*Connector)
	if !ok {
		t.Fatalf("Default.New() = %T, want *intercom.Connector", conn)
	}
	if c.name != "acme-intercom" || c.workspace != "acme" || c.appID != "abc123" || c.botAdmin() != "991" || string(c.secret) != testSecret || c.version != "2.15" {
		t.Errorf("connector = %+v, want the configured settings", c)
	}
	if got := c.customer[sdk.AttrPlan]; got != (attrSource{scope: scopeCompany, name: "plan"}) {
		t.Errorf("custom attribute plan = %+v, want company.plan", got)
	}
	body := []byte(`{"type":"notification_event","topic":"ping","id":"notif_test","app_id":"abc123"}`)
	if err := conn.VerifyWebhook(signed(testSecret, body), body); err != nil {
		t.Errorf("VerifyWebhook() = %v, want nil", err)
	}
}

func TestRegistryErrors(t *testing.T) {
	tests := []struct {
		name      string
		spec      connectors.Spec
		wantIn    string
		wantIsInv bool
	}{
		{name: "unknown key", spec: jsonSpec("i", map[string]any{"workspace": "acme", "access_token": "t", "client_secret": "s", "worksapce": "x"}), wantIn: "worksapce"},
		{name: "missing workspace", spec: jsonSpec("i", map[string]any{"access_token": "t", "client_secret": "s"}), wantIn: "workspace is required", wantIsInv: true},
		{name: "no decoder", spec: connectors.Spec{Name: "i"}, wantIn: "no settings decoder", wantIsInv: true},
		{name: "no name", spec: jsonSpec("", map[string]any{"workspace": "acme", "access_token": "t", "client_secret": "s"}), wantIn: "no name", wantIsInv: true},
		{name: "base url with credentials", spec: jsonSpec("i", map[string]any{"workspace": "acme", "access_token": "t", "client_secret": "s", "base_url": "https://bob:Hunter2pw@api.intercom.io"}), wantIn: `"https://bob:xxxxx@api.intercom.io": must not carry credentials`, wantIsInv: true},
		{name: "bad base url with credentials", spec: jsonSpec("i", map[string]any{"workspace": "acme", "access_token": "t", "client_secret": "s", "base_url": "https://bob:Hunter2pw@api.intercom.io/?x=1"}), wantIn: "bob:xxxxx@api", wantIsInv: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := connectors.Default.New(Type, tt.spec, connectors.Deps{})
			if err == nil {
				t.Fatalf("Default.New() = %v, want an error", conn)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("Default.New() error = %q, want it to contain %q", err, tt.wantIn)
			}
			if strings.Contains(err.Error(), "Hunter2pw") {
				t.Errorf("Default.New() error = %q holds the password", err)
			}
			if tt.wantIsInv && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Default.New() error = %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := newTestConnector(t, baseConfig(), time.Now())
	if c.version != DefaultAPIVersion || c.api.Version() != DefaultAPIVersion {
		t.Errorf("api version = %q, want %q", c.version, DefaultAPIVersion)
	}
	cfg, err := baseConfig().normalized()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != DefaultBaseURL || cfg.RateLimit.RatePerMinute != DefaultRatePerMinute || cfg.AdminID != "" {
		t.Errorf("defaults = base %q rate %v admin %q, want %q %d and none", cfg.BaseURL, cfg.RateLimit.RatePerMinute, cfg.AdminID, DefaultBaseURL, DefaultRatePerMinute)
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
			c.AppID, c.BaseURL, c.APIVersion, c.AdminID = "ecahpwf5", "https://api.au.intercom.io", "2.16", "991267645"
			c.CustomAttributes = map[string]string{sdk.AttrPlan: "plan", sdk.AttrMRR: "company.mrr", sdk.AttrLastLogin: "contact.last_login"}
			c.ConversationAttributes = map[string]string{"product_area": "Product area"}
		}},
		{name: "preview with write_priority", mutate: func(c *Config) { c.APIVersion, c.WritePriority = PreviewAPIVersion, true }},
		{name: "sandbox http base url", mutate: func(c *Config) { c.BaseURL = "http://127.0.0.1:8080/intercom/acme" }},
		{name: "missing workspace", mutate: func(c *Config) { c.Workspace = "" }, wantIn: "workspace is required"},
		{name: "workspace with a slash", mutate: func(c *Config) { c.Workspace = "acme/eu" }, wantIn: "workspace"},
		{name: "upper-case app id", mutate: func(c *Config) { c.AppID = "ABC" }, wantIn: "app_id"},
		{name: "missing access token", mutate: func(c *Config) { c.AccessToken = "" }, wantIn: "access_token is required"},
		{name: "missing client secret", mutate: func(c *Config) { c.ClientSecret = "" }, wantIn: "client_secret is required"},
		{name: "email as admin id", mutate: func(c *Config) { c.AdminID = "bot@acme.example" }, wantIn: "admin_id"},
		{name: "version 1.4", mutate: func(c *Config) { c.APIVersion = "1.4" }, wantIn: "api_version"},
		{name: "version with v", mutate: func(c *Config) { c.APIVersion = "v2.15" }, wantIn: "api_version"},
		{name: "write_priority with 2.15", mutate: func(c *Config) { c.WritePriority = true }, wantIn: "write_priority needs api_version"},
		{name: "write_priority with 2.16", mutate: func(c *Config) { c.APIVersion, c.WritePriority = "2.16", true }, wantIn: "read-only in 2.16"},
		{name: "relative base url", mutate: func(c *Config) { c.BaseURL = "api.intercom.io" }, wantIn: "base_url"},
		{name: "base url with query", mutate: func(c *Config) { c.BaseURL = "https://api.intercom.io?x=1" }, wantIn: "base_url"},
		{name: "unknown customer attribute", mutate: func(c *Config) { c.CustomAttributes = map[string]string{"tier": "plan"} }, wantIn: `"tier" is not a customer attribute`},
		{name: "dotted attribute name", mutate: func(c *Config) { c.CustomAttributes = map[string]string{sdk.AttrPlan: "company.a.b"} }, wantIn: "custom_attributes.plan"},
		{name: "empty attribute name", mutate: func(c *Config) { c.CustomAttributes = map[string]string{sdk.AttrPlan: "contact."} }, wantIn: "custom_attributes.plan"},
		{name: "empty conversation attribute", mutate: func(c *Config) { c.ConversationAttributes = map[string]string{"product_area": ""} }, wantIn: "conversation_attributes.product_area"},
		{name: "empty field name", mutate: func(c *Config) { c.ConversationAttributes = map[string]string{" ": "x"} }, wantIn: "empty field name"},
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
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Errorf("Validate() = %v leaks the secret", err)
			}
		})
	}
}
