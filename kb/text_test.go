package kb_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/sdk"
)

var update = flag.Bool("update", false, "rewrite golden files")

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func removeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// golden compares got with testdata/unit/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "unit", name)
	if *update {
		write(t, path, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestHTMLGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "unit", "zendesk-article.html"))
	if err != nil {
		t.Fatal(err)
	}
	a := kb.FromSDK(sdk.Article{ID: "1", Title: "Two-factor authentication", Body: string(src)})
	golden(t, "zendesk-article.golden.txt", a.PlainText())
}

func TestMarkdownGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "unit", "guide.md"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := kb.ParseFile("guide.md", src)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "guide.golden.txt", a.PlainText())
	want := kb.Article{ID: "4242", Title: "Import time entries", URL: "https://help.example/import", Locale: "en_GB",
		Section: "Getting started", Format: kb.FormatMarkdown, UpdatedAt: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)}
	a.Body = ""
	if a != want {
		t.Errorf("front matter: %+v\nwant %+v", a, want)
	}
}

func TestHTMLText(t *testing.T) {
	cases := []struct {
		name, html, want string
	}{
		{"entities and inline tags", `<p>Fish &amp; <b>chips</b>&nbsp;&mdash; <a href="x">menu</a></p>`, "Fish & chips — menu"},
		{"script and style dropped", `<p>a</p><script>alert("<b>x</b>")</script><STYLE>p{}</STYLE><p>b</p>`, "a\n\nb"},
		{"br and blocks", `<div>one<br/>two</div><div>three</div>`, "one\ntwo\nthree"},
		{"unordered list", `<ul><li>x</li><li>y</li></ul>`, "- x\n- y"},
		{"ordered list", `<ol><li>x</li><li>y</li></ol>`, "1. x\n2. y"},
		{"table cells", `<table><tr><td>a</td><td>b</td></tr></table>`, "a | b"},
		{"heading path", `<h1>A</h1><p>x</p><h2>B</h2><p>y</p><h3>C</h3><p>z</p><h2>D</h2><p>w</p>`, "A\nx\n\nA › B\ny\n\nA › B › C\nz\n\nA › D\nw"},
		{"unclosed tag", `<p>text <b`, "text"},
		{"lone less-than", `<p>1 < 2 and 3 > 2</p>`, "1 < 2 and 3 > 2"},
		{"attribute with >", `<a title="a > b" href="/">link</a> after`, "link after"},
		{"image alt", `<p>see <img alt="the chart" src="c.png"></p>`, "see the chart"},
		{"comment", `<p>a<!-- <p>b</p> -->c</p>`, "ac"},
		{"empty", ``, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := kb.FromSDK(sdk.Article{Body: tc.html}).PlainText()
			if got != tc.want {
				t.Errorf("PlainText(%q) = %q, want %q", tc.html, got, tc.want)
			}
		})
	}
}

func TestMarkdownText(t *testing.T) {
	cases := []struct {
		name, md, want string
	}{
		{"emphasis and code", "Use **bold**, *it*, _it2_ and `code`.", "Use bold, it, it2 and code."},
		{"snake_case survives", "set max_hours_per_day", "set max_hours_per_day"},
		{"links and images", "See [docs](http://x) and ![alt](y.png).", "See docs and alt."},
		{"soft wrap joins lines", "one\ntwo\n\nthree", "one two\n\nthree"},
		{"atx heading with closing hashes", "# Title #\ntext", "Title\ntext"},
		{"fence keeps hash lines", "```\n# not heading\n```", "# not heading"},
		{"list items", "* a\n+ b\n3) c", "- a\n- b\n3. c"},
		{"inline html", "a <span class=\"x\">b</span> c", "a b c"},
		{"escapes", `1\. not a list \*star\*`, "1. not a list *star*"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := kb.Article{Body: tc.md, Format: kb.FormatMarkdown}.PlainText()
			if got != tc.want {
				t.Errorf("PlainText(%q) = %q, want %q", tc.md, got, tc.want)
			}
		})
	}
}

func TestParseFile(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             kb.Article
		wantErr          bool
	}{
		{name: "id and title default to path and heading", file: "billing/refunds.md", body: "# Refunds\n\ntext",
			want: kb.Article{ID: "billing/refunds", Title: "Refunds", Format: kb.FormatMarkdown}},
		{name: "title from file name", file: "notes.txt", body: "plain words",
			want: kb.Article{ID: "notes", Title: "notes", Format: kb.FormatText}},
		{name: "html front matter", file: "a.html", body: "---\nid: x1\ntitle: X\ndraft: true\n---\n<p>x</p>",
			want: kb.Article{ID: "x1", Title: "X", Format: kb.FormatHTML, Draft: true}},
		{name: "unterminated front matter is body", file: "u.md", body: "---\nid: nope\n",
			want: kb.Article{ID: "u", Title: "u", Format: kb.FormatMarkdown}},
		{name: "bad yaml", file: "b.md", body: "---\nid: [\n---\n", wantErr: true},
		{name: "bad date", file: "c.md", body: "---\nupdated_at: yesterday\n---\n", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kb.ParseFile(tc.file, []byte(tc.body))
			if tc.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Fatalf("ParseFile: %v, want sdk.ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Body = ""
			if got != tc.want {
				t.Errorf("ParseFile = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadDirDuplicateID(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md":   {Data: []byte("---\nid: same\n---\nA")},
		"b.html": {Data: []byte("---\nid: same\n---\n<p>B</p>")},
	}
	_, err := kb.ReadDir(fsys, ".")
	if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "same") {
		t.Errorf("ReadDir with a duplicate id: %v, want sdk.ErrInvalid naming the id", err)
	}
}

func TestChunks(t *testing.T) {
	para := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 10) // 450 bytes
	long := kb.Article{Title: "T", Format: kb.FormatMarkdown, Body: "intro\n\n## Long\n\n" + para + "\n\n" + para + "\n\n" + para + "\n\n## Short\n\nend"}
	cc := kb.ChunkConfig{MaxChars: 800, Overlap: 100}
	chunks := kb.Chunks(long, cc)
	if len(chunks) < 4 {
		t.Fatalf("%d chunks, want intro + at least 2 for Long + Short", len(chunks))
	}
	if chunks[0].Heading != "" || chunks[0].Text != "intro" {
		t.Errorf("chunk 0 = %+v, want the intro without heading", chunks[0])
	}
	last := chunks[len(chunks)-1]
	if last.Heading != "Short" || last.Text != "end" {
		t.Errorf("last chunk = %+v, want Short/end", last)
	}
	for i, c := range chunks {
		if c.Index != i {
			t.Errorf("chunk %d has index %d", i, c.Index)
		}
		if len(c.Text) > cc.MaxChars {
			t.Errorf("chunk %d is %d bytes, over %d", i, len(c.Text), cc.MaxChars)
		}
		if c.Text != strings.TrimSpace(c.Text) || c.Text == "" {
			t.Errorf("chunk %d text %q is empty or untrimmed", i, c.Text)
		}
	}
	// Consecutive pieces of the long section overlap and start at words.
	var longs []kb.Chunk
	for _, c := range chunks {
		if c.Heading == "Long" {
			longs = append(longs, c)
		}
	}
	for i := 1; i < len(longs); i++ {
		prev, cur := longs[i-1].Text, longs[i].Text
		head := cur[:min(30, len(cur))]
		if !strings.Contains(prev, head) {
			t.Errorf("chunk %d does not overlap the previous one: starts %q", i, head)
		}
		if !strings.HasPrefix(cur, "The ") && !strings.HasPrefix(cur, "quick") && cur[0] == ' ' {
			t.Errorf("chunk %d starts mid-word: %q", i, head)
		}
	}
	// Nothing is lost: every sentence of the long section is in some chunk.
	joined := ""
	for _, c := range longs {
		joined += c.Text + " "
	}
	if strings.Count(joined, "lazy dog") < 30 {
		t.Errorf("long section chunks hold %d sentences, want all 30", strings.Count(joined, "lazy dog"))
	}
	// No text: one chunk with the title.
	empty := kb.Chunks(kb.Article{Title: "Only a title", Body: "<p> </p>"}, cc)
	if len(empty) != 1 || empty[0].Text != "Only a title" {
		t.Errorf("empty article chunks = %+v, want one with the title", empty)
	}
	// A word longer than the cap is cut at a rune boundary.
	huge := kb.Chunks(kb.Article{Format: kb.FormatText, Body: strings.Repeat("é", 1000)}, kb.ChunkConfig{MaxChars: 101, Overlap: 10})
	for i, c := range huge {
		if !utf8Valid(c.Text) || len(c.Text) > 101 {
			t.Errorf("huge chunk %d: %d bytes, valid UTF-8 %v", i, len(c.Text), utf8Valid(c.Text))
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestChunkConfigValidate(t *testing.T) {
	for _, cc := range []kb.ChunkConfig{{MaxChars: 50}, {MaxChars: 800, Overlap: 400}, {Overlap: -1}} {
		if err := cc.Validate(); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want sdk.ErrInvalid", cc, err)
		}
	}
	if err := (kb.ChunkConfig{}).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestLocale(t *testing.T) {
	for in, want := range map[string]string{"en-US": "en", "fr_CA": "fr", "de": "de", "": "", " PT-br ": "pt"} {
		if got := kb.Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"short text", 20, "short text"},
		{"one two three four five", 12, "one two…"},
		{"  spaced \n\n out  ", 20, "spaced out"},
		{strings.Repeat("x", 30), 10, strings.Repeat("x", 10) + "…"},
	}
	for _, tc := range cases {
		if got := kb.Snippet(tc.in, tc.n); got != tc.want {
			t.Errorf("Snippet(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
