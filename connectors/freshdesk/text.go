package freshdesk

import (
	"html"
	"regexp"
	"strings"
)

var (
	// dropRE matches elements whose content is never text.
	dropRE = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>`)
	// breakRE matches tags that start or end a line.
	breakRE = regexp.MustCompile(`(?i)<br\s*/?>|</?(p|div|li|tr|h[1-6]|blockquote)\b[^>]*>`)
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`[ \t\f\r\v\x{00a0}]+`)
)

// htmlToText turns Freshdesk's HTML into plain text. It is the fallback when
// the *_text twin of a body is empty.
func htmlToText(s string) string {
	s = dropRE.ReplaceAllString(s, "")
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(spaceRE.ReplaceAllString(l, " ")); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// plain returns text when it is set, else the plain text of markup.
func plain(text, markup string) string {
	if t := strings.TrimSpace(text); t != "" {
		return t
	}
	return htmlToText(markup)
}

// marker is the text that identifies heard's note for fingerprint fp.
func marker(fp string) string { return "[fp:" + fp + "]" }

// noteHTML renders a plain-text note as HTML paragraphs (blank lines split
// paragraphs, single newlines become <br>) and appends the signature
// paragraph carrying the fingerprint marker: <p>— heard [fp:FP]</p>.
func noteHTML(note, fp string) string {
	var b strings.Builder
	note = strings.ReplaceAll(strings.TrimSpace(note), "\r\n", "\n")
	for para := range strings.SplitSeq(note, "\n\n") {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(strings.TrimSpace(l))
		}
		b.WriteString("<p>")
		b.WriteString(strings.Join(lines, "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("<p>— heard ")
	b.WriteString(html.EscapeString(marker(fp)))
	b.WriteString("</p>")
	return b.String()
}

// hasMarker reports whether a conversation body (HTML or text) carries the
// marker of fp.
func hasMarker(body, text, fp string) bool {
	m := marker(fp)
	return strings.Contains(text, m) || strings.Contains(body, m) || strings.Contains(body, html.EscapeString(m))
}
