package zendesk

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// vector is a signature test vector from testdata/vectors.
type vector struct {
	Secret    string `json:"signing_secret"`
	Body      string `json:"body"`
	Timestamp string `json:"x-zendesk-webhook-signature-timestamp"`
	// Local vector.
	TimestampPlusBody string `json:"expected_signature_timestamp_plus_body"`
	BodyPlusTimestamp string `json:"signature_if_body_plus_timestamp"`
	// Official (legacy order) vector.
	Signature string `json:"x-zendesk-webhook-signature"`
}

func loadVector(t *testing.T, name string) vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors", name))
	if err != nil {
		t.Fatalf("reading vector: %v", err)
	}
	var v vector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding vector %s: %v", name, err)
	}
	if v.Secret == "" || v.Body == "" || v.Timestamp == "" {
		t.Fatalf("vector %s is incomplete: %+v", name, v)
	}
	return v
}

const (
	localVector    = "local-test-vector.timestamp-plus-body.json"
	officialVector = "official-doc.signature-test-vector.json"
)

func TestSign(t *testing.T) {
	local := loadVector(t, localVector)
	official := loadVector(t, officialVector)
	tests := []struct {
		name       string
		secret, ts string
		body       string
		want       string
		wantEqual  bool
	}{
		{name: "local vector timestamp+body", secret: local.Secret, ts: local.Timestamp, body: local.Body, want: local.TimestampPlusBody, wantEqual: true},
		{name: "local vector is not body+timestamp", secret: local.Secret, ts: local.Timestamp, body: local.Body, want: local.BodyPlusTimestamp, wantEqual: false},
		// Sign(secret, body, timestamp) computes HMAC(body+timestamp): the
		// official vector reproduces only in that order.
		{name: "official vector reproduces as body+timestamp", secret: official.Secret, ts: official.Body, body: official.Timestamp, want: official.Signature, wantEqual: true},
		{name: "official vector is not timestamp+body", secret: official.Secret, ts: official.Timestamp, body: official.Body, want: official.Signature, wantEqual: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sign(tt.secret, tt.ts, []byte(tt.body))
			if (got == tt.want) != tt.wantEqual {
				t.Errorf("Sign() = %q, want equal to %q: %v", got, tt.want, tt.wantEqual)
			}
		})
	}
}

func TestVerifyWebhookVectors(t *testing.T) {
	local := loadVector(t, localVector)
	official := loadVector(t, officialVector)
	tests := []struct {
		name    string
		v       vector
		sig     string
		legacy  bool
		wantErr bool
	}{
		{name: "local vector verifies", v: local, sig: local.TimestampPlusBody},
		{name: "local vector verifies with legacy on", v: local, sig: local.TimestampPlusBody, legacy: true},
		{name: "body+timestamp signature rejected by default", v: local, sig: local.BodyPlusTimestamp, wantErr: true},
		{name: "body+timestamp signature accepted with legacy", v: local, sig: local.BodyPlusTimestamp, legacy: true},
		{name: "official legacy vector rejected by default", v: official, sig: official.Signature, wantErr: true},
		{name: "official legacy vector accepted with legacy", v: official, sig: official.Signature, legacy: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.WebhookSecret = sdk.Secret(tt.v.Secret)
			cfg.AcceptLegacySignature = tt.legacy
			c := newTestConnector(t, cfg, mustTime(t, tt.v.Timestamp).Add(30*time.Second))
			h := http.Header{}
			h.Set(HeaderSignature, tt.sig)
			h.Set(HeaderSignatureTimestamp, tt.v.Timestamp)
			err := c.VerifyWebhook(h, []byte(tt.v.Body))
			switch {
			case tt.wantErr && !errors.Is(err, sdk.ErrUnauthorized):
				t.Errorf("VerifyWebhook() = %v, want an error wrapping ErrUnauthorized", err)
			case !tt.wantErr && err != nil:
				t.Errorf("VerifyWebhook() = %v, want nil", err)
			}
		})
	}
}

func TestVerifyWebhook(t *testing.T) {
	const ts = "2025-01-08T10:12:08Z"
	body := []byte(`{"ticket_id":"5158","event":"ticket_created"}`)
	at := mustTime(t, ts)
	tests := []struct {
		name    string
		window  string
		legacy  bool
		now     time.Time
		headers http.Header
		body    []byte
		wantIn  string // "" means success; otherwise a substring of the error
	}{
		{name: "valid", now: at, headers: signedHeaders(testSecret, ts, body), body: body},
		{name: "valid at edge of window past", now: at.Add(5 * time.Minute), headers: signedHeaders(testSecret, ts, body), body: body},
		{name: "valid at edge of window future", now: at.Add(-5 * time.Minute), headers: signedHeaders(testSecret, ts, body), body: body},
		{name: "valid with fractional timestamp", now: at, headers: signedHeaders(testSecret, "2025-01-08T10:12:08.5Z", body), body: body},
		{name: "valid with offset timestamp", now: at, headers: signedHeaders(testSecret, "2025-01-08T11:12:08+01:00", body), body: body},
		{name: "empty body signed", now: at, headers: signedHeaders(testSecret, ts, nil), body: nil},
		{name: "tampered body", now: at, headers: signedHeaders(testSecret, ts, body), body: []byte(`{"ticket_id":"5159","event":"ticket_created"}`), wantIn: "does not match"},
		{name: "tampered body with legacy", legacy: true, now: at, headers: signedHeaders(testSecret, ts, body), body: append([]byte(" "), body...), wantIn: "does not match"},
		{name: "wrong secret", now: at, headers: signedHeaders("another-secret", ts, body), body: body, wantIn: "does not match"},
		{name: "timestamp header swapped after signing", now: at, headers: with(signedHeaders(testSecret, ts, body), HeaderSignatureTimestamp, "2025-01-08T10:12:09Z"), body: body, wantIn: "does not match"},
		{name: "missing signature header", now: at, headers: without(signedHeaders(testSecret, ts, body), HeaderSignature), body: body, wantIn: "missing " + HeaderSignature + " header"},
		{name: "blank signature header", now: at, headers: with(signedHeaders(testSecret, ts, body), HeaderSignature, "  "), body: body, wantIn: "missing " + HeaderSignature + " header"},
		{name: "missing timestamp header", now: at, headers: without(signedHeaders(testSecret, ts, body), HeaderSignatureTimestamp), body: body, wantIn: "missing " + HeaderSignatureTimestamp + " header"},
		{name: "no headers", now: at, headers: http.Header{}, body: body, wantIn: "missing"},
		{name: "bad base64", now: at, headers: with(signedHeaders(testSecret, ts, body), HeaderSignature, "not*base64!"), body: body, wantIn: "not valid base64"},
		{name: "hex instead of base64 length", now: at, headers: with(signedHeaders(testSecret, ts, body), HeaderSignature, "c2hvcnQ="), body: body, wantIn: "is 5 bytes, want 32"},
		{name: "unparsable timestamp", now: at, headers: signedHeaders(testSecret, "1736331128", body), body: body, wantIn: "not an RFC 3339 time"},
		{name: "stale timestamp", now: at.Add(5*time.Minute + time.Second), headers: signedHeaders(testSecret, ts, body), body: body, wantIn: "5m1s old, outside the 5m0s replay window"},
		{name: "future timestamp", now: at.Add(-5*time.Minute - time.Second), headers: signedHeaders(testSecret, ts, body), body: body, wantIn: "5m1s in the future, outside the 5m0s replay window"},
		{name: "stale with custom window", window: "1m", now: at.Add(2 * time.Minute), headers: signedHeaders(testSecret, ts, body), body: body, wantIn: "outside the 1m0s replay window"},
		{name: "custom window accepts", window: "10m", now: at.Add(9 * time.Minute), headers: signedHeaders(testSecret, ts, body), body: body},
		{name: "stale even with legacy", legacy: true, now: at.Add(time.Hour), headers: signedHeaders(testSecret, ts, body), body: body, wantIn: "replay window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.ReplayWindow = tt.window
			cfg.AcceptLegacySignature = tt.legacy
			c := newTestConnector(t, cfg, tt.now)
			err := c.VerifyWebhook(tt.headers, tt.body)
			if tt.wantIn == "" {
				if err != nil {
					t.Fatalf("VerifyWebhook() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, sdk.ErrUnauthorized) {
				t.Fatalf("VerifyWebhook() = %v, want an error wrapping ErrUnauthorized", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantIn) {
				t.Errorf("VerifyWebhook() error = %q, want it to contain %q", msg, tt.wantIn)
			}
			if strings.Contains(msg, testSecret) || (len(tt.body) > 0 && strings.Contains(msg, string(tt.body))) || strings.Contains(msg, "5158") {
				t.Errorf("VerifyWebhook() error = %q leaks the secret or the body", msg)
			}
		})
	}
}

// with returns h with key set to value.
func with(h http.Header, key, value string) http.Header {
	h.Set(key, value)
	return h
}

// without returns h without key.
func without(h http.Header, key string) http.Header {
	h.Del(key)
	return h
}
