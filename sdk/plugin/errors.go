package plugin

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/heardhq/heard/sdk"
	pb "github.com/heardhq/heard/sdk/proto/heard/plugin/v1"
)

var (
	// ErrPanicked marks an error from a plugin that panicked during the
	// call. The SDK recovered the panic; the host restarts the plugin.
	ErrPanicked = errors.New("plugin panicked")
	// ErrTransport marks a failure to reach the plugin at all: the process
	// exited or the connection broke. Such errors also match
	// sdk.ErrUnavailable.
	ErrTransport = errors.New("plugin transport failed")
)

// RemoteError is an error a plugin returned, rebuilt on the host side.
// Error returns the plugin's message verbatim. errors.Is matches the sdk
// sentinel it was sent as (sdk.ErrNotFound, sdk.ErrInvalid,
// sdk.ErrUnauthorized, sdk.ErrUnavailable, context.DeadlineExceeded,
// context.Canceled, errors.ErrUnsupported) and ErrPanicked; errors.As finds
// a *sdk.RetryAfterError with the plugin's wait.
type RemoteError struct {
	// Message is the plugin's error text.
	Message string
	// Panicked is true when the plugin panicked during the call.
	Panicked bool
	wrapped  []error
}

func (e *RemoteError) Error() string { return e.Message }

// Unwrap returns the sentinels and the *sdk.RetryAfterError this error
// stands for.
func (e *RemoteError) Unwrap() []error { return e.wrapped }

// sentinels pairs the errors that cross the wire with their codes, most
// specific first.
var sentinels = []struct {
	err  error
	code codes.Code
}{
	{sdk.ErrNotFound, codes.NotFound},
	{sdk.ErrInvalid, codes.InvalidArgument},
	{sdk.ErrUnauthorized, codes.Unauthenticated},
	{sdk.ErrUnavailable, codes.Unavailable},
	{context.DeadlineExceeded, codes.DeadlineExceeded},
	{context.Canceled, codes.Canceled},
	{errors.ErrUnsupported, codes.Unimplemented},
}

func codeOf(err error) codes.Code {
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.code
		}
	}
	return codes.Unknown
}

func sentinelOf(c codes.Code) error {
	for _, s := range sentinels {
		if s.code == c {
			return s.err
		}
	}
	return nil
}

// panicError is a recovered panic.
type panicError struct{ val any }

func (e *panicError) Error() string { return fmt.Sprintf("plugin panicked: %v", e.val) }
func (e *panicError) Unwrap() error { return ErrPanicked }

// toStatus turns an implementation's error into a gRPC status error that
// carries one ErrorInfo detail. It is the plugin side of the error
// mapping; fromStatus is the host side.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	code := codeOf(err)
	info := &pb.ErrorInfo{}
	if errors.Is(err, ErrPanicked) {
		info.Panic = true
		code = codes.Internal
	}
	var ra *sdk.RetryAfterError
	if errors.As(err, &ra) {
		info.RetryAfter = durationpb.New(ra.Wait)
		if ra.Err != nil {
			info.Cause = ra.Err.Error()
		}
		if code == codes.Unknown {
			code = codes.ResourceExhausted
		}
	}
	st, derr := status.New(code, err.Error()).WithDetails(info)
	if derr != nil {
		return status.Error(code, err.Error())
	}
	return st.Err()
}

// fromStatus turns a gRPC error from a call into the error the plugin
// meant: a *RemoteError when the plugin answered with an error, one
// wrapping ErrTransport and sdk.ErrUnavailable when it could not be
// reached. Errors that are not gRPC statuses pass through.
func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	var info *pb.ErrorInfo
	for _, d := range st.Details() {
		if i, ok := d.(*pb.ErrorInfo); ok {
			info = i
			break
		}
	}
	if info == nil {
		// Not sent by a heard plugin: gRPC itself failed the call.
		switch st.Code() {
		case codes.DeadlineExceeded, codes.Canceled, codes.Unimplemented, codes.ResourceExhausted:
			// A deadline or cancellation on the host side, a service the
			// plugin does not serve, or a message over MaxMessageSize.
			re := &RemoteError{Message: st.Message()}
			if s := sentinelOf(st.Code()); s != nil {
				re.wrapped = []error{s}
			}
			if st.Code() == codes.ResourceExhausted {
				re.wrapped = []error{sdk.ErrInvalid}
			}
			return re
		}
		return &RemoteError{Message: "plugin transport: " + st.Message(), wrapped: []error{ErrTransport, sdk.ErrUnavailable}}
	}
	re := &RemoteError{Message: st.Message(), Panicked: info.GetPanic()}
	s := sentinelOf(st.Code())
	if s != nil {
		re.wrapped = append(re.wrapped, s)
	}
	if re.Panicked {
		re.wrapped = append(re.wrapped, ErrPanicked)
	}
	if d := info.GetRetryAfter(); d != nil {
		cause := &RemoteError{Message: info.GetCause()}
		if s != nil {
			cause.wrapped = []error{s}
		}
		re.wrapped = append(re.wrapped, &sdk.RetryAfterError{Err: cause, Wait: d.AsDuration()})
	}
	return re
}

func errUnexpectedDispense(v any) error {
	return fmt.Errorf("plugin dispensed %T, want *plugin.Client: %w", v, sdk.ErrInvalid)
}
