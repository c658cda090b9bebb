package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Stamped at link time, e.g.
//
//	-X github.com/heardhq/heard/internal/buildinfo.Version=v1.2.0
//
// Empty means "not stamped": Get falls back to the binary's build info.
var (
	// Version is the release version (a git tag such as v1.2.0).
	Version string
	// Commit is the full or abbreviated git commit hash.
	Commit string
	// Date is the build time, RFC 3339 in UTC.
	Date string
)

// Unknown is shown for a field neither stamped nor recorded by the toolchain.
const Unknown = "unknown"

// Info is the resolved build information.
type Info struct {
	Version   string // "v1.2.0", "(devel)" or "dev"
	Commit    string // VCS revision, with "-dirty" when the tree was modified
	Date      string // build (or, unstamped, commit) time
	GoVersion string // the toolchain, e.g. "go1.26.8"
	Platform  string // GOOS/GOARCH
}

var (
	once     sync.Once
	resolved Info
)

// Get returns the build information: the stamped values where set, else the
// ones the Go toolchain recorded (module version, vcs.revision, vcs.time,
// vcs.modified).
func Get() Info {
	once.Do(func() {
		bi, _ := debug.ReadBuildInfo()
		resolved = resolve(Version, Commit, Date, bi)
	})
	return resolved
}

// resolve merges the stamped values with the recorded build info (nil when
// the binary has none).
func resolve(version, commit, date string, bi *debug.BuildInfo) Info {
	in := Info{
		Version:   version,
		Commit:    commit,
		Date:      date,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	if bi != nil {
		if bi.GoVersion != "" {
			in.GoVersion = bi.GoVersion
		}
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version
		}
		var modified bool
		var revision, when string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if in.Commit == "" && revision != "" {
			in.Commit = revision
			if modified {
				in.Commit += "-dirty"
			}
		}
		if in.Date == "" {
			in.Date = when
		}
	}
	if in.Version == "" {
		in.Version = "dev"
	}
	if in.Commit == "" {
		in.Commit = Unknown
	}
	if in.Date == "" {
		in.Date = Unknown
	}
	return in
}

// String is the one line `heard version` prints, e.g.
// "heard v1.2.0 (commit 3b2778e, built 2026-12-07T22:00:00Z, go1.26.8 linux/amd64)".
func (in Info) String() string {
	return fmt.Sprintf("heard %s (commit %s, built %s, %s %s)", in.Version, in.Commit, in.Date, in.GoVersion, in.Platform)
}

// String is Get().String().
func String() string { return Get().String() }
