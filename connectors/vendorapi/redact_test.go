package vendorapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestErrorsAndLogsMaskURLCredentials checks that a base URL's password or
// a secret query parameter never reaches an error or a log line, for a
// vendor error answer (retried, then given up) and for a network error.
func TestErrorsAndLogsMaskURLCredentials(t *testing.T) {
	const password, token = "hunter2pass", "t0psecrettoken"
	srv, _ := script(t, status(http.StatusServiceUnavailable))
	closed, _ := script(t, status(http.StatusOK))
	closed.Close()
	cases := []struct {
		name string
		base string
	}{
		{"vendor answers 503", srv.URL},
		{"connection refused", closed.URL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := New("acme-zendesk", Config{RatePerMinute: 60000, MaxRetries: 2}, nil, log)
			c.sleep = func(_ context.Context, _ time.Duration) error { return nil }
			u := strings.Replace(tc.base, "http://", "http://bob:"+password+"@", 1) + "/api/v2/tickets/1?token=" + token
			_, err := c.Do(t.Context(), Request{Method: http.MethodGet, URL: u})
			if err == nil {
				t.Fatal("Do succeeded, want an error")
			}
			if !strings.Contains(err.Error(), "/api/v2/tickets/1") {
				t.Errorf("error %q does not name the path", err)
			}
			if logs.Len() == 0 {
				t.Fatal("no retry was logged; the log check would prove nothing")
			}
			for what, text := range map[string]string{"error": err.Error(), "log": logs.String()} {
				for _, secret := range []string{password, token} {
					if strings.Contains(text, secret) {
						t.Errorf("%s holds %q:\n%s", what, secret, text)
					}
				}
			}
		})
	}
}
