package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
)

// lines decodes buf's JSON lines as ordered key lists and maps.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		if keys := DuplicateKeys([]byte(l)); len(keys) > 0 {
			t.Errorf("record repeats %v: %s", keys, l)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestReadableIsASlogHandler(t *testing.T) {
	var buf bytes.Buffer
	h := Readable(slog.NewJSONHandler(&buf, nil))
	results := func() []map[string]any {
		var ms []map[string]any
		for _, l := range bytes.Split(buf.Bytes(), []byte{'\n'}) {
			if len(l) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(l, &m); err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Fatal(err)
	}
}

func TestReadableNeverRepeatsAKey(t *testing.T) {
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want map[string]any
	}{
		{"a later With wins", func(l *slog.Logger) {
			l.With("component", "queue").With("component", "pipeline").Info("m")
		}, map[string]any{"component": "pipeline"}},
		{"the record's own attribute wins", func(l *slog.Logger) {
			l.With("connector", "acme", "component", "x").Info("m", "connector", "beta")
		}, map[string]any{"connector": "beta", "component": "x"}},
		{"a key repeated in one call", func(l *slog.Logger) {
			l.Info("m", "ticket_id", "1", "ticket_id", "2")
		}, map[string]any{"ticket_id": "2"}},
		{"an inlined group", func(l *slog.Logger) {
			l.With("err", "old").Info("m", slog.Group("", slog.String("err", "new")))
		}, map[string]any{"err": "new"}},
		{"groups keep their own keys", func(l *slog.Logger) {
			l.With("id", "outer").WithGroup("g").With("id", "a").Info("m", "id", "b")
		}, map[string]any{"id": "outer", "g": map[string]any{"id": "b"}}},
		{"many distinct keys", func(l *slog.Logger) {
			var args []any
			for i := range 20 {
				args = append(args, string(rune('a'+i)), i)
			}
			args = append(args, "a", "last")
			l.Info("m", args...)
		}, map[string]any{"a": "last", "t": float64(19)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(New(&buf, slog.LevelInfo, true))
			recs := lines(t, &buf)
			if len(recs) != 1 {
				t.Fatalf("%d records; want 1: %s", len(recs), buf.String())
			}
			for k, v := range tt.want {
				if got, _ := json.Marshal(recs[0][k]); string(got) != mustJSON(t, v) {
					t.Errorf("%s = %s; want %s (record %s)", k, got, mustJSON(t, v), buf.String())
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRiverInfoIsDebug(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		log := New(&buf, level, true)
		river := log.With(KeyComponent, "queue").With(KeyComponent, ComponentRiver)
		river.Info("JobScheduler: Ran successfully", "num_jobs_scheduled", 0)
		river.Warn("Notifier unhealthy")
		log.With(KeyComponent, "queue").Info("requeued running jobs")
		recs := lines(t, &buf)
		var got []string
		for _, r := range recs {
			got = append(got, fmt.Sprint(r["level"], " ", r["msg"]))
		}
		want := []string{"WARN Notifier unhealthy", "INFO requeued running jobs"}
		if level == slog.LevelDebug {
			want = append([]string{"DEBUG JobScheduler: Ran successfully"}, want...)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("at %s: logged %q; want %q", level, got, want)
		}
		if got, want := river.Enabled(t.Context(), slog.LevelInfo), level == slog.LevelDebug; got != want {
			t.Errorf("at %s: river logger Enabled(INFO) = %v; want %v", level, got, want)
		}
	}
}

func TestDuplicateKeys(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{`{"a":1,"b":2}`, nil},
		{`{"a":1,"b":{"a":2}}`, nil},
		{`{"a":1,"b":2,"a":3}`, []string{"a"}},
		{`{"g":{"x":1,"x":2}}`, []string{"g.x"}},
	}
	for _, tt := range tests {
		if got := DuplicateKeys([]byte(tt.line)); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("DuplicateKeys(%s) = %v; want %v", tt.line, got, tt.want)
		}
	}
}
