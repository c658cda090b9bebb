// Command keywords serves the keywords classifier as a plugin, for the
// host's benchmark.
package main

import (
	"github.com/heardhq/heard/plugins/internal/keywords"
	"github.com/heardhq/heard/sdk/plugin"
)

func main() {
	plugin.Serve(plugin.Options{Info: plugin.Info{Name: "keywords", Version: "1.0.0"}, Classifier: keywords.Classifier{}})
}
