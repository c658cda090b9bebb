//go:build linux

package plugins_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

// Fixtures that do not stop, or do not start, as asked.
const (
	pkgStubborn    = "./testdata/stubborn"
	pkgNoHandshake = "./testdata/nohandshake"
	pkgImportError = "./testdata/importerror"
)

// closeBound is how long Close may take with a plugin that will not stop:
// the two-second grace, a second for the kill to land, and slack for a
// loaded machine. It only tells "bounded" from "hangs".
const closeBound = 8 * time.Second

// groupMembers returns the live processes (zombies excluded) of process
// group pgid, from /proc.
func groupMembers(pgid int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f := statFields(pid)
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, err := strconv.Atoi(f[2]); err == nil && g == pgid {
			out = append(out, pid)
		}
	}
	return out
}

// statFields returns the fields of /proc/PID/stat after the command name:
// state, ppid, pgrp, ...; nil when the process is gone.
func statFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')') // the name may hold spaces and parentheses
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// stopped reports whether pid is stopped (SIGSTOP).
func stopped(pid int) bool {
	f := statFields(pid)
	return len(f) > 0 && f[0] == "T"
}

// closeWithin closes h, failing the test if Close takes longer than bound.
func closeWithin(t *testing.T, h *plugins.Host, ctx context.Context, bound time.Duration) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- h.Close(ctx) }()
	select {
	case err := <-done:
		return time.Since(start), err
	case <-time.After(bound):
		t.Fatalf("Close did not return within %s", bound)
		return 0, nil
	}
}

// A plugin that will not stop — it ignores the shutdown request and
// SIGINT/SIGTERM and has a child holding its stderr, or its process is
// frozen so the request is never answered, or it wedges half-way on SIGINT
// as a Python interpreter may — cannot hang Close: after the grace period
// its whole process group is killed, and nothing of it is left.
func TestCloseKillsPluginsThatWillNotStop(t *testing.T) {
	bin := pluginBinary(t, pkgStubborn)
	for _, tc := range []struct {
		mode string
		// prepare runs once the plugin is up; it returns what must hold
		// before Close for the test to mean anything.
		prepare func(t *testing.T, pid int)
		// closeCtx bounds Close; none means the default grace.
		deadline time.Duration
		// logs must appear in the host's log.
		logs []string
	}{
		{mode: "ignore", prepare: func(t *testing.T, pid int) {
			waitFor(t, 5*time.Second, "the plugin's child", func() bool { return len(groupMembers(pid)) == 2 })
		}, logs: []string{"did not exit within its grace period"}},
		{mode: "freeze", prepare: func(t *testing.T, pid int) {
			waitFor(t, 5*time.Second, "the plugin to stop itself", func() bool { return stopped(pid) })
		}, logs: []string{"did not exit within its grace period"}},
		{mode: "sigint", prepare: func(t *testing.T, pid int) {
			if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 5*time.Second, "the plugin to wedge on SIGINT", func() bool { return stopped(pid) })
		}, logs: []string{"did not exit within its grace period", "output=KeyboardInterrupt"}},
		{mode: "ignore", deadline: 300 * time.Millisecond, prepare: func(t *testing.T, pid int) {
			waitFor(t, 5*time.Second, "the plugin's child", func() bool { return len(groupMembers(pid)) == 2 })
		}},
	} {
		t.Run(fmt.Sprintf("%s-%s", tc.mode, tc.deadline), func(t *testing.T) {
			log, logs := testLogger(t)
			cat := installed(t, log, map[string]string{"stubborn": bin})
			h, err := plugins.Load(t.Context(), cat.Path(), section(t, fmt.Sprintf(`
plugins:
  enabled: [{name: stubborn, settings: {mode: %s}}]
`, tc.mode)), log)
			if err != nil {
				t.Fatal(err)
			}
			pid := pidOf(t, h, "plugin.stubborn")
			if pid == 0 {
				t.Fatalf("stubborn did not start: %+v", h.Status())
			}
			t.Cleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL) }) // whatever happens below
			tc.prepare(t, pid)
			ctx, bound := t.Context(), closeBound
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
				bound = tc.deadline + 3*time.Second // the kill lands at once once the deadline has passed
			}
			took, err := closeWithin(t, h, ctx, bound)
			if err != nil {
				t.Errorf("Close = %v", err)
			}
			if left := groupMembers(pid); len(left) > 0 {
				t.Errorf("processes %v of the plugin's group still alive %s after Close", left, took)
			}
			for _, want := range tc.logs {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("host log lacks %q", want)
				}
			}
			if tc.mode == "sigint" && !logLine(logs.String(), "level=INFO", `msg="plugin wrote to stderr"`, "output=KeyboardInterrupt") {
				t.Errorf("the plugin's plain stderr is not logged at info")
			}
		})
	}
}

// catalogWith writes a catalog holding bin as classifier plugin name,
// without launching it (Install would refuse a plugin that cannot start).
func catalogWith(t *testing.T, name, bin string) *plugins.Catalog {
	t.Helper()
	cat, err := plugins.OpenCatalog(filepath.Join(t.TempDir(), plugins.CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := plugins.Sum(bin)
	if err != nil {
		t.Fatal(err)
	}
	cat.Put(plugins.Entry{Name: name, Kinds: []sdkplugin.Kind{sdkplugin.KindClassifier}, Version: "0.0.1", Protocol: 2,
		Path: bin, SHA256: sum, InstalledAt: time.Now().UTC()})
	if err := cat.Save(); err != nil {
		t.Fatal(err)
	}
	return cat
}

// logLine reports whether one line of logs holds every part.
func logLine(logs string, parts ...string) bool {
	for line := range strings.Lines(logs) {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

var pidRE = regexp.MustCompile(`pid (\d+)`)

// A plugin that dies before the handshake, as a Python plugin with a
// missing module does, fails to install and to start with an error that
// says it exited and shows its last stderr lines, redacted; heard logs
// those lines at info, not debug.
func TestLaunchErrorShowsStderr(t *testing.T) {
	bin := pluginBinary(t, pkgImportError)
	check := func(t *testing.T, what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s succeeded", what)
		}
		msg := err.Error()
		for _, want := range []string{"exited (exit status 1) before completing the handshake", "last stderr:",
			"Traceback (most recent call last):", "ImportError: No module named 'grpc'", "[EMAIL]"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: error lacks %q:\n%s", what, want, msg)
			}
		}
		for _, unwanted := range []string{"jane.doe@example.com", "Unrecognized remote plugin message"} {
			if strings.Contains(msg, unwanted) {
				t.Errorf("%s: error holds %q:\n%s", what, unwanted, msg)
			}
		}
		if !errors.Is(err, sdk.ErrUnavailable) {
			t.Errorf("%s: error does not match sdk.ErrUnavailable: %v", what, err)
		}
		m := pidRE.FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("%s: no pid in %s", what, msg)
		}
		pid, _ := strconv.Atoi(m[1])
		if left := groupMembers(pid); len(left) > 0 {
			t.Errorf("%s: processes %v left", what, left)
		}
	}

	log, logs := testLogger(t)
	cat, err := plugins.OpenCatalog(filepath.Join(t.TempDir(), plugins.CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = plugins.Install(t.Context(), cat, bin, "vip", 10*time.Second, log)
	check(t, "Install", err)
	if !logLine(logs.String(), "level=INFO", `msg="plugin wrote to stderr"`, `output="ImportError: No module named 'grpc'`) {
		t.Errorf("the plugin's stderr is not logged at info:\n%s", logs.String())
	}

	cat = catalogWith(t, "vip", bin)
	cfg := plugins.DefaultConfig()
	cfg.Enabled = []plugins.Enabled{{Name: "vip"}}
	h, err := plugins.New(cat, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(context.Background())
	check(t, "Start", h.Start(t.Context()))
	if s := h.Status()[0]; !strings.Contains(s.LastError, "ImportError") {
		t.Errorf("Status().LastError = %q; want the stderr tail", s.LastError)
	}
}

// A plugin that never completes the handshake is killed at start_timeout
// with its process group (here a child holding its stderr open), and the
// error shows what it printed.
func TestHandshakeThatNeverComesIsBounded(t *testing.T) {
	log, _ := testLogger(t)
	cat := catalogWith(t, "slow", pluginBinary(t, pkgNoHandshake))
	cfg := plugins.DefaultConfig()
	cfg.StartTimeout = config.Duration(time.Second)
	cfg.Enabled = []plugins.Enabled{{Name: "slow"}}
	h, err := plugins.New(cat, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Start(t.Context()) }()
	select {
	case err = <-done:
	case <-time.After(closeBound):
		t.Fatal("Start did not return")
	}
	if err == nil {
		t.Fatal("Start succeeded")
	}
	msg := err.Error()
	for _, want := range []string{`plugin "slow"`, "timeout while waiting for plugin to start", "last stderr:", "loading a very large model"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	m := pidRE.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("no pid in %s", msg)
	}
	pid, _ := strconv.Atoi(m[1])
	if left := groupMembers(pid); len(left) > 0 {
		t.Errorf("processes %v of the plugin's group left after the failed start", left)
	}
	if took, err := closeWithin(t, h, t.Context(), closeBound); err != nil {
		t.Errorf("Close after a failed start = %v (%s)", err, took)
	}
}
