#!/usr/bin/env bash
# Make sure the TypeScript plugin helper (sdk/typescript) can be built and
# tested: Node.js and npm (Debian's nodejs and npm packages when missing;
# plugins name /usr/bin/node, since heard starts them with an empty
# environment) and the helper's npm dependencies, installed with `npm ci`
# from the committed package-lock.json. Fast when node_modules is current.
#
# Usage: scripts/node.sh            install what is missing (apt-get needs root)
#        scripts/node.sh check      exit 1 when something is missing
set -euo pipefail

cd "$(dirname "$0")/../sdk/typescript"

NODE=/usr/bin/node
STAMP=node_modules/.heard-package-lock.sha256

have_node() { [[ -x "${NODE}" ]] && command -v npm >/dev/null 2>&1; }
lock_sum() { sha256sum package-lock.json | cut -d' ' -f1; }
current() { [[ -f "${STAMP}" && "$(cat "${STAMP}")" == "$(lock_sum)" ]]; }

if have_node && current; then
	exit 0
fi
if [[ "${1:-}" == check ]]; then
	have_node || echo "node.sh: ${NODE} or npm is missing; run scripts/node.sh" >&2
	have_node && echo "node.sh: sdk/typescript/node_modules does not match package-lock.json; run scripts/node.sh" >&2
	exit 1
fi
if ! have_node; then
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "node.sh: no apt-get; install Node.js (18 or later) as ${NODE} and npm yourself" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	echo "+ apt-get install nodejs npm"
	if ! apt-get -y -q install --no-install-recommends nodejs npm; then
		apt-get -q update
		apt-get -y -q install --no-install-recommends nodejs npm
	fi
	have_node
fi
echo "+ npm ci (sdk/typescript)"
# --ignore-scripts: no dependency needs an install script to work.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
lock_sum >"${STAMP}"
