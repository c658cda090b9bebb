package plugins

import (
	"fmt"
	"strings"
	"testing"
)

func TestStderrTail(t *testing.T) {
	long := strings.Repeat("é", tailLineBytes) // two bytes a rune: cut mid-line
	for _, tc := range []struct {
		name   string
		writes []string
		want   []string
	}{
		{"lines split across writes", []string{"Trace", "back\n", "Import", "Error: x", "\n"}, []string{"Traceback", "ImportError: x"}},
		{"blank lines and CRs dropped", []string{"a\r\n\n  \nb\n"}, []string{"a", "b"}},
		{"an unfinished line is not shown", []string{"done\npartial"}, []string{"done"}},
		{"redacted", []string{"mail jane.doe@example.com now\n"}, []string{"mail [EMAIL] now"}},
		{"long lines capped on a rune boundary", []string{long + "\n"}, []string{strings.Repeat("é", tailLineBytes/2) + "…"}},
		{"only the last lines kept", func() []string {
			var w []string
			for i := range tailLines + 5 {
				w = append(w, fmt.Sprintf("line %d\n", i))
			}
			return w
		}(), func() []string {
			var w []string
			for i := 5; i < tailLines+5; i++ {
				w = append(w, fmt.Sprintf("line %d", i))
			}
			return w
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tail := &stderrTail{}
			w := &tailWriter{tail: tail}
			for _, s := range tc.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			got := tail.lines()
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("lines = %q; want %q", got, tc.want)
			}
			if note := tail.note(); (note == "") != (len(tc.want) == 0) || !strings.HasPrefix(note, "; last stderr:\n    ") {
				t.Errorf("note = %q", note)
			}
		})
	}
	if note := (&stderrTail{}).note(); note != "" {
		t.Errorf("empty tail's note = %q; want none", note)
	}
}
