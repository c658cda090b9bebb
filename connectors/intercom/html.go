package intercom

import (
	"html"
	"strings"
)

// blockTags end a line or paragraph when converting HTML to text.
var blockTags = map[string]string{
	"br": "\n", "p": "\n\n", "div": "\n", "li": "\n", "ul": "\n", "ol": "\n", "tr": "\n", "table": "\n",
	"blockquote": "\n\n", "pre": "\n\n", "h1": "\n\n", "h2": "\n\n", "h3": "\n\n", "h4": "\n\n", "h5": "\n\n", "h6": "\n\n",
	"hr": "\n\n",
}

// openOnly tags break a line where they start only, so that consecutive
// list items or rows do not become paragraphs.
var openOnly = map[string]bool{"li": true, "tr": true}

// skipTags have content that is not text.
var skipTags = map[string]bool{"script": true, "style": true, "head": true, "title": true}

// htmlToText turns an Intercom body (HTML, or plain text as webhook payloads
// of API 2.15+ carry) into plain text: tags removed, block elements as line
// breaks, entities decoded, runs of blanks collapsed.
func htmlToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return normalizeSpace(s)
	}
	var b strings.Builder
	skip := ""
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			if skip == "" {
				b.WriteString(html.UnescapeString(s))
			}
			break
		}
		if skip == "" {
			b.WriteString(html.UnescapeString(s[:lt]))
		}
		s = s[lt:]
		gt := strings.IndexByte(s, '>')
		if gt < 0 { // a lone '<' is text
			if skip == "" {
				b.WriteString(html.UnescapeString(s))
			}
			break
		}
		tag := s[1:gt]
		s = s[gt+1:]
		if strings.HasPrefix(tag, "!") { // comment or doctype
			if strings.HasPrefix(tag, "!--") && !strings.HasSuffix(tag, "--") {
				if end := strings.Index(s, "-->"); end >= 0 {
					s = s[end+3:]
				} else {
					s = ""
				}
			}
			continue
		}
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(tag, "/"))
		if i := strings.IndexAny(name, " \t\r\n/"); i >= 0 {
			name = name[:i]
		}
		switch {
		case skipTags[name] && !closing:
			skip = name
		case skip != "":
			if closing && name == skip {
				skip = ""
			}
		case closing && openOnly[name]:
		default:
			b.WriteString(blockTags[name])
		}
	}
	return normalizeSpace(b.String())
}

// normalizeSpace collapses blanks within lines, trims lines, keeps at most
// one empty line between paragraphs and trims the whole.
func normalizeSpace(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
