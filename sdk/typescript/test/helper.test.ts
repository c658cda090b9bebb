// Unit tests of the helper's pieces; typescript_test.go launches it
// through heard's own plugin host.
import { strict as assert } from "node:assert";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import * as heard from "../src/index";
import { loadMessages, loadServices, protoPaths } from "../src/proto";
import { release, writeHandshake } from "../src/stdout";
import { oid, serverCertificate, time, tlv } from "../src/tls";
import { Status, healthDefinition } from "../src/wire";
import { callContext } from "../src/serve";
import { Booster, parseSettings } from "../examples/vip/vip";

// Importing the helper sent stdout to stderr; the test runner reads its
// results from stdout.
release();

// dist/test/helper.test.js once compiled: the package root is two up.
const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "errors_plugin");
const COOKIE = { [heard.MAGIC_COOKIE_KEY]: heard.MAGIC_COOKIE_VALUE };

const classifier = (): heard.Plugin => ({ name: "a", version: "1", classify: () => ({}) });
const enricher = (): heard.Plugin => ({ name: "b", version: "1", enrich: () => ({}) });

describe("negotiate", () => {
  const cases: [string, heard.Plugin, string | undefined, number | undefined][] = [
    ["classifier 1,2", classifier(), "1,2", 2],
    ["classifier 2,1", classifier(), "2,1", 2],
    ["classifier 1", classifier(), "1", 1],
    ["classifier 3", classifier(), "3", undefined],
    ["classifier empty", classifier(), "", undefined],
    ["classifier unset", classifier(), undefined, undefined],
    ["enricher 1,2", enricher(), "1,2", 2],
    ["enricher 1", enricher(), "1", undefined],
    ["junk ignored", classifier(), "x, 1", 1],
  ];
  for (const [name, plugin, offered, want] of cases) {
    it(name, () => assert.equal(heard.negotiate(plugin, offered), want));
  }
  it("kinds per protocol", () => {
    const both: heard.Plugin = { ...classifier(), enrich: () => ({}) };
    assert.deepEqual(heard.kinds(both, 1), ["classifier"]);
    assert.deepEqual(heard.kinds(both, 2), ["classifier", "enricher"]);
    assert.deepEqual(heard.kinds(both, 9), []);
  });
});

describe("statusOf", () => {
  const decode = (err: unknown) => {
    const s = heard.statusOf(err);
    const raw = s.metadata.get(heard.DETAILS_KEY);
    assert.equal(raw.length, 1);
    const st = Status.toObject(Status.decode(raw[0] as Buffer), { defaults: true }) as {
      code: number; message: string; details: { type_url: string; value: Uint8Array }[];
    };
    assert.equal(st.code, s.code);
    assert.equal(st.message, s.details);
    assert.equal(st.details.length, 1);
    assert.equal(st.details[0].type_url, heard.ERROR_INFO_TYPE_URL);
    const ErrorInfo = loadMessages().lookupType("heard.plugin.v1.ErrorInfo");
    const info = ErrorInfo.toObject(ErrorInfo.decode(st.details[0].value)) as {
      retry_after?: { seconds: number | { toNumber(): number }; nanos: number }; cause?: string; panic?: boolean;
    };
    return { code: s.code, message: s.details, info };
  };
  const cases: [unknown, grpc.status][] = [
    [new heard.NotFound("x"), grpc.status.NOT_FOUND],
    [new heard.Invalid("x"), grpc.status.INVALID_ARGUMENT],
    [new heard.Unauthorized("x"), grpc.status.UNAUTHENTICATED],
    [new heard.Unavailable("x"), grpc.status.UNAVAILABLE],
    [new heard.DeadlineExceeded("x"), grpc.status.DEADLINE_EXCEEDED],
    [new heard.Unsupported("x"), grpc.status.UNIMPLEMENTED],
    [new heard.PluginError("x"), grpc.status.UNKNOWN],
    [new TypeError("x"), grpc.status.UNKNOWN],
    ["x", grpc.status.UNKNOWN],
  ];
  for (const [err, want] of cases) {
    it(`${String(err)} is ${grpc.status[want]}`, () => {
      const { code, info } = decode(err);
      assert.equal(code, want);
      assert.equal(info.retry_after, undefined);
      assert.equal(info.panic, undefined);
    });
  }
  it("names the type of an unexpected error", () => {
    assert.equal(decode(new RangeError("plan out of range")).message, "RangeError: plan out of range");
    assert.equal(decode(new heard.Invalid("bad plan")).message, "bad plan");
  });
  it("retry after with a cause", () => {
    const { code, message, info } = decode(new heard.RetryAfter(1.5, new heard.Unavailable("rate limited")));
    assert.equal(code, grpc.status.UNAVAILABLE);
    assert.equal(message, "retry after 1.5s: rate limited");
    assert.equal(Number(info.retry_after?.seconds), 1);
    assert.equal(info.retry_after?.nanos, 500_000_000);
    assert.equal(info.cause, "rate limited");
  });
  it("retry after without a cause", () => {
    const { code, message, info } = decode(new heard.RetryAfter(3));
    assert.equal(code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(message, "retry after 3s");
    assert.equal(Number(info.retry_after?.seconds), 3);
    assert.equal(info.cause, undefined);
  });
});

describe("certificate", () => {
  it("follows go-plugin's rules", () => {
    const c = serverCertificate();
    assert.ok(!c.handshakeField.includes("="), "the handshake field is unpadded base64");
    assert.ok(!c.handshakeField.includes("\n"));
    assert.deepEqual(Buffer.from(c.handshakeField, "base64"), c.der);
    const x = new X509Certificate(c.der);
    assert.equal(x.raw.compare(new X509Certificate(c.certPem).raw), 0);
    assert.equal(x.subject, "CN=localhost");
    assert.equal(x.issuer, x.subject, "self-signed");
    assert.ok(x.checkIssued(x));
    assert.ok(x.verify(x.publicKey), "the signature checks out with its own key");
    assert.equal(x.subjectAltName, "DNS:localhost");
    assert.ok(x.ca, "a CA");
    assert.ok(x.checkHost("localhost"));
    assert.deepEqual([...(x.keyUsage ?? [])].sort(), ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], "serverAuth and clientAuth");
    assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    assert.ok(x.publicKey.equals(createPrivateKey(c.keyPem)) === false); // a private key is not the public one
    assert.ok(Date.parse(x.validFrom) < Date.now(), "notBefore is in the past");
    assert.ok(Date.parse(x.validTo) > Date.now() + 5 * 365 * 24 * 3600_000);
  });
  it("is fresh each time", () => {
    assert.notEqual(serverCertificate().handshakeField, serverCertificate().handshakeField);
  });
  it("encodes DER by the book", () => {
    assert.equal(oid("1.2.840.10045.4.3.2").toString("hex"), "06082a8648ce3d040302");
    assert.equal(oid("2.5.29.17").toString("hex"), "0603551d11");
    assert.equal(time(new Date(Date.UTC(2026, 2, 1, 12, 0, 5))).toString("latin1"), "\x17\x0d260301120005Z");
    assert.equal(time(new Date(Date.UTC(2051, 0, 2, 3, 4, 5))).toString("latin1"), "\x18\x0f20510102030405Z");
    const long = tlv(0x04, Buffer.alloc(300));
    assert.equal(long.subarray(0, 4).toString("hex"), "0482012c");
    assert.equal(tlv(0x04, Buffer.alloc(127)).subarray(0, 2).toString("hex"), "047f");
    assert.equal(tlv(0x04, Buffer.alloc(128)).subarray(0, 3).toString("hex"), "048180");
  });
});

describe("callContext", () => {
  const fakeCall = (deadline: number) => {
    const e = new EventEmitter() as EventEmitter & { cancelled: boolean; getDeadline(): number };
    e.cancelled = false;
    e.getDeadline = () => deadline;
    return e;
  };
  it("aborts when heard cancels the call", async () => {
    const call = fakeCall(Infinity);
    const { ctx, done } = callContext(call);
    assert.equal(ctx.deadline, undefined);
    assert.equal(ctx.timeRemaining(), Infinity);
    const signal = ctx.signal;
    assert.equal(signal.aborted, false);
    call.emit("cancelled");
    assert.equal(signal.aborted, true);
    assert.equal(ctx.cancelled, true);
    done();
    assert.equal(call.listenerCount("cancelled"), 0);
  });
  it("aborts at the deadline", async () => {
    const { ctx, done } = callContext(fakeCall(Date.now() + 30));
    assert.ok(ctx.timeRemaining() > 0 && ctx.timeRemaining() <= 30);
    const aborted = new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    const keepAlive = setTimeout(() => {}, 5000); // the deadline timer does not hold the event loop
    await aborted;
    clearTimeout(keepAlive);
    assert.equal(ctx.cancelled, true);
    assert.equal(ctx.timeRemaining(), 0);
    done();
  });
  it("is cancelled past the deadline without asking for the signal", () => {
    const { ctx, done } = callContext(fakeCall(Date.now() - 1));
    assert.equal(ctx.cancelled, true);
    assert.equal(ctx.signal.aborted, true);
    done();
  });
  it("stays quiet after the call ended", () => {
    const call = fakeCall(Infinity);
    const { ctx, done } = callContext(call);
    const signal = ctx.signal;
    done();
    call.emit("cancelled");
    assert.equal(signal.aborted, false);
    assert.equal(ctx.cancelled, false);
  });
});

describe("log", () => {
  it("writes hclog JSON", () => {
    const lines: string[] = [];
    const log = heard.newLogger("info", (l) => lines.push(l));
    log.debug("hidden");
    log.info("loaded", { plans: 3, err: new Error("boom"), "@level": "nope" });
    assert.equal(lines.length, 1);
    assert.ok(lines[0].endsWith("\n"));
    const o = JSON.parse(lines[0]);
    assert.equal(o["@level"], "info");
    assert.equal(o["@message"], "loaded");
    assert.equal(o.plans, 3);
    assert.equal(o.err, "Error: boom");
    assert.ok(!Number.isNaN(Date.parse(o["@timestamp"])));
  });
});

describe("filesToDeclare", () => {
  it("declares the helper, its dependencies and protos, not the entry", () => {
    const entry = path.join(ROOT, "examples", "vip", "vip");
    const files = heard.filesToDeclare({ ...classifier(), files: ["/etc/hostname", "data/model.txt"] }, entry);
    assert.ok(files.includes(path.join(ROOT, "dist", "src", "serve.js")));
    assert.ok(files.some((f) => f.includes(`${path.sep}node_modules${path.sep}@grpc${path.sep}grpc-js${path.sep}`)));
    for (const p of protoPaths()) assert.ok(files.includes(fs.realpathSync(p)), p);
    assert.ok(files.includes("/etc/hostname"));
    assert.ok(files.includes(path.join(ROOT, "examples", "vip", "data", "model.txt")), "relative to the entry's directory");
    assert.ok(!files.includes(entry));
    assert.ok(files.every((f) => path.isAbsolute(f)));
    assert.deepEqual(files, [...files].sort());
  });
});

describe("vip example", () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ plans: { x: "urgent" } }, "plans.x: priority 'urgent'"],
    [{ confidence: 2 }, "confidence 2: want 0..1"],
    [{ nope: 1 }, "unknown field 'nope'"],
    [{ vip_priority: "P9" }, "vip_priority"],
    [{ mrr_at_least: "lots" }, "mrr_at_least"],
  ];
  for (const [raw, want] of bad) {
    it(`refuses ${JSON.stringify(raw)}`, () => {
      assert.throws(() => parseSettings(raw), (e: unknown) => e instanceof heard.Invalid && e.message.includes(want));
    });
  }
  it("fills defaults", () => {
    const s = parseSettings({});
    assert.equal(s.vipPriority, "P1");
    assert.equal(s.tag, "vip");
    assert.equal(s.confidence, 0.85);
  });
  it("answers nothing unconfigured", () => {
    const t = { priority: "P3", customer: { plan: "enterprise" } } as unknown as heard.Ticket;
    assert.deepEqual(new Booster().classify({ ticket: t, attrs_json: Buffer.alloc(0), fields: [] }), {});
  });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe("process", () => {
  it("refuses to run by hand", async () => {
    const r = await run(FIXTURE, [], {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /This binary is a plugin/);
    assert.equal(r.stdout, "", "nothing but the handshake may reach stdout");
  });

  it("refuses protocols without its kinds", async () => {
    const r = await run(FIXTURE, [], { ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: "7" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /none carries this plugin's kinds/);
  });

  it("keeps stdout for the handshake", async () => {
    const script = `require(${JSON.stringify(path.join(ROOT, "dist", "src", "index.js"))});
      console.log("stray"); process.stdout.write("more\\n");
      require(${JSON.stringify(path.join(ROOT, "dist", "src", "stdout.js"))}).writeHandshake("1|2|unix|/x|grpc|");`;
    const r = await run(process.execPath, ["-e", script], {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "1|2|unix|/x|grpc|\n");
    assert.equal(r.stderr, "stray\nmore\n");
    assert.equal(typeof writeHandshake, "function");
  });

  it("serves health, ignores SIGINT and exits on Shutdown", async () => {
    const p = spawn(FIXTURE, [], { env: { ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: "1,2" }, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => p.on("close", (c, s) => resolve([c, s])));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        p.stdout.on("data", (d) => {
          out += d;
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        p.on("close", () => reject(new Error("exited before the handshake")));
      });
      const [core, protocol, network, address, wire, cert] = line.split("|");
      assert.deepEqual([core, protocol, network, wire, cert], ["1", "2", "unix", "grpc", ""], line);
      assert.ok(fs.existsSync(address), "the socket exists");

      const creds = grpc.credentials.createInsecure();
      const target = "unix:" + address;
      const svc = loadServices();
      const Health = (grpc.loadPackageDefinition(healthDefinition) as any).grpc.health.v1.Health;
      const health = new Health(target, creds);
      const answer = await new Promise<{ status: string }>((resolve, reject) =>
        health.Check({ service: "plugin" }, (err: Error | null, resp: { status: string }) => (err ? reject(err) : resolve(resp))));
      assert.equal(answer.status, "SERVING");
      health.close();

      p.kill("SIGINT");
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(p.exitCode, null, "still running after SIGINT");
      assert.equal(p.signalCode, null);

      const Controller = grpc.makeGenericClientConstructor(svc.controller, "GRPCController");
      const ctl = new Controller(target, creds) as any;
      await new Promise<void>((resolve, reject) => ctl.Shutdown({}, (err: Error | null) => (err ? reject(err) : resolve())));
      ctl.close();
      const [code, signal] = await exited;
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.ok(!fs.existsSync(path.dirname(address)), "the socket's directory is removed");
    } finally {
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    }
  });

  it("exits when its parent dies", async () => {
    // An intermediate node process starts the plugin, waits for its
    // handshake and exits: the plugin is re-parented and must notice.
    const env = { ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: "2" };
    const script = `const c = require("node:child_process").spawn(${JSON.stringify(FIXTURE)}, [], { stdio: ["ignore", "pipe", "ignore"] });
      c.stdout.once("data", () => { process.stdout.write(String(c.pid)); process.exit(0); });`;
    const r = await run(process.execPath, ["-e", script], env);
    const pid = Number(r.stdout.trim());
    assert.ok(pid > 0, r.stdout + r.stderr);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 10_000;
    while (alive() && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
    const still = alive();
    if (still) process.kill(pid, "SIGKILL");
    assert.equal(still, false, "the orphaned plugin is still running after 10 s");
  });
});
