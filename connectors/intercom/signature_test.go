package intercom

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

// vector is testdata/vectors/local-test-vector.x-hub-signature.json.
type vector struct {
	Secret    string `json:"client_secret"`
	Body      string `json:"body"`
	Signature string `json:"x-hub-signature"`
}

func loadVector(t *testing.T) vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors", "local-test-vector.x-hub-signature.json"))
	if err != nil {
		t.Fatalf("reading vector: %v", err)
	}
	var v vector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding vector: %v", err)
	}
	if v.Secret == "" || v.Body == "" || !strings.HasPrefix(v.Signature, "sha1=") {
		t.Fatalf("vector is incomplete: %+v", v)
	}
	return v
}

func TestSignVector(t *testing.T) {
	v := loadVector(t)
	if got := Sign(v.Secret, []byte(v.Body)); got != v.Signature {
		t.Errorf("Sign(vector) = %q, want %q", got, v.Signature)
	}
	if got := Sign(v.Secret+"x", []byte(v.Body)); got == v.Signature {
		t.Errorf("Sign with another secret reproduced the vector")
	}
}

func TestVerifyWebhook(t *testing.T) {
	v := loadVector(t)
	body := []byte(v.Body)
	hdr := func(sig string) http.Header {
		h := http.Header{}
		if sig != "" {
			h.Set(HeaderSignature, sig)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   []byte
		wantIn string // "" means success
	}{
		{name: "vector verifies", secret: v.Secret, h: hdr(v.Signature), body: body},
		{name: "upper-case hex and prefix", secret: v.Secret, h: hdr("SHA1=" + strings.ToUpper(strings.TrimPrefix(v.Signature, "sha1="))), body: body},
		{name: "surrounding blanks", secret: v.Secret, h: hdr("  " + v.Signature + " "), body: body},
		{name: "empty body signed", secret: v.Secret, h: hdr(Sign(v.Secret, nil)), body: nil},
		{name: "tampered body", secret: v.Secret, h: hdr(v.Signature), body: []byte(strings.Replace(v.Body, "ping", "pong", 1)), wantIn: "does not match"},
		{name: "wrong secret", secret: "another-secret", h: hdr(v.Signature), body: body, wantIn: "does not match"},
		{name: "missing header", secret: v.Secret, h: hdr(""), body: body, wantIn: "missing " + HeaderSignature},
		{name: "blank header", secret: v.Secret, h: hdr("   "), body: body, wantIn: "missing " + HeaderSignature},
		{name: "sha256 prefix", secret: v.Secret, h: hdr("sha256=" + strings.TrimPrefix(v.Signature, "sha1=")), body: body, wantIn: `does not start with "sha1="`},
		{name: "bare hex", secret: v.Secret, h: hdr(strings.TrimPrefix(v.Signature, "sha1=")), body: body, wantIn: `does not start with "sha1="`},
		{name: "not hex", secret: v.Secret, h: hdr("sha1=zz" + strings.TrimPrefix(v.Signature, "sha1=zz")[2:]), body: body, wantIn: "not hex"},
		{name: "truncated", secret: v.Secret, h: hdr(v.Signature[:len(v.Signature)-2]), body: body, wantIn: "is 19 bytes, want 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.ClientSecret = sdk.Secret(tt.secret)
			c := newTestConnector(t, cfg, time.Now())
			err := c.VerifyWebhook(tt.h, tt.body)
			if tt.wantIn == "" {
				if err != nil {
					t.Fatalf("VerifyWebhook() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, sdk.ErrUnauthorized) {
				t.Fatalf("VerifyWebhook() = %v, want an error wrapping ErrUnauthorized", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantIn) {
				t.Errorf("VerifyWebhook() error = %q, want it to contain %q", msg, tt.wantIn)
			}
			if msg := err.Error(); strings.Contains(msg, tt.secret) || strings.Contains(msg, "notif_test") {
				t.Errorf("VerifyWebhook() error = %q leaks the secret or the body", msg)
			}
		})
	}
}
