#!/usr/bin/env bash
# Cross-compile the heard release: static binaries (CGO off, -trimpath) for
# linux, darwin and windows on amd64 and arm64, with version, commit and
# build date stamped into internal/buildinfo; a CycloneDX SBOM per binary;
# and SHA256SUMS over everything. `make release` runs it.
#
# Environment (all optional):
#   VERSION  release version   (default: git describe --tags --always --dirty, else dev)
#   COMMIT   commit hash       (default: git rev-parse --short=12 HEAD, else unknown)
#   DATE     build date        (default: now, UTC, RFC 3339)
#   DIST     output directory  (default: dist)
#   TARGETS  GOOS/GOARCH list  (default: the six below)
#   GO       the go command    (default: go)
set -euo pipefail

cd "$(dirname "$0")/.."

GO=${GO:-go}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
DATE=${DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
DIST=${DIST:-dist}
TARGETS=${TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}

pkg=github.com/heardhq/heard/internal/buildinfo
ldflags="-s -w -X $pkg.Version=$VERSION -X $pkg.Commit=$COMMIT -X $pkg.Date=$DATE"

mkdir -p "$DIST"
bins=()
for target in $TARGETS; do
	goos=${target%/*}
	goarch=${target#*/}
	out="$DIST/heard-$VERSION-$goos-$goarch"
	[[ $goos == windows ]] && out+=.exe
	echo "+ $goos/$goarch -> $out" >&2
	CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch "$GO" build -trimpath -ldflags "$ldflags" -o "$out" ./cmd/heard
	bins+=("$out")
done

# The SBOM tool runs on the build machine, not the target.
"$GO" run ./internal/buildinfo/sbom -version "$VERSION" -date "$DATE" "${bins[@]}" >/dev/null

(
	cd "$DIST"
	rm -f SHA256SUMS
	files=()
	for b in "${bins[@]}"; do
		b=${b##*/}
		files+=("$b" "${b%.exe}.cdx.json")
	done
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "${files[@]}" >SHA256SUMS
	else
		shasum -a 256 "${files[@]}" >SHA256SUMS
	fi
)
echo "heard $VERSION ($COMMIT, $DATE): ${#bins[@]} binaries, SBOMs and SHA256SUMS in $DIST/" >&2
