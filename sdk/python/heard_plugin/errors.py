"""Errors a plugin raises, and how they cross the wire.

Raise one of these from a handler; heard sees the matching sdk sentinel
(errors.Is) exactly as for a Go plugin:

    NotFound        NOT_FOUND          sdk.ErrNotFound       no retry
    Invalid         INVALID_ARGUMENT   sdk.ErrInvalid        no retry
    Unauthorized    UNAUTHENTICATED    sdk.ErrUnauthorized   no retry
    Unavailable     UNAVAILABLE        sdk.ErrUnavailable    retry with backoff
    RetryAfter      the cause's code   *sdk.RetryAfterError  retry after `wait`
    DeadlineExceeded DEADLINE_EXCEEDED context.DeadlineExceeded (a timeout)
    Unsupported     UNIMPLEMENTED      errors.ErrUnsupported
    PluginError, or any other exception
                    UNKNOWN            the message only      recorded, no restart

Every status carries a heard.plugin.v1.ErrorInfo detail in the
grpc-status-details-bin trailer; without it heard takes the error for a
broken connection and restarts the plugin.
"""

import grpc
from google.protobuf import duration_pb2

from heard_plugin import _wire
from heard_plugin._pb.heard.plugin.v1 import plugin_pb2


class PluginError(Exception):
    """An error the plugin returns on purpose. Sent as UNKNOWN."""

    code = grpc.StatusCode.UNKNOWN


class NotFound(PluginError):
    """The thing asked for does not exist (sdk.ErrNotFound)."""

    code = grpc.StatusCode.NOT_FOUND


class Invalid(PluginError):
    """Bad input or bad settings (sdk.ErrInvalid)."""

    code = grpc.StatusCode.INVALID_ARGUMENT


class Unauthorized(PluginError):
    """Credentials were refused (sdk.ErrUnauthorized)."""

    code = grpc.StatusCode.UNAUTHENTICATED


class Unavailable(PluginError):
    """A dependency is down; heard retries with backoff (sdk.ErrUnavailable)."""

    code = grpc.StatusCode.UNAVAILABLE


class DeadlineExceeded(PluginError):
    """The call ran out of time (context.DeadlineExceeded)."""

    code = grpc.StatusCode.DEADLINE_EXCEEDED


class Unsupported(PluginError):
    """The plugin does not do this (errors.ErrUnsupported)."""

    code = grpc.StatusCode.UNIMPLEMENTED


class RetryAfter(PluginError):
    """Try again after `wait` seconds (*sdk.RetryAfterError).

    `cause` is the underlying error, e.g. Unavailable("rate limited"); its
    code is the status code, RESOURCE_EXHAUSTED when it has none.
    """

    def __init__(self, wait, cause=None):
        self.wait = float(wait)
        self.cause = cause
        super().__init__(f"retry after {self.wait:g}s: {cause}" if cause is not None else f"retry after {self.wait:g}s")
        self.code = getattr(cause, "code", grpc.StatusCode.UNKNOWN)
        if self.code == grpc.StatusCode.UNKNOWN:
            self.code = grpc.StatusCode.RESOURCE_EXHAUSTED


DETAILS_KEY = "grpc-status-details-bin"
ERROR_INFO_TYPE_URL = "type.googleapis.com/heard.plugin.v1.ErrorInfo"


def status_of(exc):
    """Returns (code, message, trailing_metadata) for an exception."""
    code = getattr(exc, "code", grpc.StatusCode.UNKNOWN) if isinstance(exc, PluginError) else grpc.StatusCode.UNKNOWN
    message = str(exc) if isinstance(exc, PluginError) else f"{type(exc).__name__}: {exc}"
    info = plugin_pb2.ErrorInfo()
    if isinstance(exc, RetryAfter):
        info.retry_after.CopyFrom(duration_pb2.Duration(seconds=int(exc.wait), nanos=int(round((exc.wait % 1) * 1e9))))
        if exc.cause is not None:
            info.cause = str(exc.cause)
    st = _wire.Status(code=code.value[0], message=message)
    st.details.add(type_url=ERROR_INFO_TYPE_URL, value=info.SerializeToString())
    return code, message, ((DETAILS_KEY, st.SerializeToString()),)


def abort(context, exc):
    """Ends the call with exc's status and ErrorInfo detail. Never returns."""
    code, message, trailers = status_of(exc)
    context.set_trailing_metadata(trailers)
    context.abort(code, message)
