"""heard_plugin: write heard plugins in Python.

Import this package first in the plugin's entry script: importing it moves
file descriptor 1 aside for go-plugin's handshake and points everything
else written to stdout at stderr, so a stray print cannot break the launch.

    #!/usr/bin/python3
    import heard_plugin
    from heard_plugin import pb

    def classify(req, context):
        return pb.ClassifyResponse(predictions=[...])

    heard_plugin.serve(name="mine", version="1.0.0", classifier=classify)

Needs Debian's python3-grpcio, python3-protobuf and python3-cryptography.
See docs/plugins-other-languages.md in heard's repository.
"""

from heard_plugin import _stdout

_stdout.guard()

from heard_plugin._pb.heard.plugin.v1 import plugin_pb2 as pb  # noqa: E402
from heard_plugin._serve import (  # noqa: E402
    CORE_PROTOCOL, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, MAX_MESSAGE_SIZE, PROTOCOLS,
    Plugin, negotiate, serve,
)
from heard_plugin.errors import (  # noqa: E402
    DeadlineExceeded, Invalid, NotFound, PluginError, RetryAfter, Unauthorized, Unavailable, Unsupported,
)
from heard_plugin.log import logger, new_logger  # noqa: E402

__all__ = [
    "CORE_PROTOCOL", "MAGIC_COOKIE_KEY", "MAGIC_COOKIE_VALUE", "MAX_MESSAGE_SIZE", "PROTOCOLS",
    "DeadlineExceeded", "Invalid", "NotFound", "Plugin", "PluginError", "RetryAfter", "Unauthorized",
    "Unavailable", "Unsupported", "logger", "negotiate", "new_logger", "pb", "serve",
]
