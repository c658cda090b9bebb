package zendesk

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
// Deliveries carry a signature timestamp header and no invocation id, so
// trigger bodies get the hash fallback ID.
func TestDecodeGolden(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, "2025-01-08T15:00:00Z"))
	h := http.Header{}
	h.Set(HeaderSignatureTimestamp, "2025-01-08T14:25:31Z")
	connectortest.Golden(t, 4, *update, func(t *testing.T, body []byte) any {
		t.Helper()
		evs, err := c.DecodeWebhook(h, body)
		if err != nil {
			t.Fatalf("DecodeWebhook() error = %v, want nil", err)
		}
		if evs == nil {
			evs = []sdk.Event{}
		}
		return evs
	})
}
