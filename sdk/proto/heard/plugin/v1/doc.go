// Package pluginv1 is the generated Go code for the heard.plugin.v1 wire
// protocol (plugin.proto beside it). Its types never appear in the sdk's
// signatures: package github.com/heardhq/heard/sdk/plugin converts between
// them and the sdk types, so Go plugin authors never import this package.
// Authors of plugins in other languages generate their own code from
// plugin.proto.
//
// Regenerate with scripts/proto.sh after editing plugin.proto; the
// compatibility rules are in plugin.proto and docs/plugins.md.
package pluginv1
