package helpcenter_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/sandbox/helpcenter"
)

// TestArticlesAreTheFolder checks that the embedded articles are exactly
// the files in articles/ (which the knowledge-base tests read by path),
// each with the front matter heard kb ingest reads.
func TestArticlesAreTheFolder(t *testing.T) {
	onDisk, err := filepath.Glob(filepath.Join("articles", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := fs.Glob(helpcenter.Articles(), "*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(embedded) < 90 || len(embedded) != len(onDisk) {
		t.Fatalf("%d embedded articles, %d on disk; want the same 90+", len(embedded), len(onDisk))
	}
	for _, name := range embedded {
		got, err := fs.ReadFile(helpcenter.Articles(), name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("articles", name))
		if err != nil {
			t.Fatalf("%s is embedded but not in articles/: %v", name, err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from articles/%s", name, name)
		}
		if id := strings.SplitN(name, "-", 3); !strings.HasPrefix(string(got), "---\nid: \""+id[0]+"-"+id[1]+"\"") {
			t.Errorf("%s does not start with front matter naming its id", name)
		}
	}
}
