package zendesk_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/connectortest"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/sandbox"
	sbzendesk "github.com/heardhq/heard/sandbox/zendesk"
	"github.com/heardhq/heard/sdk"
)

// ticketFields is the ticket_fields mapping the sandbox tests configure.
var ticketFields = map[string]int64{sdk.FieldProductArea: 360012345678, sdk.FieldSentiment: 360012345679}

// connectorOptions tweak a test connector.
type connectorOptions struct {
	httpClient *http.Client
	rate       vendorapi.Config
	now        func() time.Time // nil: time.Now
}

// newConnector builds a zendesk connector named name for the sandbox
// account acct at baseURL through the registry, with fast retries.
func newConnector(t *testing.T, name string, acct sandbox.Account, baseURL string, opts connectorOptions) *zendesk.Connector {
	t.Helper()
	rate := opts.rate
	if rate.RatePerMinute == 0 {
		rate = vendorapi.Config{RatePerMinute: 60000, Burst: 100, RetryBase: 20 * time.Millisecond, Timeout: 5 * time.Second, BreakerFailures: 50}
	}
	cfg := zendesk.Config{
		Subdomain:     acct.Name,
		Email:         acct.Email,
		APIToken:      sdk.Secret(acct.APIToken),
		WebhookSecret: sdk.Secret(acct.Webhook.Secret),
		BaseURL:       baseURL,
		BotUserID:     acct.BotUserID,
		CustomFields:  acct.CustomFields,
		TicketFields:  ticketFields,
		RateLimit:     rate,
	}
	spec := connectors.Spec{Name: name, Decode: func(v any) error {
		p, ok := v.(*zendesk.Config)
		if !ok {
			return fmt.Errorf("decode into %T", v)
		}
		*p = cfg
		return nil
	}}
	conn, err := connectors.Default.New(zendesk.Type, spec, connectors.Deps{Logger: slog.New(slog.DiscardHandler), HTTPClient: opts.httpClient, Now: opts.now})
	if err != nil {
		t.Fatalf("building connector: %v", err)
	}
	zc, ok := conn.(*zendesk.Connector)
	if !ok {
		t.Fatalf("connector is %T", conn)
	}
	return zc
}

func TestConformance(t *testing.T) {
	sb := sandbox.New(nil)
	desk := sbzendesk.New(sb)
	connectortest.Run(t, connectortest.Harness{
		Desk:    desk,
		Sandbox: sb,
		NewConnector: func(t *testing.T, name string, acct sandbox.Account, baseURL string) sdk.Connector {
			return newConnector(t, name, acct, baseURL, connectorOptions{})
		},
		Priority:          map[sdk.Priority]string{sdk.P0: "urgent", sdk.P1: "high", sdk.P2: "normal", sdk.P3: "low"},
		MaxWritesPerApply: 1,
	})
}
