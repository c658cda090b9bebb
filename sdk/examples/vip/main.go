package main

import (
	"log/slog"

	"github.com/heardhq/heard/sdk/plugin"
)

// version is set at build time: -ldflags "-X main.version=1.1.0".
var version = "1.0.0"

func main() {
	b := &Booster{}
	plugin.Serve(plugin.Options{
		Info:       plugin.Info{Name: "vip", Version: version, Description: "raises the priority of VIP and premium-plan tickets"},
		Classifier: b,
		Configure:  b.Configure,
		Logger:     plugin.NewLogger(slog.LevelInfo),
	})
}
