// Package typescript holds no Go code for plugins: the directory is heard's
// TypeScript plugin helper (the npm package heard-plugin, which loads
// sdk/proto at run time with @grpc/proto-loader and serves it with
// @grpc/grpc-js) and a TypeScript VIP classifier example. Its Go tests
// compile the helper with tsc, run its node:test suite and launch the
// example the way heard does, with sdk/sdktest's conformance checks. See
// docs/plugins-other-languages.md.
//
// It is not a public API.
package typescript
