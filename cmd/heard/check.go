package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/doctor"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/plugins"
)

// checkCmd is heard check: it verifies the config, the store, the
// connectors, the plugins and the LLM endpoint without changing anything,
// prints a table (or JSON) of ok / warning / error with a fix for each,
// and fails only on an error.
func checkCmd() *cobra.Command {
	return cli.Command("check [--config FILE] [--connector NAME] [--json] [--timeout 15s]",
		"check the config, store, connectors' credentials, webhook secrets, plugins and LLM endpoint before going live (exit 1 on any error)",
		func(fs *pflag.FlagSet) cli.RunFunc {
			cfgPath := configFlag(fs)
			only := fs.String("connector", "", "check only the connector `name`d (the store, plugins and LLM are checked too)")
			asJSON := fs.Bool("json", false, "print a JSON list of {check, status, detail, fix}")
			timeout := config.Duration(15 * time.Second)
			fs.Var(&timeout, "timeout", "how long each check may take, plugin launches included")
			return func(ctx context.Context, args []string, stdout, _ io.Writer) error {
				if len(args) > 0 {
					return cli.Usagef("heard check takes no arguments")
				}
				return runCheck(ctx, *cfgPath, *only, time.Duration(timeout), *asJSON, stdout)
			}
		})
}

func runCheck(ctx context.Context, cfgPath, only string, timeout time.Duration, asJSON bool, stdout io.Writer) error {
	cfg, err := config.Load(cfgPath, nil)
	results := []doctor.Result{doctor.Config(cfgPath, len(cfg.Connectors), err)}
	if err == nil {
		if only != "" && !slices.ContainsFunc(cfg.Connectors, func(c config.Connector) bool { return c.Name == only }) {
			return cli.Usagef("no connector named %q in the config", only)
		}
		results = append(results, doctor.Run(ctx, timeout, checkList(ctx, cfg, cfgPath, only, timeout)...)...)
	}
	results = doctor.Mask(results, secrets(cfg)...)
	write := doctor.WriteTable
	if asJSON {
		write = doctor.WriteJSON
	}
	if err := write(stdout, results); err != nil {
		return err
	}
	if doctor.Failed(results) {
		return fmt.Errorf("check: %d error(s)", doctor.Count(results)[doctor.Error])
	}
	return nil
}

// checkList wires the checks for cfg: the store, each connector (or only
// the one named only), the installed plugins and the LLM endpoints in use.
func checkList(ctx context.Context, cfg config.Config, cfgPath, only string, timeout time.Duration) []doctor.Check {
	var cs []doctor.Check
	if cfg.Store() == config.StorePostgres {
		dsn := cfg.DatabaseURL.Reveal()
		where := "PostgreSQL"
		if u, err := url.Parse(dsn); err == nil && u.Host != "" {
			where = "PostgreSQL at " + u.Host
		}
		cs = append(cs, doctor.Store(config.StorePostgres, where, func(ctx context.Context) ([]store.Migration, error) {
			return postgres.Pending(ctx, dsn)
		}))
	} else {
		cs = append(cs, doctor.Store(config.StoreSQLite, cfg.DataDir, func(ctx context.Context) ([]store.Migration, error) {
			return sqlite.Pending(ctx, cfg.DataDir)
		}))
	}
	for _, c := range cfg.Connectors {
		if only != "" && c.Name != only {
			continue
		}
		if c.Type == connectors.TypePlugin {
			cs = append(cs, func(context.Context) []doctor.Result {
				return []doctor.Result{{Check: "connector " + c.Name + ": credentials", Status: doctor.Warning,
					Detail: "served by a connector plugin, which heard check cannot probe; the plugin itself is checked below",
					Fix:    "watch the first write-backs (heard show CONNECTOR TICKET) after going live"}}
			})
			continue
		}
		built, err := connectors.Default.FromConfig(ctx, []config.Connector{c}, connectors.FromConfigOptions{})
		var conn any
		if err == nil && len(built) == 1 {
			conn = built[0].Connector
		}
		cs = append(cs, doctor.Connector(c.Name, c.Type, conn, err))
	}
	cs = append(cs, doctor.Plugins(plugins.CatalogPath(cfgPath, cfg.DataDir), timeout, nil))
	var eps []doctor.LLMEndpoint
	if m := cfg.LLM.Models.Chat; m != "" {
		eps = append(eps, doctor.LLMEndpoint{Use: config.UseChat, BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey, Model: m})
	}
	if m := cfg.LLM.Models.Embedding; m != "" {
		eps = append(eps, doctor.LLMEndpoint{Use: config.UseEmbedding, BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey, Model: m})
	}
	if len(eps) > 0 {
		cs = append(cs, doctor.LLM(nil, eps...))
	}
	return cs
}

// secrets are the configured secret values heard check must never print.
// Connector credentials are not listed: the connectors keep them out of
// their errors and probes.
func secrets(cfg config.Config) []string {
	out := []string{cfg.DatabaseURL.Reveal(), cfg.LLM.APIKey.Reveal()}
	if u, err := url.Parse(cfg.DatabaseURL.Reveal()); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
	}
	return out
}
