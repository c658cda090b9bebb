//go:build unix

package plugins_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
)

// helperEnv, when set to a catalog path, turns this test binary into a
// host process: TestHelperHost loads the catalog's misbehave plugin,
// prints "PID <plugin pid>" and waits to be killed.
const helperEnv = "HEARD_PLUGINS_TEST_HOST_CATALOG"

func TestHelperHost(t *testing.T) {
	catalog := os.Getenv(helperEnv)
	if catalog == "" {
		t.Skip("only runs as the host process of TestHostDeathLeavesNoPluginBehind")
	}
	h, err := plugins.Load(context.Background(), catalog, section(t, "plugins:\n  enabled: [{name: misbehave}]\n"), nil)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Printf("PID %d\n", h.Status()[0].PID)
	time.Sleep(time.Minute) // until the parent test kills this process
	os.Exit(1)
}

// Killing the host outright (SIGKILL: no Close, no cleanup) leaves no plugin
// process behind: the SDK's Serve notices its host is gone and exits.
func TestHostDeathLeavesNoPluginBehind(t *testing.T) {
	log, _ := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperHost$", "-test.count=1") //nolint:gosec // this test binary
	cmd.Env = append(os.Environ(), helperEnv+"="+cat.Path())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	pid := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "PID "); ok {
			pid, _ = strconv.Atoi(v)
			break
		}
		if strings.HasPrefix(sc.Text(), "ERROR") {
			t.Fatal(sc.Text())
		}
	}
	if pid == 0 || !alive(pid) {
		t.Fatalf("the host did not report a running plugin (pid %d)", pid)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitFor(t, 5*time.Second, fmt.Sprintf("orphaned plugin %d to exit", pid), func() bool { return !alive(pid) })
}

// A plugin process that dies between calls (killed by an admin or the OOM
// killer) is noticed on the next call and replaced.
func TestPluginKilledBetweenCallsIsReplaced(t *testing.T) {
	log, logs := testLogger(t)
	cat := installed(t, log, map[string]string{"misbehave": pluginBinary(t, pkgMisbehave)})
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: misbehave}]\n", log)
	first := pidOf(t, h, "plugin.misbehave")
	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the host to notice the exit", func() bool { return pidOf(t, h, "plugin.misbehave") == 0 })
	c := h.Classifiers("")[0].Impl
	if _, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket("acme", "")}); err != nil {
		t.Fatalf("call after the kill: %v", err)
	}
	if second := pidOf(t, h, "plugin.misbehave"); second == 0 || second == first {
		t.Errorf("pid %d after killing %d; want a new process", second, first)
	}
	if !strings.Contains(logs.String(), "plugin process exited; restarting") {
		t.Errorf("the host did not log the exit it noticed")
	}
}
