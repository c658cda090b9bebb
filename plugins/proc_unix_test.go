//go:build unix

package plugins_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// alive reports whether pid is a live process; a zombie (exited, not yet
// reaped by whoever adopted it) counts as gone.
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err == nil {
		// "pid (comm) STATE ...": comm may hold spaces, so look after ')'.
		s := string(data)
		if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
			return s[i+2] != 'Z' && s[i+2] != 'X'
		}
		return true
	}
	if _, perr := os.Stat("/proc/self/stat"); perr == nil && errors.Is(err, os.ErrNotExist) {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}
