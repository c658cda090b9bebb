//go:build unix

package plugins

import (
	"errors"
	"os/exec"
	"syscall"
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
// error.
func killGroup(pid int) error {
	if pid <= 0 {
		return nil
	}
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}
