// Package all links every built-in connector into the binary. Import it for
// its side effect of registering them in connectors.Default.
//
// This package is not a public API.
package all
