package buildinfo

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// A BOM is a CycloneDX 1.5 software bill of materials, the subset heard's
// release writes: the binary as the described component, every Go module
// linked into it as a library component, and the dependency edge between
// them.
type BOM struct {
	BOMFormat    string       `json:"bomFormat"`
	SpecVersion  string       `json:"specVersion"`
	SerialNumber string       `json:"serialNumber"`
	Version      int          `json:"version"`
	Metadata     BOMMetadata  `json:"metadata"`
	Components   []Component  `json:"components"`
	Dependencies []Dependency `json:"dependencies"`
}

// BOMMetadata says when and of what the BOM was made.
type BOMMetadata struct {
	Timestamp  string     `json:"timestamp,omitempty"`
	Component  Component  `json:"component"`
	Properties []Property `json:"properties,omitempty"`
}

// Component is one CycloneDX component (the application or a module).
type Component struct {
	Type       string     `json:"type"`
	BOMRef     string     `json:"bom-ref"`
	Name       string     `json:"name"`
	Version    string     `json:"version,omitempty"`
	PURL       string     `json:"purl,omitempty"`
	Properties []Property `json:"properties,omitempty"`
}

// Property is a CycloneDX name/value pair.
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Dependency lists what one component depends on, by bom-ref.
type Dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn"`
}

// SBOMInput is what CycloneDX describes: one binary's recorded build info
// and the release's stamped values.
type SBOMInput struct {
	Build     *debug.BuildInfo // from debug/buildinfo.ReadFile on the binary
	Name      string           // the binary's file name, e.g. heard-v1.2.0-linux-amd64
	SHA256    string           // hex digest of the binary
	Version   string           // the stamped release version
	Timestamp string           // the stamped build date (RFC 3339)
}

// CycloneDX builds the BOM of one binary. The serial number is derived from
// the binary's digest, so the same binary always gets the same BOM.
func CycloneDX(in SBOMInput) (BOM, error) {
	if in.Build == nil {
		return BOM{}, fmt.Errorf("sbom %s: no Go build info", in.Name)
	}
	version := in.Version
	if version == "" {
		version = in.Build.Main.Version
	}
	main := Component{
		Type:    "application",
		BOMRef:  purl(in.Build.Main.Path, version),
		Name:    in.Build.Main.Path,
		Version: version,
		PURL:    purl(in.Build.Main.Path, version),
		Properties: []Property{
			{Name: "heard:file", Value: in.Name},
			{Name: "heard:sha256", Value: in.SHA256},
			{Name: "heard:package", Value: in.Build.Path},
		},
	}
	meta := BOMMetadata{Timestamp: in.Timestamp, Component: main, Properties: []Property{{Name: "go:version", Value: in.Build.GoVersion}}}
	for _, s := range in.Build.Settings {
		switch s.Key {
		case "GOOS", "GOARCH", "CGO_ENABLED", "-trimpath", "vcs.revision", "vcs.time", "vcs.modified":
			meta.Properties = append(meta.Properties, Property{Name: "go:build:" + s.Key, Value: s.Value})
		}
	}
	bom := BOM{
		BOMFormat:    "CycloneDX",
		SpecVersion:  "1.5",
		SerialNumber: serial(in.SHA256 + "\x00" + in.Name),
		Version:      1,
		Metadata:     meta,
		Components:   []Component{},
	}
	deps := Dependency{Ref: main.BOMRef, DependsOn: []string{}}
	for _, m := range in.Build.Deps {
		if m.Replace != nil {
			m = m.Replace
		}
		c := Component{Type: "library", BOMRef: purl(m.Path, m.Version), Name: m.Path, Version: m.Version, PURL: purl(m.Path, m.Version)}
		if m.Sum != "" {
			c.Properties = []Property{{Name: "go:sum", Value: m.Sum}}
		}
		bom.Components = append(bom.Components, c)
		deps.DependsOn = append(deps.DependsOn, c.BOMRef)
	}
	slices.SortFunc(bom.Components, func(a, b Component) int { return strings.Compare(a.BOMRef, b.BOMRef) })
	slices.Sort(deps.DependsOn)
	bom.Dependencies = []Dependency{deps}
	return bom, nil
}

// JSON is the BOM indented, with a final newline.
func (b BOM) JSON() ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sbom: %w", err)
	}
	return append(out, '\n'), nil
}

// purl is the package URL of a Go module.
func purl(path, version string) string {
	if version == "" || version == "(devel)" {
		return "pkg:golang/" + path
	}
	return "pkg:golang/" + path + "@" + version
}

// serial is a name-based (version 5 style) UUID URN over s, so that the
// serial number is stable for the same binary.
func serial(s string) string {
	h := sha256.Sum256([]byte(s))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
