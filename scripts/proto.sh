#!/usr/bin/env bash
# Regenerate the plugin wire protocol's Go code from its .proto files.
# The generated files are committed, so building heard or a plugin never
# needs protoc; run this only after editing a .proto file.
#
# Needs: protoc (apt-get install -y protobuf-compiler, or a release from
# github.com/protocolbuffers/protobuf) and the Go generators, installed at
# their pinned versions by scripts/tools.sh.
#
# Usage: scripts/proto.sh
set -euo pipefail

cd "$(dirname "$0")/.."

GOBIN_DIR="$(go env GOBIN)"
if [[ -z "${GOBIN_DIR}" ]]; then
	GOBIN_DIR="$(go env GOPATH)/bin"
fi
export PATH="${GOBIN_DIR}:${PATH}"

log() { printf 'proto.sh: %s\n' "$*" >&2; }

for tool in protoc protoc-gen-go protoc-gen-go-grpc; do
	if ! command -v "${tool}" >/dev/null 2>&1; then
		log "error: ${tool} not found; install protoc, then run scripts/tools.sh"
		exit 1
	fi
done

# Each directory under sdk/proto/heard is one versioned proto package
# (heard/plugin/v1 is heard.plugin.v1); its Go package lives beside it.
# sdk/proto/goplugin holds go-plugin's own protos, vendored for non-Go
# plugins (scripts/proto-py.sh); Go gets them from go-plugin itself.
mapfile -t protos < <(find sdk/proto/heard -name '*.proto' | sort)
if [[ ${#protos[@]} -eq 0 ]]; then
	log "error: no .proto files under sdk/proto"
	exit 1
fi

log "$(protoc --version), $(protoc-gen-go --version), $(protoc-gen-go-grpc --version)"
protoc \
	--proto_path=sdk/proto \
	--go_out=sdk/proto --go_opt=paths=source_relative \
	--go-grpc_out=sdk/proto --go-grpc_opt=paths=source_relative \
	"${protos[@]#sdk/proto/}"
log "generated: $(find sdk/proto -name '*.pb.go' | sort | tr '\n' ' ')"
