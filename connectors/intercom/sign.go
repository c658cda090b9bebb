package intercom

import (
	"net/http"
	"time"

	"github.com/heardhq/heard/connectors"
)

var _ connectors.Signer = (*Connector)(nil)

// SignWebhook signs body with the app's client secret as Intercom does.
func (c *Connector) SignWebhook(body []byte, _ time.Time) (http.Header, error) {
	h := http.Header{}
	h.Set("X-Hub-Signature", Sign(string(c.secret), body))
	h.Set("Content-Type", "application/json")
	return h, nil
}
