package intercom

import (
	"net/http"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/connectortest"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sandbox"
	intercomdesk "github.com/heardhq/heard/sandbox/intercom"
	"github.com/heardhq/heard/sdk"
)

// maxWritesPerApply bounds the write calls of one Apply: the note (1), one
// POST /conversations/{id}/tags per tag the conversation lacks — the suite
// adds two tags plus heard-priority-p1, Intercom attaches tags one at a
// time (3) — and one PUT /conversations/{id} for mapped attributes (1).
// Creating a missing tag (POST /tags) writes to the workspace, not the
// conversation, and is not counted by the sandbox.
const maxWritesPerApply = 1 + 3 + 1

// connectorFor builds the connector the suite drives for a sandbox account.
func connectorFor(t *testing.T, name string, acct sandbox.Account, baseURL string) *Connector {
	t.Helper()
	cfg := Config{
		Workspace:        acct.Name,
		AppID:            acct.Name, // the sandbox's app_id is the workspace name
		AccessToken:      sdk.Secret(acct.APIToken),
		ClientSecret:     sdk.Secret(acct.Webhook.Secret),
		BaseURL:          baseURL,
		APIVersion:       acct.APIVersion,
		AdminID:          acct.BotUserID, // empty: discovered through GET /me
		CustomAttributes: acct.CustomFields,
		RateLimit:        vendorapi.Config{RetryBase: 20 * time.Millisecond, RetryMax: 5 * time.Second},
	}
	c, err := New(configSpec(t, name, cfg), connectors.Deps{HTTPClient: &http.Client{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestConformance(t *testing.T) {
	sb := sandbox.New(nil)
	desk, err := intercomdesk.New(sb)
	if err != nil {
		t.Fatalf("intercom sandbox: %v", err)
	}
	connectortest.Run(t, connectortest.Harness{
		Desk:    desk,
		Sandbox: sb,
		NewConnector: func(t *testing.T, name string, acct sandbox.Account, baseURL string) sdk.Connector {
			return connectorFor(t, name, acct, baseURL)
		},
		// What TicketState.Priority shows: 2.15's priority flag.
		Priority: map[sdk.Priority]string{sdk.P0: "priority", sdk.P1: "priority", sdk.P2: "not_priority", sdk.P3: "not_priority"},
		// 2.15 cannot store a priority: heard writes it as a tag.
		PriorityTag: map[sdk.Priority]string{
			sdk.P0: "heard-priority-p0", sdk.P1: "heard-priority-p1", sdk.P2: "heard-priority-p2", sdk.P3: "heard-priority-p3",
		},
		MaxWritesPerApply: maxWritesPerApply,
	})
}
