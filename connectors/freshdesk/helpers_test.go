package freshdesk

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sandbox"
	sandboxfd "github.com/heardhq/heard/sandbox/freshdesk"
	"github.com/heardhq/heard/sdk"
)

// testSecret is the shared webhook secret tests configure.
const testSecret = "whsec-7f3a9c2e-test"

// baseConfig is a valid configuration tests start from.
func baseConfig() Config {
	return Config{Domain: "acme", APIKey: "key-acme", WebhookSecret: testSecret}
}

// specOf returns a spec named name that hands cfg to the decoder.
func specOf(t *testing.T, name string, cfg Config) connectors.Spec {
	t.Helper()
	return connectors.Spec{
		Name: name,
		Decode: func(v any) error {
			p, ok := v.(*Config)
			if !ok {
				t.Fatalf("Decode got %T; want *Config", v)
			}
			*p = cfg
			return nil
		},
	}
}

// newTestConnector builds a connector named "acme-freshdesk" from cfg with
// the clock fixed at now, talking to a defaultKeyAPI.
func newTestConnector(t *testing.T, cfg Config, now time.Time) *Connector {
	t.Helper()
	return keyedConnector(t, cfg, now, defaultKeyAPI(t))
}

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

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return at
}

// secretHeader returns headers carrying the shared secret.
func secretHeader(secret string) http.Header {
	h := http.Header{}
	h.Set(DefaultWebhookHeader, secret)
	return h
}

// desk is a sandbox with the Freshdesk emulation, served over HTTP, and a
// webhook receiver.
type desk struct {
	sb   *sandbox.Server
	fd   *sandboxfd.Desk
	root string
	hook *receiver
}

func newDesk(t *testing.T) *desk {
	t.Helper()
	sb := sandbox.New(nil)
	fd := sandboxfd.New(sb)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &desk{sb: sb, fd: fd, root: srv.URL, hook: newReceiver(t)}
}

// account adds an account delivering to d's receiver and returns a
// connector for it built from cfg (domain, key, base URL and secret filled
// in).
func (d *desk) account(t *testing.T, name string, cfg Config) (*Connector, sandbox.Account) {
	t.Helper()
	return d.accountWith(t, name, cfg, testSecret)
}

// accountWith is account with the secret header value the account's rules
// send ("" sends none).
func (d *desk) accountWith(t *testing.T, name string, cfg Config, hookSecret string) (*Connector, sandbox.Account) {
	t.Helper()
	acct := sandbox.Account{
		Name: name, APIToken: "key-" + name,
		Webhook:      sandbox.Webhook{URL: d.hook.url, Secret: hookSecret},
		CustomFields: map[string]string{"plan": "plan", "mrr": "mrr"},
	}
	if err := d.fd.AddAccount(acct); err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	cfg.Domain, cfg.APIKey, cfg.BaseURL = name, sdkSecret(acct.APIToken), d.fd.BaseURL(d.root, name)
	if cfg.WebhookSecret == "" && cfg.WebhookBasicAuth == nil {
		cfg.WebhookSecret = testSecret
	}
	if cfg.RateLimit.RatePerMinute == 0 {
		cfg.RateLimit.RatePerMinute = 60000
	}
	c, err := New(specOf(t, "fd-"+name, cfg), connectors.Deps{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, acct
}

// noViolations fails the test for every violation the sandbox recorded.
func (d *desk) noViolations(t *testing.T) {
	t.Helper()
	for _, v := range d.sb.Violations() {
		t.Errorf("sandbox recorded a contract violation: %s", v)
	}
}

// newTicket is the ticket tests open: Dana of Northwind, enterprise plan.
func newTicket() sandbox.NewTicket {
	return sandbox.NewTicket{
		Subject:      "Charged twice for March",
		Body:         "Hi, we were charged twice for our March invoice (INV-2291).",
		Requester:    sandbox.Person{Name: "Dana Whitfield", Email: "dana@northwind.example"},
		Organization: "Northwind Traders",
		Customer:     map[string]string{"plan": "enterprise", "mrr": "2400"},
		Tags:         []string{"vip"},
	}
}

// created creates newTicket() (or nt) and returns its ref for c.
func (d *desk) created(t *testing.T, c *Connector, acct sandbox.Account, nt sandbox.NewTicket) sdk.TicketRef {
	t.Helper()
	id, err := d.fd.CreateTicket(t.Context(), acct.Name, nt)
	if err != nil {
		t.Fatalf("CreateTicket: %v", err)
	}
	return c.ref(id)
}
