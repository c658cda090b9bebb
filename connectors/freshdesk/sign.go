package freshdesk

import (
	"net/http"
	"time"

	"github.com/heardhq/heard/connectors"
)

var _ connectors.Signer = (*Connector)(nil)

// SignWebhook adds the credentials the automation rule is configured to
// send (the secret header and/or basic auth); Freshdesk signs nothing.
func (c *Connector) SignWebhook(_ []byte, _ time.Time) (http.Header, error) {
	h := http.Header{}
	c.signWith(h)
	h.Set("Content-Type", "application/json")
	return h, nil
}
