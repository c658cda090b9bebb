// Command sbom writes the CycloneDX SBOM of Go binaries: one JSON file per
// binary, from the module list the Go toolchain recorded in it. `make
// release` (scripts/release.sh) runs it on every release binary:
//
//	go run ./internal/buildinfo/sbom -version v1.2.0 -date 2026-12-07T22:00:00Z dist/heard-*
//
// It writes BINARY.cdx.json next to each BINARY (without a .exe suffix).
// It is a build tool, not a public API.
package main
