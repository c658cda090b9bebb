package connectors

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// TypePlugin is the connector type served by a connector plugin of the
// connector's name.
const TypePlugin = "plugin"

// Configured is one configured connector, built.
type Configured struct {
	Config    config.Connector
	Connector sdk.Connector
}

// Live reports whether the connector writes back (mode live).
func (c Configured) Live() bool { return c.Config.Mode == config.ModeLive }

// FromConfigOptions tunes FromConfig.
type FromConfigOptions struct {
	// Only, when set, builds just the connector of that name; a name that is
	// not configured is an error.
	Only string
	// Plugin finds the connector plugin serving a connector of type
	// "plugin"; nil means there are none.
	Plugin func(name string) (sdk.Connector, bool)
	// Logger is scoped per connector; nil discards.
	Logger *slog.Logger
}

// FromConfig builds the configured connectors in order: built-in types from
// r, type "plugin" from opts.Plugin. It validates and allocates; it does no
// network IO. On error, the ones already built are closed.
func (r *Registry) FromConfig(ctx context.Context, cs []config.Connector, opts FromConfigOptions) ([]Configured, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var out []Configured
	for _, c := range cs {
		if opts.Only != "" && c.Name != opts.Only {
			continue
		}
		var conn sdk.Connector
		if c.Type == TypePlugin {
			var ok bool
			if opts.Plugin != nil {
				conn, ok = opts.Plugin(c.Name)
			}
			if !ok {
				Close(ctx, out)
				return nil, fmt.Errorf("connector %q has type plugin, but no enabled connector plugin serves it (see docs/plugins.md): %w", c.Name, sdk.ErrInvalid)
			}
		} else {
			var err error
			conn, err = r.New(c.Type, Spec{Name: c.Name, Decode: c.Decode}, Deps{Logger: log.With("connector", c.Name)})
			if err != nil {
				Close(ctx, out)
				return nil, err
			}
		}
		out = append(out, Configured{Config: c, Connector: conn})
	}
	if opts.Only != "" && len(out) == 0 {
		return nil, fmt.Errorf("no connector named %q in the configuration (have %d): %w", opts.Only, len(cs), sdk.ErrInvalid)
	}
	return out, nil
}

// Close closes every connector that holds resources.
func Close(ctx context.Context, cs []Configured) {
	for _, c := range cs {
		if cl, ok := c.Connector.(sdk.Closer); ok {
			_ = cl.Close(ctx)
		}
	}
}
