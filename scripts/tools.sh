#!/usr/bin/env bash
# Install the project's Go dev tools into $(go env GOPATH)/bin with `go install`.
# Idempotent: a tool already installed at the pinned version is skipped.
#
# Usage: scripts/tools.sh
set -euo pipefail

GOBIN_DIR="$(go env GOBIN)"
if [[ -z "${GOBIN_DIR}" ]]; then
	GOBIN_DIR="$(go env GOPATH)/bin"
fi

# Pinned versions. Bump deliberately; CI installs exactly these.
GOLANGCI_LINT_VERSION="v2.15.0"
# Protobuf generators for scripts/proto.sh (the plugin wire protocol). Keep
# PROTOC_GEN_GO_VERSION equal to google.golang.org/protobuf in go.mod.
PROTOC_GEN_GO_VERSION="v1.36.12"
PROTOC_GEN_GO_GRPC_VERSION="v1.6.2"

log() { printf 'tools.sh: %s\n' "$*" >&2; }

# install_tool NAME MODULE_PATH VERSION VERSION_CMD...
# Runs VERSION_CMD (the installed binary) and skips the install when its
# output already mentions VERSION (with or without the leading "v").
install_tool() {
	local name="$1" pkg="$2" version="$3"
	shift 3
	local bin="${GOBIN_DIR}/${name}"
	if [[ -x "${bin}" ]]; then
		local out
		out="$("${bin}" "$@" 2>&1 || true)"
		local v="${version#v}"
		if grep -Eq "(^|[^0-9.])v?${v//./\\.}([^0-9.]|\$)" <<<"${out}"; then
			log "${name} ${version} already installed (${bin})"
			return 0
		fi
	fi
	log "installing ${name} ${version} ..."
	local start=${SECONDS}
	# Keep CI output short: show the build log only if the install fails.
	local logfile
	logfile="$(mktemp "${TMPDIR:-/tmp}/heard-tools.XXXXXX")"
	if ! GOBIN="${GOBIN_DIR}" go install "${pkg}@${version}" >"${logfile}" 2>&1; then
		cat "${logfile}" >&2
		rm -f "${logfile}"
		log "error: go install ${pkg}@${version} failed"
		return 1
	fi
	rm -f "${logfile}"
	log "installed ${name} ${version} in $((SECONDS - start))s (${bin})"
}

install_tool golangci-lint \
	github.com/golangci/golangci-lint/v2/cmd/golangci-lint \
	"${GOLANGCI_LINT_VERSION}" \
	version

install_tool protoc-gen-go \
	google.golang.org/protobuf/cmd/protoc-gen-go \
	"${PROTOC_GEN_GO_VERSION}" \
	--version

install_tool protoc-gen-go-grpc \
	google.golang.org/grpc/cmd/protoc-gen-go-grpc \
	"${PROTOC_GEN_GO_GRPC_VERSION}" \
	--version

# protoc itself is not a Go tool: scripts/proto.sh needs it on PATH
# (apt-get install -y protobuf-compiler, or a release from
# github.com/protocolbuffers/protobuf). Only needed to change the .proto.
if ! command -v protoc >/dev/null 2>&1; then
	log "note: protoc not found; needed only by scripts/proto.sh"
fi

case ":${PATH}:" in
*":${GOBIN_DIR}:"*) ;;
*) log "note: ${GOBIN_DIR} is not on PATH; add it (export PATH=\"${GOBIN_DIR}:\$PATH\")" ;;
esac
