// Package plugins is the host side of heard's plugins: the catalog of
// installed plugin binaries, the `plugins:` config section, and the Host
// that launches, verifies, supervises and adapts plugin processes so the
// pipeline cannot tell them from built-ins.
//
// Every launch goes through go-plugin with the catalog's SHA-256 in
// SecureConfig, gRPC only, automatic mutual TLS, no inherited environment
// (settings arrive through the plugin's Configure call), and a start
// timeout. Calls carry their ctx into the plugin and are bounded by a
// per-plugin timeout. A plugin that crashes or panics mid-call is restarted
// (at once, then with exponential backoff); one that keeps failing is
// skipped by a circuit breaker for a cooldown, so heard carries on with
// its built-ins and the queue never waits on it. Host.Close kills every
// process; a plugin whose host dies exits on its own (sdk/plugin.Serve).
//
// cmd wires it: plugins.Load(ctx, catalogPath, cfg.Plugins, log), then
// Classifiers into the classify ensemble, Enrichers into the pipeline and
// Connector for each connector of `type: plugin`. The Host is also a
// Prometheus collector (restarts, circuit state, running, per plugin ID),
// read from Status snapshots at scrape time.
//
// This package is internal to heard and is not a public API. Plugin authors
// use github.com/heardhq/heard/sdk/plugin; admins use `heard plugin` (see
// docs/plugins.md).
package plugins
