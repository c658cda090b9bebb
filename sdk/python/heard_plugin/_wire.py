"""Messages heard's plugin protocol borrows from gRPC's own protos.

google.rpc.Status (the payload of the grpc-status-details-bin trailer) and
grpc.health.v1's HealthCheckRequest/Response are built here in a private
descriptor pool, so this package neither needs googleapis-common-protos nor
clashes with it when a plugin imports it too. Only the field numbers matter
on the wire.
"""

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

_pool = descriptor_pool.DescriptorPool()
_pool.AddSerializedFile(any_pb2.DESCRIPTOR.serialized_pb)


def _file(name, package, deps, messages):
    f = descriptor_pb2.FileDescriptorProto(name=name, package=package, syntax="proto3")
    f.dependency.extend(deps)
    for msg_name, fields, enums in messages:
        m = f.message_type.add(name=msg_name)
        for enum_name, values in enums:
            e = m.enum_type.add(name=enum_name)
            for i, v in enumerate(values):
                e.value.add(name=v, number=i)
        for fname, number, ftype, label, type_name in fields:
            fd = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                fd.type_name = type_name
    _pool.Add(f)


_F = descriptor_pb2.FieldDescriptorProto
_OPT, _REP = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED

_file("google/rpc/status.proto", "google.rpc", ["google/protobuf/any.proto"], [
    ("Status", [
        ("code", 1, _F.TYPE_INT32, _OPT, None),
        ("message", 2, _F.TYPE_STRING, _OPT, None),
        ("details", 3, _F.TYPE_MESSAGE, _REP, ".google.protobuf.Any"),
    ], []),
])
_file("grpc/health/v1/health.proto", "grpc.health.v1", [], [
    ("HealthCheckRequest", [("service", 1, _F.TYPE_STRING, _OPT, None)], []),
    ("HealthCheckResponse", [
        ("status", 1, _F.TYPE_ENUM, _OPT, ".grpc.health.v1.HealthCheckResponse.ServingStatus"),
    ], [("ServingStatus", ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"])]),
])


def _cls(full_name):
    desc = _pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(_pool).GetPrototype(desc)


Status = _cls("google.rpc.Status")
HealthCheckRequest = _cls("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = _cls("grpc.health.v1.HealthCheckResponse")
SERVING = 1
