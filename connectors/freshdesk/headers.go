package freshdesk

import "net/http"

// CheckWebhookHeaders is VerifyWebhook without a body: Freshdesk's
// credentials are all in the headers, so the receiver can refuse a delivery
// before reading its body.
func (c *Connector) CheckWebhookHeaders(h http.Header) error { return c.VerifyWebhook(h, nil) }
