//go:build !unix

package sqlite

import "os"

// lockFile only creates the file where flock is unavailable; running two
// heard processes on one data directory there is unsupported.
func lockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
}

func unlockFile(f *os.File) error { return f.Close() }
