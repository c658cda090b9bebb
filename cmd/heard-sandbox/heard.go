package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/heardhq/heard/sandbox/helpcenter"
)

// findHeard returns the heard binary the demo runs: bin when given, else
// heard next to this executable, else one built from the checkout into dir
// (the demo is usually started with go run inside heard's repository).
func findHeard(ctx context.Context, bin, dir string) (string, error) {
	if bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("--heard-bin: %w", err)
		}
		return bin, nil
	}
	if self, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(self), "heard"); isFile(p) {
			return p, nil
		}
	}
	out := filepath.Join(dir, "heard")
	build := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/heardhq/heard/cmd/heard") //nolint:gosec // out is the demo's own temporary directory
	if msg, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("no heard binary: pass --heard-bin, or run the demo inside heard's repository with Go installed (go build: %w)\n%s", err, msg)
	}
	return out, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// heardEnv is this process's environment without HEARD_* variables: they
// override single config settings (HEARD_DATABASE_URL would move the demo
// off its throwaway store), and the demo's config file says everything.
func heardEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HEARD_") {
			env = append(env, kv)
		}
	}
	return env
}

// heardCommand runs one heard command to its end and returns its output;
// a failure carries what heard printed.
func heardCommand(ctx context.Context, bin string, args ...string) ([]byte, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...) //nolint:gosec // bin is the heard binary the user named or the demo built
	cmd.Stdout, cmd.Stderr, cmd.Env = &out, &errOut, heardEnv()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("heard %s: %w\n%s", args[0], err, bytes.TrimSpace(errOut.Bytes()))
	}
	return out.Bytes(), nil
}

// ingestHelpCenter writes the bundled help center to dir, ingests it with
// heard kb ingest and returns how many articles the knowledge base holds.
func ingestHelpCenter(ctx context.Context, bin, cfgFile, dir string) (int, error) {
	if err := os.CopyFS(dir, helpcenter.Articles()); err != nil {
		return 0, fmt.Errorf("writing the help center: %w", err)
	}
	if _, err := heardCommand(ctx, bin, "kb", "ingest", "--dir", dir, "--source", "bundled", "--config", cfgFile); err != nil {
		return 0, err
	}
	out, err := heardCommand(ctx, bin, "kb", "stats", "--json", "--config", cfgFile)
	if err != nil {
		return 0, err
	}
	var stats struct{ Articles int }
	if err := json.Unmarshal(out, &stats); err != nil {
		return 0, fmt.Errorf("reading heard kb stats --json: %w", err)
	}
	return stats.Articles, nil
}

// heardProc is a running `heard serve`.
type heardProc struct {
	cmd  *exec.Cmd
	done chan error
	err  error
	once bool
}

// startHeard runs heard serve with cfgFile (its log to logs) and returns
// once it answers GET /readyz on addr.
func startHeard(ctx context.Context, bin, cfgFile, addr string, logs io.Writer) (*heardProc, error) {
	cmd := exec.Command(bin, "serve", "--config", cfgFile) //nolint:gosec // bin is the heard binary the user named or the demo built
	cmd.Stdout, cmd.Stderr, cmd.Env = logs, logs, heardEnv()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting heard: %w", err)
	}
	h := &heardProc{cmd: cmd, done: make(chan error, 1)}
	go func() { h.done <- cmd.Wait() }()
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	client := &http.Client{Timeout: time.Second}
	for {
		select {
		case err := <-h.done:
			h.once, h.err = true, err
			return nil, fmt.Errorf("heard serve exited before it was ready: %w", err)
		case <-deadline:
			_ = h.stop()
			return nil, errors.New("heard did not start within 30s")
		case <-ctx.Done():
			_ = h.stop()
			return nil, ctx.Err()
		case <-tick.C:
			if ready(ctx, client, "http://"+addr+"/readyz") {
				return h, nil
			}
		}
	}
}

func ready(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stop asks heard to drain and exit (SIGINT, as Ctrl-C would) and waits;
// after 30s it kills it. It reports a non-zero exit; calling it again
// returns the first result.
func (h *heardProc) stop() error {
	if h.once {
		return h.err
	}
	h.once = true
	_ = h.cmd.Process.Signal(os.Interrupt)
	select {
	case h.err = <-h.done:
	case <-time.After(30 * time.Second):
		_ = h.cmd.Process.Kill()
		h.err = fmt.Errorf("heard did not stop within 30s: %w", <-h.done)
	}
	if h.err != nil {
		h.err = fmt.Errorf("heard serve: %w", h.err)
	}
	return h.err
}
