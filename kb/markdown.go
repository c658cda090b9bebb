package kb

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

// frontMatter is the YAML block between "---" lines at the top of a local
// article file. Unknown keys are ignored.
type frontMatter struct {
	ID        scalar `yaml:"id"`
	Title     string `yaml:"title"`
	URL       string `yaml:"url"`
	Locale    string `yaml:"locale"`
	Section   string `yaml:"section"`
	UpdatedAt scalar `yaml:"updated_at"`
	Draft     bool   `yaml:"draft"`
}

// scalar accepts any YAML scalar as its text (id: 101 is "101").
type scalar string

func (s *scalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a single value", n.Line)
	}
	*s = scalar(n.Value)
	return nil
}

// splitFrontMatter returns the front matter block (without its fences) and
// the body after it. Without front matter, fm is nil.
func splitFrontMatter(data []byte) (fm, body []byte) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // BOM
	rest, ok := bytes.CutPrefix(data, []byte("---"))
	if !ok {
		return nil, data
	}
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 || len(bytes.TrimSpace(rest[:nl])) != 0 {
		return nil, data
	}
	rest = rest[nl+1:]
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if end >= 0 {
			line = rest[off : off+end]
		}
		if t := bytes.TrimRight(line, " \t\r"); string(t) == "---" || string(t) == "..." {
			if end < 0 {
				return rest[:off], nil
			}
			return rest[:off], rest[off+end+1:]
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return nil, data // unterminated: treat the whole file as body
}

// ParseFile reads one local article: Markdown (.md, .markdown), HTML
// (.html, .htm) or plain text (.txt), with optional YAML front matter
// (id, title, url, locale, section, updated_at, draft). name is the file's
// slash-separated path relative to the folder; it is the ID when the front
// matter has none. The title defaults to the first heading, then the file
// name.
func ParseFile(name string, data []byte) (Article, error) {
	fmRaw, body := splitFrontMatter(data)
	var fm frontMatter
	if fmRaw != nil {
		if err := yaml.Unmarshal(fmRaw, &fm); err != nil {
			return Article{}, fmt.Errorf("reading front matter of %s: %w", name, errorsJoinInvalid(err))
		}
	}
	a := Article{
		ID:      strings.TrimSpace(string(fm.ID)),
		Title:   strings.TrimSpace(fm.Title),
		URL:     strings.TrimSpace(fm.URL),
		Locale:  strings.TrimSpace(fm.Locale),
		Section: strings.TrimSpace(fm.Section),
		Draft:   fm.Draft,
		Body:    string(body),
		Format:  FormatText,
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		a.Format = FormatMarkdown
	case ".html", ".htm":
		a.Format = FormatHTML
	}
	if a.ID == "" {
		a.ID = strings.TrimSuffix(name, path.Ext(name))
	}
	if u := strings.TrimSpace(string(fm.UpdatedAt)); u != "" {
		t, err := parseTime(u)
		if err != nil {
			return Article{}, fmt.Errorf("reading front matter of %s: updated_at %q: %w", name, u, errorsJoinInvalid(err))
		}
		a.UpdatedAt = t
	}
	if a.Title == "" {
		if secs := a.sections(); len(secs) > 0 && secs[0].heading != "" {
			a.Title, _, _ = strings.Cut(secs[0].heading, " › ")
		} else {
			a.Title = strings.TrimSuffix(path.Base(name), path.Ext(name))
		}
	}
	return a, nil
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("want RFC 3339 or YYYY-MM-DD")
}

func errorsJoinInvalid(err error) error { return fmt.Errorf("%w: %w", err, sdk.ErrInvalid) }

// articleExts are the file types ReadDir loads.
var articleExts = map[string]bool{".md": true, ".markdown": true, ".html": true, ".htm": true, ".txt": true}

// ReadDir loads every article file under root in fsys (recursively; files
// and folders whose names start with "." or "_" are skipped), in path
// order. Two files with the same ID are an error.
func ReadDir(fsys fs.FS, root string) ([]Article, error) {
	var out []Article
	where := map[string]string{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if p != root && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !articleExts[strings.ToLower(path.Ext(base))] {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		a, err := ParseFile(rel, data)
		if err != nil {
			return err
		}
		if first, dup := where[a.ID]; dup {
			return fmt.Errorf("%s and %s both have id %q: %w", first, rel, a.ID, sdk.ErrInvalid)
		}
		where[a.ID] = rel
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading articles in %s: %w", root, err)
	}
	return out, nil
}

var (
	atxHeadingRE   = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextRE       = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	ruleRE         = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	fenceRE        = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	listItemRE     = regexp.MustCompile(`^[ \t]*([-*+]|\d{1,9}[.)])[ \t]+(.*)$`)
	tableSepRE     = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	imageRE        = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	linkRE         = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	refLinkRE      = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	autoLinkRE     = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	inlineTagRE    = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^>]*)?/?>`)
	strongRE       = regexp.MustCompile(`(\*\*|__)([^\s*_](?:.*?[^\s])?)(\*\*|__)`)
	emStarRE       = regexp.MustCompile(`\*([^\s*](?:[^*]*[^\s*])?)\*`)
	emUnderscoreRE = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_([^\s_](?:[^_]*[^\s_])?)_([^\p{L}\p{N}_]|$)`)
	codeSpanRE     = regexp.MustCompile("`+([^`]+)`+")
	strikeRE       = regexp.MustCompile(`~~([^~]+)~~`)
	escapeRE       = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|>~])`)
	refDefRE       = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s+\S+`)
)

// markdownInline reduces a line of Markdown to its text: links and images
// become their text, emphasis and code marks and inline HTML tags go.
func markdownInline(s string) string {
	// Escaped characters are set aside first so no rule below reads them
	// as markup, and put back at the end.
	s = escapeRE.ReplaceAllStringFunc(s, func(m string) string { return string(rune(escapeBase + rune(m[1]))) })
	s = codeSpanRE.ReplaceAllString(s, "$1")
	s = imageRE.ReplaceAllString(s, "$1")
	s = linkRE.ReplaceAllString(s, "$1")
	s = refLinkRE.ReplaceAllString(s, "$1")
	s = autoLinkRE.ReplaceAllString(s, "$1")
	s = inlineTagRE.ReplaceAllString(s, " ")
	s = strongRE.ReplaceAllString(s, "$2")
	s = emStarRE.ReplaceAllString(s, "$1")
	s = emUnderscoreRE.ReplaceAllString(s, "$1$2$3")
	s = strikeRE.ReplaceAllString(s, "$1")
	s = strings.Map(func(r rune) rune {
		if r > escapeBase && r < escapeBase+128 {
			return r - escapeBase
		}
		return r
	}, s)
	return html.UnescapeString(s)
}

// escapeBase is where escaped ASCII characters are parked (Unicode's
// private use area) while markdownInline works.
const escapeBase = 0xE000

// markdownSections converts Markdown to plain-text sections split at its
// headings (ATX "## Title" and setext underlines). Fenced code is kept as
// it is; list items start with "- " or "N. "; table rows keep their cells
// joined with " | " and lose their separator rows; block quotes lose
// their ">".
func markdownSections(src string) []section {
	w := newSectionWriter()
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	fence := ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if fence != "" {
			if strings.HasPrefix(strings.TrimSpace(line), fence) {
				fence = ""
				w.paragraph()
				continue
			}
			w.raw(line)
			w.line()
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			fence = m[1][:3]
			w.paragraph()
			continue
		}
		// Block quotes: drop the markers and read the rest as usual.
		for {
			t := strings.TrimLeft(line, " ")
			if !strings.HasPrefix(t, ">") {
				break
			}
			line = strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			w.paragraph()
		case atxHeadingRE.MatchString(line):
			m := atxHeadingRE.FindStringSubmatch(line)
			w.heading(len(m[1]), collapse(markdownInline(m[2])))
		case i+1 < len(lines) && setextRE.MatchString(lines[i+1]) && !listItemRE.MatchString(line) &&
			!strings.HasPrefix(trimmed, "|") && !ruleRE.MatchString(line):
			level := 2
			if strings.TrimSpace(lines[i+1])[0] == '=' {
				level = 1
			}
			w.heading(level, collapse(markdownInline(trimmed)))
			i++
		case ruleRE.MatchString(line):
			w.paragraph()
		case refDefRE.MatchString(line):
			// [ref]: https://... link definitions carry no text
		case strings.HasPrefix(trimmed, "|") || (strings.Count(trimmed, "|") >= 2 && tableSepRE.MatchString(nextLine(lines, i))):
			if tableSepRE.MatchString(trimmed) {
				continue
			}
			cells := strings.Split(strings.Trim(trimmed, "|"), "|")
			for j := range cells {
				cells[j] = strings.TrimSpace(markdownInline(cells[j]))
			}
			w.line()
			w.text(strings.Join(cells, " | "))
			w.line()
		case listItemRE.MatchString(line):
			m := listItemRE.FindStringSubmatch(line)
			marker := "- "
			if c := m[1][0]; c >= '0' && c <= '9' {
				marker = strings.TrimRight(m[1], ".)") + ". "
			}
			w.line()
			w.text(marker + markdownInline(m[2]))
		default:
			w.text(" " + markdownInline(trimmed))
		}
	}
	return w.done()
}

func nextLine(lines []string, i int) string {
	if i+1 < len(lines) {
		return lines[i+1]
	}
	return ""
}

// plainSections splits plain text into one section, paragraphs kept.
func plainSections(src string) []section {
	w := newSectionWriter()
	for _, para := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		for _, l := range strings.Split(para, "\n") {
			w.text(l)
			w.line()
		}
		w.paragraph()
	}
	return w.done()
}

// itoa is strconv.Itoa, named for brevity in hashes.
func itoa(n int) string { return strconv.Itoa(n) }
