package plugins

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Install records the plugin binary at path in cat under name (default:
// the name the plugin reports) and saves the catalog. The binary is not
// copied: the catalog keeps its absolute path and SHA-256, and heard
// refuses to launch it once it changes. Install launches the plugin once,
// checksum verified, to ask for its kinds, its version and the files it
// loads besides the binary (each hashed and recorded too). Installing over an
// existing name is an upgrade; the replaced entry is returned.
func Install(ctx context.Context, cat *Catalog, path, name string, startTimeout time.Duration, log *slog.Logger) (Entry, *Entry, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Entry{}, nil, fmt.Errorf("plugin path %q: %w", path, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return Entry{}, nil, fmt.Errorf("plugin binary: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return Entry{}, nil, fmt.Errorf("plugin binary %s: not an executable file: %w", abs, sdk.ErrInvalid)
	}
	if name != "" && !ValidName(name) {
		return Entry{}, nil, fmt.Errorf("plugin name %q: must match ^[a-z0-9][a-z0-9_-]*$: %w", name, sdk.ErrInvalid)
	}
	sum, err := Sum(abs)
	if err != nil {
		return Entry{}, nil, err
	}
	probeName := name
	if probeName == "" {
		probeName = filepath.Base(abs)
	}
	e := Entry{Name: probeName, Path: abs, SHA256: sum}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := launch(ctx, launchSpec{entry: e, startTimeout: startTimeout, log: log.With("plugin", probeName)})
	if err != nil {
		return Entry{}, nil, fmt.Errorf("installing %s: %w", abs, err)
	}
	p.kill()
	info := p.info
	if name == "" {
		name = info.Name
		if !ValidName(name) {
			return Entry{}, nil, fmt.Errorf("installing %s: the plugin calls itself %q, which is not a valid name; pass --name: %w", abs, name, sdk.ErrInvalid)
		}
	}
	if len(info.Kinds) == 0 {
		return Entry{}, nil, fmt.Errorf("installing %s: the plugin serves nothing heard can use at protocol %d: %w", abs, info.Protocol, sdk.ErrInvalid)
	}
	files, err := declaredFiles(abs, info.Files)
	if err != nil {
		return Entry{}, nil, fmt.Errorf("installing %s: %w", abs, err)
	}
	e = Entry{Name: name, Kinds: info.Kinds, Features: info.Features, Version: info.Version, Protocol: info.Protocol,
		Path: abs, SHA256: sum, InstalledAt: time.Now().UTC().Truncate(time.Second), Description: info.Description, Files: files}
	prev := cat.Put(e)
	if err := cat.Save(); err != nil {
		return Entry{}, nil, err
	}
	return e, prev, nil
}

// VerifyResult is one entry's checksum verification.
type VerifyResult struct {
	Entry Entry
	// Err is nil when the binary matches; it wraps ErrChecksum on a
	// mismatch and fs.ErrNotExist when the binary is gone.
	Err error
}

// Verify checks every entry's binary against its recorded checksum.
func Verify(cat *Catalog) []VerifyResult {
	es := cat.Entries()
	out := make([]VerifyResult, len(es))
	for i, e := range es {
		out[i] = VerifyResult{Entry: e, Err: e.Verify()}
	}
	return out
}
