package freshdesk

import (
	"testing"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/connectortest"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sandbox"
	sandboxfd "github.com/heardhq/heard/sandbox/freshdesk"
	"github.com/heardhq/heard/sdk"
)

// TestConformance runs the connector suite against the Freshdesk
// emulation. bot_agent_id is left empty, so loop prevention relies on the
// agent Apply discovers through GET /api/v2/agents/me.
func TestConformance(t *testing.T) {
	sb := sandbox.New(nil)
	connectortest.Run(t, connectortest.Harness{
		Desk:    sandboxfd.New(sb),
		Sandbox: sb,
		NewConnector: func(t *testing.T, name string, acct sandbox.Account, baseURL string) sdk.Connector {
			t.Helper()
			cfg := Config{
				Domain:        acct.Name,
				APIKey:        sdk.Secret(acct.APIToken),
				BaseURL:       baseURL,
				WebhookSecret: sdk.Secret(acct.Webhook.Secret),
				CustomFields:  acct.CustomFields,
				RateLimit:     vendorapi.Config{RatePerMinute: 6000},
			}
			c, err := New(specOf(t, name, cfg), connectors.Deps{})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			return c
		},
		Priority:          map[sdk.Priority]string{sdk.P0: "4", sdk.P1: "3", sdk.P2: "2", sdk.P3: "1"},
		MaxWritesPerApply: 2,
		UnsignedWebhooks:  true,
	})
}
