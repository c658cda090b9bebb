package redact

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// update rewrites testdata/golden.txt.gz from the current code:
//
//	go test ./internal/redact/ -run TestGolden -update
//
// Only do that when a change of results is intended; the golden file is
// the proof that a refactoring or an optimisation changed nothing.
var update = flag.Bool("update", false, "rewrite testdata/golden.txt.gz from the current results")

const goldenPath = "testdata/golden.txt.gz"

// goldenCase is one input of the golden test: a text and the Redactor it
// is run with.
type goldenCase struct {
	cfg    string // "all", "known", "only-a", "only-b", "ticket"
	text   string
	names  []string
	emails []string
}

// onlyA and onlyB are the kind subsets the golden test also runs, so a
// Redactor limited with Only keeps its results too.
var (
	onlyA = []Kind{KindPhone, KindName, KindAddress}
	onlyB = []Kind{KindEmail, KindIBAN, KindCard, KindSecret, KindCredential}
)

// TestGolden runs Find and Redact over the labelled corpora, mutations of
// them and a large generated set of support texts, and compares every
// span and every redacted text with testdata/golden.txt.gz.
func TestGolden(t *testing.T) {
	cases := goldenCases(t)
	if len(cases) < 5000 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	var got bytes.Buffer
	base := New()
	ra, rb := New(Only(onlyA...)), New(Only(onlyB...))
	for i, c := range cases {
		var r *Redactor
		switch c.cfg {
		case "all":
			r = base
		case "known":
			r = base.WithKnown(c.names, c.emails)
		case "only-a":
			r = ra
		case "only-b":
			r = rb
		case "ticket":
			writeGoldenTicket(&got, i, base, c)
			continue
		default:
			t.Fatalf("case %d: unknown config %q", i, c.cfg)
		}
		fmt.Fprintf(&got, "%d\t%s\t%s\t%s\n", i, c.cfg, formatSpans(r.Find(c.text)), strconv.Quote(r.Redact(c.text)))
	}
	if *update {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(got.Bytes()); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d cases to %s", len(cases), goldenPath)
		return
	}
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	gotLines := strings.Split(got.String(), "\n")
	wantLines := strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Errorf("%d result lines, golden has %d (regenerate with -update only if the inputs changed on purpose)", len(gotLines), len(wantLines))
	}
	bad := 0
	for i := range min(len(gotLines), len(wantLines)) {
		if gotLines[i] == wantLines[i] {
			continue
		}
		bad++
		if bad <= 20 {
			idx, _, _ := strings.Cut(gotLines[i], "\t")
			n, _ := strconv.Atoi(idx)
			in := ""
			if n < len(cases) {
				in = cases[n].text
			}
			t.Errorf("line %d differs\ninput %q\n  got %s\n want %s", i, in, gotLines[i], wantLines[i])
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d golden lines differ", bad, len(wantLines))
	}
}

func writeGoldenTicket(w io.Writer, i int, r *Redactor, c goldenCase) {
	parts := strings.Split(c.text, "\n\n")
	tk := &sdk.Ticket{Subject: parts[0], Fields: map[string]string{"note": parts[len(parts)-1]}}
	if len(c.names) > 0 {
		tk.Requester = sdk.Party{ID: "r", Name: c.names[0], Email: c.emails[0]}
	}
	for j, p := range parts {
		m := sdk.Message{Body: p, FromAgent: j%3 == 2}
		if j < len(c.names) {
			m.Author = sdk.Party{Name: c.names[j], Email: c.emails[j]}
		}
		tk.Messages = append(tk.Messages, m)
	}
	out := r.Ticket(tk)
	fmt.Fprintf(w, "%d\tticket\t%q\t%q\t%+v", i, out.Subject, out.Fields["note"], out.Requester)
	for _, m := range out.Messages {
		fmt.Fprintf(w, "\t%q|%+v", m.Body, m.Author)
	}
	fmt.Fprintln(w)
}

func formatSpans(spans []Span) string {
	if len(spans) == 0 {
		return "-"
	}
	var b strings.Builder
	for i, s := range spans {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d-%d:%s", s.Start, s.End, s.Kind)
	}
	return b.String()
}

// goldenCases builds the inputs, deterministically: the same list on every
// run and every platform.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	var cases []goldenCase
	add := func(cfg, text string) { cases = append(cases, goldenCase{cfg: cfg, text: text}) }

	// The labelled corpora, as labelled (with their known identities) and
	// mutated around their edges.
	var corpus []corpusLine
	corpus = append(corpus, readCorpus(t, "testdata/corpus.tsv")...)
	corpus = append(corpus, readCorpus(t, "testdata/holdout.tsv")...)
	rng := rand.New(rand.NewPCG(20261208, 1))
	edges := []string{"", " ", "x", "X", "1", "9", ".", ",", "-", "+", "/", ":", "_", "@", "#", "(", ")", "\n", "\t", "é", "€", "0", "a1", "1.", ".1", "-1", "1-", "00", "+1 "}
	for i, cl := range corpus {
		if len(cl.names) > 0 || len(cl.emails) > 0 {
			cases = append(cases, goldenCase{cfg: "known", text: cl.text, names: cl.names, emails: cl.emails})
		}
		add("all", cl.text)
		add("all", pick(rng, edges)+cl.text+pick(rng, edges))
		add("all", pick(rng, edges)+cl.text+pick(rng, edges))
		add("all", unicodeVariant(rng, cl.text))
		next := corpus[(i*7+3)%len(corpus)].text
		add("all", cl.text+pick(rng, []string{"", " ", "\n", ", ", "\n\n", " / ", "-", "\r\n"})+next)
		// Cut at a random byte on a rune boundary: matches cut short.
		if cut := runeCut(rng, cl.text); cut != "" {
			add("all", cut)
		}
		switch i % 5 {
		case 0:
			add("only-a", cl.text)
		case 1:
			add("only-b", cl.text)
		case 2:
			add("all", strings.ToUpper(cl.text))
		case 3:
			add("all", strings.ToLower(cl.text))
		}
	}

	g := &textGen{rng: rand.New(rand.NewPCG(7, 11))}
	// Single values of every shape, alone and in a sentence.
	for range 12 {
		for _, mk := range g.valueMakers() {
			v := mk()
			add("all", v)
			add("all", g.sentence(v))
		}
	}
	// Support messages of a few sentences in several languages.
	for i := range 1500 {
		msg := g.message(1 + g.rng.IntN(6))
		switch i % 10 {
		case 0:
			add("only-a", msg)
		case 1:
			add("only-b", msg)
		case 2:
			add("all", unicodeVariant(g.rng, msg))
		case 3:
			names, emails := g.identity()
			cases = append(cases, goldenCase{cfg: "known", text: g.withIdentity(msg, names, emails), names: names, emails: emails})
		default:
			add("all", msg)
		}
	}
	// Adjacent values with every kind of separator, at the very start and
	// end of the text.
	for range 400 {
		a, b := pick(rng, g.valueMakers())(), pick(rng, g.valueMakers())()
		add("all", a+pick(rng, []string{"", " ", ",", ", ", "\n", "/", "-", ";", " and ", ":", "."})+b)
	}
	// Very long lines: many sentences and no line break.
	for range 30 {
		var b strings.Builder
		for range 30 + g.rng.IntN(40) {
			b.WriteString(g.sentence(pick(g.rng, g.valueMakers())()))
			b.WriteByte(' ')
		}
		add("all", b.String())
	}
	// A long text with few values, as most support text is.
	for range 40 {
		var b strings.Builder
		for j := range 10 + g.rng.IntN(20) {
			if j%7 == 3 {
				b.WriteString(g.sentence(pick(g.rng, g.valueMakers())()))
			} else {
				b.WriteString(pick(g.rng, plainSentences))
			}
			b.WriteString(pick(g.rng, []string{" ", "\n", "\n\n"}))
		}
		add("all", b.String())
	}
	// Character soup: digits, separators and letters in random order,
	// which exercises every number rule's edges.
	soup := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "4", "5", " ", " ", " ", "-", ".", "/", ":", "+", "(", ")",
		",", "@", "a", "b", "e", "f", "x", "A", "B", "D", "E", "Z", "\n", "–", "\u00a0", "at", "dot", "[at]", "tel ", "PIN ", "DOB ",
		"password ", "Thanks, ", "Anna ", "Street", "rue ", "Calle ", "IBAN ", "DE", "GB", "FR", "00", "+49", "sk-", "ghp_", "eyJ"}
	for range 1200 {
		var b strings.Builder
		for range 5 + g.rng.IntN(80) {
			b.WriteString(pick(g.rng, soup))
		}
		add("all", b.String())
	}
	// Whole tickets, with known requesters and message authors.
	for range 200 {
		names, emails := g.identity()
		names = append(names, g.fullName())
		emails = append(emails, g.email())
		cases = append(cases, goldenCase{cfg: "ticket", text: g.withIdentity(g.message(2+g.rng.IntN(3))+"\n\n"+g.message(2)+"\n\n"+g.message(1), names, emails), names: names, emails: emails})
	}
	return cases
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// runeCut returns s cut at a random rune boundary at either end, or "".
func runeCut(rng *rand.Rand, s string) string {
	if len(s) < 4 {
		return ""
	}
	i := rng.IntN(len(s))
	for i > 0 && !isRuneStart(s[i]) {
		i--
	}
	if rng.IntN(2) == 0 {
		return s[:i]
	}
	return s[i:]
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }

// unicodeVariant replaces some spaces, dashes and digits of s with their
// Unicode look-alikes, which Find normalises.
func unicodeVariant(rng *rand.Rand, s string) string {
	var b strings.Builder
	for _, r := range s {
		if rng.IntN(3) != 0 {
			b.WriteRune(r)
			continue
		}
		switch {
		case r == ' ':
			b.WriteString(pick(rng, []string{"\u00a0", "\u202f", "\u2009", "\u3000", " "}))
		case r == '-':
			b.WriteString(pick(rng, []string{"\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\uff0d"}))
		case r >= '0' && r <= '9':
			b.WriteRune(0xFF10 + r - '0')
		case r == '@':
			b.WriteString("\uff20")
		case r == '+':
			b.WriteString("\uff0b")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// textGen generates support texts with values of many shapes.
type textGen struct{ rng *rand.Rand }

func (g *textGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}

func (g *textGen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *textGen) group(d, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		if n > len(d) {
			n = len(d)
		}
		parts = append(parts, d[:n])
		d = d[n:]
	}
	if d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, sep)
}

func (g *textGen) sep() string { return pick(g.rng, []string{" ", "-", ".", "", "/"}) }

// luhnDigits returns n digits starting with prefix whose Luhn check digit
// is right (valid) or wrong.
func (g *textGen) luhnDigits(prefix string, n int, valid bool) string {
	d := prefix + g.digits(n-len(prefix)-1)
	for c := '0'; c <= '9'; c++ {
		if luhn(d+string(c)) == valid {
			return d + string(c)
		}
	}
	return d + "0"
}

func (g *textGen) iban(valid bool) string {
	type cc struct {
		code string
		n    int
	}
	c := pick(g.rng, []cc{{"DE", 22}, {"FR", 27}, {"GB", 22}, {"ES", 24}, {"NL", 18}, {"IT", 27}, {"CH", 21}, {"AT", 20}, {"BE", 16}, {"NO", 15}})
	var body string
	switch c.code {
	case "GB", "NL":
		body = pick(g.rng, []string{"NWBK", "ABNA", "BARC"}) + g.digits(c.n-8)
	case "FR", "IT":
		body = g.digits(c.n - 4)
		body = body[:5] + string(rune('A'+g.rng.IntN(26))) + body[6:]
	default:
		body = g.digits(c.n - 4)
	}
	check := ""
	for k := 0; k < 100; k++ {
		cd := fmt.Sprintf("%02d", k)
		if validIBAN(c.code+cd+body) == valid {
			check = cd
			break
		}
	}
	compact := c.code + check + body
	switch g.rng.IntN(4) {
	case 0:
		return compact
	case 1:
		return g.group(compact, " ", 4, 4, 4, 4, 4, 4, 4)
	case 2:
		return strings.ToLower(g.group(compact, " ", 4, 4, 4, 4, 4, 4, 4))
	default:
		return g.group(compact, g.sep(), 4, 4, 4, 4, 4, 4, 4)
	}
}

func (g *textGen) fullName() string {
	first := []string{"Anna", "Jane", "Max", "Lena", "Tomás", "Zoë", "Émile", "Sam", "Priya", "João", "Jürgen", "Marie-Claire", "O'Brien", "Li"}
	last := []string{"Weber", "Doe", "Müller", "Okafor", "Ruiz", "van der Berg", "Dupont", "Sharma", "Silva", "Smith", "McAllister", "de la Cruz"}
	return pick(g.rng, first) + " " + pick(g.rng, last)
}

func (g *textGen) email() string {
	local := []string{"jane.doe", "anna", "max_mustermann", "j.smith+tickets", "info", "müller", "o'brien", "a", "user123"}
	dom := []string{"example.com", "kleinwerk.example", "mail.co.uk", "exämple.de", "sub.domain.io", "x.travel", "b.c"}
	return pick(g.rng, local) + "@" + pick(g.rng, dom)
}

func (g *textGen) identity() ([]string, []string) {
	return []string{g.fullName()}, []string{g.email()}
}

// withIdentity mentions the known name and address somewhere in text.
func (g *textGen) withIdentity(text string, names, emails []string) string {
	first, _, _ := strings.Cut(names[0], " ")
	switch g.rng.IntN(5) {
	case 0:
		return text + "\n\n" + names[0]
	case 1:
		return strings.ToUpper(first) + ": " + text
	case 2:
		return text + " (" + strings.ToUpper(emails[0]) + ")"
	case 3:
		return "From " + names[0] + " <" + emails[0] + ">\n" + text
	}
	return text + " " + first + "'s account."
}

// valueMakers returns a maker for every value shape, sensitive or not.
func (g *textGen) valueMakers() []func() string {
	return []func() string{
		// Triage numbers that must survive.
		func() string { return "#" + g.digits(g.between(4, 13)) },
		func() string { return "INV-" + g.digits(4) + "-" + g.digits(6) },
		func() string { return "ORD" + g.digits(8) },
		func() string { return "PO " + g.digits(10) },
		func() string { return g.digits(g.between(1, 20)) },
		func() string { return "$" + g.digits(1) + "," + g.digits(3) + "." + g.digits(2) },
		func() string { return g.digits(g.between(1, 4)) + "." + g.digits(3) + "," + g.digits(2) + " €" },
		func() string {
			return pick(g.rng, []string{"v", "", "version ", "build "}) + g.digits(1) + "." + g.digits(g.between(1, 2)) + "." + g.digits(g.between(1, 3))
		},
		func() string {
			return "2024-" + g.digits(2) + "-" + g.digits(2) + "T" + g.digits(2) + ":" + g.digits(2) + ":" + g.digits(2) + "Z"
		},
		func() string {
			return g.digits(2) + "." + g.digits(2) + ".20" + g.digits(2) + " " + g.digits(2) + ":" + g.digits(2)
		},
		func() string { return g.digits(2) + "/" + g.digits(2) + "/" + g.digits(4) },
		func() string { return "17" + g.digits(11) },
		func() string { return g.digits(2) + ":" + g.digits(2) + ":" + g.digits(2) },
		func() string {
			return g.digits(8) + "-" + g.digits(4) + "-4" + g.digits(3) + "-a" + g.digits(3) + "-" + g.digits(12)
		},
		func() string { return "HTTP " + pick(g.rng, []string{"500", "404", "429", "502"}) },
		// Phones.
		func() string {
			return pick(g.rng, []string{"+", "00", "+ ", "(+"}) + g.digits(g.between(1, 3)) + pick(g.rng, []string{" ", "-", ".", "", ") "}) + g.group(g.digits(g.between(6, 12)), pick(g.rng, []string{" ", "-", ".", "/"}), g.between(2, 4), g.between(3, 4), 4)
		},
		func() string {
			return pick(g.rng, []string{"(", ""}) + g.digits(3) + pick(g.rng, []string{") ", "-", ".", " "}) + g.digits(3) + pick(g.rng, []string{"-", ".", " "}) + g.digits(4)
		},
		func() string { return "1-800-" + g.digits(3) + "-" + g.digits(4) },
		func() string {
			return "0" + g.digits(1) + g.group(g.digits(8), pick(g.rng, []string{" ", "."}), 2, 2, 2, 2)
		},
		func() string {
			return "0" + g.digits(g.between(1, 4)) + pick(g.rng, []string{" ", "/", "-"}) + g.digits(g.between(5, 8))
		},
		func() string { return pick(g.rng, []string{"6", "7", "9"}) + g.group(g.digits(8), " ", 2, 3, 3) },
		func() string { return pick(g.rng, []string{"9", "8"}) + g.digits(4) + " " + g.digits(5) },
		func() string { return "(" + g.digits(2) + ") 9" + g.digits(4) + "-" + g.digits(4) },
		func() string {
			return strings.Join(g.words([]string{"five", "zero", "one", "two", "oh", "drei", "neuf", "cinco", "double seven", "7"}, g.between(5, 10)), pick(g.rng, []string{" ", ", ", "-"}))
		},
		// Cards.
		func() string {
			return g.group(g.luhnDigits(pick(g.rng, []string{"4", "51", "37", "6011", "35", "22", "1", "9"}), pick(g.rng, []int{13, 15, 16, 19}), g.rng.IntN(4) != 0), g.sep(), 4, 4, 4, 4)
		},
		func() string { return g.luhnDigits("4", 16, true) },
		// IBANs.
		func() string { return g.iban(g.rng.IntN(5) != 0) },
		// IPs.
		func() string {
			return fmt.Sprintf("%d.%d.%d.%d", g.rng.IntN(300), g.rng.IntN(256), g.rng.IntN(256), g.rng.IntN(256))
		},
		func() string { return pick(g.rng, []string{"127.0.0.1", "0.0.0.0", "::1", "::", "10.0.0.1:8080"}) },
		func() string {
			var p []string
			for range 8 {
				p = append(p, fmt.Sprintf("%x", g.rng.IntN(65536)))
			}
			if g.rng.IntN(2) == 0 {
				return strings.Join(p[:2], ":") + "::" + strings.Join(p[6:], ":")
			}
			return strings.Join(p, ":")
		},
		// E-mail.
		func() string { return g.email() },
		func() string { return `"john smith"@example.org` },
		func() string {
			return pick(g.rng, []string{"jane.doe", "max"}) + pick(g.rng, []string{" [at] ", "(at)", " at ", " @ ", "{at}"}) + "example" + pick(g.rng, []string{" [dot] ", " dot ", ".", "(dot)"}) + pick(g.rng, []string{"com", "de", "c0m"})
		},
		// National IDs.
		func() string { return g.digits(3) + "-" + g.digits(2) + "-" + g.digits(4) },
		func() string { return "SSN " + g.group(g.digits(9), pick(g.rng, []string{" ", ""}), 3, 2) },
		func() string {
			return pick(g.rng, []string{"AB", "QQ", "GB", "ab", "JK"}) + pick(g.rng, []string{" ", ""}) + g.group(g.digits(6), " ", 2, 2) + " " + pick(g.rng, []string{"C", "D", "E", "c"})
		},
		func() string {
			d := g.digits(8)
			n, _ := strconv.Atoi(d)
			return d + pick(g.rng, []string{"", "-", " "}) + string("TRWAGMYFPDXBNJZSQVHLCKE"[(n+g.rng.IntN(2))%23])
		},
		func() string {
			return pick(g.rng, []string{"1", "2"}) + " " + g.group(g.digits(12), " ", 2, 2, 2, 3, 3) + " " + g.digits(2)
		},
		func() string { return g.digits(3) + "." + g.digits(3) + "." + g.digits(3) + "-" + g.digits(2) },
		func() string { return "CPF " + g.digits(11) },
		func() string {
			return pick(g.rng, []string{"2", "5", "9", "1"}) + g.group(g.digits(11), pick(g.rng, []string{" ", "-"}), 3, 4)
		},
		func() string { return "Aadhaar " + pick(g.rng, []string{"2", "7"}) + g.digits(11) },
		// Labelled values.
		func() string {
			return pick(g.rng, []string{"password", "Passwort", "PIN", "mot de passe", "contraseña", "senha", "pwd"}) + pick(g.rng, []string{": ", " is ", " ", " = ", " ist "}) + pick(g.rng, []string{g.digits(4), "Sommer2024!", "letmein", "not working", "reset", "\"abc def\"", "hunter22"})
		},
		func() string {
			return pick(g.rng, []string{"passport", "Reisepass", "passeport", "pasaporte"}) + pick(g.rng, []string{" ", " number ", " no. ", ": "}) + pick(g.rng, []string{"C0", "X", "PA", "12"}) + g.digits(g.between(5, 8))
		},
		func() string {
			return pick(g.rng, []string{"DOB", "born", "geboren am", "né le", "date of birth:", "nacido el"}) + " " + pick(g.rng, []string{g.digits(2) + "/" + g.digits(2) + "/19" + g.digits(2), "3rd March 1985", "12. März 1990", "1985-03-12", "March 3, 1985"})
		},
		// Secrets.
		func() string { return g.hex(g.between(30, 64)) },
		func() string { return g.b64(g.between(30, 60)) },
		func() string { return "eyJ" + g.b64(20) + "." + g.b64(30) + "." + g.b64(25) },
		func() string {
			return pick(g.rng, []string{"sk-", "ghp_", "xoxb-", "AKIA", "sk_live_", "AIza", "github_pat_"}) + strings.ToUpper(g.hex(20)) + g.b64(g.between(0, 20))
		},
		func() string { return "Bearer " + g.b64(g.between(10, 40)) },
		// Addresses.
		func() string {
			return g.digits(g.between(1, 4)) + pick(g.rng, []string{"", "B"}) + " " + pick(g.rng, []string{"Baker Street", "Downing St.", "Main issues", "Pennsylvania Avenue", "Elm Rd"})
		},
		func() string {
			return pick(g.rng, []string{"Hauptstraße", "Berliner Str.", "Am Lindenweg", "Gartenweg"}) + " " + g.digits(g.between(1, 3)) + pick(g.rng, []string{"", "a", " b"})
		},
		func() string {
			return g.digits(g.between(1, 3)) + pick(g.rng, []string{" ", " bis, "}) + pick(g.rng, []string{"rue de la Paix", "avenue Foch", "place de l'Église"})
		},
		func() string {
			return pick(g.rng, []string{"Calle Mayor", "C/ Alcalá nº", "Avenida de la Constitución,"}) + " " + g.digits(g.between(1, 3))
		},
		// Names.
		func() string {
			return pick(g.rng, []string{"my name is ", "I'm ", "ich heiße ", "je m'appelle ", "me llamo ", "this is "}) + g.fullName() + pick(g.rng, []string{"", ",", " from Acme", ".", " and"})
		},
		func() string {
			return pick(g.rng, []string{"Thanks, ", "Best regards,\n", "Mit freundlichen Grüßen\n", "Cordialement,\n", "Saludos, ", "-- \n"}) + g.fullName()
		},
		func() string {
			return pick(g.rng, []string{"Hi ", "Hello ", "Dear Mr. ", "Hallo Frau ", "Bonjour ", "Hola "}) + g.fullName() + pick(g.rng, []string{",", "!", ""})
		},
	}
}

func (g *textGen) hex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "0123456789abcdef"[g.rng.IntN(16)]
	}
	return string(b)
}

func (g *textGen) b64(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"[g.rng.IntN(66)]
	}
	return string(b)
}

func (g *textGen) words(from []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = pick(g.rng, from)
	}
	return out
}

// sentence puts v into a support sentence in one of several languages.
func (g *textGen) sentence(v string) string {
	return strings.Replace(pick(g.rng, sentenceTemplates), "{}", v, 1)
}

// message is n sentences, some with values and some without.
func (g *textGen) message(n int) string {
	var b strings.Builder
	if g.rng.IntN(3) == 0 {
		b.WriteString(pick(g.rng, []string{"Hi team,\n\n", "Hallo zusammen,\n", "Bonjour,\n", "Hola, ", "Dear Support,\n\n"}))
	}
	makers := g.valueMakers()
	for i := range n {
		if i > 0 {
			b.WriteString(pick(g.rng, []string{" ", " ", "\n", "\n\n", "  ", "\r\n"}))
		}
		if g.rng.IntN(3) == 0 {
			b.WriteString(pick(g.rng, plainSentences))
			continue
		}
		b.WriteString(g.sentence(pick(g.rng, makers)()))
	}
	if g.rng.IntN(3) == 0 {
		b.WriteString(pick(g.rng, []string{"\n\nThanks, ", "\n\nBest regards,\n", "\n\nMit freundlichen Grüßen\n", "\n\nCordialement,\n", "\nSaludos,\n"}) + g.fullName())
	}
	return b.String()
}

var sentenceTemplates = []string{
	"{}", "Please check {} again.", "My order {} has not arrived.", "Reference: {}", "{} is what I see.",
	"We were charged twice, see {}.", "Contact: {}", "phone: {}", "call me at {}", "Meine Nummer ist {}.",
	"Bitte überweisen Sie an {} zurück.", "Mon numéro est le {}, merci.", "Mi teléfono es {}.", "O número é {}.",
	"The error started at {} after the upgrade.", "Card ending {} was declined.", "IBAN: {}", "from IP {} we get 403",
	"Rechnung {} ist falsch.", "Le colis {} est bloqué.", "El pedido {} no llegó.", "Ticket {} (reopened)",
	"({})", "[{}]", "\"{}\"", "{}.", "{},", "Account {}, plan business, seats 12.", "Token {} leaked in the logs!",
	"Versand an {} bitte.", "Envoyez à {} svp.", "Dirección: {}", "Address: {}\nCity: London",
	"{}\n", "\n{}", "Line one\n{}\nline three", "see log line {} at 10:31:02.445",
}

var plainSentences = []string{
	"The export to CSV has been failing since Monday for all of our users.",
	"Can you please look into this as soon as possible?",
	"Der Export funktioniert seit dem Update nicht mehr.",
	"L'application plante quand je clique sur le bouton.",
	"No puedo iniciar sesión desde ayer.",
	"Não consigo acessar minha conta.",
	"We have 3 users, 12 seats and 5 admins on the Business plan.",
	"I tried clearing the cache, reinstalling and restarting, nothing helped.",
	"This is urgent, our team cannot work.",
	"Thanks for the quick reply!",
	"Please refund the difference.",
	"Is there a workaround in the meantime?",
	"It happens on Chrome 120 and Firefox 121 on Windows 11.",
	"Our SLA says 4 hours, it has been 2 days.",
	"I'm happy to help test a fix.",
	"the password reset link does not work",
	"Best wishes for the new year to the whole team.",
	"Bitte melden Sie sich bei mir.",
}
