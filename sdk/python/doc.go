// Package python holds no Go code for plugins: the directory is heard's
// Python plugin helper (heard_plugin, with stubs generated from sdk/proto by
// scripts/proto-py.sh) and a Python VIP classifier example. Its Go tests run
// the helper's unittest suite and launch the example the way heard does, with
// sdk/sdktest's conformance checks. See docs/plugins-other-languages.md.
//
// It is not a public API.
package python
