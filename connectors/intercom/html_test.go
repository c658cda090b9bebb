package intercom

import (
	"testing"

	"github.com/heardhq/heard/connectors/markup"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "plain text", in: "  Any   news? ", want: "Any news?"},
		{name: "paragraphs", in: "<p>Hi,</p><p>charged <b>twice</b>.</p>", want: "Hi,\n\ncharged twice."},
		{name: "line breaks", in: "<p>a<br>b<br/>c</p>", want: "a\nb\nc"},
		{name: "entities", in: "<p>5 &lt; 6 &amp; &quot;x&quot;&nbsp;y</p>", want: "5 < 6 & \"x\" y"},
		{name: "attributes and case", in: `<P CLASS="x">Hello</P><DIV>World</DIV>`, want: "Hello\n\nWorld"},
		{name: "list", in: "<ul><li>one</li><li>two</li></ul>", want: "one\ntwo"},
		{name: "script and style dropped", in: "<style>p{}</style><p>ok</p><script>alert(1)</script>", want: "ok"},
		{name: "comment dropped", in: "<p>a<!-- hidden <b>x</b> -->b</p>", want: "ab"},
		{name: "lone angle bracket", in: "3 < 4", want: "3 < 4"},
		{name: "unclosed tag", in: "<p>a</p><b", want: "a\n\n<b"},
		{name: "heard note", in: "<p>Triage: P1</p><p>— heard [fp:fp-1]</p>", want: "Triage: P1\n\n— heard [fp:fp-1]"},
		{name: "empty", in: "<p></p>", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMarkupRoundTrip(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "one line", in: "Triage: P1", want: "<p>Triage: P1</p>"},
		{name: "escaped", in: "a <b> & c", want: "<p>a &lt;b&gt; &amp; c</p>"},
		{name: "lines and paragraphs", in: "a\nb\n\n\nc\r\n", want: "<p>a<br>b</p><p>c</p>"},
		{name: "empty", in: "  ", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markup.HTML(tt.in)
			if got != tt.want {
				t.Errorf("markup.HTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := htmlToText(got); back != normalizeSpace(tt.in) {
				t.Errorf("htmlToText(markup.HTML(%q)) = %q, want the text back", tt.in, back)
			}
		})
	}
}
