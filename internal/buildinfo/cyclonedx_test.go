package buildinfo

import (
	"encoding/json"
	"runtime/debug"
	"slices"
	"testing"
)

func TestCycloneDX(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Path:      "github.com/heardhq/heard/cmd/heard",
		Main:      debug.Module{Path: "github.com/heardhq/heard", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "gopkg.in/yaml.v3", Version: "v3.0.1", Sum: "h1:abc="},
			{Path: "example.com/old", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1"}},
			{Path: "github.com/gin-gonic/gin", Version: "v1.12.0"},
		},
		Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"}, {Key: "-ldflags", Value: "-s -w"}},
	}
	in := SBOMInput{Build: bi, Name: "heard-v1-linux-arm64", SHA256: "00ff", Version: "v1.0.0", Timestamp: "2026-12-07T00:00:00Z"}
	bom, err := CycloneDX(in)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, c := range bom.Components {
		refs = append(refs, c.BOMRef)
	}
	want := []string{"pkg:golang/example.com/fork@v1.0.1", "pkg:golang/github.com/gin-gonic/gin@v1.12.0", "pkg:golang/gopkg.in/yaml.v3@v3.0.1"}
	if !slices.Equal(refs, want) {
		t.Errorf("components %v, want %v (sorted, the replacement in place of the replaced module)", refs, want)
	}
	if bom.Metadata.Component.PURL != "pkg:golang/github.com/heardhq/heard@v1.0.0" {
		t.Errorf("main purl %q", bom.Metadata.Component.PURL)
	}
	if len(bom.Dependencies) != 1 || !slices.Equal(bom.Dependencies[0].DependsOn, want) {
		t.Errorf("dependencies %+v", bom.Dependencies)
	}
	var props []string
	for _, p := range bom.Metadata.Properties {
		props = append(props, p.Name+"="+p.Value)
	}
	if !slices.Contains(props, "go:build:GOARCH=arm64") || slices.Contains(props, "go:build:-ldflags=-s -w") {
		t.Errorf("metadata properties %v: want GOARCH, not -ldflags", props)
	}

	// The serial number depends on the binary, not on when the BOM was made.
	again, _ := CycloneDX(in)
	other := in
	other.SHA256 = "11ee"
	third, _ := CycloneDX(other)
	if again.SerialNumber != bom.SerialNumber || third.SerialNumber == bom.SerialNumber {
		t.Errorf("serials %s %s %s: want equal for the same binary, different for another", bom.SerialNumber, again.SerialNumber, third.SerialNumber)
	}
	body, err := bom.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(body, &generic); err != nil || generic["bomFormat"] != "CycloneDX" || generic["specVersion"] != "1.5" {
		t.Errorf("JSON %v: %s", err, body[:80])
	}
	if _, err := CycloneDX(SBOMInput{Name: "x"}); err == nil {
		t.Error("CycloneDX without build info: no error")
	}
}
