package freshdesk

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestVerifyWebhook(t *testing.T) {
	secretOnly := baseConfig()
	basicOnly := baseConfig()
	basicOnly.WebhookSecret = ""
	basicOnly.WebhookBasicAuth = &BasicAuth{Username: "freshdesk", Password: "pa:ss-word"}
	both := basicOnly
	both.WebhookSecret = testSecret
	customHeader := baseConfig()
	customHeader.WebhookHeader = "x-acme-token"

	tests := []struct {
		name    string
		cfg     Config
		h       http.Header
		wantErr string // "" means accepted
	}{
		{name: "secret header", cfg: secretOnly, h: headers("X-Heard-Secret", testSecret)},
		{name: "secret header with spaces", cfg: secretOnly, h: headers("X-Heard-Secret", " "+testSecret+" ")},
		{name: "wrong secret", cfg: secretOnly, h: headers("X-Heard-Secret", testSecret+"x"), wantErr: "does not match webhook_secret"},
		{name: "secret prefix", cfg: secretOnly, h: headers("X-Heard-Secret", testSecret[:5]), wantErr: "does not match webhook_secret"},
		{name: "missing secret", cfg: secretOnly, h: http.Header{}, wantErr: "missing X-Heard-Secret header"},
		{name: "basic auth ignored when only the secret is configured", cfg: secretOnly, h: headers("Authorization", basic("freshdesk", "pa:ss-word")), wantErr: "missing X-Heard-Secret header"},
		{name: "custom header name", cfg: customHeader, h: headers("X-Acme-Token", testSecret)},
		{name: "default header not accepted when renamed", cfg: customHeader, h: headers("X-Heard-Secret", testSecret), wantErr: "missing X-Acme-Token header"},
		{name: "basic auth", cfg: basicOnly, h: headers("Authorization", basic("freshdesk", "pa:ss-word"))},
		{name: "basic auth scheme case-insensitive", cfg: basicOnly, h: headers("Authorization", "basic "+base64.StdEncoding.EncodeToString([]byte("freshdesk:pa:ss-word")))},
		{name: "basic wrong password", cfg: basicOnly, h: headers("Authorization", basic("freshdesk", "nope")), wantErr: "basic credentials do not match"},
		{name: "basic wrong user", cfg: basicOnly, h: headers("Authorization", basic("other", "pa:ss-word")), wantErr: "basic credentials do not match"},
		{name: "bearer instead of basic", cfg: basicOnly, h: headers("Authorization", "Bearer abc"), wantErr: "not Basic credentials"},
		{name: "basic not base64", cfg: basicOnly, h: headers("Authorization", "Basic %%%"), wantErr: "not Basic credentials"},
		{name: "basic missing", cfg: basicOnly, h: http.Header{}, wantErr: "missing Authorization (Basic) header"},
		{name: "both configured, header only", cfg: both, h: headers("X-Heard-Secret", testSecret)},
		{name: "both configured, basic only", cfg: both, h: headers("Authorization", basic("freshdesk", "pa:ss-word"))},
		{name: "both configured, both right", cfg: both, h: headers("X-Heard-Secret", testSecret, "Authorization", basic("freshdesk", "pa:ss-word"))},
		{name: "both configured, right header wrong basic", cfg: both, h: headers("X-Heard-Secret", testSecret, "Authorization", basic("freshdesk", "x")), wantErr: "basic credentials do not match"},
		{name: "both configured, wrong header right basic", cfg: both, h: headers("X-Heard-Secret", "x", "Authorization", basic("freshdesk", "pa:ss-word")), wantErr: "does not match webhook_secret"},
		{name: "both configured, none", cfg: both, h: http.Header{}, wantErr: "missing X-Heard-Secret header or Authorization (Basic) header"},
	}
	body := []byte(`{"ticket_id":"12345","event":"ticket_created"}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestConnector(t, tt.cfg, mustTime(t, decodeNow))
			err := c.VerifyWebhook(tt.h, body)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("VerifyWebhook() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, sdk.ErrUnauthorized) {
				t.Fatalf("VerifyWebhook() = %v, want an error wrapping ErrUnauthorized", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) {
				t.Errorf("VerifyWebhook() error = %q, want it to contain %q", msg, tt.wantErr)
			}
			if strings.Contains(msg, testSecret) || strings.Contains(msg, "pa:ss-word") || strings.Contains(msg, "12345") {
				t.Errorf("VerifyWebhook() error = %q leaks a credential or the body", msg)
			}
		})
	}
}

// TestVerifyDeliveries verifies webhooks the emulation sends, with the
// secret header and with basic auth.
func TestVerifyDeliveries(t *testing.T) {
	tests := []struct {
		name    string
		secret  string // the account's header secret ("" sends none)
		user    string // basic auth the rule sends ("" sends none)
		cfg     func(*Config)
		wantErr bool
	}{
		{name: "secret header", secret: testSecret, cfg: func(*Config) {}},
		{name: "basic auth", user: "freshdesk", cfg: func(c *Config) {
			c.WebhookSecret, c.WebhookBasicAuth = "", &BasicAuth{Username: "freshdesk", Password: "rule-pass"}
		}},
		{name: "basic auth and header", secret: testSecret, user: "freshdesk", cfg: func(c *Config) {
			c.WebhookBasicAuth = &BasicAuth{Username: "freshdesk", Password: "rule-pass"}
		}},
		{name: "rule sends basic, connector wants the header", user: "freshdesk", cfg: func(*Config) {}, wantErr: true},
		{name: "rule sends wrong basic", user: "intruder", cfg: func(c *Config) {
			c.WebhookSecret, c.WebhookBasicAuth = "", &BasicAuth{Username: "freshdesk", Password: "rule-pass"}
		}, wantErr: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t)
			cfg := Config{}
			tt.cfg(&cfg)
			if cfg.WebhookSecret == "" && cfg.WebhookBasicAuth == nil {
				cfg.WebhookSecret = testSecret
			}
			name := "verify" + string(rune('a'+i))
			c, acct := d.accountWith(t, name, cfg, tt.secret)
			if tt.user != "" {
				if err := d.fd.SetWebhookBasicAuth(acct.Name, tt.user, "rule-pass"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.fd.CreateTicket(t.Context(), acct.Name, newTicket()); err != nil {
				t.Fatalf("CreateTicket: %v", err)
			}
			dl := d.hook.last(t)
			err := c.VerifyWebhook(dl.header, dl.body)
			if tt.wantErr != (err != nil) {
				t.Fatalf("VerifyWebhook() = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, sdk.ErrUnauthorized) {
				t.Errorf("VerifyWebhook() = %v, want ErrUnauthorized", err)
			}
			if err == nil {
				evs, err := c.DecodeWebhook(dl.header, dl.body)
				if err != nil || len(evs) != 1 || evs[0].Kind != sdk.EventTicketCreated {
					t.Errorf("DecodeWebhook() = %+v, %v; want one ticket.created", evs, err)
				}
			}
		})
	}
}
