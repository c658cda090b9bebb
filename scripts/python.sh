#!/usr/bin/env bash
# Make sure the Python the plugin helper (sdk/python) runs on has what it
# needs: Debian's python3-grpcio, python3-protobuf and python3-cryptography
# for /usr/bin/python3 (the interpreter Python plugins name, since heard
# starts plugins with an empty environment). Nothing comes from PyPI.
#
# Usage: scripts/python.sh            install what is missing (needs root and apt-get)
#        scripts/python.sh check      exit 1 when something is missing
set -euo pipefail

PY=/usr/bin/python3
PKGS=(python3-grpcio python3-protobuf python3-cryptography)

have() { [[ -x "${PY}" ]] && "${PY}" -c 'import grpc, google.protobuf, cryptography' 2>/dev/null; }

if have; then
	exit 0
fi
if [[ "${1:-}" == check ]]; then
	echo "python.sh: ${PY} cannot import grpc, google.protobuf and cryptography; run scripts/python.sh" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "python.sh: no apt-get; install ${PKGS[*]} (or their equivalents for ${PY}) yourself" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "+ apt-get install ${PKGS[*]}"
if ! apt-get -y -q install --no-install-recommends python3 "${PKGS[@]}"; then
	apt-get -q update
	apt-get -y -q install --no-install-recommends python3 "${PKGS[@]}"
fi
have
