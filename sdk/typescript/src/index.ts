// heard-plugin: write heard plugins in TypeScript (or JavaScript).
//
// Import this package first in the plugin's entry module: importing it
// sends everything written to process.stdout (console.log included) to
// stderr, keeping stdout for go-plugin's handshake line.
//
//   import { serve, Invalid } from "heard-plugin";
//   serve({ name: "mine", version: "1.0.0", classify: (req, ctx) => ({ predictions: [] }) });
//
// See docs/plugins-other-languages.md in heard's repository.

import { guard } from "./stdout";

guard();

export { DETAILS_KEY, DeadlineExceeded, ERROR_INFO_TYPE_URL, Invalid, NotFound, PluginError, RetryAfter, Unauthorized, Unavailable, Unsupported, statusOf } from "./errors";
export type { StatusError } from "./errors";
export { formatLine, logger, newLogger } from "./log";
export type { Fields, Level, Logger } from "./log";
export { CORE_PROTOCOL, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, MAX_MESSAGE_SIZE, PROTOCOLS, filesToDeclare, kinds, negotiate, serve } from "./serve";
export type { CallContext, Kind, Plugin, ServeOptions } from "./serve";
export type * from "./types";
