package enrich

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich/credits"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/sdk"
)

// fakeCredits counts like the store: each ticket key once, positions per
// bucket.
type fakeCredits struct {
	mu      sync.Mutex
	used    map[string]int
	tickets map[string]int
	buckets []string
}

func (f *fakeCredits) CountTicket(_ context.Context, account, plan, period, key string) (int, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n, ok := f.tickets[key]; ok {
		return n, false, nil
	}
	b := account + "|" + plan + "|" + period
	f.buckets = append(f.buckets, b)
	f.used[b]++
	f.tickets[key] = f.used[b]
	return f.used[b], true, nil
}

// TestDecideCredits runs new tickets of an account on a 2-a-week plan
// through the decide stage: the credit line is in the note and the
// gated field, the third ticket is tagged chargeable, a redelivery
// reports the first count, a customer message counts nothing, and shadow
// mode writes nothing.
func TestDecideCredits(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Plans.Plans[1].Credit = "2/week" // business
	cfg.Gate.TagPrefix = "heard-"
	fc := &fakeCredits{used: map[string]int{}, tickets: map[string]int{}}
	tr, err := New(cfg, Deps{Credits: fc})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	preds := []sdk.Prediction{p(sdk.FieldPrimaryTag, "billing", 0.9), p(sdk.FieldPriority, "P2", 0.9)}
	decide := func(id string, kind sdk.EventKind, mode config.Mode) (*Explanation, sdk.Changes) {
		tk := ticket("business", "100")
		tk.Ref.ID, tk.Organization.ID = id, "org-5"
		res, err := tr.Decide(t.Context(), &pipeline.DecideRequest{Ticket: tk, Predictions: preds, Mode: mode, Kind: kind})
		if err != nil {
			t.Fatalf("Decide(%s): %v", id, err)
		}
		return res.Explanation, res.Changes
	}
	cases := []struct {
		id         string
		kind       sdk.EventKind
		mode       config.Mode
		line       string // "" for no credit line
		chargeable bool
	}{
		{"1", sdk.EventTicketCreated, config.ModeLive, "1 used, 1 remaining (business, 2026-W48)", false},
		{"2", sdk.EventTicketCreated, config.ModeLive, "2 used, 0 remaining (business, 2026-W48)", false},
		{"3", sdk.EventTicketCreated, config.ModeLive, "3 used, 0 remaining (business, 2026-W48) — beyond 2 a week: chargeable", true},
		{"3", sdk.EventTicketCreated, config.ModeLive, "3 used, 0 remaining (business, 2026-W48) — beyond 2 a week: chargeable", true},
		{"9", sdk.EventMessageCreated, config.ModeLive, "", false},
		{"4", sdk.EventTicketCreated, config.ModeShadow, "4 used, 0 remaining (business, 2026-W48) — beyond 2 a week: chargeable", false},
	}
	for i, tc := range cases {
		d, ch := decide(tc.id, tc.kind, tc.mode)
		if d.Plan == nil || d.Plan.Plan != "business" {
			t.Errorf("case %d: plan = %+v; want business", i, d.Plan)
		}
		if tc.line == "" {
			if d.Credits != nil || strings.Contains(d.Note, "Credits:") || ch.Fields["credits"] != "" {
				t.Errorf("case %d (%s): counted: %+v, note %q, fields %v; want no count", i, tc.kind, d.Credits, d.Note, ch.Fields)
			}
			continue
		}
		if !strings.HasSuffix(d.Note, "\n\nCredits: "+tc.line) {
			t.Errorf("case %d: note ends %q; want the line %q", i, d.Note[max(0, len(d.Note)-120):], tc.line)
		}
		wantField := tc.line
		if !tc.mode.Live() {
			wantField = ""
		}
		if got := ch.Fields["credits"]; got != wantField {
			t.Errorf("case %d: credits field = %q; want %q", i, got, wantField)
		}
		if got := slices.Contains(ch.AddTags, "heard-chargeable"); got != tc.chargeable {
			t.Errorf("case %d: tags %v; chargeable = %v, want %v", i, ch.AddTags, got, tc.chargeable)
		}
		if !slices.Contains(ch.AddTags, "heard-billing") && tc.mode.Live() {
			t.Errorf("case %d: tags %v lost the primary tag", i, ch.AddTags)
		}
	}
	if want := []string{"acme/org:org-5|business|2026-W48"}; len(slices.Compact(fc.buckets)) != 1 || fc.buckets[0] != want[0] {
		t.Errorf("buckets = %v; want only %v", fc.buckets, want)
	}
}

// TestDecideCreditsGates: the credit field and the chargeable tag pass
// their gates; with them disabled, both are recorded and not written.
func TestDecideCreditsGates(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Plans.Plans[5].Credit = "1/year" // free
	cfg.Gate.Fields["credits"] = gate.FieldGate{Enabled: false}
	cfg.Gate.Fields[gate.GateTags] = gate.FieldGate{Enabled: false}
	fc := &fakeCredits{used: map[string]int{}, tickets: map[string]int{}}
	tr, err := New(cfg, Deps{Credits: fc})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2"} {
		tk := ticket("free", "")
		tk.Ref.ID = id
		res, err := tr.Decide(t.Context(), &pipeline.DecideRequest{Ticket: tk, Mode: config.ModeLive, Kind: sdk.EventTicketCreated})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changes.Fields) != 0 || len(res.Changes.AddTags) != 0 {
			t.Errorf("ticket %s: changes %+v; want no field or tag through disabled gates", id, res.Changes)
		}
		var reasons []string
		for _, g := range res.Explanation.Gate {
			if g.Field == "credits" || g.Field == gate.FieldPolicyTag {
				reasons = append(reasons, g.Field+"="+g.Reason)
			}
		}
		want := []string{"credits=disabled"}
		if id == "2" {
			want = append(want, gate.FieldPolicyTag+"=disabled")
		}
		if !slices.Equal(reasons, want) {
			t.Errorf("ticket %s: gate decisions %v; want %v", id, reasons, want)
		}
	}
}

// TestPlanSetsSLATier: the SLA tier is the selected plan's, so an account
// holding several plans gets the SLA of the plan for the ticket's product.
func TestPlanSetsSLATier(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Plans.Plans = append(cfg.Plans.Plans, credits.Plan{Name: "api-gold", SLA: "enterprise", Credit: "unlimited", Products: []string{"api"}})
	tr, err := New(cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	for _, tc := range []struct {
		product string
		mult    float64
	}{{"api", 0.5}, {"web", 2.0}} {
		tk := ticket("starter, api-gold", "")
		tk.Fields = map[string]string{"product": tc.product}
		d, _ := tr.decide(t.Context(), tk, nil, []sdk.Prediction{p(sdk.FieldPriority, "P2", 0.9)}, config.ModeShadow)
		if d.SLA == nil || d.SLA.Multiplier != tc.mult || d.SLA.UnknownPlan {
			t.Errorf("product %s: SLA %+v; want multiplier %v", tc.product, d.SLA, tc.mult)
		}
	}
}

// TestSupportPlansDecoding: triage.support_plans is decoded strictly, with
// the key and line of a typo, and a list of plans replaces the defaults.
func TestSupportPlansDecoding(t *testing.T) {
	cases := []struct {
		name, yaml, want string // want "" for no error
	}{
		{"plan key typo", "triage:\n  support_plans:\n    plans:\n      - name: gold\n        credit: 5/month\n        prodcts: [api]\n", `:6: triage: unknown key "prodcts" (did you mean "products"?)`},
		{"section key typo", "triage:\n  support_plans:\n    chargable_tag: x\n", `:3: triage: unknown key "chargable_tag"`},
		{"bad credit", "triage:\n  support_plans:\n    plans: [{name: gold, credit: lots}]\n", `support_plans: checking support plans: plans[0] "gold": credit "lots"`},
		{"valid", "triage:\n  support_plans:\n    time_zone: Europe/Berlin\n    plans:\n      - {name: gold, sla: enterprise, credit: 5/month, products: [api]}\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "heard.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			tc2 := DefaultConfig()
			err = cfg.Triage.Decode("triage", &tc2)
			if err == nil {
				_, err = New(tc2, Deps{})
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Decode/New: %v", err)
				}
				if len(tc2.Plans.Plans) != 1 || tc2.Plans.Plans[0].Products[0] != "api" || tc2.Plans.TimeZone != "Europe/Berlin" {
					t.Errorf("plans = %+v; want only gold for api", tc2.Plans)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v; want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestCreditLineSurvivesTruncation: a note cut to note_max_bytes keeps the
// credit line whole at its end.
func TestCreditLineSurvivesTruncation(t *testing.T) {
	cfg := DefaultConfig()
	cfg.NoteMaxBytes = 200
	fc := &fakeCredits{used: map[string]int{}, tickets: map[string]int{}}
	tr, err := New(cfg, Deps{Credits: fc})
	if err != nil {
		t.Fatal(err)
	}
	tr.now = func() time.Time { return monday10 }
	res, err := tr.Decide(t.Context(), &pipeline.DecideRequest{Ticket: ticket("enterprise", "5000"), Mode: config.ModeLive, Kind: sdk.EventTicketCreated,
		Predictions: []sdk.Prediction{p(sdk.FieldPrimaryTag, "billing", 0.9), p(sdk.FieldSignalCancel, "true", 0.9)}})
	if err != nil {
		t.Fatal(err)
	}
	note := res.Explanation.Note
	want := "…\n\nCredits: 1 used, unlimited (enterprise, 2026-11)"
	if len(note) > 200 || !strings.HasSuffix(note, want) {
		t.Errorf("note (%d bytes) = %q; want at most 200 bytes ending %q", len(note), note, want)
	}
}
