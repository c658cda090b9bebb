package config

import (
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestExpandString(t *testing.T) {
	getenv := env(map[string]string{"TOKEN": "s3cr3t", "HOST": "db", "EMPTY": ""})
	tests := []struct {
		name, in, want string
		wantErr        string
	}{
		{"no reference", "plain", "plain", ""},
		{"whole value", "${TOKEN}", "s3cr3t", ""},
		{"inside text", "postgres://u:${TOKEN}@${HOST}/heard", "postgres://u:s3cr3t@db/heard", ""},
		{"default unused", "${HOST:-localhost}", "db", ""},
		{"default used when unset", "${NOPE:-localhost}", "localhost", ""},
		{"default used when empty", "${EMPTY:-x}", "x", ""},
		{"empty default", "a${NOPE:-}b", "ab", ""},
		{"default with colon", "${NOPE:-http://x:1}", "http://x:1", ""},
		{"dollar escape", "pa$$word", "pa$word", ""},
		{"escaped reference", "$${TOKEN}", "${TOKEN}", ""},
		{"lone dollar kept", "cost $5 $", "cost $5 $", ""},
		{"unset", "x${NOPE}", "", `environment variable "NOPE" is not set`},
		{"empty counts as unset", "${EMPTY}", "", `environment variable "EMPTY" is not set`},
		{"unterminated", "${TOKEN", "", `unterminated "${"`},
		{"bad name", "${1X}", "", `invalid environment variable name "1X"`},
		{"empty name", "${}", "", `invalid environment variable name ""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := expandString(tc.in, getenv)
			if tc.wantErr != "" {
				wantErrContains(t, err, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("expandString(%q) error: %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("expandString(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLoadExpansion(t *testing.T) {
	path := writeFile(t, `# ${NOT_EXPANDED_IN_COMMENTS}
listen: ":${PORT}"
database_url: postgres://heard:${DB_PASSWORD}@db/heard
log_level: ${LOG_LEVEL:-warn}
queue:
  workers: ${WORKERS}
  retry_base: ${RETRY_BASE:-2s}
connectors:
  - name: ${CONNECTOR_NAME}
    type: zendesk
    api_token: ${ZENDESK_API_TOKEN}
    note: "price: $$5"
    quoted_number: "${WORKERS}"
`)
	getenv := env(map[string]string{
		"PORT":              "9999",
		"DB_PASSWORD":       "pw",
		"WORKERS":           "3",
		"CONNECTOR_NAME":    "acme",
		"ZENDESK_API_TOKEN": "tok: [not yaml]",
	})
	c, err := Load(path, getenv)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"listen", c.Listen, ":9999"},
		{"database_url", c.DatabaseURL, sdk.Secret("postgres://heard:pw@db/heard")},
		{"log_level default", c.LogLevel, "warn"},
		{"workers as int", c.Queue.Workers, 3},
		{"retry_base default", c.Queue.RetryBase, Duration(2 * time.Second)},
		{"connector name", c.Connectors[0].Name, "acme"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	var vendor struct {
		APIToken     sdk.Secret `yaml:"api_token"`
		Note         string     `yaml:"note"`
		QuotedNumber string     `yaml:"quoted_number"`
	}
	if err := c.Connectors[0].Decode(&vendor); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got, want := vendor.APIToken.Reveal(), "tok: [not yaml]"; got != want {
		t.Errorf("api_token: got %q, want %q (substituted text is never YAML)", got, want)
	}
	if got, want := vendor.Note, "price: $5"; got != want {
		t.Errorf("note: got %q, want %q", got, want)
	}
	if got, want := vendor.QuotedNumber, "3"; got != want {
		t.Errorf("quoted_number: got %q, want %q", got, want)
	}
}

func TestLoadExpansionErrors(t *testing.T) {
	tests := []struct {
		name, content string
		getenv        map[string]string
		want          []string
	}{
		{
			name:    "missing variable names it and the line",
			content: "listen: \":8080\"\n\nconnectors:\n  - name: acme\n    type: zendesk\n    api_token: ${ZENDESK_API_TOKEN}\n",
			want:    []string{`heard.yaml:6: environment variable "ZENDESK_API_TOKEN" is not set`},
		},
		{
			name:    "every missing variable is reported",
			content: "listen: ${LISTEN}\ndata_dir: ${DIR}\n",
			want:    []string{`heard.yaml:1: environment variable "LISTEN"`, `heard.yaml:2: environment variable "DIR"`},
		},
		{
			name:    "expanded value with wrong type keeps the line",
			content: "queue:\n  workers: ${WORKERS}\n",
			getenv:  map[string]string{"WORKERS": "many"},
			want:    []string{"heard.yaml:2:", "cannot unmarshal"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.content), env(tc.getenv))
			wantErrContains(t, err, tc.want...)
		})
	}
}

func TestExpansionErrorHidesValue(t *testing.T) {
	// A literal secret next to a bad reference must not leak into the error.
	_, err := Load(writeFile(t, "database_url: postgres://u:hunter2@db/${DB\n"), env(nil))
	if err == nil {
		t.Fatal("Load: got nil error, want one")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q reveals the value", err)
	}
}
