// Package plugin runs heard plugins over go-plugin and gRPC, on both sides
// of the process boundary.
//
// A plugin author calls Serve from main with the capabilities to serve:
//
//	func main() {
//		plugin.Serve(plugin.Options{
//			Info:       plugin.Info{Name: "vip", Version: "1.0.0"},
//			Classifier: &booster{},
//			Configure:  b.configure,
//		})
//	}
//
// The host (package plugins in heard) launches the binary with go-plugin,
// passes HostPlugins as the versioned plugin sets, and gets a *Client from
// Dispense whose Classifier, Enricher and Connector behave like in-process
// implementations of the sdk interfaces: the caller's ctx deadline crosses
// the boundary, and errors keep their sdk sentinels (see RemoteError).
//
// The wire protocol is heard.plugin.v1 (sdk/proto/heard/plugin/v1). Its
// types stay inside this package. The handshake cookie never changes;
// ProtocolVersion is N and MinProtocolVersion is N-1, and both sides serve
// both. docs/plugins.md spells out the compatibility promise.
package plugin
