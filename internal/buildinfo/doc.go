// Package buildinfo says which heard this is: the version, the commit it was
// built from and when. `make release` and the Containerfile stamp the three
// with -ldflags -X; a `go install ...@version` build, which has no ldflags,
// falls back to what the Go toolchain recorded in the binary (the module
// version and the VCS settings).
//
// It is not a public API.
package buildinfo
