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
