package kb

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Format is how an Article's Body is written.
type Format string

// Body formats.
const (
	FormatHTML     Format = "html" // what help desks store; the default
	FormatMarkdown Format = "markdown"
	FormatText     Format = "text"
)

// Article is one help-center article to index, from a connector or a
// local file.
type Article struct {
	ID      string // unique within its source
	Title   string
	URL     string
	Locale  string // e.g. "en-us"; "" matches every locale filter
	Section string
	Body    string
	Format  Format // "" means FormatHTML
	// Draft articles are not indexed (and are removed if they were).
	Draft     bool
	UpdatedAt time.Time
}

// FromSDK converts a connector's article (HTML body).
func FromSDK(a sdk.Article) Article {
	return Article{
		ID: a.ID, Title: a.Title, URL: a.URL, Locale: a.Locale, Section: a.Section,
		Body: a.Body, Format: FormatHTML, Draft: a.Draft, UpdatedAt: a.UpdatedAt,
	}
}

// sections converts the body to plain-text sections.
func (a Article) sections() []section {
	switch a.Format {
	case FormatMarkdown:
		return markdownSections(a.Body)
	case FormatText:
		return plainSections(a.Body)
	default:
		return htmlSections(a.Body)
	}
}

// PlainText returns the article body as plain text, headings on their own
// lines, for display and tests.
func (a Article) PlainText() string {
	var b strings.Builder
	for i, s := range a.sections() {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if s.heading != "" {
			b.WriteString(s.heading)
			b.WriteString("\n")
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// NormalizeLocale lower-cases a locale and uses "-" as separator:
// "en_US" → "en-us".
func NormalizeLocale(l string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(l)), "_", "-")
}

// Lang returns a locale's primary language subtag, which filters compare:
// "en-US" → "en". A query for "en" matches articles in "en-us" and
// "en-gb", and articles without a locale match every query.
func Lang(locale string) string {
	l, _, _ := strings.Cut(NormalizeLocale(locale), "-")
	return l
}

// hashVersion changes whenever parsing or chunking changes, so the next
// sync re-chunks every article.
const hashVersion = "kb1"

// contentHash is the SHA-256 over everything that ends up stored for an
// article: its metadata, its chunking settings and its text as
// extracted. Markup-only edits and UpdatedAt alone do not change it.
func contentHash(a Article, secs []section, cc ChunkConfig) string {
	h := sha256.New()
	for _, s := range []string{hashVersion, itoa(cc.MaxChars), itoa(cc.Overlap), a.Title, a.URL, NormalizeLocale(a.Locale), a.Section} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, s := range secs {
		h.Write([]byte(s.heading))
		h.Write([]byte{1})
		h.Write([]byte(s.text))
		h.Write([]byte{2})
	}
	return hex.EncodeToString(h.Sum(nil))
}
