package logs

import (
	"context"
	"io"
	"log/slog"
	"slices"
)

// KeyComponent is the attribute naming the part of heard a logger belongs
// to; loggers get it from With.
const KeyComponent = "component"

// ComponentRiver is the component of the queue library's logger: its INFO
// records are demoted to DEBUG.
const ComponentRiver = "river"

// New returns the logger serve writes to w: JSON lines when json is set,
// else slog's text format, at level and above, through Readable.
func New(w io.Writer, level slog.Leveler, json bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if json {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(Readable(h))
}

// Readable wraps next so that no record repeats a key and a River
// logger's INFO records become DEBUG.
//
// Keys are deduplicated per group: the last value given wins, a record's
// own attribute over the logger's and a later With over an earlier one
// (log.With("component", "queue").With("component", "river") logs
// component=river once). A logger whose component is ComponentRiver logs
// INFO records (and those between INFO and WARN) at DEBUG.
func Readable(next slog.Handler) slog.Handler {
	return &handler{next: next, with: next}
}

type handler struct {
	next   slog.Handler // without attrs
	with   slog.Handler // next.WithAttrs(attrs)
	attrs  []slog.Attr  // the logger's, keys unique, not yet in a group
	demote bool
}

var _ slog.Handler = (*handler)(nil)

// level is the level a record of l is logged at.
func (h *handler) level(l slog.Level) slog.Level {
	if h.demote && l >= slog.LevelInfo && l < slog.LevelWarn {
		return slog.LevelDebug
	}
	return l
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, h.level(l))
}

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	r.Level = h.level(r.Level)
	if !h.next.Enabled(ctx, r.Level) {
		return nil
	}
	if !h.clashes(r) {
		return h.with.Handle(ctx, r)
	}
	// Rare: rebuild the record with every key once, last value winning.
	own := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		own = setAttr(own, a)
		return true
	})
	all := make([]slog.Attr, 0, len(h.attrs)+len(own))
	for _, a := range h.attrs {
		if !hasKey(own, a.Key) {
			all = append(all, a)
		}
	}
	all = append(all, own...)
	nr := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	nr.AddAttrs(all...)
	return h.next.Handle(ctx, nr)
}

// clashes reports whether r repeats a key of its own or of the logger's.
func (h *handler) clashes(r slog.Record) bool {
	var seen [16]string
	n, clash := 0, false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "" { // an inlined group: compare its keys too
			clash = true
			return false
		}
		if hasKey(h.attrs, a.Key) || slices.Contains(seen[:min(n, len(seen))], a.Key) {
			clash = true
			return false
		}
		if n == len(seen) { // too many to track cheaply: take the slow path
			clash = true
			return false
		}
		seen[n] = a.Key
		n++
		return true
	})
	return clash
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	attrs := slices.Clone(h.attrs)
	for _, a := range as {
		attrs = setAttr(attrs, a)
	}
	c := &handler{next: h.next, with: h.next.WithAttrs(attrs), attrs: attrs}
	for _, a := range attrs {
		if a.Key == KeyComponent {
			c.demote = a.Value.Resolve().String() == ComponentRiver
		}
	}
	return c
}

func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	// Keys inside the group cannot clash with the ones outside it.
	g := h.with.WithGroup(name)
	return &handler{next: g, with: g, demote: h.demote}
}

// setAttr sets a in as: replaced where its key is (moved to the end, as
// the latest), else appended. Inlined groups (empty keys) are flattened.
func setAttr(as []slog.Attr, a slog.Attr) []slog.Attr {
	if a.Key == "" && a.Value.Kind() == slog.KindGroup {
		for _, g := range a.Value.Group() {
			as = setAttr(as, g)
		}
		return as
	}
	if a.Equal(slog.Attr{}) {
		return as
	}
	if i := slices.IndexFunc(as, func(b slog.Attr) bool { return b.Key == a.Key }); i >= 0 {
		as = slices.Delete(as, i, i+1)
	}
	return append(as, a)
}

func hasKey(as []slog.Attr, key string) bool {
	return slices.ContainsFunc(as, func(a slog.Attr) bool { return a.Key == key })
}
