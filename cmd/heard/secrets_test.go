package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestURLCredentialsNeverPrinted starts heard serve with a password in a
// URL it cannot use and checks the password appears nowhere in what heard
// prints, while the error still says which setting is wrong.
func TestURLCredentialsNeverPrinted(t *testing.T) {
	const pw = "Hunter2Secret"
	cases := []struct {
		name     string
		yaml     string
		contains string
	}{
		{
			name: "zendesk base_url with credentials",
			yaml: `connectors:
  - {name: acme, type: zendesk, subdomain: acme, webhook_secret: s, email: a@acme.test, api_token: t,
     base_url: "https://bob:` + pw + `@acme.zendesk.com"}`,
			contains: "base_url",
		},
		{
			name: "freshdesk base_url with credentials",
			yaml: `connectors:
  - {name: acme, type: freshdesk, domain: acme, api_key: k, webhook_secret: s,
     base_url: "https://bob:` + pw + `@acme.freshdesk.com"}`,
			contains: "must not carry credentials",
		},
		{
			name: "intercom base_url with credentials",
			yaml: `connectors:
  - {name: acme, type: intercom, workspace: acme, access_token: k, client_secret: s,
     base_url: "https://bob:` + pw + `@api.intercom.io"}`,
			contains: "must not carry credentials",
		},
		{
			name:     "unreachable database_url",
			yaml:     `database_url: "postgres://heard:` + pw + `@127.0.0.1:1/heard?connect_timeout=2"`,
			contains: "127.0.0.1",
		},
		{
			name:     "malformed database_url",
			yaml:     `database_url: "postgres://heard:` + pw + `@127.0.0.1:port/heard"`,
			contains: "database_url",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := fmt.Sprintf("listen: 127.0.0.1:0\ndata_dir: %q\n%s\n", filepath.Join(dir, "data"), tc.yaml)
			path := filepath.Join(dir, "heard.yaml")
			if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			// A heard that accepted the URL would serve until stopped.
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			code := run(ctx, []string{"serve", "--config", path}, &out, &out)
			if code == 0 {
				t.Fatalf("heard serve exited 0, want a failure; output:\n%s", out.String())
			}
			if !strings.Contains(out.String(), tc.contains) {
				t.Errorf("output does not mention %q:\n%s", tc.contains, out.String())
			}
			if strings.Contains(out.String(), pw) {
				t.Errorf("output holds the password:\n%s", out.String())
			}
		})
	}
}
