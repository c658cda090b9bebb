//go:build !unix

package plugins

import (
	"errors"
	"os"
	"os/exec"
	"time"
)

// ownProcessGroup does nothing where there are no unix process groups.
func ownProcessGroup(*exec.Cmd) {}

// killGroup kills the plugin process itself; children it started are not
// reached where there are no unix process groups. It does not wait.
func killGroup(pid int, _ time.Time) error {
	if pid <= 0 {
		return nil
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return nil //nolint:nilerr // no such process: nothing to kill
	}
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
