// go-plugin's automatic mutual TLS, plugin side.
//
// The host generates a one-off certificate, passes it PEM-encoded in
// PLUGIN_CLIENT_CERT and trusts only the certificate the plugin sends back
// in its handshake line. That certificate must be self-signed, name
// `localhost` in a DNS subjectAltName (the host checks the server name
// `localhost`), be a CA (the host puts it in its root pool) and allow both
// server and client auth.
//
// Node's crypto makes the key pair and the signature; the certificate
// itself is a few fixed DER structures, written here so that the helper
// needs no X.509 library.

import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

/** A fresh key pair and self-signed certificate for one plugin run. */
export interface ServerCertificate {
  /** The certificate, PEM-encoded. */
  certPem: Buffer;
  /** The private key, PKCS #8 PEM. */
  keyPem: Buffer;
  /** The certificate's DER bytes. */
  der: Buffer;
  /** The sixth field of the handshake line: der in base64 without padding. */
  handshakeField: string;
}

// ---- DER ----

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** tlv encodes one DER element: tag, length, contents. */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
const bitString = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));

/** oid encodes a dotted object identifier. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const out: number[] = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** time encodes t as UTCTime before 2050 and GeneralizedTime after, as RFC 5280 asks. */
export function time(t: Date): Buffer {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const rest = p(t.getUTCMonth() + 1) + p(t.getUTCDate()) + p(t.getUTCHours()) + p(t.getUTCMinutes()) + p(t.getUTCSeconds()) + "Z";
  const y = t.getUTCFullYear();
  if (y < 2050) return tlv(0x17, Buffer.from(p(y % 100) + rest, "ascii"));
  return tlv(0x18, Buffer.from(p(y, 4) + rest, "ascii"));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const COMMON_NAME = "2.5.4.3";
const SUBJECT_ALT_NAME = "2.5.29.17";
const BASIC_CONSTRAINTS = "2.5.29.19";
const KEY_USAGE = "2.5.29.15";
const EXT_KEY_USAGE = "2.5.29.37";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

/**
 * serverCertificate makes an EC P-256 key pair and a self-signed
 * certificate for `localhost`, valid from 30 seconds ago for ten years.
 */
export function serverCertificate(now = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, and no leading zero byte to trim
  const name = seq(set(seq(oid(COMMON_NAME), utf8("localhost"))));
  const algorithm = seq(oid(ECDSA_WITH_SHA256));
  const notBefore = new Date(now.getTime() - 30_000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  // keyUsage bits: digitalSignature (0), keyAgreement (4), keyCertSign (5);
  // bits 6 and 7 are unused.
  const keyUsage = bitString(Buffer.from([0b1000_1100]), 2);
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // [0] version v3
    tlv(0x02, serial),
    algorithm,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq( // [3] extensions
      extension(SUBJECT_ALT_NAME, false, seq(tlv(0x82, Buffer.from("localhost", "ascii")))),
      extension(BASIC_CONSTRAINTS, true, seq(bool(true))),
      extension(KEY_USAGE, true, keyUsage),
      extension(EXT_KEY_USAGE, false, seq(oid(SERVER_AUTH), oid(CLIENT_AUTH))),
    )),
  );
  const signature = sign("sha256", tbs, privateKey); // DER ECDSA-Sig-Value
  const der = seq(tbs, algorithm, bitString(signature));
  const b64 = der.toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  const certPem = Buffer.from(`-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`, "ascii");
  const keyPem = Buffer.from(privateKey.export({ type: "pkcs8", format: "pem" }));
  return { certPem, keyPem, der, handshakeField: b64.replace(/=+$/, "") };
}
