package plugins

import (
	"context"
	"io"
	"log"
	"log/slog"
	"strings"

	"github.com/hashicorp/go-hclog"
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
}

var _ hclog.Logger = (*slogHCLog)(nil)

// newHCLog returns an adapter passing on messages at level and above.
func newHCLog(l *slog.Logger, level hclog.Level) *slogHCLog {
	return &slogHCLog{l: l, level: level}
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

// renameKeys keeps plugin-supplied keys from clashing with the keys the
// host's handler writes itself.
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
	if c.name != "" {
		c.name += "." + name
	} else {
		c.name = name
	}
	return &c
}

func (h *slogHCLog) ResetNamed(name string) hclog.Logger {
	c := *h
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

// lineLogger logs every line written to it, under msg with the line as
// "output". It takes go-plugin's SyncStdout and SyncStderr streams.
type lineLogger struct {
	log   *slog.Logger
	level slog.Level
	msg   string
}

func (w *lineLogger) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if line = strings.TrimRight(line, "\r"); line != "" {
			w.log.Log(context.Background(), w.level, w.msg, "output", line) //nolint:sloglint // msg is a constant chosen by the caller
		}
	}
	return len(p), nil
}
