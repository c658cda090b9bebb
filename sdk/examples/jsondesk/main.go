package main

import (
	"log/slog"

	"github.com/heardhq/heard/sdk/plugin"
)

// version is set at build time: -ldflags "-X main.version=1.1.0".
var version = "1.0.0"

func main() {
	log := plugin.NewLogger(slog.LevelInfo)
	d := NewDesk(log)
	plugin.Serve(plugin.Options{
		Info:      plugin.Info{Name: "jsondesk", Version: version, Description: "connector for JSON-over-HTTP help desks"},
		Connector: d,
		Configure: d.Configure,
		Logger:    log,
	})
}
