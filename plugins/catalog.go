package plugins

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

// CatalogFile is the catalog's file name inside the config directory.
const CatalogFile = "plugins.json"

// CatalogPath returns where the catalog lives: plugins.json in the config
// directory, which is the config file's directory, or dataDir when heard
// runs without a config file.
func CatalogPath(configFile, dataDir string) string {
	dir := dataDir
	if configFile != "" {
		dir = filepath.Dir(configFile)
	}
	return filepath.Join(dir, CatalogFile)
}

// Entry is one installed plugin. The binary stays where the admin put it;
// the catalog records its path and checksum, and heard refuses to launch
// it once the file no longer matches.
type Entry struct {
	// Name is unique in the catalog; config refers to plugins by it.
	Name string `json:"name"`
	// Kinds are what the plugin said it serves when it was installed.
	Kinds []plugin.Kind `json:"kinds"`
	// Features are the optional abilities it reported, e.g.
	// "connector.list_articles".
	Features []string `json:"features,omitempty"`
	// Version is the plugin's own version.
	Version string `json:"version"`
	// Protocol is the protocol version negotiated at install time.
	Protocol int `json:"protocol"`
	// Path is the binary's absolute path.
	Path string `json:"path"`
	// SHA256 is the binary's checksum, lowercase hex.
	SHA256 string `json:"sha256"`
	// InstalledAt is when the entry was written.
	InstalledAt time.Time `json:"installed_at"`
	// Description is the plugin's one-line description.
	Description string `json:"description,omitempty"`
	// Files are the other files the plugin declared it loads (GetInfo's
	// files: an interpreted plugin's modules, a model), each with its
	// checksum. heard refuses to launch the plugin once any of them differs.
	Files []FileSum `json:"files,omitempty"`
}

// FileSum is one declared file and its SHA-256.
type FileSum struct {
	// Path is absolute.
	Path string `json:"path"`
	// SHA256 is lowercase hex.
	SHA256 string `json:"sha256"`
}

// Has reports whether the entry serves kind k.
func (e Entry) Has(k plugin.Kind) bool { return slices.Contains(e.Kinds, k) }

// KindList returns the kinds joined with commas, for display.
func (e Entry) KindList() string {
	s := make([]string, len(e.Kinds))
	for i, k := range e.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ",")
}

// checksum returns the executable's recorded checksum as bytes, for
// go-plugin's SecureConfig, which checks the executable right before exec.
// It first verifies every declared file (Files), so a launch refuses a
// plugin whose modules or data changed as it refuses a changed executable.
func (e Entry) checksum() ([]byte, error) {
	b, err := hex.DecodeString(e.SHA256)
	if err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("plugin %q: catalog checksum %q is not a SHA-256 in hex: %w", e.Name, e.SHA256, ErrChecksum)
	}
	if err := e.verifyFiles(); err != nil {
		return nil, err
	}
	return b, nil
}

// verifyFiles checks every declared file against its recorded checksum.
func (e Entry) verifyFiles() error {
	for _, f := range e.Files {
		got, err := Sum(f.Path)
		if err != nil {
			return fmt.Errorf("plugin %q: declared file: %w", e.Name, err)
		}
		if got != f.SHA256 {
			return fmt.Errorf("plugin %q: %s (a file the plugin loads) has sha256 %s but the catalog recorded %s; it changed since the plugin was installed "+
				"(reinstall it with `heard plugin install %s --name %s` if the change is yours): %w",
				e.Name, f.Path, short(got), short(f.SHA256), e.Path, e.Name, ErrChecksum)
		}
	}
	return nil
}

// declaredFiles resolves the files a plugin at exe declared (absolute, or
// relative to exe's directory) and hashes each one.
func declaredFiles(exe string, files []string) ([]FileSum, error) {
	out := make([]FileSum, 0, len(files))
	seen := map[string]bool{exe: true}
	for _, f := range files {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(exe), p)
		}
		p = filepath.Clean(p)
		if seen[p] {
			continue
		}
		seen[p] = true
		sum, err := Sum(p)
		if err != nil {
			return nil, fmt.Errorf("a file the plugin declared it loads: %w", err)
		}
		out = append(out, FileSum{Path: p, SHA256: sum})
	}
	slices.SortFunc(out, func(a, b FileSum) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// Verify checks the binary and every declared file against the recorded
// checksums. It returns an
// error naming the plugin that wraps ErrChecksum on a mismatch and
// fs.ErrNotExist when the file is gone.
func (e Entry) Verify() error {
	want, err := e.checksum()
	if err != nil {
		return err
	}
	got, err := Sum(e.Path)
	if err != nil {
		return fmt.Errorf("plugin %q: %w", e.Name, err)
	}
	if got != hex.EncodeToString(want) {
		return checksumError(e, got)
	}
	return e.verifyFiles()
}

func checksumError(e Entry, got string) error {
	return fmt.Errorf("plugin %q: %s has sha256 %s but the catalog recorded %s; the binary changed since it was installed "+
		"(reinstall it with `heard plugin install %s --name %s` if the change is yours): %w",
		e.Name, e.Path, short(got), short(e.SHA256), e.Path, e.Name, ErrChecksum)
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}

// ErrChecksum means a plugin binary does not match its catalog checksum;
// heard refuses to launch it. It wraps sdk.ErrUnauthorized.
var ErrChecksum = fmt.Errorf("plugin checksum mismatch: %w", sdk.ErrUnauthorized)

// Sum returns the SHA-256 of the file at path in lowercase hex.
func Sum(path string) (string, error) {
	f, err := os.Open(path) //nolint:gosec // the admin names the plugin binary
	if err != nil {
		return "", fmt.Errorf("hashing plugin binary: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing plugin binary %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// ValidName reports whether name can be a catalog name: lowercase letters,
// digits, '-' and '_', starting with a letter or digit.
func ValidName(name string) bool { return nameRE.MatchString(name) }

// Catalog is the set of installed plugins, stored as JSON in one file.
// It is not safe for concurrent use; admin commands open, change and save
// it in one go.
type Catalog struct {
	path    string
	entries []Entry // sorted by name
}

// catalogFile is the file's shape.
type catalogFile struct {
	// Version is the file format's version, 1.
	Version int     `json:"version"`
	Plugins []Entry `json:"plugins"`
}

// OpenCatalog reads the catalog at path. A missing file is an empty
// catalog.
func OpenCatalog(path string) (*Catalog, error) {
	c := &Catalog{path: path}
	data, err := os.ReadFile(path) //nolint:gosec // the catalog lives in the admin's config directory
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading plugin catalog: %w", err)
	}
	var f catalogFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("plugin catalog %s: %w: %w", path, err, sdk.ErrInvalid)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("plugin catalog %s: version %d: want 1: %w", path, f.Version, sdk.ErrInvalid)
	}
	for _, e := range f.Plugins {
		if _, dup := c.Get(e.Name); dup || !ValidName(e.Name) {
			return nil, fmt.Errorf("plugin catalog %s: invalid or duplicate name %q: %w", path, e.Name, sdk.ErrInvalid)
		}
		c.entries = append(c.entries, e)
	}
	c.sort()
	return c, nil
}

// Path returns the catalog's file path.
func (c *Catalog) Path() string { return c.path }

// Entries returns the installed plugins sorted by name.
func (c *Catalog) Entries() []Entry { return slices.Clone(c.entries) }

// Get returns the entry named name.
func (c *Catalog) Get(name string) (Entry, bool) {
	for _, e := range c.entries {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// Put adds e or replaces the entry with its name, returning the replaced
// entry if there was one.
func (c *Catalog) Put(e Entry) (prev *Entry) {
	for i, old := range c.entries {
		if old.Name == e.Name {
			c.entries[i] = e
			return &old
		}
	}
	c.entries = append(c.entries, e)
	c.sort()
	return nil
}

// Remove deletes the entry named name. It returns an error wrapping
// sdk.ErrNotFound when there is none.
func (c *Catalog) Remove(name string) (Entry, error) {
	for i, e := range c.entries {
		if e.Name == name {
			c.entries = slices.Delete(c.entries, i, i+1)
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("plugin %q is not installed: %w", name, sdk.ErrNotFound)
}

func (c *Catalog) sort() {
	slices.SortFunc(c.entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
}

// Save writes the catalog atomically: a temporary file in the same
// directory, renamed over the old one.
func (c *Catalog) Save() error {
	f := catalogFile{Version: 1, Plugins: c.entries}
	if f.Plugins == nil {
		f.Plugins = []Entry{}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding plugin catalog: %w", err)
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("creating the config directory for the plugin catalog: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".plugins-*.json")
	if err != nil {
		return fmt.Errorf("writing plugin catalog: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing plugin catalog: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing plugin catalog: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing plugin catalog: %w", err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("writing plugin catalog: %w", err)
	}
	return nil
}
