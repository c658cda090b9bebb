package zendesk

import (
	"html"
	"regexp"
	"strings"
)

var (
	// htmlDropRE matches comments and elements whose content is not text.
	htmlDropRE = regexp.MustCompile(`(?is)<!--.*?-->|<(script|style|head|title)\b[^>]*>.*?</(script|style|head|title)\s*>`)
	// htmlBreakRE matches tags that end a line: <br>, and the start or end
	// of block elements.
	htmlBreakRE = regexp.MustCompile(`(?i)<br\s*/?>|</?(p|div|li|ul|ol|tr|table|h[1-6]|blockquote|pre|hr)\b[^>]*>`)
	// htmlTagRE matches any other tag. A "<" not followed by a letter, "/"
	// or "!" is text ("a < b"), as in HTML.
	htmlTagRE = regexp.MustCompile(`</?[a-zA-Z!][^>]*>`)
	// spaceRE matches runs of horizontal white space.
	spaceRE = regexp.MustCompile(`[ \t\f\v\x{00a0}]+`)
	// blankLinesRE matches two or more line breaks with optional space.
	blankLinesRE = regexp.MustCompile(`\n(\s*\n)+`)
)

// plainText renders an html_body as plain text: script and style content
// and comments dropped, block ends and <br> turned into line breaks, other
// tags removed, entities decoded, white space collapsed.
func plainText(s string) string {
	s = htmlDropRE.ReplaceAllString(s, "")
	s = htmlBreakRE.ReplaceAllString(s, "\n")
	s = htmlTagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaceRE.ReplaceAllString(l, " "))
	}
	s = strings.Join(lines, "\n")
	s = blankLinesRE.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
