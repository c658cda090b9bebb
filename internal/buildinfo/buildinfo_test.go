package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	vcs := func(rev, when, modified string) *debug.BuildInfo {
		return &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Main:      debug.Module{Path: "github.com/heardhq/heard", Version: "(devel)"},
			Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: rev},
				{Key: "vcs.time", Value: when},
				{Key: "vcs.modified", Value: modified},
			},
		}
	}
	installed := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/heardhq/heard", Version: "v1.4.0"},
	}
	tests := []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  Info
	}{
		{"stamped wins over vcs", "v1.2.0", "abc1234", "2026-12-01T10:00:00Z", vcs("ffff", "2026-01-01T00:00:00Z", "true"),
			Info{Version: "v1.2.0", Commit: "abc1234", Date: "2026-12-01T10:00:00Z"}},
		{"go build in a checkout", "", "", "", vcs("0123456789abcdef", "2026-11-30T08:00:00Z", "false"),
			Info{Version: "dev", Commit: "0123456789abcdef", Date: "2026-11-30T08:00:00Z"}},
		{"modified tree", "", "", "", vcs("0123456789abcdef", "2026-11-30T08:00:00Z", "true"),
			Info{Version: "dev", Commit: "0123456789abcdef-dirty", Date: "2026-11-30T08:00:00Z"}},
		{"go install @version", "", "", "", installed,
			Info{Version: "v1.4.0", Commit: Unknown, Date: Unknown}},
		{"partly stamped", "v2.0.0", "", "", vcs("beef", "2026-02-02T02:02:02Z", "false"),
			Info{Version: "v2.0.0", Commit: "beef", Date: "2026-02-02T02:02:02Z"}},
		{"nothing at all", "", "", "", nil,
			Info{Version: "dev", Commit: Unknown, Date: Unknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolve(tt.version, tt.commit, tt.date, tt.bi)
			if got.Version != tt.want.Version || got.Commit != tt.want.Commit || got.Date != tt.want.Date {
				t.Errorf("resolve = %+v, want version %q commit %q date %q", got, tt.want.Version, tt.want.Commit, tt.want.Date)
			}
			if tt.bi != nil && got.GoVersion != tt.bi.GoVersion {
				t.Errorf("GoVersion = %q, want %q", got.GoVersion, tt.bi.GoVersion)
			}
			if !strings.Contains(got.Platform, "/") {
				t.Errorf("Platform = %q, want GOOS/GOARCH", got.Platform)
			}
		})
	}
}

func TestString(t *testing.T) {
	in := Info{Version: "v1.2.0", Commit: "abc1234", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.26.8", Platform: "linux/arm64"}
	want := "heard v1.2.0 (commit abc1234, built 2026-12-01T10:00:00Z, go1.26.8 linux/arm64)"
	if got := in.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
