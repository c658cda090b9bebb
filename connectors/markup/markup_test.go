package markup_test

import (
	"testing"

	"github.com/heardhq/heard/connectors/markup"
	"github.com/heardhq/heard/sdk"
)

func TestHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"one", "<p>one</p>"},
		{"a\nb\n\nc", "<p>a<br>b</p><p>c</p>"},
		{"  padded  \r\n\r\n\r\n\r\nnext ", "<p>padded</p><p>next</p>"},
		{"<b>not bold</b> & \"quoted\"", "<p>&lt;b&gt;not bold&lt;/b&gt; &amp; &#34;quoted&#34;</p>"},
		{"old\rmac", "<p>old<br>mac</p>"},
	} {
		if got := markup.HTML(tc.in); got != tc.want {
			t.Errorf("HTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNoteAndReplyMarkers(t *testing.T) {
	note := markup.Note("Priority P1\n\nwhy", "abc123")
	if want := "<p>Priority P1</p><p>why</p><p>— heard [fp:abc123]</p>"; note != want {
		t.Fatalf("Note = %q, want %q", note, want)
	}
	if got := markup.Note("x", ""); got != "<p>x</p>" {
		t.Errorf("Note without fingerprint = %q, want no signature", got)
	}
	reply := markup.Reply("Hi Ana,\n\nhere is how.", "abc123")
	if want := "<p>Hi Ana,</p><p>here is how.</p><p>[ref:abc123]</p>"; reply != want {
		t.Fatalf("Reply = %q, want %q", reply, want)
	}
	if !markup.Contains(sdk.NoteMarker("abc123"), "x", note) || !markup.Contains(sdk.ReplyMarker("abc123"), reply) {
		t.Error("Contains misses the markers it wrote")
	}
	// The two markers must never be mistaken for each other.
	if markup.Contains(sdk.NoteMarker("abc123"), reply) || markup.Contains(sdk.ReplyMarker("abc123"), note) {
		t.Error("a note marker matched the reply, or a reply marker the note")
	}
	if markup.Contains(sdk.NoteMarker("abc124"), note) {
		t.Error("another fingerprint's marker matched")
	}
	// An escaped rendering (a help desk that escapes brackets' neighbours
	// or returns text with entities) still matches.
	if !markup.Contains(`[fp:a&b]`, `<p>— heard [fp:a&amp;b]</p>`) {
		t.Error("escaped marker not found")
	}
}

func TestFingerprint(t *testing.T) {
	if got := markup.Fingerprint(sdk.Changes{Fingerprint: " 0123456789abcdef ", InternalNote: "n"}); got != "0123456789abcdef" {
		t.Errorf("fingerprint = %q; want the given one, trimmed", got)
	}
	if got := markup.Fingerprint(sdk.Changes{Fingerprint: "ab<c"}); got != "ab<c" {
		t.Errorf("fingerprint = %q; want it as given (it is escaped when rendered)", got)
	}
	note := markup.Fingerprint(sdk.Changes{InternalNote: "note"})
	reply := markup.Fingerprint(sdk.Changes{PublicReply: "reply"})
	if note == reply || len(note) != 16 || len(reply) != 16 {
		t.Errorf("without a fingerprint: note %q, reply %q; want distinct 16-digit hashes", note, reply)
	}
	if again := markup.Fingerprint(sdk.Changes{InternalNote: "note", PublicReply: "other"}); again != note {
		t.Errorf("the same note hashed to %q then %q", note, again)
	}
}
