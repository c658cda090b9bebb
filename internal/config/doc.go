// Package config loads heard's configuration: one YAML file, ${ENV}
// references expanded in its scalar values, HEARD_* environment overrides
// on top, then defaults and validation.
//
// Decoding is strict: an unknown key anywhere in the file is an error that
// names the key and its line. Connector blocks carry vendor-specific keys
// that this package does not know; each connector implementation decodes
// them, just as strictly, with Connector.Decode.
//
// This package is internal to heard and is not a public API; it may change
// in any release. The user-facing reference is docs/configuration.md.
package config
