// The go-plugin side of a heard plugin: handshake, mTLS, services, exit.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Invalid, PluginError, statusOf } from "./errors";
import { logger } from "./log";
import { loadServices, protoPaths } from "./proto";
import { writeHandshake } from "./stdout";
import { serverCertificate } from "./tls";
import type { ClassifyRequest, ClassifyResponse, ConfigureRequest, EnrichRequest, EnrichResponse } from "./types";
import { healthDefinition } from "./wire";

/** MAGIC_COOKIE_KEY and MAGIC_COOKIE_VALUE are the handshake cookie; fixed forever (sdk/plugin/handshake.go). */
export const MAGIC_COOKIE_KEY = "HEARD_PLUGIN_MAGIC_COOKIE";
/** See MAGIC_COOKIE_KEY. */
export const MAGIC_COOKIE_VALUE = "f93b1b05e8eb1ceab80402acea1063f86ad850ada388a512";
/** CORE_PROTOCOL is go-plugin's core protocol, the first field of the handshake line. */
export const CORE_PROTOCOL = 1;
/** PROTOCOLS are heard's protocol versions and the kinds each carries. */
export const PROTOCOLS: Readonly<Record<number, readonly Kind[]>> = { 1: ["classifier"], 2: ["classifier", "enricher"] };
/** MAX_MESSAGE_SIZE is the largest gRPC message either way: 16 MiB. */
export const MAX_MESSAGE_SIZE = 16 << 20;

/** Kind is a kind of plugin the helper serves. */
export type Kind = "classifier" | "enricher";

/**
 * CallContext is what a handler knows about its call. heard sets a deadline
 * on every call and cancels calls it gives up on: stop working when
 * signal aborts.
 */
export interface CallContext {
  /** Aborted when heard cancels the call or its deadline passes. */
  readonly signal: AbortSignal;
  /** When heard gives up on the call; undefined for none. */
  readonly deadline: Date | undefined;
  /** Whether signal has aborted. */
  readonly cancelled: boolean;
  /** Milliseconds left before the deadline; Infinity without one. */
  timeRemaining(): number;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Plugin is what a plugin serves: set classify, enrich or both. Handlers
 * are called concurrently (interleaved on Node's event loop when they
 * await), so replace shared state whole rather than changing it in place.
 */
export interface Plugin {
  name: string;
  version: string;
  description?: string;
  /** Answers heard.plugin.v1.Classifier.Classify. */
  classify?: (req: ClassifyRequest, ctx: CallContext) => MaybePromise<ClassifyResponse | undefined>;
  /** Answers heard.plugin.v1.Enricher.Enrich (protocol 2). */
  enrich?: (req: EnrichRequest, ctx: CallContext) => MaybePromise<EnrichResponse | undefined>;
  /** Receives the settings object after every launch; throw Invalid for bad settings. */
  configure?: (settings: Record<string, unknown>, req: ConfigureRequest) => MaybePromise<void>;
  /** Throws (Unavailable, say) when the plugin cannot work. */
  checkHealth?: () => MaybePromise<void>;
  /**
   * Extra files the plugin loads (data, models, modules required after
   * serve), absolute or relative to the entry script's directory; see
   * filesToDeclare.
   */
  files?: string[];
}

/** kinds returns the kinds plugin serves at protocol. */
export function kinds(plugin: Plugin, protocol: number): Kind[] {
  const have: Kind[] = [];
  if (plugin.classify) have.push("classifier");
  if (plugin.enrich) have.push("enricher");
  const carried = PROTOCOLS[protocol] ?? [];
  return have.filter((k) => carried.includes(k));
}

/**
 * negotiate picks the newest protocol in offered (PLUGIN_PROTOCOL_VERSIONS,
 * e.g. "1,2") that carries at least one of the plugin's kinds, or undefined.
 */
export function negotiate(plugin: Plugin, offered: string | undefined): number | undefined {
  const versions = (offered ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number)
    .sort((a, b) => b - a);
  return versions.find((v) => kinds(plugin, v).length > 0);
}

// Directories of Node modules installed by the operating system's package
// manager (Debian's node-* packages, a global npm): their checks, not
// heard's, cover them.
const SYSTEM_DIRS = ["/usr/lib/node_modules/", "/usr/share/nodejs/", "/usr/lib/nodejs/", "/usr/local/lib/node_modules/"];

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * filesToDeclare lists the files the plugin reports in GetInfo for heard's
 * checksum: every CommonJS module loaded so far that is not installed by
 * the operating system (this helper, its npm dependencies, the plugin's
 * own modules), the .proto files the helper loads, and plugin.files.
 * Paths are absolute; the entry script itself is the executable heard
 * hashes, so it is left out.
 */
export function filesToDeclare(plugin: Plugin, entry: string = process.argv[1] ?? ""): string[] {
  const entryReal = entry ? realpath(entry) : "";
  const out = new Set<string>();
  const loaded = [...Object.keys(require.cache), ...protoPaths()];
  for (const f of loaded) {
    if (!path.isAbsolute(f)) continue;
    const r = realpath(f);
    if (r === entryReal || SYSTEM_DIRS.some((d) => r.startsWith(d))) continue;
    try {
      if (fs.statSync(r).isFile()) out.add(r);
    } catch {
      // gone since it was loaded: nothing to hash
    }
  }
  const base = path.dirname(entryReal);
  for (const f of plugin.files ?? []) out.add(realpath(path.resolve(base, f)));
  return [...out].sort();
}

type ServerCall = {
  cancelled: boolean;
  getDeadline(): grpc.Deadline;
  on(event: "cancelled", fn: () => void): unknown;
  removeListener(event: "cancelled", fn: () => void): unknown;
};

/**
 * callContext builds a handler's CallContext; done ends it. The
 * AbortSignal and its deadline timer are made only when the handler asks
 * for signal: most handlers never do, and they cost a good share of a
 * short call. Exported for the tests; index.ts does not export it.
 */
export function callContext(call: ServerCall): { ctx: CallContext; done: () => void } {
  const d = call.getDeadline();
  const at = d instanceof Date ? d.getTime() : d;
  const finite = Number.isFinite(at);
  let cancelled = call.cancelled;
  let finished = false;
  let ac: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  const cancel = () => {
    if (finished || cancelled) return;
    cancelled = true;
    ac?.abort();
  };
  call.on("cancelled", cancel);
  const ctx: CallContext = {
    get signal() {
      if (ac === undefined) {
        ac = new AbortController();
        if (ctx.cancelled) ac.abort();
        else if (finite && !finished) {
          timer = setTimeout(cancel, Math.max(0, at - Date.now()));
          timer.unref();
        }
      }
      return ac.signal;
    },
    deadline: finite ? new Date(at) : undefined,
    get cancelled() {
      if (!cancelled && finite && Date.now() >= at) cancel();
      return cancelled;
    },
    timeRemaining: () => (finite ? Math.max(0, at - Date.now()) : Infinity),
  };
  const done = () => {
    finished = true;
    clearTimeout(timer);
    call.removeListener("cancelled", cancel);
  };
  return { ctx, done };
}

type Unary<Req, Resp> = (call: grpc.ServerUnaryCall<Req, Resp>, callback: grpc.sendUnaryData<Resp>) => void;

/** unary turns fn into a grpc-js handler whose errors reach heard as statuses with ErrorInfo. */
function unary<Req, Resp>(method: string, fn: (req: Req, ctx: CallContext) => MaybePromise<Resp>): Unary<Req, Resp> {
  return (call, callback) => {
    const { ctx, done } = callContext(call);
    Promise.resolve()
      .then(() => fn(call.request, ctx))
      .then(
        (resp) => callback(null, resp),
        (err: unknown) => {
          if (!(err instanceof PluginError)) {
            logger.error("handler failed", { method, error: err, stack: err instanceof Error ? err.stack : undefined });
          }
          callback(statusOf(err));
        },
      )
      .catch((err: unknown) => logger.error("sending the answer failed", { method, error: err }))
      .finally(done);
  };
}

function parseSettings(name: string, raw: Buffer | undefined): Record<string, unknown> {
  const text = raw && raw.length > 0 ? raw.toString("utf8") : "{}";
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (e) {
    throw new Invalid(`${name} settings: ${(e as Error).message}`);
  }
  if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
    throw new Invalid(`${name} settings: want a JSON object`);
  }
  return settings as Record<string, unknown>;
}

/** ServeOptions tune serve; tests use them. */
export interface ServeOptions {
  /** The environment to read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How often to check that heard is still the parent, in ms; default 250. */
  parentCheckEvery?: number;
}

/**
 * serve serves plugin to the heard host that launched this process and
 * resolves once heard has shut it down. Run by hand (no handshake cookie),
 * it says so on stderr and exits 1.
 */
export async function serve(plugin: Plugin, opts: ServeOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  if (!plugin.classify && !plugin.enrich) throw new Error("heard-plugin: set classify or enrich");
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      "This binary is a plugin. These are not meant to be executed directly.\n" +
        "heard launches it: heard plugin install PATH, or heard plugin test PATH.\n",
    );
    process.exit(1);
  }
  const protocol = negotiate(plugin, env.PLUGIN_PROTOCOL_VERSIONS);
  if (protocol === undefined) {
    process.stderr.write(`${plugin.name}: heard offers protocols ${JSON.stringify(env.PLUGIN_PROTOCOL_VERSIONS ?? "")}; none carries this plugin's kinds\n`);
    process.exit(1);
  }
  // Ctrl-C in heard's terminal reaches the whole process group; heard
  // decides when its plugins stop.
  process.on("SIGINT", () => {});

  const svc = loadServices();
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_SIZE,
    "grpc.max_send_message_length": MAX_MESSAGE_SIZE,
  });
  const streams = new Set<{ end(): void }>();
  let stopping = false;
  let finished: () => void = () => {};
  const over = new Promise<void>((resolve) => (finished = resolve));
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const s of streams) s.end();
    // Give in-flight calls a second, as go-plugin's own servers do.
    const force = setTimeout(() => server.forceShutdown(), 1000);
    server.tryShutdown(() => {
      clearTimeout(force);
      finished();
    });
  };

  const served = kinds(plugin, protocol);
  server.addService(svc.plugin, {
    GetInfo: unary("GetInfo", () => ({
      name: plugin.name,
      version: plugin.version,
      description: plugin.description ?? "",
      kinds: served,
      protocol,
      files: filesToDeclare(plugin),
    })),
    Configure: unary("Configure", async (req: ConfigureRequest) => {
      const settings = parseSettings(plugin.name, req.settings_json);
      if (plugin.configure) await plugin.configure(settings, req);
      return {};
    }),
    CheckHealth: unary("CheckHealth", async () => {
      if (plugin.checkHealth) await plugin.checkHealth();
      return {};
    }),
  });
  if (served.includes("classifier") && plugin.classify) {
    const classify = plugin.classify;
    server.addService(svc.classifier, {
      Classify: unary("Classify", async (req: ClassifyRequest, ctx) => (await classify(req, ctx)) ?? {}),
    });
  }
  if (served.includes("enricher") && plugin.enrich) {
    const enrich = plugin.enrich;
    server.addService(svc.enricher, {
      Enrich: unary("Enrich", async (req: EnrichRequest, ctx) => {
        const resp = (await enrich(req, ctx)) ?? {};
        const attrs = resp.attrs_json ?? "{}";
        return { attrs_json: typeof attrs === "string" ? Buffer.from(attrs, "utf8") : attrs };
      }),
    });
  }
  server.addService(svc.controller, {
    Shutdown: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      callback(null, {});
      setImmediate(stop);
    },
  });
  // stdout and stderr reach heard through the process's own pipes, so the
  // stdio stream sends nothing; it is served so the host does not warn.
  server.addService(svc.stdio, {
    StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      if (stopping) {
        call.end();
        return;
      }
      streams.add(call);
      call.on("cancelled", () => streams.delete(call));
    },
  });
  // heard's protocol never brokers connections: read until the end.
  server.addService(svc.broker, {
    StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      streams.add(call);
      call.on("data", () => {});
      call.on("end", () => {
        streams.delete(call);
        call.end();
      });
      call.on("cancelled", () => streams.delete(call));
    },
  });
  const health = grpc.loadPackageDefinition(healthDefinition) as unknown as {
    grpc: { health: { v1: { Health: { service: grpc.ServiceDefinition } } } };
  };
  server.addService(health.grpc.health.v1.Health.service, {
    Check: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => callback(null, { status: "SERVING" }),
  });

  const dir = fs.mkdtempSync(path.join(env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), "plugin"));
  const sock = path.join(dir, "plugin.sock");
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  let creds = grpc.ServerCredentials.createInsecure();
  let certField = "";
  const clientCert = env.PLUGIN_CLIENT_CERT ?? "";
  if (clientCert !== "") {
    const cert = serverCertificate();
    creds = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: cert.keyPem, cert_chain: cert.certPem }], true);
    certField = cert.handshakeField;
  }
  try {
    await new Promise<void>((resolve, reject) => server.bindAsync("unix:" + sock, creds, (err) => (err ? reject(err) : resolve())));
  } catch (err) {
    cleanup();
    throw err;
  }

  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      logger.warn("host process is gone; plugin exiting");
      cleanup();
      process.exit(0);
    }
  }, opts.parentCheckEvery ?? 250);
  watch.unref();

  writeHandshake(`${CORE_PROTOCOL}|${protocol}|unix|${sock}|grpc|${certField}`);
  try {
    await over;
  } finally {
    clearInterval(watch);
    cleanup();
  }
}
