"""The go-plugin side of a heard plugin: handshake, mTLS, services, exit."""

import json
import os
import signal
import sys
import sysconfig
import tempfile
import threading
import time
import traceback
from concurrent import futures

import grpc

from heard_plugin import _stdout, _wire
from heard_plugin._pb.goplugin import (
    grpc_broker_pb2_grpc, grpc_controller_pb2, grpc_controller_pb2_grpc, grpc_stdio_pb2_grpc,
)
from heard_plugin._pb.heard.plugin.v1 import plugin_pb2 as pb
from heard_plugin._pb.heard.plugin.v1 import plugin_pb2_grpc as pbg
from heard_plugin.errors import Invalid, PluginError, abort
from heard_plugin.log import logger

# The handshake cookie; fixed forever (sdk/plugin/handshake.go).
MAGIC_COOKIE_KEY = "HEARD_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "f93b1b05e8eb1ceab80402acea1063f86ad850ada388a512"
# go-plugin's core protocol, the first field of the handshake line.
CORE_PROTOCOL = 1
# heard protocol versions and the kinds each carries.
PROTOCOLS = {1: ("classifier",), 2: ("classifier", "enricher")}
# One gRPC message, either way.
MAX_MESSAGE_SIZE = 16 << 20


class Plugin:
    """What a plugin serves. Handlers run on a thread pool, concurrently.

    classify(req: pb.ClassifyRequest, context) -> pb.ClassifyResponse
    enrich(req: pb.EnrichRequest, context) -> pb.EnrichResponse
    configure(settings: dict, req: pb.ConfigureRequest) -> None; raise
        Invalid for bad settings.
    check_health() -> None; raise Unavailable when the plugin cannot work.

    context is grpc's ServicerContext: context.time_remaining() is the time
    left before heard gives up, context.is_active() is False once heard
    cancelled the call. files lists extra files the plugin loads (data,
    models, modules imported after serve); see files_to_declare.
    """

    def __init__(self, name, version, description="", classify=None, enrich=None, configure=None,
                 check_health=None, files=()):
        if classify is None and enrich is None:
            raise ValueError("heard_plugin: set classify or enrich")
        self.name, self.version, self.description = name, version, description
        self.classify, self.enrich = classify, enrich
        self.configure, self.check_health = configure, check_health
        self.files = list(files)

    def kinds(self, protocol):
        """Returns the kinds served at protocol."""
        have = []
        if self.classify is not None:
            have.append("classifier")
        if self.enrich is not None:
            have.append("enricher")
        return [k for k in have if k in PROTOCOLS.get(protocol, ())]


def negotiate(plugin, offered):
    """Picks the newest protocol in offered (PLUGIN_PROTOCOL_VERSIONS) that
    carries at least one of the plugin's kinds, or None."""
    versions = []
    for v in (offered or "").split(","):
        v = v.strip()
        if v.isdigit():
            versions.append(int(v))
    for v in sorted(versions, reverse=True):
        if plugin.kinds(v):
            return v
    return None


def _skip_dirs():
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr/lib/python3", "/usr/local/lib"}
    for p in sysconfig.get_paths().values():
        dirs.add(p)
    return tuple(os.path.realpath(d) + os.sep for d in dirs if d)


def files_to_declare(plugin):
    """The files the plugin reports in GetInfo for heard's checksum: every
    module loaded so far that is not part of Python or a system package
    (this package, the plugin's own modules), plus plugin.files. Paths are
    absolute; the entry script itself is the executable heard hashes."""
    skip = _skip_dirs()
    entry = os.path.realpath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    out = set()
    for m in list(sys.modules.values()):
        f = getattr(m, "__file__", None)
        if not f:
            continue
        f = os.path.realpath(f)
        if f == entry or f.startswith(skip) or not os.path.isfile(f):
            continue
        out.add(f)
    base = os.path.dirname(entry)
    for f in plugin.files:
        out.add(os.path.realpath(f if os.path.isabs(f) else os.path.join(base, f)))
    return sorted(out)


def _guard(fn):
    """Turns exceptions from a handler into heard statuses."""
    def call(self, request, context):
        try:
            return fn(self, request, context)
        except PluginError as e:
            abort(context, e)
        except Exception as e:  # noqa: BLE001 - every error must carry ErrorInfo
            logger.error("handler failed", extra={"fields": {"error": f"{type(e).__name__}: {e}",
                                                             "traceback": traceback.format_exc()}})
            abort(context, e)
    return call


class _PluginService(pbg.PluginServicer):
    def __init__(self, plugin, protocol):
        self.p, self.protocol = plugin, protocol

    @_guard
    def GetInfo(self, request, context):
        return pb.GetInfoResponse(name=self.p.name, version=self.p.version, description=self.p.description,
                                  kinds=self.p.kinds(self.protocol), protocol=self.protocol,
                                  files=files_to_declare(self.p))

    @_guard
    def Configure(self, request, context):
        raw = request.settings_json or b"{}"
        try:
            settings = json.loads(raw)
        except ValueError as e:
            raise Invalid(f"{self.p.name} settings: {e}") from e
        if not isinstance(settings, dict):
            raise Invalid(f"{self.p.name} settings: want a JSON object")
        if self.p.configure is not None:
            self.p.configure(settings, request)
        return pb.ConfigureResponse()

    @_guard
    def CheckHealth(self, request, context):
        if self.p.check_health is not None:
            self.p.check_health()
        return pb.CheckHealthResponse()


class _Classifier(pbg.ClassifierServicer):
    def __init__(self, plugin):
        self.p = plugin

    @_guard
    def Classify(self, request, context):
        resp = self.p.classify(request, context)
        return resp if resp is not None else pb.ClassifyResponse()


class _Enricher(pbg.EnricherServicer):
    def __init__(self, plugin):
        self.p = plugin

    @_guard
    def Enrich(self, request, context):
        resp = self.p.enrich(request, context)
        return resp if resp is not None else pb.EnrichResponse(attrs_json=b"{}")


class _Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
    def __init__(self, stop):
        self.stop = stop

    def Shutdown(self, request, context):
        threading.Thread(target=self.stop, name="shutdown", daemon=True).start()
        return grpc_controller_pb2.Empty()


class _Stdio(grpc_stdio_pb2_grpc.GRPCStdioServicer):
    """Streams nothing: stdout and stderr go to heard through the process's
    own pipes. Served so the host does not warn that it is missing."""

    def __init__(self, done):
        self.done = done

    def StreamStdio(self, request, context):
        ended = threading.Event()
        context.add_callback(ended.set)
        while not ended.is_set() and not self.done.is_set():
            ended.wait(1)
        return
        yield  # a generator that yields nothing


class _Broker(grpc_broker_pb2_grpc.GRPCBrokerServicer):
    """Brokers no connections; heard's protocol does not use the broker."""

    def StartStream(self, request_iterator, context):
        for _ in request_iterator:
            pass
        return
        yield


def _health_check(request, context):
    return _wire.HealthCheckResponse(status=_wire.SERVING)


def _watch_parent(parent, done, stop, every=0.25):
    while not done.wait(every):
        if os.getppid() != parent:
            logger.warning("host process is gone; plugin exiting")
            stop()
            os._exit(0)


def serve(name=None, version="", description="", classify=None, enrich=None, configure=None,
          check_health=None, files=(), plugin=None, workers=16):
    """Serves the plugin to the heard host that launched this process and
    returns when heard shuts it down. Run by hand, it says so and exits 1."""
    if plugin is None:
        plugin = Plugin(name or os.path.basename(sys.argv[0]), version, description, classify, enrich,
                        configure, check_health, files)
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        sys.stderr.write("This binary is a plugin. These are not meant to be executed directly.\n"
                         "heard launches it: heard plugin install PATH, or heard plugin test PATH.\n")
        sys.exit(1)
    protocol = negotiate(plugin, os.environ.get("PLUGIN_PROTOCOL_VERSIONS", ""))
    if protocol is None:
        sys.stderr.write(f"{plugin.name}: heard offers protocols {os.environ.get('PLUGIN_PROTOCOL_VERSIONS')!r}; "
                         f"none carries this plugin's kinds\n")
        sys.exit(1)
    # Ctrl-C in heard's terminal reaches the whole process group; heard
    # decides when its plugins stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="heard-plugin"),
        options=[("grpc.max_receive_message_length", MAX_MESSAGE_SIZE),
                 ("grpc.max_send_message_length", MAX_MESSAGE_SIZE)],
    )
    done = threading.Event()

    def stop():
        if not done.is_set():
            done.set()
            server.stop(grace=1)

    pbg.add_PluginServicer_to_server(_PluginService(plugin, protocol), server)
    kinds = plugin.kinds(protocol)
    if "classifier" in kinds:
        pbg.add_ClassifierServicer_to_server(_Classifier(plugin), server)
    if "enricher" in kinds:
        pbg.add_EnricherServicer_to_server(_Enricher(plugin), server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(_Controller(stop), server)
    grpc_stdio_pb2_grpc.add_GRPCStdioServicer_to_server(_Stdio(done), server)
    grpc_broker_pb2_grpc.add_GRPCBrokerServicer_to_server(_Broker(), server)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
        "Check": grpc.unary_unary_rpc_method_handler(
            _health_check,
            request_deserializer=_wire.HealthCheckRequest.FromString,
            response_serializer=_wire.HealthCheckResponse.SerializeToString),
    }),))

    sock_dir = os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or None
    tmp = tempfile.mkdtemp(prefix="plugin", dir=sock_dir)
    sock = os.path.join(tmp, "plugin.sock")
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT", "")
    cert_field = ""
    if client_cert:
        from heard_plugin import _tls  # cryptography loads only when needed
        cert_pem, key_pem, cert_field = _tls.server_certificate()
        creds = grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=client_cert.encode(),
                                            require_client_auth=True)
        server.add_secure_port("unix:" + sock, creds)
    else:
        server.add_insecure_port("unix:" + sock)
    server.start()

    threading.Thread(target=_watch_parent, args=(os.getppid(), done, stop), name="parent-watch",
                     daemon=True).start()
    _stdout.write_handshake(f"{CORE_PROTOCOL}|{protocol}|unix|{sock}|grpc|{cert_field}")
    try:
        server.wait_for_termination()
        # stop() returns at once; give in-flight calls their grace period.
        while not done.is_set():
            time.sleep(0.05)
    finally:
        done.set()
        try:
            os.unlink(sock)
            os.rmdir(tmp)
        except OSError:
            pass
