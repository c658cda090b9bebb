package zendesk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Webhook signature headers, as Zendesk names them (CONTRACTS.md §1.3).
// The sandbox writes them from the vendor contract, not from heard's
// connector, so that it can catch a connector that verifies wrongly.
const (
	// HeaderSignature carries base64(HMAC-SHA256(secret, timestamp+body)).
	HeaderSignature = "X-Zendesk-Webhook-Signature"
	// HeaderSignatureTimestamp carries the signing time (ISO 8601, UTC).
	HeaderSignatureTimestamp = "X-Zendesk-Webhook-Signature-Timestamp"
	// HeaderInvocationID identifies one invocation; a redelivery repeats it.
	HeaderInvocationID = "X-Zendesk-Webhook-Invocation-Id"
)

// Sign returns the X-Zendesk-Webhook-Signature Zendesk sends: the base64
// of HMAC-SHA256 keyed with the signing secret's bytes as they are, over
// the timestamp header's value followed directly by the raw body.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
