package freshdesk

import (
	"errors"
	"net/http"
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
	spec := jsonSpec("acme-freshdesk", map[string]any{
		"domain":             "acme",
		"api_key":            "key",
		"base_url":           "https://support.acme.example/",
		"webhook_secret":     testSecret,
		"webhook_header":     "X-Acme-Hook",
		"webhook_basic_auth": map[string]any{"username": "fd", "password": "pw"},
		"custom_fields":      map[string]any{"plan": "plan_tier"},
		"ticket_fields":      map[string]any{"sentiment": "cf_sentiment"},
		"rate_limit":         map[string]any{"rate_per_minute": 400, "max_retries": 2},
		"bot_agent_id":       "43000000001",
		"recent_tickets":     -1,
		"article_page_size":  50,
	})
	conn, err := connectors.Default.New(Type, spec, connectors.Deps{Now: time.Now})
	if err != nil {
		t.Fatalf("Default.New() error = %v, want nil", err)
	}
	c, ok := conn.(*Connector)
	if !ok {
		t.Fatalf("Default.New() = %T, want *freshdesk.Connector", conn)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"name", c.name, "acme-freshdesk"},
		{"domain", c.domain, "acme"},
		{"base", c.base, "https://support.acme.example"},
		{"api base", c.api.BaseURL(), "https://support.acme.example"},
		{"header", c.header, "X-Acme-Hook"},
		{"bot", c.bot(), "43000000001"},
		{"recent off", c.recent, 0},
		{"article page", c.articlePage, 50},
		{"field name", c.fieldNames["cf_sentiment"], "sentiment"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
	body := []byte(`{"ticket_id":"5","event":"ticket_created"}`)
	h := http.Header{}
	h.Set("X-Acme-Hook", testSecret)
	if err := conn.VerifyWebhook(h, body); err != nil {
		t.Errorf("VerifyWebhook() = %v, want nil", err)
	}
	evs, err := conn.DecodeWebhook(h, body)
	if err != nil || len(evs) != 1 {
		t.Fatalf("DecodeWebhook() = %v, %v; want one event", evs, err)
	}
	if want := (sdk.TicketRef{Connector: "acme-freshdesk", Account: "acme", ID: "5"}); evs[0].Ticket != want {
		t.Errorf("Ticket = %+v, want %+v", evs[0].Ticket, want)
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(jsonSpec("z", map[string]any{"domain": "acme", "api_key": "k", "webhook_secret": "s"}), connectors.Deps{})
	if err != nil {
		t.Fatalf("New() error = %v, want nil", err)
	}
	if c.header != DefaultWebhookHeader || c.recent != DefaultRecentTickets || c.articlePage != DefaultArticlePageSize ||
		c.base != "https://acme.freshdesk.com" || c.bot() != "" || c.secretSum == nil || c.basicUser != nil {
		t.Errorf("defaults: header %q recent %d page %d base %q bot %q", c.header, c.recent, c.articlePage, c.base, c.bot())
	}
}

func TestRegistryErrors(t *testing.T) {
	tests := []struct {
		name      string
		spec      connectors.Spec
		wantIn    string
		wantIsInv bool
	}{
		{name: "unknown key", spec: jsonSpec("f", map[string]any{"domain": "acme", "api_key": "k", "webhook_secret": "s", "subdomain": "x"}), wantIn: "subdomain"},
		{name: "unknown nested key", spec: jsonSpec("f", map[string]any{"domain": "acme", "api_key": "k", "webhook_basic_auth": map[string]any{"user": "x"}}), wantIn: "user"},
		{name: "missing domain", spec: jsonSpec("f", map[string]any{"api_key": "k", "webhook_secret": "s"}), wantIn: "domain is required", wantIsInv: true},
		{name: "no webhook auth", spec: jsonSpec("f", map[string]any{"domain": "acme", "api_key": "k"}), wantIn: "webhook_secret or webhook_basic_auth is required", wantIsInv: true},
		{name: "no decoder", spec: connectors.Spec{Name: "f"}, wantIn: "no settings decoder", wantIsInv: true},
		{name: "no name", spec: jsonSpec("", map[string]any{"domain": "acme", "api_key": "k", "webhook_secret": "s"}), wantIn: "no name", wantIsInv: true},
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
			if tt.wantIsInv && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Default.New() error = %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		wantIn string // "" means valid
	}{
		{name: "minimal", mutate: func(*Config) {}},
		{name: "basic auth only", mutate: func(c *Config) {
			c.WebhookSecret, c.WebhookBasicAuth = "", &BasicAuth{Username: "u", Password: "p"}
		}},
		{name: "full", mutate: func(c *Config) {
			c.BaseURL, c.WebhookHeader, c.BotAgentID, c.RecentTickets, c.ArticlePageSize = "http://127.0.0.1:9/freshdesk/acme", "X-Token", "42", 100, 100
			c.WebhookBasicAuth = &BasicAuth{Username: "u", Password: "p"}
			c.CustomFields = map[string]string{"plan": "plan", "mrr": "mrr_usd"}
			c.TicketFields = map[string]string{"sentiment": "cf_sentiment"}
		}},
		{name: "missing domain", mutate: func(c *Config) { c.Domain = "" }, wantIn: "domain is required"},
		{name: "full host as domain", mutate: func(c *Config) { c.Domain = "acme.freshdesk.com" }, wantIn: "bare lower-case helpdesk name"},
		{name: "upper-case domain", mutate: func(c *Config) { c.Domain = "Acme" }, wantIn: "bare lower-case helpdesk name"},
		{name: "missing api key", mutate: func(c *Config) { c.APIKey = "" }, wantIn: "api_key is required"},
		{name: "no webhook auth", mutate: func(c *Config) { c.WebhookSecret = "" }, wantIn: "webhook_secret or webhook_basic_auth is required"},
		{name: "header without secret", mutate: func(c *Config) {
			c.WebhookSecret, c.WebhookHeader, c.WebhookBasicAuth = "", "X-T", &BasicAuth{Username: "u", Password: "p"}
		}, wantIn: "webhook_header is set but webhook_secret is not"},
		{name: "bad header name", mutate: func(c *Config) { c.WebhookHeader = "X Token:" }, wantIn: "not a valid header name"},
		{name: "authorization header with basic auth", mutate: func(c *Config) {
			c.WebhookHeader, c.WebhookBasicAuth = "authorization", &BasicAuth{Username: "u", Password: "p"}
		}, wantIn: "cannot be Authorization"},
		{name: "basic without password", mutate: func(c *Config) { c.WebhookBasicAuth = &BasicAuth{Username: "u"} }, wantIn: "both username and password"},
		{name: "basic user with colon", mutate: func(c *Config) { c.WebhookBasicAuth = &BasicAuth{Username: "u:x", Password: "p"} }, wantIn: "must not contain ':'"},
		{name: "non-numeric bot", mutate: func(c *Config) { c.BotAgentID = "heard@acme.example" }, wantIn: "bot_agent_id"},
		{name: "too many recent", mutate: func(c *Config) { c.RecentTickets = 101 }, wantIn: "recent_tickets"},
		{name: "page size too big", mutate: func(c *Config) { c.ArticlePageSize = 101 }, wantIn: "article_page_size"},
		{name: "negative page size", mutate: func(c *Config) { c.ArticlePageSize = -1 }, wantIn: "article_page_size"},
		{name: "base url without scheme", mutate: func(c *Config) { c.BaseURL = "acme.freshdesk.com" }, wantIn: "base_url"},
		{name: "base url with query", mutate: func(c *Config) { c.BaseURL = "https://acme.freshdesk.com/?x=1" }, wantIn: "base_url"},
		{name: "ftp base url", mutate: func(c *Config) { c.BaseURL = "ftp://acme.freshdesk.com" }, wantIn: "base_url"},
		{name: "base url with credentials", mutate: func(c *Config) { c.BaseURL = "https://bob:" + testSecret + "@acme.freshdesk.com" }, wantIn: "must not carry credentials"},
		{name: "bad base url with credentials", mutate: func(c *Config) { c.BaseURL = "https://bob:" + testSecret + "@acme.freshdesk.com/?x=1" }, wantIn: "bob:xxxxx@acme"},
		{name: "unknown attribute", mutate: func(c *Config) { c.CustomFields = map[string]string{"plna": "plan"} }, wantIn: `unknown customer attribute "plna"`},
		{name: "empty attribute key", mutate: func(c *Config) { c.CustomFields = map[string]string{"plan": " "} }, wantIn: "empty field key"},
		{name: "ticket field without cf_", mutate: func(c *Config) { c.TicketFields = map[string]string{"sentiment": "sentiment"} }, wantIn: "start with cf_"},
		{name: "ticket field bare cf_", mutate: func(c *Config) { c.TicketFields = map[string]string{"sentiment": "cf_"} }, wantIn: "start with cf_"},
		{name: "empty ticket field name", mutate: func(c *Config) { c.TicketFields = map[string]string{"": "cf_x"} }, wantIn: "empty heard field name"},
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
			if err != nil && (strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "key-acme")) {
				t.Errorf("Validate() = %v leaks a secret", err)
			}
		})
	}
}
