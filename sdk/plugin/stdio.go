package plugin

import (
	"bufio"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// realStderr is the process's stderr as it was at start-up. go-plugin
// replaces os.Stderr once serving, but the host parses structured logs
// only from the original stream.
var realStderr = os.Stderr

var guardOnce sync.Once

// GuardStdout makes stdout safe to print to before the handshake: from now
// on os.Stdout is a pipe whose lines are logged to the host at warn level,
// except go-plugin's handshake line, which goes to the real stdout. Serve
// calls it; call it yourself first thing in main when setup code before
// Serve might print. It is safe to call more than once.
//
// Output written to file descriptor 1 directly, or by a package's init
// function, bypasses os.Stdout and can still break the handshake.
func GuardStdout() {
	guardOnce.Do(func() {
		r, w, err := os.Pipe()
		if err != nil {
			return // keep the real stdout: worse output, but a plugin that works
		}
		real := os.Stdout
		os.Stdout = w
		go forwardStdout(r, real, NewLogger(slog.LevelInfo))
	})
}

// handshakeLine matches go-plugin's handshake, which is written in one
// write and ends the line: CORE|APP|NETWORK|ADDR|PROTOCOL|CERT[|MUX]
var handshakeLine = regexp.MustCompile(`\d+\|\d+\|(?:unix|tcp)\|[^|\n]+\|(?:grpc|netrpc)\|[^\n]*\n?$`)

// forwardStdout copies r line by line: the first handshake line to real,
// everything else to log.
func forwardStdout(r io.Reader, real io.Writer, log *slog.Logger) {
	br := bufio.NewReader(r)
	sent := false
	stray := func(s string) {
		if s = strings.TrimRight(s, "\r\n"); s != "" {
			log.Warn("plugin wrote to stdout; use the logger instead", "stdout", s)
		}
	}
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			if loc := handshakeLine.FindStringIndex(line); !sent && loc != nil {
				stray(line[:loc[0]])
				_, _ = io.WriteString(real, line[loc[0]:])
				sent = true
			} else {
				stray(line)
			}
		}
		if err != nil {
			return
		}
	}
}

// NewLogger returns a logger that writes JSON lines to the process's
// original stderr with hclog's keys (@level, @message, @timestamp), which
// the host parses and re-logs with the plugin's name and its own handler.
// Levels are trace (below debug), debug, info, warn and error.
func NewLogger(level slog.Leveler) *slog.Logger {
	return slog.New(NewLogHandler(realStderr, level))
}

// hclogTime is the timestamp layout go-plugin's host parses.
const hclogTime = "2006-01-02T15:04:05.000000Z07:00"

// NewLogHandler returns the handler behind NewLogger, writing to w.
func NewLogHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				if t, ok := a.Value.Any().(time.Time); ok {
					return slog.String("@timestamp", t.Format(hclogTime))
				}
			case slog.LevelKey:
				if l, ok := a.Value.Any().(slog.Level); ok {
					return slog.String("@level", hclogLevel(l))
				}
			case slog.MessageKey:
				return slog.String("@message", a.Value.String())
			}
			return a
		},
	})
}

func hclogLevel(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "trace"
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	default:
		return "error"
	}
}
