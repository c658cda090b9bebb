// Messages heard's plugin protocol borrows from gRPC's own protos:
// google.rpc.Status (the payload of the grpc-status-details-bin trailer)
// with google.protobuf.Any, and grpc.health.v1's Health service. They are
// declared here, so the helper needs no googleapis protos; only the field
// numbers matter on the wire.

import * as protoLoader from "@grpc/proto-loader";
import * as protobuf from "protobufjs";

const json: protobuf.INamespace = {
  nested: {
    google: {
      nested: {
        protobuf: { nested: { Any: { fields: { type_url: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } } } } },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: "int32", id: 1 },
                message: { type: "string", id: 2 },
                details: { rule: "repeated", type: "google.protobuf.Any", id: 3 },
              },
            },
          },
        },
      },
    },
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: "string", id: 1 } } },
                HealthCheckResponse: {
                  fields: { status: { type: "ServingStatus", id: 1 } },
                  nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
                },
                Health: {
                  methods: { Check: { requestType: "HealthCheckRequest", responseType: "HealthCheckResponse", comment: "" } },
                },
              },
            },
          },
        },
      },
    },
  },
};

/** root holds google.rpc.Status and google.protobuf.Any. */
export const root = protobuf.Root.fromJSON(json);
/** Status is google.rpc.Status. */
export const Status = root.lookupType("google.rpc.Status");

/** healthDefinition is grpc.health.v1.Health's package definition. */
export const healthDefinition = protoLoader.fromJSON(json, { keepCase: true, enums: String, defaults: true });
