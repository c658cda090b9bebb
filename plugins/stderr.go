package plugins

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/heardhq/heard/internal/redact"
)

const (
	// tailLines is how many of a plugin's last stderr lines are kept for
	// launch and crash errors.
	tailLines = 20
	// tailLineBytes caps one kept line; the rest of a longer line is
	// replaced by "…".
	tailLineBytes = 512
)

// stderrTail keeps the last tailLines lines a plugin wrote to stderr,
// redacted, so that an error can say why the plugin failed to start or
// died ("ImportError: …") instead of only that it did. It is safe for
// concurrent use: go-plugin writes the raw stderr and the stderr forwarded
// over gRPC from two goroutines.
type stderrTail struct {
	mu    sync.Mutex
	ring  [tailLines]string
	next  int // where the next line goes
	count int // lines held, up to tailLines
}

// add keeps line, redacted and capped, dropping the oldest line when full.
func (t *stderrTail) add(line string) {
	line = redact.Redact(capLine(strings.TrimRight(line, "\r\n")))
	if strings.TrimSpace(line) == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ring[t.next] = line
	t.next = (t.next + 1) % tailLines
	t.count = min(t.count+1, tailLines)
}

// lines returns the kept lines, oldest first.
func (t *stderrTail) lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, t.count)
	for i := range t.count {
		out = append(out, t.ring[(t.next-t.count+i+tailLines)%tailLines])
	}
	return out
}

// note returns "; last stderr:" and the kept lines, one per line and
// indented, for appending to an error message; "" when there are none.
func (t *stderrTail) note() string {
	ls := t.lines()
	if len(ls) == 0 {
		return ""
	}
	return "; last stderr:\n    " + strings.Join(ls, "\n    ")
}

// capLine cuts s to tailLineBytes on a rune boundary.
func capLine(s string) string {
	if len(s) <= tailLineBytes {
		return s
	}
	cut := tailLineBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// tailWriter feeds complete lines to a stderrTail; a line may arrive in
// several writes (go-plugin writes a raw stderr line and its newline
// separately). It takes go-plugin's ClientConfig.Stderr, which one
// goroutine writes.
type tailWriter struct {
	tail    *stderrTail
	partial []byte // the line so far, at most tailLineBytes+1 bytes
}

func (w *tailWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := tailLineBytes + 1 - len(w.partial); room > 0 {
			w.partial = append(w.partial, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			break
		}
		w.tail.add(string(w.partial))
		w.partial = w.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}
