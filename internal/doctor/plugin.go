package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/heardhq/heard/plugins"
)

// Plugins checks every plugin in the catalog at catalogPath: its binary
// (and declared files) against the recorded checksum, then a launch, the
// handshake and a health check, each bounded by startTimeout.
func Plugins(catalogPath string, startTimeout time.Duration, log *slog.Logger) Check {
	return func(ctx context.Context) []Result {
		cat, err := plugins.OpenCatalog(catalogPath)
		if err != nil {
			return []Result{fail("plugins", fmt.Sprintf("reading the plugin catalog %s: %v", catalogPath, err),
				"repair or remove the catalog file; reinstall plugins with heard plugin install PATH")}
		}
		es := cat.Entries()
		if len(es) == 0 {
			return []Result{ok("plugins", "none installed (catalog %s)", catalogPath)}
		}
		out := make([]Result, 0, len(es))
		for _, e := range es {
			out = append(out, plugin(ctx, e, startTimeout, log))
		}
		return out
	}
}

func plugin(ctx context.Context, e plugins.Entry, startTimeout time.Duration, log *slog.Logger) Result {
	check := "plugin " + e.Name
	if err := e.Verify(); err != nil {
		switch {
		case errors.Is(err, plugins.ErrChecksum):
			return fail(check, err.Error(), fmt.Sprintf("if you changed the plugin, record the new binary with heard plugin install %s --name %s; otherwise restore the installed binary, someone replaced it", e.Path, e.Name))
		case errors.Is(err, fs.ErrNotExist):
			return fail(check, err.Error(), fmt.Sprintf("put the binary back at %s, or forget the plugin with heard plugin remove %s", e.Path, e.Name))
		default:
			return fail(check, err.Error(), "check that heard can read the plugin binary")
		}
	}
	info, err := plugins.Probe(ctx, e, startTimeout, log)
	if err != nil {
		return fail(check, "checksum ok, but launching it failed: "+err.Error(),
			fmt.Sprintf("run heard plugin test %s to see what the plugin does wrong", e.Path))
	}
	return ok(check, "checksum ok; launched, handshake and health check passed (%s %s)", info.Name, info.Version)
}
