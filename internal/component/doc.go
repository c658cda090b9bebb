// Package component is heard's component registry: classifiers, drafters,
// embedders and, through plugins, enrichers are registered under a
// namespaced ID ("classify.rules", "draft.llm", "embed.openai") together
// with a typed configuration schema (a struct with yaml tags, its defaults
// and its Validate method). The config file names components by ID; the
// registry decodes each one's section strictly, validates it and builds it.
//
// Every kind of component has its own Registry value (classify.Components,
// draft.Components, embed.Components). Registries are the only mutable
// globals in heard, and a built-in registers itself from init with
// MustRegister only. Named is the one shape a built component takes,
// whether it is built in or served by a plugin.
//
// This package is not a public API.
package component
