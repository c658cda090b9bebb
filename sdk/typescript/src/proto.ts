// Loads heard's .proto files at run time (no generated code): heard's own
// heard.plugin.v1 and go-plugin's GRPCController, GRPCStdio and
// GRPCBroker, from the repository's sdk/proto directory.

import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import * as protobuf from "protobufjs";

/** The .proto files the helper loads, relative to protoDir(). */
export const PROTO_FILES = [
  "heard/plugin/v1/plugin.proto",
  "goplugin/grpc_controller.proto",
  "goplugin/grpc_stdio.proto",
  "goplugin/grpc_broker.proto",
];

// This file is dist/src/proto.js once compiled; the package root is two up.
const packageRoot = path.resolve(__dirname, "..", "..");

/**
 * protoDir is where the .proto files are: a `proto` directory inside the
 * package when it was copied out with its protos, else heard's sdk/proto
 * beside the package in the repository.
 */
export function protoDir(): string {
  for (const dir of [path.join(packageRoot, "proto"), path.join(packageRoot, "..", "proto")]) {
    if (fs.existsSync(path.join(dir, PROTO_FILES[0]))) return dir;
  }
  throw new Error(`heard-plugin: cannot find ${PROTO_FILES[0]} under ${packageRoot}/proto or ${packageRoot}/../proto`);
}

/** protoPaths are the absolute paths of PROTO_FILES. */
export function protoPaths(): string[] {
  const dir = protoDir();
  return PROTO_FILES.map((f) => path.join(dir, f));
}

/**
 * LOADER_OPTIONS shape messages the way handlers see them: field names as
 * in the .proto (snake_case), every field present with its default
 * (absent sub-messages are null), 64-bit integers as numbers, enums as
 * their names, bytes as Buffers.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

/** Services are the gRPC service definitions the helper serves. */
export interface Services {
  plugin: grpc.ServiceDefinition;
  classifier: grpc.ServiceDefinition;
  enricher: grpc.ServiceDefinition;
  controller: grpc.ServiceDefinition;
  stdio: grpc.ServiceDefinition;
  broker: grpc.ServiceDefinition;
}

let services: Services | undefined;
let messages: protobuf.Root | undefined;

function service(def: protoLoader.PackageDefinition, name: string): grpc.ServiceDefinition {
  const s = def[name];
  if (s === undefined || "format" in s) throw new Error(`heard-plugin: ${name} is not a service`);
  return s as unknown as grpc.ServiceDefinition;
}

/** loadServices loads the protos once and returns their services. */
export function loadServices(): Services {
  if (services === undefined) {
    const def = protoLoader.loadSync(PROTO_FILES, { ...LOADER_OPTIONS, includeDirs: [protoDir()] });
    services = {
      plugin: service(def, "heard.plugin.v1.Plugin"),
      classifier: service(def, "heard.plugin.v1.Classifier"),
      enricher: service(def, "heard.plugin.v1.Enricher"),
      controller: service(def, "plugin.GRPCController"),
      stdio: service(def, "plugin.GRPCStdio"),
      broker: service(def, "plugin.GRPCBroker"),
    };
  }
  return services;
}

/** loadMessages returns a protobufjs Root with heard.plugin.v1's messages, for encoding them by hand. */
export function loadMessages(): protobuf.Root {
  if (messages === undefined) {
    const dir = protoDir();
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
    messages = r.loadSync(PROTO_FILES[0], { keepCase: true });
  }
  return messages;
}
