package intercom

import "testing"

// TestSignMatchesContractVector checks the sandbox's X-Hub-Signature
// against the vector in the vendor contract, not against heard's connector.
func TestSignMatchesContractVector(t *testing.T) {
	body := `{"type":"notification_event","topic":"ping","id":"notif_test","app_id":"abc123"}`
	if got, want := Sign("intercom_test_client_secret", []byte(body)), "sha1=2fa7efa01819c0a0a88ebc509776b0f8942932ae"; got != want {
		t.Errorf("Sign = %q; want %q", got, want)
	}
	if Sign("another secret", []byte(body)) == Sign("intercom_test_client_secret", []byte(body)) {
		t.Error("the signature does not depend on the secret")
	}
}
