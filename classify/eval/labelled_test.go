package eval_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/sdk"
)

const fixture = "../testdata/labelled.csv"

// Coverage the fixture promises (classify/testdata/README.md).
const (
	minRows        = 320
	minPerPriority = 40
	minPerPrimary  = 20
)

func loadFixture(t *testing.T) []eval.Example {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	ex, err := eval.ReadCSV(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("reading %s: %v", fixture, err)
	}
	return ex
}

func TestLabelledFixture(t *testing.T) {
	ex := loadFixture(t)
	taxonomy := eval.DefaultTaxonomy()

	prio := map[sdk.Priority]int{}
	primaries := map[string]int{}
	anyTag := map[string]int{}
	var noPrio, noTags int
	for _, e := range ex {
		if e.Priority == sdk.PriorityUnknown {
			noPrio++
		} else {
			prio[e.Priority]++
		}
		if len(e.Tags) == 0 {
			noTags++
			continue
		}
		primaries[e.Tags[0]]++
		for _, tag := range e.Tags {
			anyTag[tag]++
		}
	}
	t.Logf("%d rows; %d without priority, %d without tags", len(ex), noPrio, noTags)
	for _, p := range []sdk.Priority{sdk.P0, sdk.P1, sdk.P2, sdk.P3} {
		t.Logf("priority %s: %d", p, prio[p])
	}
	for _, tag := range taxonomy {
		t.Logf("tag %-16s primary %3d, any position %3d", tag, primaries[tag], anyTag[tag])
	}

	t.Run("size", func(t *testing.T) {
		if len(ex) < minRows {
			t.Errorf("fixture has %d rows; want at least %d", len(ex), minRows)
		}
	})
	t.Run("every priority covered", func(t *testing.T) {
		for _, p := range []sdk.Priority{sdk.P0, sdk.P1, sdk.P2, sdk.P3} {
			if prio[p] < minPerPriority {
				t.Errorf("priority %s has %d rows; want at least %d", p, prio[p], minPerPriority)
			}
		}
	})
	t.Run("every tag covered as primary", func(t *testing.T) {
		for _, tag := range taxonomy {
			if primaries[tag] < minPerPrimary {
				t.Errorf("tag %s is primary on %d rows; want at least %d", tag, primaries[tag], minPerPrimary)
			}
		}
	})
	t.Run("tags from the taxonomy", func(t *testing.T) {
		for _, e := range ex {
			for _, tag := range e.Tags {
				if !slices.Contains(taxonomy, tag) {
					t.Errorf("line %d: tag %q is not in the taxonomy %v", e.Line, tag, taxonomy)
				}
			}
		}
	})
	t.Run("about 5% unlabelled", func(t *testing.T) {
		n := 0
		for _, e := range ex {
			if e.Priority == sdk.PriorityUnknown || len(e.Tags) == 0 {
				n++
			}
		}
		if share := float64(n) / float64(len(ex)); share < 0.03 || share > 0.08 {
			t.Errorf("%d rows (%.1f%%) have an unlabelled field; want 3–8%%", n, 100*share)
		}
	})
	t.Run("security is P0", func(t *testing.T) {
		// docs/policy.md, "Routing and escalation": security is always P0.
		for _, e := range ex {
			if len(e.Tags) > 0 && e.Tags[0] == "security" && e.Priority != sdk.P0 && e.Priority != sdk.PriorityUnknown {
				t.Errorf("line %d: primary tag security with priority %s; want P0", e.Line, e.Priority)
			}
		}
	})
	t.Run("unique subjects", func(t *testing.T) {
		seen := map[string]int{}
		for _, e := range ex {
			if l, ok := seen[strings.ToLower(e.Subject)]; ok && e.Subject != "" {
				t.Errorf("line %d repeats the subject of line %d: %q", e.Line, l, e.Subject)
			}
			seen[strings.ToLower(e.Subject)] = e.Line
		}
	})
}

// TestLabelledFixtureChurnSignals checks that every churn and escalation
// signal of docs/policy.md (routing, churn) occurs in the text, in more than one wording.
func TestLabelledFixtureChurnSignals(t *testing.T) {
	ex := loadFixture(t)
	signals := []struct {
		name     string
		keywords []string
	}{
		{"cancel", []string{"cancel", "kündig", "résili", "cancelar", "close our account", "not renewing"}},
		{"competitor named", []string{"asana", "monday.com", "clickup", "harvest", "freshbooks", "teamwork", "wrike", "productive"}},
		{"downgrade", []string{"downgrade", "herabstuf", "move us down", "reduce our subscription"}},
		{"legal threat", []string{"lawyer", "counsel", "avocat", "acciones legales", "legal action"}},
		{"security incident", []string{"breach", "incident de sécurité", "unauthorized access", "acceso no autorizado", "compromised"}},
		{"outage", []string{"site down", "outage", "503", "502", "nicht erreichbar", "caída", "service unavailable"}},
		{"repeat issue", []string{"again", "still broken", "schon wieder", "third time", "not solved", "zum dritten mal"}},
	}
	for _, s := range signals {
		t.Run(s.name, func(t *testing.T) {
			n := 0
			for _, e := range ex {
				text := strings.ToLower(e.Subject + "\n" + e.Body)
				if slices.ContainsFunc(s.keywords, func(k string) bool { return strings.Contains(text, k) }) {
					n++
				}
			}
			if n < 2 {
				t.Errorf("signal %q occurs on %d rows; want at least 2", s.name, n)
			}
		})
	}
	t.Run("refund amounts over and under $500", func(t *testing.T) {
		var over, under int
		for _, e := range ex {
			text := strings.ToLower(e.Subject + "\n" + e.Body)
			if !slices.ContainsFunc([]string{"refund", "rembours", "reembols", "devol", "erstatt", "money back"},
				func(k string) bool { return strings.Contains(text, k) }) {
				continue
			}
			for _, a := range amounts(e.Body) {
				if a > 500 {
					over++
				} else {
					under++
				}
			}
		}
		if over < 2 || under < 2 {
			t.Errorf("refund rows carry %d amounts over 500 and %d at most 500; want at least 2 of each", over, under)
		}
	})
}

var amountRE = regexp.MustCompile(`[$€£]\s?(\d[\d,.]*)|(\d[\d.,\x{a0} ]*\d|\d)\s?€`)

// amounts finds money amounts such as "$1,450", "€96" or "2 376 €".
func amounts(s string) []float64 {
	var out []float64
	for _, m := range amountRE.FindAllStringSubmatch(s, -1) {
		raw := m[1] + m[2]
		raw = strings.TrimRight(raw, ".,")
		// Drop a two-digit decimal part, then every separator.
		if i := strings.LastIndexAny(raw, ".,"); i >= 0 && len(raw)-i-1 == 2 {
			raw = raw[:i]
		}
		raw = strings.NewReplacer(",", "", ".", "", " ", "", "\u00a0", "").Replace(raw)
		if v, err := strconv.ParseFloat(raw, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// TestLabelledFixtureBaseline runs a trivial classifier (always P2 and
// how-to) over the fixture and checks Run's scores against what the class
// counts imply.
func TestLabelledFixtureBaseline(t *testing.T) {
	ex := loadFixture(t)
	baseline := sdk.ClassifierFunc(func(_ context.Context, _ *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{
			{Field: sdk.FieldPriority, Value: string(sdk.P2), Confidence: 1},
			{Field: sdk.FieldPrimaryTag, Value: "how-to", Confidence: 1},
		}}, nil
	})
	r, err := eval.Run(t.Context(), baseline, ex, eval.Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	var labelledPrio, p2, labelledTags, howToPrimary, howToAny int
	goldPrio := map[sdk.Priority]int{}
	goldTags := map[string]bool{"how-to": true}
	for _, e := range ex {
		if e.Priority != sdk.PriorityUnknown {
			labelledPrio++
			goldPrio[e.Priority]++
			if e.Priority == sdk.P2 {
				p2++
			}
		}
		if len(e.Tags) > 0 {
			labelledTags++
			if e.Tags[0] == "how-to" {
				howToPrimary++
			}
			if slices.Contains(e.Tags, "how-to") {
				howToAny++
			}
			for _, tag := range e.Tags {
				goldTags[tag] = true
			}
		}
	}
	// Only P2 and how-to are ever predicted: every other class has F1 0.
	// P2: tp = p2, fp = labelledPrio - p2, fn = 0. how-to likewise.
	f1P2 := 2 * float64(p2) / float64(2*p2+labelledPrio-p2)
	f1HowTo := 2 * float64(howToAny) / float64(2*howToAny+labelledTags-howToAny)
	want := map[string][2]float64{
		"n":                    {float64(r.N), float64(len(ex))},
		"priority_accuracy":    {r.PriorityAccuracy, float64(p2) / float64(labelledPrio)},
		"priority_macro_f1":    {r.PriorityMacroF1, f1P2 / float64(len(goldPrio))},
		"primary_tag_accuracy": {r.PrimaryTagAccuracy, float64(howToPrimary) / float64(labelledTags)},
		"tag_macro_f1":         {r.TagMacroF1, f1HowTo / float64(len(goldTags))},
	}
	for name, gw := range want {
		t.Run(name, func(t *testing.T) {
			if math.Abs(gw[0]-gw[1]) > eps {
				t.Errorf("%s = %.6f; want %.6f", name, gw[0], gw[1])
			}
		})
	}
	t.Run("confusion", func(t *testing.T) {
		for g, n := range goldPrio {
			if got := r.Confusion[string(g)]["P2"]; got != n {
				t.Errorf("confusion[%s][P2] = %d; want %d", g, got, n)
			}
		}
	})
	t.Run("speed measured", func(t *testing.T) {
		if r.TicketsPerSecond <= 0 || r.P99Ms < r.P50Ms {
			t.Errorf("tickets_per_second %.1f, p50 %.4f ms, p99 %.4f ms; want a positive rate and p50 <= p99",
				r.TicketsPerSecond, r.P50Ms, r.P99Ms)
		}
	})
	t.Logf("baseline (always P2, how-to): priority accuracy %.3f, macro-F1 %.3f; primary-tag accuracy %.3f, tag macro-F1 %.3f",
		r.PriorityAccuracy, r.PriorityMacroF1, r.PrimaryTagAccuracy, r.TagMacroF1)
}
