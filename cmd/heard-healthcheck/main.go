package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// timeout bounds the whole probe; orchestrators kill slower probes anyway.
const timeout = 3 * time.Second

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	cancel()
	os.Exit(code)
}

// run probes the URL and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) int {
	url := target(args, getenv)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil) //nolint:gosec // the URL is the operator's own health endpoint
	if err != nil {
		fmt.Fprintf(out, "unhealthy: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req) //nolint:gosec // as above: probing the configured URL is the point
	if err != nil {
		fmt.Fprintf(out, "unhealthy: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(out, "unhealthy: %s %s: %s\n", url, resp.Status, strings.TrimSpace(string(body)))
		return 1
	}
	fmt.Fprintf(out, "ok: %s\n", url)
	return 0
}

// target is the URL to probe: the argument, HEARD_HEALTHCHECK_URL, or
// /readyz on loopback at HEARD_LISTEN's port.
func target(args []string, getenv func(string) string) string {
	if len(args) > 0 && args[0] != "" {
		return args[0]
	}
	if u := getenv("HEARD_HEALTHCHECK_URL"); u != "" {
		return u
	}
	port := "8080"
	if listen := getenv("HEARD_LISTEN"); listen != "" {
		if _, p, err := net.SplitHostPort(listen); err == nil && p != "" && p != "0" {
			port = p
		}
	}
	return "http://" + net.JoinHostPort("127.0.0.1", port) + "/readyz"
}
