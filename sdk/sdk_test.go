package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
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
