//go:build unix

package plugins_test

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// A Python plugin survives the SIGINT a Ctrl-C sends to heard's process
// group, and still exits gracefully when heard shuts it down (through
// go-plugin's controller, without being killed).
func TestPythonPluginIgnoresSIGINTAndShutsDownCleanly(t *testing.T) {
	script := pythonPlugin(t)
	log, buf := testLogger(t)
	cat := installed(t, log, map[string]string{"pykw": script})
	h := load(t, cat.Path(), "plugins:\n  enabled: [{name: pykw}]\n", log)
	c := h.Classifiers("")[0].Impl
	req := &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: "outage"}}
	if _, err := c.Classify(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	pid := pidOf(t, h, "plugin.pykw")
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if !alive(pid) {
		t.Fatal("the Python plugin died on SIGINT")
	}
	if _, err := c.Classify(t.Context(), req); err != nil {
		t.Errorf("Classify after SIGINT: %v", err)
	}
	if got := pidOf(t, h, "plugin.pykw"); got != pid {
		t.Errorf("the plugin was restarted after SIGINT (pid %d, then %d)", pid, got)
	}
	start := time.Now()
	if err := h.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("closed in %s", time.Since(start))
	waitFor(t, 5*time.Second, "the plugin to exit", func() bool { return !alive(pid) })
	if strings.Contains(buf.String(), "failed to exit gracefully") {
		t.Errorf("heard had to kill the plugin; want a graceful exit after Shutdown:\n%s", buf.String())
	}
}
