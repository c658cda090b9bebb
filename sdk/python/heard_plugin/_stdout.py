"""Keeps stdout for go-plugin's handshake line only."""

import os
import sys

_handshake_fd = None


def guard():
    """Moves fd 1 aside and sends later stdout writes (Python's and C's) to stderr."""
    global _handshake_fd
    if _handshake_fd is not None:
        return
    sys.stdout.flush()
    _handshake_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def write_handshake(line):
    """Writes the handshake line to the real stdout."""
    os.write(_handshake_fd, (line + "\n").encode("ascii"))
