# heard — developer entry points. `make demo` and `make test` are all a
# newcomer needs; both install what they use.

GO        ?= go
GOBIN     := $(shell $(GO) env GOPATH)/bin
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DATE      ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
BUILDINFO := github.com/heardhq/heard/internal/buildinfo
LDFLAGS   := -X $(BUILDINFO).Version=$(VERSION) -X $(BUILDINFO).Commit=$(COMMIT) -X $(BUILDINFO).Date=$(DATE)

.PHONY: all build test test-short lint run demo bench tools release clean

all: build

## build: compile bin/heard (and bin/heard-sandbox, the demo and emulated help desks)
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/heard ./cmd/heard
	$(GO) build -o bin/heard-sandbox ./cmd/heard-sandbox

## test: every test, with the race detector, against a throwaway PostgreSQL + pgvector (installs chromium, buildah for the image test, the Python plugin helper's Debian packages and the TypeScript helper's npm packages)
test:
	scripts/python.sh
	scripts/node.sh
	scripts/buildah.sh
	scripts/chromium.sh
	scripts/pg.sh run $(GO) test -race -count=1 -timeout 30m ./...

## test-short: the same without PostgreSQL's own start-up (needs HEARD_TEST_DATABASE_URL)
test-short:
	$(GO) test -race ./...

## lint: golangci-lint (installed by scripts/tools.sh) and go vet
lint: tools
	$(GO) vet ./...
	$(GOBIN)/golangci-lint run ./...

## run: heard serve with the defaults (or CONFIG=heard.yaml)
run: build
	bin/heard serve $(if $(CONFIG),--config $(CONFIG))

## demo: start heard on a throwaway embedded store, send it signed webhooks, show the result
demo: build
	bin/heard-sandbox demo --heard-bin bin/heard

## bench: ingest, drain (a 20,000-event burst, new vs old queue settings), knowledge-base and console page-render (100,000 records) benchmarks on SQLite and PostgreSQL, learned-classifier training; JSON lines
bench:
	scripts/pg.sh run sh -c '$(GO) run ./bench/ingest && $(GO) run ./bench/drain --compare && $(GO) run ./bench/kb && $(GO) run ./bench/console'
	$(GO) run ./bench/train

## release: cross-compile heard for linux, darwin and windows on amd64 and arm64 into dist/, with SBOMs and SHA256SUMS
release:
	VERSION=$(VERSION) COMMIT=$(COMMIT) DATE=$(DATE) GO=$(GO) scripts/release.sh

## tools: install golangci-lint
tools:
	scripts/tools.sh

clean:
	rm -rf bin heard-data dist
