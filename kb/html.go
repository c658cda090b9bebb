package kb

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// section is one heading's part of an article: the heading path ("Billing
// › Refunds") and the plain text under it, paragraphs separated by blank
// lines.
type section struct {
	heading string
	text    string
}

// droppedElements hold no readable text; their whole content is skipped.
var droppedElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "head": true,
	"svg": true, "canvas": true, "iframe": true, "object": true, "math": true,
}

// blockElements end a line where they start and end.
var blockElements = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "header": true, "footer": true,
	"main": true, "aside": true, "nav": true, "blockquote": true, "pre": true, "table": true,
	"thead": true, "tbody": true, "tfoot": true, "tr": true, "ul": true, "ol": true, "dl": true,
	"dt": true, "dd": true, "figure": true, "figcaption": true, "hr": true, "br": true,
	"form": true, "fieldset": true, "details": true, "summary": true, "address": true,
	"li": true, "caption": true, "body": true, "html": true,
}

// paragraphElements end a paragraph (a blank line) rather than a line.
var paragraphElements = map[string]bool{
	"p": true, "blockquote": true, "pre": true, "table": true, "ul": true, "ol": true, "dl": true,
	"figure": true, "hr": true, "details": true, "section": true, "article": true,
}

// htmlSections converts HTML to plain-text sections, split at h1–h6. Text
// keeps its order; links keep their text (the address is dropped), list
// items start with "- " (or "1. " in ordered lists), table cells are
// joined with " | ", images are replaced by their alt text, entities are
// decoded, and script, style and similar elements are dropped with their
// content. Malformed markup degrades to text; it never fails.
func htmlSections(src string) []section {
	w := newSectionWriter()
	type list struct {
		ordered bool
		n       int
	}
	var lists []list
	pre := 0
	cellInRow := 0
	headingLevel := 0
	var heading strings.Builder
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := strings.IndexByte(src[i:], '<')
			if j < 0 {
				j = len(src) - i
			}
			text := html.UnescapeString(src[i : i+j])
			switch {
			case headingLevel > 0:
				heading.WriteString(text)
			case pre > 0:
				w.raw(text)
			default:
				w.text(text)
			}
			i += j
			continue
		}
		// Comments, doctypes and processing instructions.
		switch {
		case strings.HasPrefix(src[i:], "<!--"):
			end := strings.Index(src[i+4:], "-->")
			if end < 0 {
				i = len(src)
			} else {
				i += 4 + end + 3
			}
			continue
		case strings.HasPrefix(src[i:], "<!") || strings.HasPrefix(src[i:], "<?"):
			end := strings.IndexByte(src[i:], '>')
			if end < 0 {
				i = len(src)
			} else {
				i += end + 1
			}
			continue
		}
		name, closing, attrs, next, ok := parseTag(src, i)
		if !ok {
			// A "<" that starts no tag is text ("a < b").
			if headingLevel > 0 {
				heading.WriteByte('<')
			} else {
				w.text("<")
			}
			i++
			continue
		}
		i = next
		if droppedElements[name] && !closing {
			i = skipElement(src, i, name)
			continue
		}
		if lvl := headingTag(name); lvl > 0 {
			if !closing {
				headingLevel = lvl
				heading.Reset()
			} else if headingLevel > 0 {
				w.heading(headingLevel, collapse(heading.String()))
				headingLevel = 0
			}
			continue
		}
		switch name {
		case "img":
			if alt := attrValue(attrs, "alt"); alt != "" && headingLevel == 0 {
				w.text(" " + html.UnescapeString(alt) + " ")
			}
			continue
		case "pre":
			if closing {
				pre = max(0, pre-1)
			} else {
				pre++
			}
		case "ul", "ol":
			if closing {
				if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
			} else {
				lists = append(lists, list{ordered: name == "ol"})
			}
		case "tr":
			cellInRow = 0
		case "td", "th":
			if !closing {
				if cellInRow > 0 {
					w.text(" | ")
				}
				cellInRow++
			}
			continue
		}
		if !blockElements[name] {
			continue // inline: a, span, strong, em, code, ... keep only their text
		}
		if headingLevel > 0 {
			heading.WriteByte(' ')
			continue
		}
		if paragraphElements[name] {
			w.paragraph()
		} else {
			w.line()
		}
		if name == "li" && !closing {
			marker := "- "
			if n := len(lists); n > 0 && lists[n-1].ordered {
				lists[n-1].n++
				marker = strconv.Itoa(lists[n-1].n) + ". "
			}
			w.text(marker)
		}
	}
	if headingLevel > 0 {
		w.heading(headingLevel, collapse(heading.String()))
	}
	return w.done()
}

// parseTag reads the tag starting at src[i] == '<'. It returns the
// lower-case element name, whether it is a closing tag, the raw attribute
// text and the index after '>'. ok is false when src[i:] starts no tag.
func parseTag(src string, i int) (name string, closing bool, attrs string, next int, ok bool) {
	j := i + 1
	if j < len(src) && src[j] == '/' {
		closing = true
		j++
	}
	start := j
	for j < len(src) && (isASCIILetter(src[j]) || (j > start && (src[j] >= '0' && src[j] <= '9' || src[j] == '-'))) {
		j++
	}
	if j == start {
		return "", false, "", 0, false
	}
	name = strings.ToLower(src[start:j])
	attrStart := j
	var quote byte
	for ; j < len(src); j++ {
		c := src[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, src[attrStart:j], j + 1, true
		}
	}
	return name, closing, src[attrStart:], len(src), true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// skipElement returns the index after the closing tag of name (or the end
// of src when there is none).
func skipElement(src string, i int, name string) int {
	lower := strings.ToLower(src[i:])
	end := strings.Index(lower, "</"+name)
	if end < 0 {
		return len(src)
	}
	gt := strings.IndexByte(lower[end:], '>')
	if gt < 0 {
		return len(src)
	}
	return i + end + gt + 1
}

func headingTag(name string) int {
	if len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' {
		return int(name[1] - '0')
	}
	return 0
}

// attrValue returns the value of attribute key in a tag's raw attribute
// text, or "".
func attrValue(attrs, key string) string {
	lower := strings.ToLower(attrs)
	for from := 0; ; {
		k := strings.Index(lower[from:], key)
		if k < 0 {
			return ""
		}
		k += from
		from = k + len(key)
		if k > 0 && !isSpace(lower[k-1]) {
			continue
		}
		rest := strings.TrimLeft(attrs[from:], " \t\n\r")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\n\r")
		if rest == "" {
			return ""
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(rest[1:], q); end >= 0 {
				return rest[1 : 1+end]
			}
			return rest[1:]
		}
		if end := strings.IndexAny(rest, " \t\n\r>"); end >= 0 {
			return rest[:end]
		}
		return rest
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// collapse joins all white space runs into single spaces and trims.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// sectionWriter accumulates text into sections. Text is added with
// collapsed white space; line and paragraph breaks are explicit.
type sectionWriter struct {
	out     []section
	path    []string // heading path by level (index 0 = h1)
	cur     strings.Builder
	pending string // "", "\n" or "\n\n": the break owed before the next text
	space   bool   // a space is owed before the next text
}

func newSectionWriter() *sectionWriter { return &sectionWriter{} }

// text adds inline text, collapsing white space.
func (w *sectionWriter) text(s string) {
	if s == "" {
		return
	}
	if first, _ := utf8.DecodeRuneInString(s); isSpaceRune(first) {
		w.space = true
	}
	for i, f := range strings.FieldsFunc(s, isSpaceRune) {
		if i > 0 {
			w.space = true
		}
		w.word(f)
	}
	if last, _ := utf8.DecodeLastRuneInString(s); isSpaceRune(last) {
		w.space = true
	}
}

func (w *sectionWriter) word(f string) {
	if w.cur.Len() > 0 {
		switch {
		case w.pending != "":
			w.cur.WriteString(w.pending)
		case w.space:
			w.cur.WriteByte(' ')
		}
	}
	w.pending, w.space = "", false
	w.cur.WriteString(f)
}

// raw adds preformatted text as it is.
func (w *sectionWriter) raw(s string) {
	if strings.TrimSpace(s) == "" && w.cur.Len() == 0 {
		return
	}
	if w.cur.Len() > 0 && w.pending != "" {
		w.cur.WriteString(w.pending)
	}
	w.pending, w.space = "", false
	w.cur.WriteString(strings.TrimRight(s, " \t"))
}

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == 0xa0
}

func (w *sectionWriter) line() {
	if w.pending == "" {
		w.pending = "\n"
	}
	w.space = false
}

func (w *sectionWriter) paragraph() {
	w.pending = "\n\n"
	w.space = false
}

// heading closes the current section and starts one under a heading of
// the given level (1–6).
func (w *sectionWriter) heading(level int, text string) {
	w.flush()
	if text == "" {
		return
	}
	for len(w.path) < level {
		w.path = append(w.path, "")
	}
	w.path = append(w.path[:level-1], text)
}

func (w *sectionWriter) headingPath() string {
	parts := make([]string, 0, len(w.path))
	for _, p := range w.path {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " › ")
}

func (w *sectionWriter) flush() {
	text := tidyText(w.cur.String())
	if text != "" {
		w.out = append(w.out, section{heading: w.headingPath(), text: text})
	}
	w.cur.Reset()
	w.pending, w.space = "", false
}

func (w *sectionWriter) done() []section {
	w.flush()
	return w.out
}

// tidyText trims each line's trailing space and keeps at most one blank
// line in a row.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
