package zendesk

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

var (
	breakRE  = regexp.MustCompile(`(?i)<br\s*/?>|</?(p|div|li|ul|ol|tr|h[1-6]|blockquote|pre)\b[^>]*>`)
	tagRE    = regexp.MustCompile(`</?[a-zA-Z!][^>]*>`)
	spacesRE = regexp.MustCompile(`[ \t]+`)
	blankRE  = regexp.MustCompile(`\n\s*\n(\s*\n)*`)
)

// plainText is Zendesk's plain-text rendering of a comment: tags removed,
// block ends as line breaks, entities decoded.
func plainText(s string) string {
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spacesRE.ReplaceAllString(l, " "))
	}
	return strings.TrimSpace(blankRE.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// looksHTML reports whether s contains a tag.
func looksHTML(s string) bool { return tagRE.MatchString(s) }

// escapeLines escapes text for HTML, line breaks as <br>.
func escapeLines(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>")
}

// valueString renders a custom field value for TicketState.
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, valueString(e))
		}
		return strings.Join(parts, ",")
	}
	return ""
}
