package helpcenter

import (
	"embed"
	"io/fs"
)

//go:embed articles/*.md
var articles embed.FS

// Articles is the folder of articles, one Markdown file with front matter
// each, in the format `heard kb ingest --dir` reads.
func Articles() fs.FS {
	sub, err := fs.Sub(articles, "articles")
	if err != nil { // only for a malformed path, which "articles" is not
		panic(err)
	}
	return sub
}
