// Command nohandshake is a test fixture: a "plugin" that never completes
// go-plugin's handshake. It says on stderr that it is loading, starts a
// child that shares its stderr (as a worker pool would), ignores SIGINT
// and SIGTERM and sleeps; the child does the same. Only SIGKILL to the
// whole process group ends them.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

const childEnv = "NOHANDSHAKE_CHILD"

func main() {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM)
	if os.Getenv(childEnv) == "" {
		self, err := os.Executable()
		if err == nil {
			child := exec.Command(self) //nolint:gosec // the fixture re-runs itself
			child.Env = []string{childEnv + "=1"}
			child.Stderr = os.Stderr
			if err := child.Start(); err != nil {
				fmt.Fprintln(os.Stderr, "starting the child:", err)
			}
		}
		fmt.Fprintf(os.Stderr, "loading a very large model, pid %d\n", os.Getpid())
	}
	for {
		time.Sleep(time.Hour)
	}
}
