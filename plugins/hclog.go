package plugins

import (
	"context"
	"io"
	"log"
	"log/slog"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/heardhq/heard/internal/redact"
)

// slogHCLog adapts a *slog.Logger to hclog.Logger, the logger go-plugin
// takes. go-plugin logs its own events through it and re-logs each JSON
// line a plugin writes to stderr, with the plugin's level, message and
// attributes.
type slogHCLog struct {
	l     *slog.Logger
	name  string
	args  []any
	level hclog.Level // the least severe level passed on
	// stderrName is the name go-plugin gives the logger it re-logs the
	// plugin's stderr through (the binary's base name); stderr is set on
	// that logger.
	stderrName string
	stderr     bool
}

var _ hclog.Logger = (*slogHCLog)(nil)

// newHCLog returns an adapter passing on messages at level and above.
// stderrName is the plugin binary's base name: go-plugin re-logs the
// plugin's stderr through a logger of that name, and the adapter logs a
// line that is not one of hclog's JSON records at info, not debug (see
// Log).
func newHCLog(l *slog.Logger, level hclog.Level, stderrName string) *slogHCLog {
	return &slogHCLog{l: l, level: level, stderrName: stderrName}
}

func toSlogLevel(l hclog.Level) slog.Level {
	switch l {
	case hclog.Trace:
		return slog.LevelDebug - 4
	case hclog.Debug:
		return slog.LevelDebug
	case hclog.Warn:
		return slog.LevelWarn
	case hclog.Error:
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

func (h *slogHCLog) Log(level hclog.Level, msg string, args ...any) {
	if h.stderr && len(args) == 0 {
		h.logStderrLine(level, msg)
		return
	}
	if level == hclog.Off || level < h.level {
		return
	}
	sl := toSlogLevel(level)
	ctx := context.Background()
	if !h.l.Enabled(ctx, sl) {
		return
	}
	all := make([]any, 0, len(h.args)+len(args))
	all = append(all, h.args...)
	all = append(all, renameKeys(args)...)
	h.l.Log(ctx, sl, msg, all...) //nolint:sloglint // keys come from go-plugin and the plugin, renamed to be safe
}

// logStderrLine logs a plain line the plugin wrote to stderr. go-plugin
// passes such lines with no arguments (hclog JSON records always carry a
// timestamp) at debug unless they start with a level tag like "[WARN]" or
// belong to a panic. A plugin's plain stderr (a Python traceback, an
// import error) is how it says why it fails, so it is logged at info at
// least (debug or trace only when tagged so), redacted.
func (h *slogHCLog) logStderrLine(level hclog.Level, line string) {
	if level < hclog.Info && !strings.HasPrefix(line, "[DEBUG]") && !strings.HasPrefix(line, "[TRACE]") {
		level = hclog.Info
	}
	sl := toSlogLevel(level)
	ctx := context.Background()
	if h.l.Enabled(ctx, sl) {
		all := append(append([]any{}, h.args...), "output", redact.Redact(line))
		h.l.Log(ctx, sl, "plugin wrote to stderr", all...) //nolint:sloglint // args are the logger's own, renamed by With
	}
}

// renameKeys keeps plugin-supplied keys from clashing with the keys the
// host's handler writes itself, and gives go-plugin's keys heard's names
// (pid, err).
func renameKeys(args []any) []any {
	out := make([]any, len(args))
	copy(out, args)
	for i := 0; i+1 < len(out); i += 2 {
		if k, ok := out[i].(string); ok {
			switch k {
			case slog.TimeKey, slog.LevelKey, slog.MessageKey, slog.SourceKey:
				out[i] = "plugin_" + k
			case "plugin": // go-plugin's binary path; the host logger already names the plugin
				out[i] = "binary"
			case "id": // go-plugin's name for the process ID
				out[i] = "pid"
			case "error": // heard's key for an error
				out[i] = "err"
			}
		}
	}
	return out
}

func (h *slogHCLog) Trace(msg string, args ...any) { h.Log(hclog.Trace, msg, args...) }
func (h *slogHCLog) Debug(msg string, args ...any) { h.Log(hclog.Debug, msg, args...) }
func (h *slogHCLog) Info(msg string, args ...any)  { h.Log(hclog.Info, msg, args...) }
func (h *slogHCLog) Warn(msg string, args ...any)  { h.Log(hclog.Warn, msg, args...) }
func (h *slogHCLog) Error(msg string, args ...any) { h.Log(hclog.Error, msg, args...) }

func (h *slogHCLog) enabled(l hclog.Level) bool {
	return l >= h.level && h.l.Enabled(context.Background(), toSlogLevel(l))
}

func (h *slogHCLog) IsTrace() bool { return h.enabled(hclog.Trace) }
func (h *slogHCLog) IsDebug() bool { return h.enabled(hclog.Debug) }
func (h *slogHCLog) IsInfo() bool  { return h.enabled(hclog.Info) }
func (h *slogHCLog) IsWarn() bool  { return h.enabled(hclog.Warn) }
func (h *slogHCLog) IsError() bool { return h.enabled(hclog.Error) }

func (h *slogHCLog) ImpliedArgs() []any { return h.args }

func (h *slogHCLog) With(args ...any) hclog.Logger {
	c := *h
	c.args = append(append([]any{}, h.args...), renameKeys(args)...)
	return &c
}

func (h *slogHCLog) Name() string { return h.name }

// Named keeps the name for Name but does not log it: the host's logger
// already carries the plugin's ID.
func (h *slogHCLog) Named(name string) hclog.Logger {
	c := *h
	c.stderr = h.name == "" && h.stderrName != "" && name == h.stderrName
	if c.name != "" {
		c.name += "." + name
	} else {
		c.name = name
	}
	return &c
}

func (h *slogHCLog) ResetNamed(name string) hclog.Logger {
	c := *h
	c.stderr = h.stderrName != "" && name == h.stderrName
	c.name = name
	return &c
}

func (h *slogHCLog) SetLevel(level hclog.Level) { h.level = level }

func (h *slogHCLog) GetLevel() hclog.Level {
	for _, l := range []hclog.Level{hclog.Trace, hclog.Debug, hclog.Info, hclog.Warn, hclog.Error} {
		if h.enabled(l) {
			return l
		}
	}
	return hclog.Off
}

func (h *slogHCLog) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(h.StandardWriter(opts), "", 0)
}

func (h *slogHCLog) StandardWriter(*hclog.StandardLoggerOptions) io.Writer {
	return &lineLogger{log: h.l, level: slog.LevelInfo, msg: "plugin output"}
}

// lineLogger logs every line written to it, redacted, under msg with the
// line as "output", and keeps it in tail when set. It takes go-plugin's
// SyncStdout and SyncStderr streams.
type lineLogger struct {
	log   *slog.Logger
	level slog.Level
	msg   string
	tail  *stderrTail
}

func (w *lineLogger) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if line = strings.TrimRight(line, "\r"); line != "" {
			if w.tail != nil {
				w.tail.add(line)
			}
			w.log.Log(context.Background(), w.level, w.msg, "output", redact.Redact(line)) //nolint:sloglint // msg is a constant chosen by the caller
		}
	}
	return len(p), nil
}
