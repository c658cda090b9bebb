package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"debug/buildinfo"

	heardbuild "github.com/heardhq/heard/internal/buildinfo"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sbom:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sbom", flag.ContinueOnError)
	version := fs.String("version", "", "the release `version` stamped into the binaries")
	date := fs.String("date", "", "the build `date` (RFC 3339) stamped into the binaries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: sbom [-version V] [-date D] BINARY [BINARY]")
	}
	for _, bin := range fs.Args() {
		out, err := write(bin, *version, *date)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, out)
	}
	return nil
}

// write makes the SBOM of one binary and returns the file it wrote.
func write(bin, version, date string) (string, error) {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "", fmt.Errorf("%s: %w", bin, err)
	}
	f, err := os.Open(bin) //nolint:gosec // the release script names the binaries to describe
	if err != nil {
		return "", fmt.Errorf("%s: %w", bin, err)
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return "", fmt.Errorf("%s: %w", bin, err)
	}
	bom, err := heardbuild.CycloneDX(heardbuild.SBOMInput{
		Build: bi, Name: filepath.Base(bin), SHA256: hex.EncodeToString(h.Sum(nil)), Version: version, Timestamp: date,
	})
	if err != nil {
		return "", err
	}
	body, err := bom.JSON()
	if err != nil {
		return "", err
	}
	out := strings.TrimSuffix(bin, ".exe") + ".cdx.json"
	//nolint:gosec // a release artifact, published with the binaries: readable by all
	if err := os.WriteFile(out, body, 0o644); err != nil {
		return "", fmt.Errorf("%s: %w", out, err)
	}
	return out, nil
}
