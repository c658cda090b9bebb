package kb

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/heardhq/heard/sdk"
)

// Chunking defaults.
const (
	DefaultMaxChars = 800
	DefaultOverlap  = 100
)

// ChunkConfig sets how articles are cut into chunks.
type ChunkConfig struct {
	// MaxChars caps a chunk's text, in bytes. Default DefaultMaxChars.
	MaxChars int `yaml:"max_chars" json:"max_chars"`
	// Overlap is how much of a long section's previous chunk the next one
	// repeats, in bytes, so a sentence cut at a boundary is whole in one
	// of them. Default DefaultOverlap.
	Overlap int `yaml:"overlap" json:"overlap"`
}

func (c ChunkConfig) withDefaults() ChunkConfig {
	if c.MaxChars == 0 {
		c.MaxChars = DefaultMaxChars
	}
	if c.Overlap == 0 {
		c.Overlap = DefaultOverlap
	}
	return c
}

// Validate reports a bad configuration, wrapping sdk.ErrInvalid.
func (c ChunkConfig) Validate() error {
	c = c.withDefaults()
	if c.MaxChars < 100 || c.MaxChars > 20000 {
		return fmt.Errorf("chunking: max_chars %d: want 100 to 20000: %w", c.MaxChars, sdk.ErrInvalid)
	}
	if c.Overlap < 0 || c.Overlap >= c.MaxChars/2 {
		return fmt.Errorf("chunking: overlap %d: want 0 to max_chars/2: %w", c.Overlap, sdk.ErrInvalid)
	}
	return nil
}

// Chunks cuts an article into chunks: one per heading section, and a
// section longer than MaxChars into several that overlap by about Overlap
// bytes, cut at paragraph, line, sentence or word boundaries (in that
// order of preference). Every chunk keeps its heading path. An article
// without any text gets one chunk holding its title. Vectors are not set.
func Chunks(a Article, cc ChunkConfig) []Chunk {
	return chunkSections(a.sections(), a.Title, cc.withDefaults())
}

func chunkSections(secs []section, title string, cc ChunkConfig) []Chunk {
	var out []Chunk
	for _, s := range secs {
		for _, piece := range splitText(s.text, cc.MaxChars, cc.Overlap) {
			out = append(out, Chunk{Index: len(out), Heading: s.heading, Text: piece})
		}
	}
	if len(out) == 0 {
		out = append(out, Chunk{Text: strings.TrimSpace(title)})
	}
	return out
}

// splitText cuts text into pieces of at most max bytes.
func splitText(text string, max, overlap int) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var out []string
	start := 0
	for {
		if len(text)-start <= max {
			if p := strings.TrimSpace(text[start:]); p != "" {
				out = append(out, p)
			}
			return out
		}
		end := breakBefore(text, start, start+max)
		if p := strings.TrimSpace(text[start:end]); p != "" {
			out = append(out, p)
		}
		next := wordStart(text, end-overlap)
		if next <= start || next >= end {
			next = end
		}
		start = next
	}
}

// breakBefore returns the best place to end a piece that starts at start
// and may not reach past limit: after the last paragraph break, line
// break, sentence end or space in the second half of the window, else at
// the last rune boundary before limit.
func breakBefore(text string, start, limit int) int {
	window := text[start:limit]
	half := len(window) / 2
	for _, sep := range []string{"\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "} {
		if i := strings.LastIndex(window, sep); i >= half {
			return start + i + len(sep)
		}
	}
	end := limit
	for end > start && !utf8.RuneStart(text[end]) {
		end--
	}
	if end == start {
		return limit
	}
	return end
}

// wordStart returns the first index at or after i where a word starts
// (the character before it is white space), or len(text).
func wordStart(text string, i int) int {
	if i <= 0 {
		return 0
	}
	for ; i < len(text); i++ {
		if isSpace(text[i-1]) && !isSpace(text[i]) {
			return i
		}
	}
	return len(text)
}

// EmbedText is what is embedded for a chunk: the article title, the
// heading path and the text, one per line, so a chunk carries the context
// its words alone may lack.
func EmbedText(title, heading, text string) string {
	var b strings.Builder
	b.Grow(len(title) + len(heading) + len(text) + 2)
	b.WriteString(title)
	if heading != "" {
		b.WriteString("\n")
		b.WriteString(heading)
	}
	if text != "" && text != title {
		b.WriteString("\n")
		b.WriteString(text)
	}
	return b.String()
}
