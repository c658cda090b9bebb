package draft

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/internal/config"
)

// buildFromYAML loads a heard.yaml with the draft section given and builds
// the drafter from it.
func buildFromYAML(t *testing.T, draftYAML string) (Drafter, string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "heard.yaml")
	if err := os.WriteFile(path, []byte(draftYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	d, closeFn, err := Build(Components, cfg.Draft, cfg.LLM, nil)
	if err == nil {
		t.Cleanup(func() { _ = closeFn(t.Context()) })
	}
	return d, path, err
}

// TestWordingOverlay: the team's wording from heard.yaml reaches the
// draft — company, product, sign-off, tone, a replaced phrase and an extra
// sentence per situation and language — without touching the built-in
// phrasebooks.
func TestWordingOverlay(t *testing.T) {
	d, _, err := buildFromYAML(t, `draft:
  template:
    agent_name: Sam
    company: Crewbook Ltd
    product: Crewbook
    sign_off: "Talk soon,"
    tone: formal
    phrases:
      en:
        bug_empathy: "I know how much your team relies on {{product}} during the day."
        extra.bug-report: "Live status for {{product}}: https://status.crewbook.example"
      de:
        signoff: "Herzliche Grüße"
`)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	en := scenarios()[0].req // casual English bug report
	got := mustDraft(t, d, en)
	for _, want := range []string{
		"I know how much your team relies on Crewbook during the day.",
		"Live status for Crewbook: https://status.crewbook.example",
		"Talk soon,\nSam\nCrewbook Ltd",
		"Dear Anna", // tone formal over the customer's casual "Hi"
	} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("English draft lacks %q:\n%s", want, got.Text)
		}
	}
	if strings.Contains(got.Text, "{{") || strings.Contains(got.Text, "stops working") {
		t.Errorf("English draft keeps a slot or the replaced phrase:\n%s", got.Text)
	}
	var de Request
	for _, sc := range scenarios() {
		if sc.name == "de bug report formal" {
			de = sc.req
		}
	}
	gotDE := mustDraft(t, d, de)
	if !strings.Contains(gotDE.Text, "Herzliche Grüße\nSam\nCrewbook Ltd") {
		t.Errorf("German draft lacks the German sign-off:\n%s", gotDE.Text)
	}
	if strings.Contains(gotDE.Text, "status.crewbook") {
		t.Errorf("the English extra sentence reached the German draft:\n%s", gotDE.Text)
	}
	// The built-in wording is untouched for a drafter without the overlay.
	plain := mustDraft(t, newTemplate(t, TemplateConfig{}), en)
	if !strings.Contains(plain.Text, "stops working") || strings.Contains(plain.Text, "Talk soon") {
		t.Errorf("the overlay leaked into the built-in phrasebook:\n%s", plain.Text)
	}
}

// TestWordingErrors: every mistake in the overlay is reported with its
// file, line and key.
func TestWordingErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key with a suggestion", "draft:\n  template:\n    phrases:\n      en:\n        bug_empathyy: \"Sorry.\"\n",
			[]string{`:5: draft.template: phrases.en.bug_empathyy: unknown phrase key (did you mean "bug_empathy"?)`}},
		{"unknown language", "draft:\n  template:\n    phrases:\n      it:\n        bug_empathy: \"Mi dispiace.\"\n",
			[]string{`:4: draft.template: phrases.it: unknown language`}},
		{"unknown slot", "draft:\n  template:\n    phrases:\n      en:\n        bug_step3: \"By {{when}}.\"\n",
			[]string{`:5: draft.template: phrases.en.bug_step3: unknown slot {{when}}`}},
		{"unknown situation", "draft:\n  template:\n    phrases:\n      fr:\n        extra.refund: \"Merci.\"\n",
			[]string{`:5: draft.template: phrases.fr.extra.refund: unknown situation "refund"`}},
		{"unclosed variant", "draft:\n  template:\n    phrases:\n      de:\n        bug_tip: \"Tipp: [Sie|du schreiben.\"\n",
			[]string{`:5: draft.template: phrases.de.bug_tip: a [formal|casual] variant is not closed`}},
		{"two errors at once", "draft:\n  template:\n    phrases:\n      en:\n        nope: \"x\"\n        bug_tip: \"\"\n",
			[]string{`:6: draft.template: phrases.en.bug_tip: empty text`, `:5: draft.template: phrases.en.nope: unknown phrase key`}},
		{"misspelled field", "draft:\n  template:\n    compnay: Crewbook\n",
			[]string{`:3: draft.template: unknown key "compnay" (did you mean "company"?)`}},
		{"bad tone", "draft:\n  template:\n    tone: cheerful\n", []string{`tone "cheerful": want auto, formal or casual`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, path, err := buildFromYAML(t, tc.yaml)
			if err == nil {
				t.Fatal("Build succeeded; want an error")
			}
			for _, w := range tc.want {
				if strings.HasPrefix(w, ":") {
					w = path + w
				}
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
