package zendesk

import (
	"net/http"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
)

// testSecret is the static test secret from Zendesk's verification example.
const testSecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="

// baseConfig is a valid configuration tests start from.
func baseConfig() Config {
	return Config{Subdomain: "acme", WebhookSecret: testSecret}
}

// newTestConnector builds a connector named "acme-zendesk" from cfg with the
// clock fixed at now.
func newTestConnector(t *testing.T, cfg Config, now time.Time) *Connector {
	t.Helper()
	spec := connectors.Spec{
		Name: "acme-zendesk",
		Decode: func(v any) error {
			p, ok := v.(*Config)
			if !ok {
				t.Fatalf("Decode got %T; want *Config", v)
			}
			*p = cfg
			return nil
		},
	}
	c, err := New(spec, connectors.Deps{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return at
}

// signedHeaders returns the headers Zendesk sends for body signed at ts.
func signedHeaders(secret, ts string, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderSignature, Sign(secret, ts, body))
	h.Set(HeaderSignatureTimestamp, ts)
	return h
}
