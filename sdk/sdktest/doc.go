// Package sdktest is the test harness for heard plugins and built-in
// components: conformance suites for the sdk contracts, run in-process and
// over the real plugin transport, and function-field fakes.
//
// A classifier plugin's whole test can be one line:
//
//	func TestConformance(t *testing.T) {
//		sdktest.TestServe(t, options(), sdktest.WithSettings(json.RawMessage(`{"vip_domains":["bigco.example"]}`)))
//	}
//
// TestServe runs TestClassifier (and TestEnricher) on the implementation
// directly and through plugin.TestClient at every protocol version. To
// test the built binary as heard launches it, use Build and Launch.
//
// Run the suites with -race: they call the implementation concurrently.
//
// MeasureClassify is the body of a latency benchmark: pass it the
// classifier Launch returned to see what one call costs over the plugin
// transport (p50, p99, calls/s).
package sdktest
