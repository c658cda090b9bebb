// Package connectors holds the registry of help-desk connector types. Each
// built-in vendor lives in its own subpackage and registers a Factory from its
// init function; connectors/all imports them all. cmd/heard builds one
// sdk.Connector per configured connector through a Registry.
//
// This package is not a public API.
package connectors
