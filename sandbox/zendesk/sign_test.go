package zendesk

import "testing"

// TestSignMatchesVendorVectors checks the sandbox's signer against the
// vectors in the vendor contract, not against heard's connector.
func TestSignMatchesVendorVectors(t *testing.T) {
	const static = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
	cases := []struct {
		name, secret, timestamp, body, want string
	}{
		{
			name:   "timestamp then body (current algorithm)",
			secret: static, timestamp: "2025-01-08T10:12:08Z", body: `{"ticket_id":"5158","event":"ticket_created"}`,
			want: "E7L16+aEwp+4U1bSgCkX6jCYg0939OjAPLCp7vUUrtM=",
		},
		{
			// The vendor's published example signs body then timestamp; the
			// concatenation is what is keyed, so swapping the arguments
			// reproduces it and pins the HMAC, the key bytes and the base64.
			name:   "vendor example (body then timestamp)",
			secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=", timestamp: `{"say": "hello"}`, body: "2021-07-25T10:00:00Z",
			want: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sign(tc.secret, tc.timestamp, []byte(tc.body)); got != tc.want {
				t.Errorf("Sign = %q; want %q", got, tc.want)
			}
		})
	}
}
