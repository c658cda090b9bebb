package freshdesk

import (
	"flag"
	"net/http"
	"testing"

	"github.com/heardhq/heard/connectors/connectortest"
	"github.com/heardhq/heard/sdk"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current decoder")

// TestDecodeGolden decodes every testdata/*.json payload and compares the
// events, marshalled with indentation, with testdata/<name>.golden.json.
// The connector asks defaultKeyAPI for what keys message and update events.
func TestDecodeGolden(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, "2025-01-08T15:00:00Z"))
	connectortest.Golden(t, 3, *update, func(t *testing.T, body []byte) any {
		t.Helper()
		if err := c.VerifyWebhook(secretHeader(testSecret), body); err != nil {
			t.Fatalf("VerifyWebhook() = %v, want nil", err)
		}
		evs, err := c.DecodeWebhook(http.Header{}, body)
		if err != nil {
			t.Fatalf("DecodeWebhook() error = %v, want nil", err)
		}
		if evs == nil {
			evs = []sdk.Event{}
		}
		return evs
	})
}
