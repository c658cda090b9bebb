package freshdesk

import (
	"html"
	"regexp"
	"strings"
)

var (
	breakRE = regexp.MustCompile(`(?i)<br\s*/?>|</?(p|div|li|tr|h[1-6]|blockquote)\b[^>]*>`)
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`[ \t\f\r\v]+`)
)

// htmlToText derives a *_text field from HTML, roughly as Freshdesk does:
// tags dropped, entities decoded, one line per block.
func htmlToText(s string) string {
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(spaceRE.ReplaceAllString(l, " ")); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
