package zendesk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Zendesk webhook request headers.
const (
	// HeaderSignature carries base64(HMAC-SHA256(secret, timestamp+body)).
	HeaderSignature = "X-Zendesk-Webhook-Signature"
	// HeaderSignatureTimestamp carries the signing time, RFC 3339.
	HeaderSignatureTimestamp = "X-Zendesk-Webhook-Signature-Timestamp"
	// HeaderInvocationID identifies one webhook invocation; retries of it
	// carry the same value.
	HeaderInvocationID = "X-Zendesk-Webhook-Invocation-Id"
)

// Sign returns the X-Zendesk-Webhook-Signature value Zendesk sends for body
// signed at timestamp: base64(HMAC-SHA256(key = secret, msg = timestamp +
// body)). The secret's string bytes are the key as-is.
func Sign(secret, timestamp string, body []byte) string {
	return base64.StdEncoding.EncodeToString(mac([]byte(secret), []byte(timestamp), body))
}

// mac returns HMAC-SHA256(key, a + b).
func mac(key, a, b []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(a)
	m.Write(b)
	return m.Sum(nil)
}

// VerifyWebhook checks the delivery's signature and that its timestamp is
// within the replay window of now. Every failure wraps sdk.ErrUnauthorized
// and says what was wrong; no message contains the body or the secret.
func (c *Connector) VerifyWebhook(h http.Header, body []byte) error {
	sig, ts, err := c.checkHeaders(h)
	if err != nil {
		return err
	}
	if hmac.Equal(sig, mac(c.secret, []byte(ts), body)) {
		return nil
	}
	if c.legacy && hmac.Equal(sig, mac(c.secret, body, []byte(ts))) {
		return nil
	}
	return fmt.Errorf("verifying zendesk webhook: signature does not match: %w", sdk.ErrUnauthorized)
}

// CheckWebhookHeaders runs the part of VerifyWebhook that needs no body:
// the signature header is present and the size of a SHA-256 MAC, and the
// signature timestamp is within the replay window. The receiver calls it
// before reading the body.
func (c *Connector) CheckWebhookHeaders(h http.Header) error {
	_, _, err := c.checkHeaders(h)
	return err
}

// checkHeaders returns the decoded signature and the timestamp it covers.
func (c *Connector) checkHeaders(h http.Header) (sig []byte, ts string, err error) {
	sigText := strings.TrimSpace(h.Get(HeaderSignature))
	if sigText == "" {
		return nil, "", fmt.Errorf("verifying zendesk webhook: missing %s header: %w", HeaderSignature, sdk.ErrUnauthorized)
	}
	ts = strings.TrimSpace(h.Get(HeaderSignatureTimestamp))
	if ts == "" {
		return nil, "", fmt.Errorf("verifying zendesk webhook: missing %s header: %w", HeaderSignatureTimestamp, sdk.ErrUnauthorized)
	}
	sig, err = base64.StdEncoding.DecodeString(sigText)
	if err != nil {
		return nil, "", fmt.Errorf("verifying zendesk webhook: %s is not valid base64: %w", HeaderSignature, sdk.ErrUnauthorized)
	}
	if len(sig) != sha256.Size {
		return nil, "", fmt.Errorf("verifying zendesk webhook: %s is %d bytes, want %d: %w", HeaderSignature, len(sig), sha256.Size, sdk.ErrUnauthorized)
	}
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return nil, "", fmt.Errorf("verifying zendesk webhook: %s %.40q is not an RFC 3339 time: %w", HeaderSignatureTimestamp, ts, sdk.ErrUnauthorized)
	}
	now := c.now()
	switch age := now.Sub(at); {
	case age > c.window:
		return nil, "", fmt.Errorf("verifying zendesk webhook: %s %s is %s old, outside the %s replay window: %w",
			HeaderSignatureTimestamp, ts, age.Round(time.Second), c.window, sdk.ErrUnauthorized)
	case age < -c.window:
		return nil, "", fmt.Errorf("verifying zendesk webhook: %s %s is %s in the future, outside the %s replay window: %w",
			HeaderSignatureTimestamp, ts, (-age).Round(time.Second), c.window, sdk.ErrUnauthorized)
	}
	return sig, ts, nil
}
