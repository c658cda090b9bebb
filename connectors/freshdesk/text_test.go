package freshdesk

import (
	"testing"

	"github.com/heardhq/heard/connectors/markup"
	"github.com/heardhq/heard/sdk"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"tags", "<div>Still <b>two</b> charges</div>", "Still two charges"},
		{"entities", "a &amp; b &lt;c&gt; &#39;d&#39;", "a & b <c> 'd'"},
		{"breaks", "one<br>two<br/>three<p>four</p>five", "one\ntwo\nthree\nfour\nfive"},
		{"script and style dropped", "<style>p{}</style>hi<script>alert(1)</script>", "hi"},
		{"whitespace collapsed", "<p>  a \t b  </p>\n\n<p>c</p>", "a b\nc"},
		{"nbsp", "a&nbsp;&nbsp;b", "a b"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMarkersSurviveBodyText checks that heard finds its markers again in
// the body_text Freshdesk derives from the HTML it was sent (approximated by
// htmlToText), with or without escaping in the fingerprint.
func TestMarkersSurviveBodyText(t *testing.T) {
	for _, fp := range []string{"fp1", "0123456789abcdef", "<f>&"} {
		note := markup.Note("Triage: P1\n\nwhy", fp)
		reply := markup.Reply("Hi Ana,\n\nhere is how.", fp)
		if !markup.Contains(sdk.NoteMarker(fp), htmlToText(note)) || !markup.Contains(sdk.ReplyMarker(fp), htmlToText(reply)) {
			t.Errorf("fingerprint %q: marker lost in body_text: note %q, reply %q", fp, htmlToText(note), htmlToText(reply))
		}
		if markup.Contains(sdk.NoteMarker(fp+"z"), htmlToText(note)) {
			t.Errorf("fingerprint %q: another fingerprint's marker found", fp)
		}
	}
}
