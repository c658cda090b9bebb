package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
)

const replayUsage = "replay FILE --connector NAME [--config FILE] [--url URL]"

// cmdReplay signs a stored webhook payload with a configured connector's
// secret and posts it to heard, so an admin can test their setup.
func replayCmd() *cobra.Command {
	return cli.Command(replayUsage, "sign a stored webhook payload with a connector's secret and post it", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		name := fs.String("connector", "", "configured connector `name` whose secret signs the payload (required)")
		url := fs.String("url", "", "webhook `URL` to post to; default http://127.0.0.1:<listen port>/v1/webhooks/<connector>")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if len(args) != 1 || *name == "" {
				return errUsage
			}
			file := args[0]
			body, err := os.ReadFile(file) //nolint:gosec // the admin names the payload file
			if err != nil {
				return fmt.Errorf("reading payload: %w", err)
			}
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			built, err := buildConnectors(ctx, cfg, nil, *name, nil)
			if err != nil {
				return err
			}
			defer connectors.Close(ctx, built)
			found, conn := built[0].Config, built[0].Connector
			signer, ok := conn.(connectors.Signer)
			if !ok {
				return fmt.Errorf("connector type %q cannot sign webhooks", found.Type)
			}
			h, err := signer.SignWebhook(body, time.Now())
			if err != nil {
				return fmt.Errorf("signing payload: %w", err)
			}
			target := *url
			if target == "" {
				_, port, err := net.SplitHostPort(cfg.Listen)
				if err != nil {
					return fmt.Errorf("listen %q: %w", cfg.Listen, err)
				}
				target = "http://127.0.0.1:" + port + "/v1/webhooks/" + found.Name
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
			if err != nil {
				return fmt.Errorf("building request: %w", err)
			}
			req.Header = h
			if req.Header.Get("Content-Type") == "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req) //nolint:gosec // the admin chose the URL; posting there is the command's job
			if err != nil {
				return fmt.Errorf("posting to %s: %w", target, err)
			}
			defer resp.Body.Close()
			answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			fmt.Fprintf(stdout, "%s %s\n%s\n", resp.Proto, resp.Status, strings.TrimSpace(string(answer)))
			if resp.StatusCode/100 != 2 {
				return fmt.Errorf("heard answered %s", resp.Status)
			}
			return nil
		}
	})
}
