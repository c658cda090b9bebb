package intercom

import (
	"flag"
	"net/http"
	"testing"

	"github.com/heardhq/heard/connectors/connectortest"
	"github.com/heardhq/heard/sdk"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current decoder")

// TestDecodeGolden decodes every testdata/*.json payload and compares the
// events (or, for a rejected payload, {"error": message}), marshalled with
// indentation, with testdata/<name>.golden.json. The connector knows admin
// 991 as its own and filters no app_id.
func TestDecodeGolden(t *testing.T) {
	cfg := baseConfig()
	cfg.AdminID = "991"
	c := newTestConnector(t, cfg, mustTime(t, "2025-01-08T15:00:00Z"))
	connectortest.Golden(t, 6, *update, func(t *testing.T, body []byte) any {
		t.Helper()
		evs, err := c.DecodeWebhook(http.Header{}, body)
		switch {
		case err != nil:
			return map[string]string{"error": err.Error()}
		case evs == nil:
			return []sdk.Event{}
		default:
			return evs
		}
	})
}
