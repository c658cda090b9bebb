package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRetryable(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"invalid", fmt.Errorf("x: %w", ErrInvalid), false},
		{"unauthorized", fmt.Errorf("x: %w", ErrUnauthorized), false},
		{"not found", ErrNotFound, false},
		{"unavailable", ErrUnavailable, true},
		{"retry after", &RetryAfterError{Err: errors.New("429")}, true},
		{"plain", errors.New("boom"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Retryable(tc.err); got != tc.want {
				t.Errorf("Retryable(%v) = %v; want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestSecretNeverMarshalsItsValue(t *testing.T) {
	b, err := json.Marshal(struct{ K Secret }{K: "hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"K":"[redacted]"}`; got != want {
		t.Errorf("json = %s; want %s", got, want)
	}
	if Secret("").String() != "" {
		t.Error("empty secret should print empty, so a missing value is visible")
	}
}

func TestChangesEmpty(t *testing.T) {
	p := P2
	for _, tc := range []struct {
		ch   Changes
		want bool
	}{
		{Changes{}, true},
		{Changes{Fingerprint: "f"}, true},
		{Changes{AddTags: []string{"a"}}, false},
		{Changes{Priority: &p}, false},
		{Changes{Fields: map[string]string{"a": "b"}}, false},
		{Changes{InternalNote: "n"}, false},
	} {
		if got := tc.ch.Empty(); got != tc.want {
			t.Errorf("%+v.Empty() = %v; want %v", tc.ch, got, tc.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no credentials", "https://acme.zendesk.com/api/v2", "https://acme.zendesk.com/api/v2"},
		{"user and password", "https://bob:hunter2@acme.zendesk.com/x", "https://bob:xxxxx@acme.zendesk.com/x"},
		{"user only (maybe a token)", "https://tok3n@api.example.com", "https://xxxxx@api.example.com"},
		{"postgres url", "postgres://heard:s3cr3t@db:5432/heard?sslmode=disable", "postgres://heard:xxxxx@db:5432/heard?sslmode=disable"},
		{"password in query", "postgres://db/heard?password=s3cr3t&sslmode=require", "postgres://db/heard?password=xxxxx&sslmode=require"},
		{"token in query, any case", "https://x.test/a?Access_Token=s3cr3t", "https://x.test/a?Access_Token=xxxxx"},
		{"unparsable with credentials", "postgres://u:s3cr3t@db:54x32/heard", "postgres://xxxxx@db:54x32/heard"},
		{"unparsable password containing @", "postgres://u:p@ss%zz@db/heard", "postgres://xxxxx@db/heard"},
		{"no scheme", "u:s3cr3t@db:5432", "xxxxx@db:5432"},
		{"at sign in path only", "https://x.test/users/@me", "https://x.test/users/@me"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RedactURL(tc.in)
			if got != tc.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, secret := range []string{"hunter2", "s3cr3t", "tok3n"} {
				if strings.Contains(got, secret) {
					t.Errorf("RedactURL(%q) = %q still holds %q", tc.in, got, secret)
				}
			}
		})
	}
}
