//go:build unix

package plugins

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// ownProcessGroup makes the plugin the leader of a new process group, so
// that a Ctrl-C at heard's terminal does not reach it (shutdown is the
// host's to order) and so that killGroup reaches every process it started.
func ownProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// killGroup sends SIGKILL to the process group led by pid: the plugin and
// every child it left in its group. A group with no member left is not an
// error. The signal is delivered asynchronously, so it then waits, until
// the deadline at most, for the group to be empty: once killGroup returns
// early, nothing of the plugin is left running.
func killGroup(pid int, deadline time.Time) error {
	if pid <= 0 {
		return nil
	}
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return err
	}
	for time.Now().Before(deadline) {
		if err := syscall.Kill(-pid, 0); errors.Is(err, syscall.ESRCH) {
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}
