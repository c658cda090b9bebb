package deploy

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// targets is every platform `make release` builds.
var targets = []struct{ goos, goarch string }{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// TestReleaseBuildsEveryTarget runs scripts/release.sh as `make release`
// does and checks what it wrote: one static binary per target in that
// target's executable format, stamped; the checksums; the SBOMs against the
// modules `go list` says each binary links; and `heard version` of the
// binary this machine can run.
func TestReleaseBuildsEveryTarget(t *testing.T) {
	dist := t.TempDir()
	const (
		version = "v0.0.0-releasetest"
		commit  = "0123456789ab"
		date    = "2026-12-07T12:34:56Z"
	)
	cmd := exec.Command("bash", "../scripts/release.sh")
	cmd.Env = append(os.Environ(), "DIST="+dist, "VERSION="+version, "COMMIT="+commit, "DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}

	sums := readSums(t, filepath.Join(dist, "SHA256SUMS"))
	var listed []string
	for _, tg := range targets {
		name := fmt.Sprintf("heard-%s-%s-%s", version, tg.goos, tg.goarch)
		bin := name
		if tg.goos == "windows" {
			bin += ".exe"
		}
		sbom := name + ".cdx.json"
		listed = append(listed, bin, sbom)
		t.Run(tg.goos+"/"+tg.goarch, func(t *testing.T) {
			path := filepath.Join(dist, bin)
			checkFormat(t, path, tg.goos, tg.goarch)

			bi, err := buildinfo.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			settings := map[string]string{}
			for _, s := range bi.Settings {
				settings[s.Key] = s.Value
			}
			for k, want := range map[string]string{"GOOS": tg.goos, "GOARCH": tg.goarch, "CGO_ENABLED": "0", "-trimpath": "true"} {
				if settings[k] != want {
					t.Errorf("build setting %s = %q, want %q", k, settings[k], want)
				}
			}
			// -trimpath keeps -ldflags out of the recorded settings; the
			// stamped strings are in the binary's data.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range []string{version, commit, date} {
				if !bytes.Contains(data, []byte(x)) {
					t.Errorf("%s is not stamped into the binary", x)
				}
			}

			for _, f := range []string{bin, sbom} {
				data, err := os.ReadFile(filepath.Join(dist, f))
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(data)
				if got, ok := sums[f]; !ok || got != hex.EncodeToString(sum[:]) {
					t.Errorf("SHA256SUMS %s = %q, file's sha256 %x", f, got, sum)
				}
			}
			checkSBOM(t, filepath.Join(dist, sbom), bin, tg.goos, tg.goarch, version, date)
		})
	}
	var got []string
	for f := range sums {
		got = append(got, f)
	}
	slices.Sort(got)
	slices.Sort(listed)
	if !slices.Equal(got, listed) {
		t.Errorf("SHA256SUMS lists %v, want %v", got, listed)
	}

	// The stamped binary of this machine's platform says what was stamped.
	native := filepath.Join(dist, fmt.Sprintf("heard-%s-%s-%s", version, runtime.GOOS, runtime.GOARCH))
	if runtime.GOOS == "windows" {
		native += ".exe"
	}
	v, err := exec.Command(native, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", native, err)
	}
	want := fmt.Sprintf("heard %s (commit %s, built %s, ", version, commit, date)
	if !strings.HasPrefix(string(v), want) || !strings.Contains(string(v), runtime.GOOS+"/"+runtime.GOARCH) {
		t.Errorf("heard version = %q, want %q... %s/%s", v, want, runtime.GOOS, runtime.GOARCH)
	}
}

// readSums parses a sha256sum file: "<hex>  <name>" per line.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		sums[name] = sum
	}
	return sums
}

// checkFormat opens the binary as its platform's executable format and
// checks the machine; a Linux binary must also be static (no interpreter,
// no shared libraries), as the scratch image needs.
func checkFormat(t *testing.T, path, goos, goarch string) {
	t.Helper()
	switch goos {
	case "linux":
		f, err := elf.Open(path)
		if err != nil {
			t.Fatalf("not ELF: %v", err)
		}
		defer f.Close()
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]
		if f.Machine != want {
			t.Errorf("ELF machine %v, want %v", f.Machine, want)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("ELF has an interpreter: not a static binary")
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("ELF needs shared libraries %v", libs)
		}
	case "darwin":
		f, err := macho.Open(path)
		if err != nil {
			t.Fatalf("not Mach-O: %v", err)
		}
		defer f.Close()
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		if f.Cpu != want || f.Type != macho.TypeExec {
			t.Errorf("Mach-O cpu %v type %v, want %v executable", f.Cpu, f.Type, want)
		}
	case "windows":
		f, err := pe.Open(path)
		if err != nil {
			t.Fatalf("not PE: %v", err)
		}
		defer f.Close()
		want := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]
		if f.Machine != want || f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
			t.Errorf("PE machine %#x characteristics %#x, want %#x executable", f.Machine, f.Characteristics, want)
		}
	default:
		t.Fatalf("no format check for %s", goos)
	}
}

// checkSBOM reads a CycloneDX SBOM and compares its components with the
// modules `go list -deps` finds for ./cmd/heard on that platform.
func checkSBOM(t *testing.T, path, bin, goos, goarch, version, date string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var bom struct {
		BOMFormat    string `json:"bomFormat"`
		SpecVersion  string `json:"specVersion"`
		SerialNumber string `json:"serialNumber"`
		Metadata     struct {
			Timestamp string `json:"timestamp"`
			Component struct {
				Name, Version, PURL string
				Properties          []struct{ Name, Value string }
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Type, Name, Version, PURL string
		} `json:"components"`
		Dependencies []struct {
			Ref       string   `json:"ref"`
			DependsOn []string `json:"dependsOn"`
		} `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &bom); err != nil {
		t.Fatalf("SBOM: %v", err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion != "1.5" || !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") {
		t.Errorf("SBOM header %q %q %q", bom.BOMFormat, bom.SpecVersion, bom.SerialNumber)
	}
	m := bom.Metadata
	if m.Component.Name != "github.com/heardhq/heard" || m.Component.Version != version || m.Timestamp != date {
		t.Errorf("SBOM metadata %+v at %q, want github.com/heardhq/heard %s at %s", m.Component, m.Timestamp, version, date)
	}
	if !slices.ContainsFunc(m.Component.Properties, func(p struct{ Name, Value string }) bool {
		return p.Name == "heard:file" && p.Value == bin
	}) {
		t.Errorf("SBOM does not name its binary %s: %+v", bin, m.Component.Properties)
	}

	list := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}", "../cmd/heard")
	list.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var want []string
	for _, l := range strings.Fields(string(out)) {
		if !slices.Contains(want, l) {
			want = append(want, l)
		}
	}
	var got, purls []string
	for _, c := range bom.Components {
		got = append(got, c.Name+"@"+c.Version)
		purls = append(purls, c.PURL)
		if c.Type != "library" || c.PURL != "pkg:golang/"+c.Name+"@"+c.Version {
			t.Errorf("component %+v: want a library with purl pkg:golang/%s@%s", c, c.Name, c.Version)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("SBOM components (%d) differ from go list's modules (%d):\nSBOM only: %v\ngo list only: %v",
			len(got), len(want), minus(got, want), minus(want, got))
	}
	if len(want) < 20 {
		t.Errorf("only %d modules: go list did not see heard's dependencies", len(want))
	}
	if len(bom.Dependencies) != 1 || !slices.Equal(sorted(bom.Dependencies[0].DependsOn), sorted(purls)) {
		t.Errorf("SBOM dependencies %+v, want the application depending on every component", bom.Dependencies)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
