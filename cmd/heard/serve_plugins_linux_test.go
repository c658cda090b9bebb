//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/plugins"
)

// logBuffer is a bytes.Buffer safe for a logger and a test to share.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *logBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *logBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// procFields returns the fields of /proc/PID/stat after the command name
// (state, ppid, pgrp, ...); nil when the process is gone.
func procFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// liveGroup returns the live (not zombie) processes of process group pgid.
func liveGroup(pgid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f := procFields(pid)
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g == pgid {
			out = append(out, pid)
		}
	}
	return out
}

// `heard serve` stops within queue.shutdown_timeout after its context ends
// although every plugin misbehaves on the way out: one ignores the shutdown
// request and SIGINT/SIGTERM and keeps a child holding its stderr, one is
// frozen so the request is never answered, one wedges half-way on the
// SIGINT a Ctrl-C sends. Nothing of them is left afterwards.
func TestServeStopsDespitePluginsThatWillNotStop(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "stubborn")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/heardhq/heard/plugins/testdata/stubborn").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cat, err := plugins.OpenCatalog(filepath.Join(t.TempDir(), plugins.CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := plugins.Install(t.Context(), cat, bin, "stubborn", 30*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	const shutdownTimeout = 4 * time.Second
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(cfgPath, fmt.Appendf(nil, `listen: "127.0.0.1:0"
data_dir: %q
queue:
  shutdown_timeout: %s
plugins:
  enabled:
    - {name: stubborn, id: plugin.ignore, settings: {mode: ignore}}
    - {name: stubborn, id: plugin.freeze, settings: {mode: freeze}}
    - {name: stubborn, id: plugin.sigint, settings: {mode: sigint}}
`, filepath.Join(dir, "data"), shutdownTimeout), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("heard log:\n%s", logs.String())
		}
	})
	m := newMain(cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	m.CatalogPath = cat.Path()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	select {
	case <-m.Ready():
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("heard did not start")
	}
	defer m.Close()

	pids := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var l struct {
			Msg, Plugin string
			PID         int
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "plugin started" && l.PID > 0 {
			pids[l.Plugin] = l.PID
		}
	}
	if len(pids) != 3 {
		t.Fatalf("plugins started: %v; want 3", pids)
	}
	for _, pid := range pids {
		t.Cleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL) }) // should the test fail
	}
	// Each plugin is in the state that used to hang the shutdown.
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	waitUntil("the ignoring plugin's child", func() bool { return len(liveGroup(pids["plugin.ignore"])) == 2 })
	waitUntil("the frozen plugin", func() bool { f := procFields(pids["plugin.freeze"]); return len(f) > 0 && f[0] == "T" })
	if err := syscall.Kill(pids["plugin.sigint"], syscall.SIGINT); err != nil { // what Ctrl-C at a terminal did
		t.Fatal(err)
	}
	waitUntil("the plugin wedged on SIGINT", func() bool { f := procFields(pids["plugin.sigint"]); return len(f) > 0 && f[0] == "T" })

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("heard serve still running 30s after its context ended (shutdown_timeout %s)", shutdownTimeout)
	}
	// Past the timeout only by the moment the kills take to land.
	if took := time.Since(start); took > shutdownTimeout+2*time.Second {
		t.Errorf("heard serve took %s to stop; shutdown_timeout is %s", took.Round(time.Millisecond), shutdownTimeout)
	}
	for id, pid := range pids {
		if left := liveGroup(pid); len(left) > 0 {
			t.Errorf("%s: processes %v still alive after Run returned", id, left)
		}
	}
	if !strings.Contains(logs.String(), "KeyboardInterrupt") {
		t.Errorf("the wedged plugin's stderr is not in heard's log")
	}
}
