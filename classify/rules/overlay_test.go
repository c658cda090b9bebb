package rules

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// decodeConfig decodes a classify.rules section the way heard's config
// loader does: strictly, errors naming the key and line.
func decodeConfig(t *testing.T, src string) (Config, error) {
	t.Helper()
	var doc struct {
		Rules config.Section `yaml:"rules"`
	}
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("test YAML: %v", err)
	}
	var c Config
	err := doc.Rules.Decode(ID, &c)
	return c, err
}

func mustClassifier(t *testing.T, src string) *Classifier {
	t.Helper()
	cfg, err := decodeConfig(t, src)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCompetitorOverlay(t *testing.T) {
	const body = "We have decided to cancel at the end of the month and move to Harvest, which finance prefers."
	if got := run(t, newDefault(t), ticket("Cancelling", body)).value(sdk.FieldSignalCompetitor); got != "" {
		t.Fatalf("built-in competitors found %q; the test needs Harvest unknown by default", got)
	}
	added := mustClassifier(t, "rules:\n  competitors:\n    names:\n      - Harvest\n      - {name: Toggl Track, phrases: [toggl]}\n")
	if got := run(t, added, ticket("Cancelling", body)).value(sdk.FieldSignalCompetitor); got != "Harvest" {
		t.Errorf("with Harvest added: competitor %q; want Harvest", got)
	}
	if got := run(t, added, ticket("Switching", "We are switching to Toggl next week.")).value(sdk.FieldSignalCompetitor); got != "Toggl Track" {
		t.Errorf("with Toggl Track added: competitor %q; want Toggl Track", got)
	}
	// Added, the built-in names stay; replaced, they are gone.
	const zd = "We are moving to Zendesk next month."
	if got := run(t, added, ticket("Moving", zd)).value(sdk.FieldSignalCompetitor); got != "Zendesk" {
		t.Errorf("added overlay: competitor %q; want the built-in Zendesk kept", got)
	}
	replaced := mustClassifier(t, "rules:\n  competitors: {replace: true, names: [Harvest]}\n")
	if got := run(t, replaced, ticket("Moving", zd)).value(sdk.FieldSignalCompetitor); got != "" {
		t.Errorf("replaced overlay: competitor %q; want none (Zendesk is no longer a competitor)", got)
	}
	if got := run(t, replaced, ticket("Cancelling", body)).value(sdk.FieldSignalCompetitor); got != "Harvest" {
		t.Errorf("replaced overlay: competitor %q; want Harvest", got)
	}
}

func TestChurnPhraseOverlay(t *testing.T) {
	tk := ticket("Next year", "Our board wants to sunset the Crewbook rollout after this quarter.")
	if r := run(t, newDefault(t), tk); r.has(sdk.FieldSignalCancel) {
		t.Fatalf("built-in patterns already see a cancellation:\n%v", r)
	}
	c := mustClassifier(t, "rules:\n  churn_phrases: [sunset the crewbook rollout]\n")
	r := run(t, c, tk)
	if r.value(sdk.FieldSignalCancel) != "true" || !strings.Contains(r[sdk.FieldSignalCancel][0].Reason, "the team's churn phrase") {
		t.Errorf("with the churn phrase: want the cancel signal from the team's phrase:\n%v", r)
	}
	if !strings.Contains(strings.Join(r.tags(), ","), "churn-risk") {
		t.Errorf("tags %v; want churn-risk", r.tags())
	}
}

func TestPriorityPhraseOverlay(t *testing.T) {
	tk := ticket("Payroll export", "The payroll export is empty for March, our accountant is waiting.")
	if got := run(t, newDefault(t), tk).value(sdk.FieldPriority); got == "P1" {
		t.Fatalf("built-in patterns already give P1")
	}
	c := mustClassifier(t, "rules:\n  priority_phrases:\n    p1: [payroll export is empty]\n")
	r := run(t, c, tk)
	if r.value(sdk.FieldPriority) != "P1" || !strings.Contains(r[sdk.FieldPriority][0].Reason, "the team's P1 phrase") {
		t.Errorf("with the P1 phrase: want P1 from the team's phrase:\n%v", r)
	}
}

func TestOverlayErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"bad priority", "rules:\n  priority_phrases:\n    P1: [ok phrase]\n    P7: [payroll]\n", `line 4: classify.rules: priority_phrases: key "P7": want P0, P1, P2 or P3`},
		{"pattern operators in a phrase", "rules:\n  churn_phrases:\n    - fine words\n    - leave|quit\n", `line 4: classify.rules: churn_phrases: phrase "leave|quit": want literal words`},
		{"empty phrase", "rules:\n  churn_phrases: [\"  \"]\n", `line 2: classify.rules: churn_phrases: phrase "  ": want words`},
		{"unknown key in a competitor", "rules:\n  competitors:\n    names:\n      - {name: Harvest, phrase: [harvest]}\n", `line 4: classify.rules: unknown key "phrase" (did you mean "phrases"?)`},
		{"competitor without a name", "rules:\n  competitors:\n    names:\n      - Harvest\n      - {phrases: [x]}\n", "line 5: classify.rules: competitors: competitor: want a non-empty name"},
		{"unknown overlay key", "rules:\n  churn_phrase: [x]\n", `line 2: classify.rules: unknown key "churn_phrase" (did you mean "churn_phrases"?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeConfig(t, tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
}
