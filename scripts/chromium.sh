#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the admin console's
# real-browser test (internal/console and cmd/heard drive it over CDP with
# chromedp). Nothing is downloaded outside the distribution's packages.
#
# Usage: scripts/chromium.sh          install chromium when missing (needs root and apt-get)
#        scripts/chromium.sh check    exit 1 when it is missing
set -euo pipefail

have() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }

if have; then
	exit 0
fi
if [[ "${1:-}" == check ]]; then
	echo "chromium.sh: chromium is not installed; run scripts/chromium.sh" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "chromium.sh: no apt-get; install chromium yourself (the console's browser test needs it)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "+ apt-get install chromium"
if ! apt-get -y -q install --no-install-recommends chromium fonts-dejavu-core; then
	apt-get -q update
	apt-get -y -q install --no-install-recommends chromium fonts-dejavu-core
fi
have
