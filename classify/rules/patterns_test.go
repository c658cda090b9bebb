package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// writeFile writes content to a file in a test directory and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "patterns.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// altTaxonomy is the policy's alternative, mutually exclusive taxonomy.
func altTaxonomy() []Tag {
	return policy.Alternative()
}

const altPatterns = `version: 1
defaults:
  tag: user-question
  priority: P2
  language: en
languages:
  - code: en
    stopwords: [the, is, we, our, you]
negation:
  cues: [not]
rules:
  - name: outage
    label: outage
    weight: 0.9
    priority: P0
    tags: {outage: 1}
    signals: [outage]
    phrases: [is|are down]
  - name: price
    label: pricing
    weight: 0.8
    tags: {pricing-question: 1}
    phrases: [how much, price*]
  - name: incident-id
    label: incident reference
    weight: 0.6
    tags: {bug-report: 1}
    patterns: ['\binc-\d{3,}\b']
  - name: kudos
    label: kudos
    weight: 0.8
    sentiment: positive
    tags: {positive-feedback: 1}
    phrases: [love]
  - name: maintenance
    label: planned maintenance
    weight: 0.9
    vetoes: [outage]
    phrases: [planned maintenance]
`

func TestReplacedPatternsFile(t *testing.T) {
	c, err := New(Config{PatternsFile: writeFile(t, altPatterns), Taxonomy: altTaxonomy()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	cases := []struct {
		name, body, field, want string
	}{
		{"its rule fires", "The dashboard is down for us.", sdk.FieldPriority, "P0"},
		{"its tag", "The dashboard is down for us.", sdk.FieldPrimaryTag, "outage"},
		{"its negation cues", "The dashboard is not down, we love it.", sdk.FieldPrimaryTag, "positive-feedback"},
		{"its default priority", "Just saying hi.", sdk.FieldPriority, "P2"},
		{"its default tag", "Just saying hi.", sdk.FieldPrimaryTag, "user-question"},
		{"its regex pattern", "See INC-4821 for details.", sdk.FieldPrimaryTag, "bug-report"},
		{"its prefix phrase", "What are your prices for nonprofits?", sdk.FieldPrimaryTag, "pricing-question"},
		{"embedded rules are gone", "You charged us twice, this is a billing error.", sdk.FieldPriority, "P2"},
		{"its vetoes", "The dashboard is down for planned maintenance.", sdk.FieldPriority, "P2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, ticket("", tc.body))
			if got := r.value(tc.field); got != tc.want {
				t.Errorf("%s = %q; want %q%s", tc.field, got, tc.want, r)
			}
		})
	}
}

func TestBadPatternsFile(t *testing.T) {
	// Each case replaces one line of altPatterns (or appends); want names
	// the line the error must point at and a phrase it must contain.
	cases := []struct {
		name     string
		old, new string
		line     int
		want     string
	}{
		{"unknown key", "    weight: 0.9\n", "    weight: 0.9\n    colour: red\n", 15, `unknown key "colour"`},
		{"unknown top-level key", "version: 1\n", "version: 1\nsetings: {}\n", 2, `unknown key "setings"`},
		{"tag not in taxonomy", "    tags: {outage: 1}\n", "    tags: {outages: 1}\n", 16, `tag "outages" is not in the taxonomy`},
		{"bad priority", "    priority: P0\n", "    priority: P5\n", 15, `priority "P5"`},
		{"bad regex", `    patterns: ['\binc-\d{3,}\b']`, `    patterns: ['\binc-(\d{3,}\b']`, 28, "missing closing )"},
		{"short prefix", "    phrases: [how much, price*]\n", "    phrases: [how much, pr*]\n", 23, "shorter than 3 letters"},
		{"multi-word alternative", "    phrases: [how much, price*]\n", "    phrases: [how much, \"price|e-mail\"]\n", 23, "alternatives must be single words"},
		{"dangling gap", "    phrases: [love]\n", "    phrases: [\"love ..\"]\n", 34, `".." must stand between two words`},
		{"weight out of range", "    weight: 0.8\n    sentiment: positive\n", "    weight: 1.5\n    sentiment: positive\n", 31, "weight 1.5"},
		{"unknown signal", "    signals: [outage]\n", "    signals: [outages]\n", 17, `unknown signal "outages"`},
		{"unknown sentiment", "    sentiment: positive\n", "    sentiment: happy\n", 32, `sentiment "happy"`},
		{"default tag", "  tag: user-question\n", "  tag: question\n", 3, `default tag "question"`},
		{"bad language code", "  - code: en\n", "  - code: english\n", 7, `language code "english"`},
		{"wrong version", "version: 1\n", "version: 2\n", 1, "want 1"},
		{"yaml syntax", "    label: pricing\n", "    label: [pricing\n", 0, "did not find expected"},
		{"unknown veto", "    vetoes: [outage]\n", "    vetoes: [outages]\n", 38, `vetoes "outages"`},
		{"duplicate rule name", "  - name: kudos\n", "  - name: price\n", 29, `rule name "price"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(altPatterns, tc.old) {
				t.Fatalf("test setup: %q not in altPatterns", tc.old)
			}
			path := writeFile(t, strings.Replace(altPatterns, tc.old, tc.new, 1))
			_, err := New(Config{PatternsFile: path, Taxonomy: altTaxonomy()})
			if err == nil {
				t.Fatal("New succeeded; want an error")
			}
			if !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("err = %v; want it to wrap sdk.ErrInvalid", err)
			}
			if tc.line == 0 { // somewhere: yaml.v3 decides where a syntax error is seen
				if !strings.Contains(err.Error(), path+":") {
					t.Errorf("err = %v; want it to name %s and a line", err, path)
				}
			} else if at := fmt.Sprintf("%s:%d:", path, tc.line); !strings.Contains(err.Error(), at) {
				t.Errorf("err = %v; want it to name %s", err, at)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("empty file", func(t *testing.T) {
		_, err := New(Config{PatternsFile: writeFile(t, ""), Taxonomy: altTaxonomy()})
		if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "empty") {
			t.Errorf("err = %v; want an ErrInvalid saying the file is empty", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := New(Config{PatternsFile: filepath.Join(t.TempDir(), "nope.yaml")})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v; want fs.ErrNotExist", err)
		}
	})
	t.Run("embedded patterns need their tags", func(t *testing.T) {
		_, err := New(Config{Taxonomy: altTaxonomy()})
		if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "patterns.yaml (embedded):") || !strings.Contains(err.Error(), "not in the taxonomy") {
			t.Errorf("err = %v; want ErrInvalid naming embedded lines with tags not in the taxonomy", err)
		}
	})
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		tax  []Tag
		ok   bool
	}{
		{"default", nil, true},
		{"custom", altTaxonomy(), true},
		{"duplicate", []Tag{{Name: "a"}, {Name: "b"}, {Name: "a"}}, false},
		{"duplicate first", []Tag{{Name: "a"}, {Name: "a"}}, false},
		{"upper case", []Tag{{Name: "Billing"}}, false},
		{"empty name", []Tag{{Name: ""}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Config{Taxonomy: tc.tax}.Validate()
			if (err == nil) != tc.ok {
				t.Errorf("Validate() = %v; want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Validate() = %v; want ErrInvalid", err)
			}
		})
	}
}

func TestEmbeddedPatternsAreTheDefault(t *testing.T) {
	path := writeFile(t, string(defaultPatterns))
	c, err := New(Config{PatternsFile: path})
	if err != nil {
		t.Fatalf("the embedded patterns copied to a file do not load: %v", err)
	}
	r := run(t, c, ticket("Kündigung", "Wir kündigen zum Monatsende."))
	if r.value(sdk.FieldSignalCancel) != "true" {
		t.Errorf("copied patterns behave differently:%s", r)
	}
}

func TestFold(t *testing.T) {
	if len(foldLatin) != 0x180-0xC0 {
		t.Fatalf("foldLatin has %d entries; want %d", len(foldLatin), 0x180-0xC0)
	}
	cases := []struct{ in, want string }{
		{"Kündigung", "kundigung"},
		{"STRAßE", "strasse"},
		{"Rückerstattung GELD ZURÜCK", "ruckerstattung geld zuruck"},
		{"Résilier mon abonnement", "resilier mon abonnement"},
		{"cœur", "coeur"},
		{"Ça déçoit", "ca decoit"},
		{"caído, ¿dónde?", "caido, ¿donde?"},
		{"Łódź", "lodz"},
		{"can’t", "can't"},
		{"e\u0301tat", "etat"},
		{"ΑΘΗΝΑ", "αθηνα"},
	}
	for _, tc := range cases {
		if got := fold(tc.in); got != tc.want {
			t.Errorf("fold(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		in   string
		want []string
	}{
		{"I can't log-in to the e-mail.", []string{"i", "can't", "log", "in", "to", "the", "e", "mail"}},
		{"L'accès n'est pas possible, qu'il dit.", []string{"l", "acces", "n", "est", "pas", "possible", "qu", "il", "dit"}},
		{"Über 1.200,50 €, v5.2.1!", []string{"uber", "1.200,50", "v5.2.1"}},
		{"Done. 3 items, 4 left.", []string{"done", "3", "items", "4", "left"}},
		{"hello\n> quoted line\nworld", []string{"hello", "world"}},
	}
	for _, tc := range cases {
		s := newScratch(c.m)
		c.m.addSegment(s, tc.in, 1, false, len(tc.in))
		var got []string
		for _, tk := range s.toks {
			got = append(got, string(s.fold[tk.fs:tk.fe]))
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("tokens(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"650", 65000, true},
		{"1,200.50", 120050, true},
		{"1.200,50", 120050, true},
		{"1.200", 120000, true},
		{"1,200", 120000, true},
		{"12.5", 1250, true},
		{"12,50", 1250, true},
		{"0.99", 99, true},
		{"1 200,50", 120050, true},
		{"1'200.00", 120000, true},
		{"2.345.678,9", 234567890, true},
		{"9.999", 999900, true},
		{"1234567890123", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseAmount([]byte(tc.in))
		if got != tc.cents || ok != tc.ok {
			t.Errorf("parseAmount(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.cents, tc.ok)
		}
	}
	if s := (amount{cents: 65000}).String(); s != "650.00" {
		t.Errorf("String = %q; want 650.00", s)
	}
	if s := (amount{cents: 1205}).String(); s != "12.05" {
		t.Errorf("String = %q; want 12.05", s)
	}
}
