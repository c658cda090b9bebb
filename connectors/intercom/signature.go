package intercom

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Intercom signs webhooks with HMAC-SHA1; heard cannot choose
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// HeaderSignature carries "sha1=" + hex(HMAC-SHA1(client secret, body)).
const HeaderSignature = "X-Hub-Signature"

// signaturePrefix starts every X-Hub-Signature value.
const signaturePrefix = "sha1="

// Sign returns the X-Hub-Signature value Intercom sends for body when the
// app's client secret is secret.
func Sign(secret string, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac([]byte(secret), body))
}

// mac returns HMAC-SHA1(key, body).
func mac(key, body []byte) []byte {
	m := hmac.New(sha1.New, key)
	m.Write(body)
	return m.Sum(nil)
}

// VerifyWebhook checks X-Hub-Signature over the raw body in constant time.
// Intercom sends no timestamp, so there is no replay window: replays are
// caught by deduplicating on the notification id. Every failure wraps
// sdk.ErrUnauthorized; no message contains the body or the secret.
func (c *Connector) VerifyWebhook(h http.Header, body []byte) error {
	sig, err := signatureHeader(h)
	if err != nil {
		return err
	}
	if !hmac.Equal(sig, mac(c.secret, body)) {
		return fmt.Errorf("verifying intercom webhook: signature does not match (is client_secret the app's client secret?): %w", sdk.ErrUnauthorized)
	}
	return nil
}

// CheckWebhookHeaders runs the part of VerifyWebhook that needs no body:
// X-Hub-Signature is present and well formed. The receiver calls it before
// reading the body.
func (c *Connector) CheckWebhookHeaders(h http.Header) error {
	_, err := signatureHeader(h)
	return err
}

// signatureHeader decodes X-Hub-Signature.
func signatureHeader(h http.Header) ([]byte, error) {
	v := strings.TrimSpace(h.Get(HeaderSignature))
	if v == "" {
		return nil, fmt.Errorf("verifying intercom webhook: missing %s header: %w", HeaderSignature, sdk.ErrUnauthorized)
	}
	if len(v) < len(signaturePrefix) || !strings.EqualFold(v[:len(signaturePrefix)], signaturePrefix) {
		return nil, fmt.Errorf("verifying intercom webhook: %s does not start with %q: %w", HeaderSignature, signaturePrefix, sdk.ErrUnauthorized)
	}
	sig, err := hex.DecodeString(v[len(signaturePrefix):])
	if err != nil {
		return nil, fmt.Errorf("verifying intercom webhook: %s is not hex after %q: %w", HeaderSignature, signaturePrefix, sdk.ErrUnauthorized)
	}
	if len(sig) != sha1.Size {
		return nil, fmt.Errorf("verifying intercom webhook: %s is %d bytes, want %d: %w", HeaderSignature, len(sig), sha1.Size, sdk.ErrUnauthorized)
	}
	return sig, nil
}
