package zendesk

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/heardhq/heard/connectors"
)

var _ connectors.Signer = (*Connector)(nil)

// SignWebhook signs body as Zendesk does at time now, with a fresh
// invocation ID, for `heard replay` and tests.
func (c *Connector) SignWebhook(body []byte, now time.Time) (http.Header, error) {
	ts := now.UTC().Format(time.RFC3339)
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set(HeaderSignature, Sign(string(c.secret), ts, body))
	h.Set(HeaderSignatureTimestamp, ts)
	h.Set(HeaderInvocationID, "replay-"+hex.EncodeToString(id))
	h.Set("Content-Type", "application/json")
	return h, nil
}
