package freshdesk

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// VerifyWebhook checks the credentials the automation rule sends. Freshdesk
// signs nothing (CONTRACTS.md §2.3), so the body is not covered: what is
// checked is the shared secret header (webhook_secret, in webhook_header)
// and/or HTTP Basic credentials (webhook_basic_auth), compared in constant
// time. Every configured method whose credential is present must match, and
// at least one must be present. Failures wrap sdk.ErrUnauthorized; no
// message contains a credential or the body.
func (c *Connector) VerifyWebhook(h http.Header, _ []byte) error {
	verified := false
	if c.secretSum != nil {
		if got := strings.TrimSpace(h.Get(c.header)); got != "" {
			if !equalDigest(digest(got), c.secretSum) {
				return fmt.Errorf("verifying freshdesk webhook: %s header does not match webhook_secret: %w", c.header, sdk.ErrUnauthorized)
			}
			verified = true
		}
	}
	if c.basicUser != nil {
		if authz := strings.TrimSpace(h.Get("Authorization")); authz != "" {
			user, pass, ok := parseBasic(authz)
			if !ok {
				return fmt.Errorf("verifying freshdesk webhook: Authorization header is not Basic credentials: %w", sdk.ErrUnauthorized)
			}
			// Evaluate both so timing does not reveal which one differs.
			userOK := equalDigest(digest(user), c.basicUser)
			passOK := equalDigest(digest(pass), c.basicPass)
			if !userOK || !passOK {
				return fmt.Errorf("verifying freshdesk webhook: basic credentials do not match webhook_basic_auth: %w", sdk.ErrUnauthorized)
			}
			verified = true
		}
	}
	if !verified {
		return fmt.Errorf("verifying freshdesk webhook: missing %s: %w", c.expected(), sdk.ErrUnauthorized)
	}
	return nil
}

// expected names the credentials VerifyWebhook accepts, for messages.
func (c *Connector) expected() string {
	var want []string
	if c.secretSum != nil {
		want = append(want, c.header+" header")
	}
	if c.basicUser != nil {
		want = append(want, "Authorization (Basic) header")
	}
	return strings.Join(want, " or ")
}

// parseBasic decodes "Basic base64(user:pass)".
func parseBasic(authz string) (user, pass string, ok bool) {
	scheme, cred, found := strings.Cut(authz, " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

func equalDigest(a, b *[32]byte) bool {
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func canonicalHeader(name string) string { return textproto.CanonicalMIMEHeaderKey(name) }
