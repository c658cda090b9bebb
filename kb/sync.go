package kb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"time"

	"github.com/heardhq/heard/kb/terms"
	"github.com/heardhq/heard/sdk"
)

// Source lists articles for Sync.
type Source interface {
	// Name identifies the source in the store ("zendesk-acme", "local");
	// articles of different sources never replace one another.
	Name() string
	// List calls fn with every article updated since the given time (all
	// articles when it is zero) and reports whether the listing was
	// complete: every live article, so that those missing from it were
	// deleted. fn's error stops the listing and is returned.
	List(ctx context.Context, since time.Time, fn func(Article) error) (complete bool, err error)
}

var sourceNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$`)

// FromLister is a connector's help center as a Source: every page of
// ListArticles, asking for UpdatedSince on incremental syncs.
func FromLister(name string, l sdk.ArticleLister) Source { return listerSource{name: name, l: l} }

type listerSource struct {
	name string
	l    sdk.ArticleLister
}

func (s listerSource) Name() string { return s.name }

// maxPages stops a vendor whose cursors never end.
const maxPages = 100000

func (s listerSource) List(ctx context.Context, since time.Time, fn func(Article) error) (bool, error) {
	cursor := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return false, fmt.Errorf("listing articles of %s: more than %d pages; the cursor does not advance", s.name, maxPages)
		}
		resp, err := s.l.ListArticles(ctx, &sdk.ListArticlesRequest{UpdatedSince: since, Cursor: cursor})
		if err != nil {
			return false, fmt.Errorf("listing articles of %s: %w", s.name, err)
		}
		for _, a := range resp.Articles {
			if err := fn(FromSDK(a)); err != nil {
				return false, err
			}
		}
		if resp.NextCursor == "" || resp.NextCursor == cursor {
			return since.IsZero(), nil
		}
		cursor = resp.NextCursor
	}
}

// FromDir is a local folder of Markdown, HTML and text files (see
// ReadDir) as a Source. Its listings are always complete: a file removed
// from the folder is an article deleted.
func FromDir(name, dir string) Source { return dirSource{name: name, dir: dir} }

type dirSource struct{ name, dir string }

func (s dirSource) Name() string { return s.name }

func (s dirSource) List(ctx context.Context, _ time.Time, fn func(Article) error) (bool, error) {
	st, err := os.Stat(s.dir)
	if err != nil {
		return false, fmt.Errorf("reading articles: %w", err)
	}
	if !st.IsDir() {
		return false, fmt.Errorf("reading articles: %s is not a folder: %w", s.dir, sdk.ErrInvalid)
	}
	return listFS(ctx, os.DirFS(s.dir), ".", fn)
}

// listFS calls fn with every article under root in fsys; a folder is
// always listed whole.
func listFS(ctx context.Context, fsys fs.FS, root string, fn func(Article) error) (bool, error) {
	arts, err := ReadDir(fsys, root)
	if err != nil {
		return false, err
	}
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if err := fn(a); err != nil {
			return false, err
		}
	}
	return true, nil
}

// SyncOptions tune one Sync.
type SyncOptions struct {
	// Full lists every article (and so notices deletions) even when an
	// incremental listing would do.
	Full bool
	// Progress, when not nil, is called as articles are processed and once
	// more at the end (with Done set).
	Progress func(Progress)
}

// Progress is a running count during Sync.
type Progress struct {
	Source    string `json:"source"`
	Listed    int    `json:"listed"`
	Added     int    `json:"added"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Deleted   int    `json:"deleted"`
	Skipped   int    `json:"skipped"` // drafts and repeats
	Chunks    int    `json:"chunks"`  // chunks embedded and stored
	Done      bool   `json:"done"`
}

// SyncResult is what one Sync did.
type SyncResult struct {
	Progress
	Full     bool          `json:"full"` // the listing was complete, so deletions were applied
	Duration time.Duration `json:"duration"`
}

// incrementalSlack is subtracted from the last sync's start when asking
// for changes since, to absorb clock skew between heard and the vendor.
const incrementalSlack = 5 * time.Minute

// Sync brings src's articles in the store up to date: new and changed
// articles (by content hash) are chunked, embedded and stored, unchanged
// ones skipped, drafts and — on complete listings — missing ones removed.
// A source last listed completely within FullSyncEvery is listed
// incrementally (UpdatedSince = its last sync, less a few minutes), which
// cannot see deletions; opts.Full forces a complete listing.
//
// Sync is safe to repeat and to interrupt: every article is replaced
// atomically, and the sync time is recorded only when it succeeded.
func (k *KB) Sync(ctx context.Context, src Source, opts SyncOptions) (SyncResult, error) {
	name := src.Name()
	if !sourceNameRE.MatchString(name) {
		return SyncResult{}, fmt.Errorf("sync: source name %q: want letters, digits, '.', '_', ':' or '-': %w", name, sdk.ErrInvalid)
	}
	if err := k.Check(ctx); err != nil {
		return SyncResult{}, err
	}
	start := k.cfg.Now()
	state, err := k.store.SyncState(ctx, name)
	if err != nil {
		return SyncResult{}, fmt.Errorf("sync %s: %w", name, err)
	}
	var since time.Time
	if !opts.Full && !state.LastFull.IsZero() && start.Sub(state.LastFull) < k.cfg.FullSyncEvery && !state.LastSync.IsZero() {
		since = state.LastSync.Add(-incrementalSlack)
	}
	hashes, err := k.store.Hashes(ctx, name)
	if err != nil {
		return SyncResult{}, fmt.Errorf("sync %s: %w", name, err)
	}
	s := &syncer{k: k, source: name, hashes: hashes, seen: map[string]bool{}, progress: opts.Progress}
	s.p.Source = name
	complete, err := src.List(ctx, since, func(a Article) error { return s.add(ctx, a) })
	if err == nil {
		err = s.flush(ctx)
	}
	if err != nil {
		return SyncResult{Progress: s.p, Duration: k.cfg.Now().Sub(start)}, fmt.Errorf("sync %s: %w", name, err)
	}
	if complete {
		for id := range hashes {
			if s.seen[id] {
				continue
			}
			if err := k.store.Delete(ctx, name, id); err != nil {
				return SyncResult{Progress: s.p}, fmt.Errorf("sync %s: %w", name, err)
			}
			s.p.Deleted++
		}
	}
	next := SyncState{LastSync: start, LastFull: state.LastFull}
	if complete {
		next.LastFull = start
	}
	if err := k.store.SetSyncState(ctx, name, next); err != nil {
		return SyncResult{Progress: s.p}, fmt.Errorf("sync %s: %w", name, err)
	}
	s.p.Done = true
	s.report(true)
	res := SyncResult{Progress: s.p, Full: complete, Duration: k.cfg.Now().Sub(start)}
	k.log.InfoContext(ctx, "knowledge base synced", "kb_source", name, "full", complete, "listed", res.Listed,
		"added", res.Added, "updated", res.Updated, "unchanged", res.Unchanged, "deleted", res.Deleted,
		"chunks", res.Chunks, "duration_ms", res.Duration.Milliseconds())
	return res, nil
}

// syncer is one Sync's state.
type syncer struct {
	k        *KB
	source   string
	hashes   map[string]string // stored articles; entries removed as they are deleted
	seen     map[string]bool
	pending  []Entry
	nPending int // chunks in pending
	p        Progress
	progress func(Progress)
	lastSent int
}

// add handles one listed article.
func (s *syncer) add(ctx context.Context, a Article) error {
	s.p.Listed++
	defer s.report(false)
	if a.ID == "" {
		s.p.Skipped++
		return nil
	}
	if s.seen[a.ID] {
		s.p.Skipped++ // listed twice (incremental exports can)
		return nil
	}
	s.seen[a.ID] = true
	old, exists := s.hashes[a.ID]
	if a.Draft {
		s.p.Skipped++
		if exists {
			if err := s.k.store.Delete(ctx, s.source, a.ID); err != nil {
				return err
			}
			delete(s.hashes, a.ID)
			s.p.Deleted++
		}
		return nil
	}
	e := s.k.entry(s.source, a)
	if exists && old == e.Hash {
		s.p.Unchanged++
		return nil
	}
	if exists {
		s.p.Updated++
	} else {
		s.p.Added++
	}
	s.pending = append(s.pending, e)
	s.nPending += len(e.Chunks)
	if s.nPending >= s.k.cfg.EmbedBatch {
		return s.flush(ctx)
	}
	return nil
}

// flush embeds and stores the pending articles.
func (s *syncer) flush(ctx context.Context) error {
	if len(s.pending) == 0 {
		return nil
	}
	var texts []string
	for _, e := range s.pending {
		for _, c := range e.Chunks {
			texts = append(texts, EmbedText(e.Title, c.Heading, c.Text))
		}
	}
	vs, err := s.k.embed(ctx, texts)
	if err != nil {
		return fmt.Errorf("embedding %d chunks: %w", len(texts), err)
	}
	i := 0
	for _, e := range s.pending {
		for j := range e.Chunks {
			e.Chunks[j].Vector = vs[i]
			i++
		}
		if err := s.k.store.Upsert(ctx, e); err != nil {
			return err
		}
		s.hashes[e.ID] = e.Hash
		s.p.Chunks += len(e.Chunks)
	}
	s.pending, s.nPending = nil, 0
	return nil
}

// report calls the progress callback every 25 articles and at the end.
func (s *syncer) report(final bool) {
	if s.progress == nil {
		return
	}
	if final || s.p.Listed-s.lastSent >= 25 {
		s.lastSent = s.p.Listed
		s.progress(s.p)
	}
}

// entry parses and chunks an article into what the store keeps (vectors
// not yet set).
func (k *KB) entry(source string, a Article) Entry {
	secs := a.sections()
	chunks := chunkSections(secs, a.Title, k.cfg.Chunking)
	for i := range chunks {
		chunks[i].Terms = terms.Join(chunks[i].Heading + "\n" + chunks[i].Text)
	}
	locale := NormalizeLocale(a.Locale)
	return Entry{
		Source: source, ID: a.ID, Hash: contentHash(a, secs, k.cfg.Chunking),
		Title: a.Title, URL: a.URL, Locale: locale, Lang: Lang(locale), Section: a.Section,
		UpdatedAt: a.UpdatedAt.UTC(), TitleTerms: terms.Join(a.Title), Chunks: chunks,
	}
}

// SyncHelpCenters syncs each connector's help center (by connector name)
// incrementally. One failing help desk does not stop the others; the error
// joins every failure. A connector whose help center cannot be listed
// (errors.ErrUnsupported) is skipped.
func (k *KB) SyncHelpCenters(ctx context.Context, listers map[string]sdk.ArticleLister) error {
	var errs []error
	for name, l := range listers {
		res, err := k.Sync(ctx, FromLister(name, l), SyncOptions{})
		if err != nil {
			if !errors.Is(err, errors.ErrUnsupported) {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
			continue
		}
		k.log.InfoContext(ctx, "help center synced", "connector", name, "added", res.Added, "updated", res.Updated, "deleted", res.Deleted)
	}
	return errors.Join(errs...)
}
