package markup

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// HTML renders plain text as escaped HTML paragraphs: blank lines separate
// paragraphs, single newlines become <br>, lines are trimmed and empty
// paragraphs dropped.
func HTML(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for para := range strings.SplitSeq(text, "\n\n") {
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
	return b.String()
}

// NoteSignature is the last paragraph of a note for fingerprint fp, as
// text: "— heard [fp:FP]".
func NoteSignature(fp string) string { return "— heard " + sdk.NoteMarker(fp) }

// Note renders an internal note as HTML ending with the paragraph
// NoteSignature(fp); without a fingerprint there is no signature.
func Note(text, fp string) string {
	out := HTML(text)
	if fp != "" {
		out += "<p>" + html.EscapeString(NoteSignature(fp)) + "</p>"
	}
	return out
}

// Reply renders a public reply as HTML ending with the paragraph
// sdk.ReplyMarker(fp).
func Reply(text, fp string) string {
	return HTML(text) + "<p>" + html.EscapeString(sdk.ReplyMarker(fp)) + "</p>"
}

// Contains reports whether any of bodies (HTML or plain text, as the help
// desk returns them) carries marker, as written or HTML-escaped.
func Contains(marker string, bodies ...string) bool {
	escaped := html.EscapeString(marker)
	for _, b := range bodies {
		if strings.Contains(b, marker) || strings.Contains(b, escaped) {
			return true
		}
	}
	return false
}

// Fingerprint returns the fingerprint of ch's note and reply markers:
// ch.Fingerprint, trimmed, or without one the first 16 hex digits of the
// SHA-256 of the note (or, without a note, of the reply), so a retried
// write-back of the same changes still finds what it wrote. Markers are
// HTML-escaped when rendered and found escaped or not (Contains), so any
// fingerprint is safe.
func Fingerprint(ch sdk.Changes) string {
	if fp := strings.TrimSpace(ch.Fingerprint); fp != "" {
		return fp
	}
	src := ch.InternalNote
	if src == "" {
		src = ch.PublicReply
	}
	sum := sha256.Sum256([]byte(src))
	return hex.EncodeToString(sum[:8])
}
