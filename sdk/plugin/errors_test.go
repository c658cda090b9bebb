package plugin

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/heardhq/heard/sdk"
)

// Errors keep their meaning across the wire: what the plugin returns is
// what errors.Is and errors.As find in the host.
func TestErrorsSurviveTheWire(t *testing.T) {
	cases := []struct {
		name     string
		err      error
		code     codes.Code
		is       []error
		isNot    []error
		wait     time.Duration
		panicked bool
	}{
		{name: "not found", err: fmt.Errorf("ticket 42: %w", sdk.ErrNotFound), code: codes.NotFound,
			is: []error{sdk.ErrNotFound}, isNot: []error{sdk.ErrInvalid, sdk.ErrUnavailable}},
		{name: "invalid", err: fmt.Errorf("bad settings: %w", sdk.ErrInvalid), code: codes.InvalidArgument, is: []error{sdk.ErrInvalid}},
		{name: "unauthorized", err: fmt.Errorf("token rejected: %w", sdk.ErrUnauthorized), code: codes.Unauthenticated, is: []error{sdk.ErrUnauthorized}},
		{name: "unavailable", err: fmt.Errorf("crm down: %w", sdk.ErrUnavailable), code: codes.Unavailable,
			is: []error{sdk.ErrUnavailable}, isNot: []error{ErrTransport}},
		{name: "retry after", err: fmt.Errorf("fetching: %w", &sdk.RetryAfterError{Err: fmt.Errorf("429: %w", sdk.ErrUnavailable), Wait: 30 * time.Second}),
			code: codes.Unavailable, is: []error{sdk.ErrUnavailable}, wait: 30 * time.Second},
		{name: "retry after, no sentinel", err: &sdk.RetryAfterError{Err: errors.New("slow down"), Wait: time.Second},
			code: codes.ResourceExhausted, wait: time.Second},
		{name: "deadline", err: fmt.Errorf("calling crm: %w", context.DeadlineExceeded), code: codes.DeadlineExceeded, is: []error{context.DeadlineExceeded}},
		{name: "unsupported", err: fmt.Errorf("no articles: %w", errors.ErrUnsupported), code: codes.Unimplemented, is: []error{errors.ErrUnsupported}},
		{name: "panic", err: &panicError{val: "boom"}, code: codes.Internal, is: []error{ErrPanicked}, panicked: true},
		{name: "plain", err: errors.New("something odd"), code: codes.Unknown, isNot: []error{sdk.ErrUnavailable, ErrTransport, ErrPanicked}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wire := toStatus(tc.err)
			if got := status.Code(wire); got != tc.code {
				t.Errorf("code = %s; want %s", got, tc.code)
			}
			got := fromStatus(wire)
			if got.Error() != tc.err.Error() {
				t.Errorf("message = %q; want %q", got.Error(), tc.err.Error())
			}
			for _, s := range tc.is {
				if !errors.Is(got, s) {
					t.Errorf("errors.Is(%v, %v) = false", got, s)
				}
			}
			for _, s := range tc.isNot {
				if errors.Is(got, s) {
					t.Errorf("errors.Is(%v, %v) = true", got, s)
				}
			}
			var ra *sdk.RetryAfterError
			if errors.As(got, &ra) != (tc.wait > 0) || (ra != nil && ra.Wait != tc.wait) {
				t.Errorf("RetryAfterError = %+v; want wait %s", ra, tc.wait)
			}
			var want *sdk.RetryAfterError
			if ra != nil && errors.As(tc.err, &want) && ra.Err.Error() != want.Err.Error() {
				t.Errorf("RetryAfterError cause = %q; want %q", ra.Err, want.Err)
			}
			var re *RemoteError
			if !errors.As(got, &re) || re.Panicked != tc.panicked {
				t.Errorf("RemoteError = %+v; want Panicked %t", re, tc.panicked)
			}
		})
	}
	if toStatus(nil) != nil || fromStatus(nil) != nil {
		t.Error("nil must stay nil")
	}
}

// A status without heard's ErrorInfo is gRPC's own: the plugin could not
// be reached.
func TestTransportErrors(t *testing.T) {
	got := fromStatus(status.Error(codes.Unavailable, "connection refused"))
	if !errors.Is(got, ErrTransport) || !errors.Is(got, sdk.ErrUnavailable) || !sdk.Retryable(got) {
		t.Errorf("fromStatus(unavailable, no detail) = %v; want ErrTransport and ErrUnavailable", got)
	}
	if got := fromStatus(status.Error(codes.DeadlineExceeded, "deadline")); !errors.Is(got, context.DeadlineExceeded) || errors.Is(got, ErrTransport) {
		t.Errorf("fromStatus(deadline, no detail) = %v; want DeadlineExceeded only", got)
	}
	if got := fromStatus(status.Error(codes.ResourceExhausted, "message larger than max")); !errors.Is(got, sdk.ErrInvalid) {
		t.Errorf("fromStatus(too large) = %v; want ErrInvalid", got)
	}
	plain := errors.New("not grpc")
	if got := fromStatus(plain); got != plain { //nolint:errorlint // identity: it must pass through unwrapped
		t.Errorf("fromStatus(non-status) = %v; want it unchanged", got)
	}
}
