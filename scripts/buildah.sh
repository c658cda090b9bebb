#!/usr/bin/env bash
# Make sure Debian's buildah (and runc, which runs its RUN steps, and
# busybox-static, the shell of the stand-in builder image) are installed
# for the container image test (deploy/image_test.go builds the
# Containerfile with buildah; it skips when buildah is missing). Nothing is
# downloaded outside the distribution's packages.
#
# Usage: scripts/buildah.sh          install them when missing (needs root and apt-get)
#        scripts/buildah.sh check    exit 1 when one is missing
set -euo pipefail

pkgs=(buildah runc busybox-static)
have() { command -v buildah >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && [[ -x /bin/busybox ]]; }

if have; then
	exit 0
fi
if [[ "${1:-}" == check ]]; then
	echo "buildah.sh: buildah, runc or busybox-static is not installed; run scripts/buildah.sh" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "buildah.sh: no apt-get; install ${pkgs[*]} yourself (the image test needs them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "+ apt-get install ${pkgs[*]}"
if ! apt-get -y -q install --no-install-recommends "${pkgs[@]}"; then
	apt-get -q update
	apt-get -y -q install --no-install-recommends "${pkgs[@]}"
fi
have
