//go:build !unix

package plugins_test

import "os"

// alive reports whether pid is a live process.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
