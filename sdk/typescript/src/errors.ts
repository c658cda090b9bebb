// Errors a plugin throws, and how they cross the wire.
//
// Throw one of these from a handler; heard sees the matching sdk sentinel
// (errors.Is) exactly as for a Go plugin:
//
//   NotFound          NOT_FOUND           sdk.ErrNotFound        no retry
//   Invalid           INVALID_ARGUMENT    sdk.ErrInvalid         no retry
//   Unauthorized      UNAUTHENTICATED     sdk.ErrUnauthorized    no retry
//   Unavailable       UNAVAILABLE         sdk.ErrUnavailable     retry with backoff
//   RetryAfter        the cause's code    *sdk.RetryAfterError   retry after `wait`
//   DeadlineExceeded  DEADLINE_EXCEEDED   context.DeadlineExceeded (a timeout)
//   Unsupported       UNIMPLEMENTED       errors.ErrUnsupported
//   PluginError, or anything else thrown
//                     UNKNOWN             the message only       recorded, no restart
//
// Every status carries a heard.plugin.v1.ErrorInfo detail in the
// grpc-status-details-bin trailer; without it heard takes the error for a
// broken connection and restarts the plugin.

import * as grpc from "@grpc/grpc-js";
import { loadMessages } from "./proto";
import { Status } from "./wire";

/** An error the plugin returns on purpose. Sent as UNKNOWN. */
export class PluginError extends Error {
  /** code is the gRPC status code heard receives. */
  code: grpc.status = grpc.status.UNKNOWN;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (sdk.ErrNotFound). */
export class NotFound extends PluginError {
  override code = grpc.status.NOT_FOUND;
}

/** Bad input or bad settings (sdk.ErrInvalid). */
export class Invalid extends PluginError {
  override code = grpc.status.INVALID_ARGUMENT;
}

/** Credentials were refused (sdk.ErrUnauthorized). */
export class Unauthorized extends PluginError {
  override code = grpc.status.UNAUTHENTICATED;
}

/** A dependency is down; heard retries with backoff (sdk.ErrUnavailable). */
export class Unavailable extends PluginError {
  override code = grpc.status.UNAVAILABLE;
}

/** The call ran out of time or was cancelled (context.DeadlineExceeded). */
export class DeadlineExceeded extends PluginError {
  override code = grpc.status.DEADLINE_EXCEEDED;
}

/** The plugin does not do this (errors.ErrUnsupported). */
export class Unsupported extends PluginError {
  override code = grpc.status.UNIMPLEMENTED;
}

/** Formats seconds like Go's %g for the usual cases: 1.5, 3, 0.25. */
function seconds(s: number): string {
  return String(Number(s.toPrecision(6)));
}

/**
 * Try again after `wait` seconds (*sdk.RetryAfterError). `cause` is the
 * underlying error, e.g. new Unavailable("rate limited"); its code is the
 * status code, RESOURCE_EXHAUSTED when it has none.
 */
export class RetryAfter extends PluginError {
  constructor(readonly wait: number, readonly cause?: Error) {
    super(cause !== undefined ? `retry after ${seconds(wait)}s: ${cause.message}` : `retry after ${seconds(wait)}s`);
    const code = cause instanceof PluginError ? cause.code : grpc.status.UNKNOWN;
    this.code = code === grpc.status.UNKNOWN ? grpc.status.RESOURCE_EXHAUSTED : code;
  }
}

/** DETAILS_KEY is the trailer holding a serialised google.rpc.Status. */
export const DETAILS_KEY = "grpc-status-details-bin";
/** ERROR_INFO_TYPE_URL is the type URL of the ErrorInfo detail. */
export const ERROR_INFO_TYPE_URL = "type.googleapis.com/heard.plugin.v1.ErrorInfo";

/** A status ready to send: what a grpc-js handler passes its callback. */
export interface StatusError {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

/** messageOf is the status message for anything thrown. */
function messageOf(err: unknown): string {
  if (err instanceof PluginError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** statusOf turns anything thrown into a status with its ErrorInfo detail. */
export function statusOf(err: unknown): StatusError {
  const code = err instanceof PluginError ? err.code : grpc.status.UNKNOWN;
  const details = messageOf(err);
  const info: Record<string, unknown> = {};
  if (err instanceof RetryAfter) {
    const whole = Math.floor(err.wait);
    info.retry_after = { seconds: whole, nanos: Math.round((err.wait - whole) * 1e9) };
    if (err.cause !== undefined) info.cause = err.cause.message;
  }
  const ErrorInfo = loadMessages().lookupType("heard.plugin.v1.ErrorInfo");
  const status = Status.encode(Status.fromObject({
    code,
    message: details,
    details: [{ type_url: ERROR_INFO_TYPE_URL, value: ErrorInfo.encode(ErrorInfo.fromObject(info)).finish() }],
  })).finish();
  const metadata = new grpc.Metadata();
  metadata.set(DETAILS_KEY, Buffer.from(status));
  return { code, details, metadata };
}
