package kb

import (
	"context"
	"embed"
	"time"
)

//go:embed testdata/articles/*.md
var bundled embed.FS

// Bundled is the team's own help center for the fictional product the demo
// uses (Crewbook): 90+ hand-written articles in four locales. `heard demo`
// ingests it so drafts can link real articles.
func Bundled() Source { return fsSource{name: "bundled"} }

type fsSource struct{ name string }

func (s fsSource) Name() string { return s.name }

func (s fsSource) List(ctx context.Context, _ time.Time, fn func(Article) error) (bool, error) {
	return listFS(ctx, bundled, "testdata/articles", fn)
}
