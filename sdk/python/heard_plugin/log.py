"""Logging the way heard reads it: one JSON object per line on stderr,
with hclog's keys (@level, @message, @timestamp). heard re-logs each line
under the plugin's name with the plugin's level and extra keys.

    from heard_plugin.log import logger
    logger.info("settings loaded", extra={"fields": {"plans": 3}})
"""

import datetime
import json
import logging
import sys

_LEVELS = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warn", logging.ERROR: "error", logging.CRITICAL: "error"}


class HCLogFormatter(logging.Formatter):
    """Formats records as hclog JSON lines."""

    def format(self, record):
        out = {
            "@level": _LEVELS.get(record.levelno, "info"),
            "@message": record.getMessage(),
            "@timestamp": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(timespec="microseconds"),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for k, v in fields.items():
                out[str(k)] = v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
        if record.exc_info:
            out["error"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def new_logger(name="plugin", level=logging.INFO, stream=None):
    """Returns a logger writing hclog JSON lines to stream (default stderr)."""
    lg = logging.getLogger(name)
    lg.setLevel(level)
    lg.propagate = False
    if not lg.handlers:
        h = logging.StreamHandler(stream or sys.__stderr__)
        h.setFormatter(HCLogFormatter())
        lg.addHandler(h)
    return lg


logger = new_logger("heard_plugin")
