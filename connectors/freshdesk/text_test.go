package freshdesk

import "testing"

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

func TestNoteHTML(t *testing.T) {
	tests := []struct{ name, note, fp, want string }{
		{"one line", "Triage: P1", "fp1", "<p>Triage: P1</p><p>— heard [fp:fp1]</p>"},
		{"paragraphs and lines", "a\nb\n\n\nc\r\nd", "x", "<p>a<br>b</p><p>c<br>d</p><p>— heard [fp:x]</p>"},
		{"escaped", "<script>&", "<f>", "<p>&lt;script&gt;&amp;</p><p>— heard [fp:&lt;f&gt;]</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := noteHTML(tt.note, tt.fp)
			if got != tt.want {
				t.Errorf("noteHTML() = %q; want %q", got, tt.want)
			}
			if !hasMarker(got, htmlToText(got), tt.fp) {
				t.Errorf("hasMarker(noteHTML()) = false")
			}
			if hasMarker(got, htmlToText(got), tt.fp+"z") {
				t.Errorf("hasMarker finds another fingerprint")
			}
		})
	}
}
