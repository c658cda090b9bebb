package intercom

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
)

// testSecret is the client secret of the local X-Hub-Signature vector.
const testSecret = "intercom_test_client_secret"

// baseConfig is a valid configuration tests start from.
func baseConfig() Config {
	return Config{Workspace: "acme", AccessToken: "tok", ClientSecret: testSecret}
}

// configSpec returns a spec named name whose Decode hands over cfg.
func configSpec(t *testing.T, name string, cfg Config) connectors.Spec {
	t.Helper()
	return connectors.Spec{
		Name: name,
		Decode: func(v any) error {
			p, ok := v.(*Config)
			if !ok {
				t.Fatalf("Decode got %T; want *Config", v)
			}
			*p = cfg
			return nil
		},
	}
}

// newTestConnector builds a connector named "acme-intercom" from cfg with
// the clock fixed at now.
func newTestConnector(t *testing.T, cfg Config, now time.Time) *Connector {
	t.Helper()
	c, err := New(configSpec(t, "acme-intercom", cfg), connectors.Deps{Now: func() time.Time { return now }, HTTPClient: &http.Client{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// jsonSpec returns a spec whose Decode strictly decodes settings through a
// JSON round trip, standing in for the host's YAML decoder.
func jsonSpec(name string, settings map[string]any) connectors.Spec {
	return connectors.Spec{
		Name: name,
		Decode: func(v any) error {
			b, err := json.Marshal(settings)
			if err != nil {
				return err
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			return dec.Decode(v)
		},
	}
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

// signed returns the headers Intercom sends for body.
func signed(secret string, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderSignature, Sign(secret, body))
	return h
}
