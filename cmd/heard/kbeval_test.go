package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tinyHelpCenter writes three articles on distinct subjects and four
// labelled questions, the last labelled with the wrong article on
// purpose: recall@1 is 3/4 and, when every question is answered, answer
// precision is 3/4 too.
func tinyHelpCenter(t *testing.T) (dir, queries string) {
	t.Helper()
	dir = t.TempDir()
	articles := map[string]string{
		"refunds.md": "---\nid: refunds\ntitle: Refund a card payment\n---\n\n## Refund a payment\n\nOpen the payment, click Refund and confirm the amount. Refunds reach the card in five days.\n",
		"invite.md":  "---\nid: invite\ntitle: Invite teammates to your workspace\n---\n\n## Invite teammates\n\nGo to Team, click Invite, type each teammate's email address and choose their role.\n",
		"export.md":  "---\nid: export\ntitle: Export timesheets as a spreadsheet\n---\n\n## Export timesheets\n\nOpen Reports, pick the weeks and click Export to download a CSV spreadsheet of every timesheet.\n",
	}
	for name, body := range articles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	queries = filepath.Join(t.TempDir(), "q.csv")
	csv := "query,article_id\nhow do I refund a card payment,refunds\nhow do I invite teammates to the workspace,invite\nexport timesheets to a csv spreadsheet,export\nrefund the card payment please,invite\n"
	if err := os.WriteFile(queries, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, queries
}

// TestKBEvalAnswerKeys runs `heard kb eval --json` on the tiny help center
// at thresholds that answer every question and none, and checks the new
// keys' values by hand.
func TestKBEvalAnswerKeys(t *testing.T) {
	dir, queries := tinyHelpCenter(t)
	type point struct{ Threshold, Precision, Coverage float64 }
	type metrics struct {
		N               int      `json:"n"`
		RecallAt1       float64  `json:"recall_at_1"`
		RecallAt3       *float64 `json:"recall_at_3"`
		AnswerThreshold *float64 `json:"answer_threshold"`
		AnswerPrecision *float64 `json:"answer_precision"`
		AnswerCoverage  *float64 `json:"answer_coverage"`
		Curve           []point  `json:"curve"`
	}
	for _, tc := range []struct {
		threshold      float64
		prec, coverage float64
	}{
		{threshold: 0.001, prec: 0.75, coverage: 1},
		{threshold: 1, prec: 1, coverage: 0},
	} {
		cfg := writeConfig(t, "kb:\n  answer_threshold: "+strconv.FormatFloat(tc.threshold, 'g', -1, 64)+"\n")
		var m metrics
		if err := json.Unmarshal(runOK(t, "kb", "eval", "--dir", dir, "--labels", queries, "--json", "--config", cfg), &m); err != nil {
			t.Fatal(err)
		}
		if m.AnswerThreshold == nil || m.AnswerPrecision == nil || m.AnswerCoverage == nil || m.RecallAt3 == nil || len(m.Curve) != 19 {
			t.Fatalf("threshold %v: missing keys in %+v", tc.threshold, m)
		}
		if m.N != 4 || m.RecallAt1 != 0.75 || *m.RecallAt3 != 0.75 {
			t.Errorf("threshold %v: n %d recall@1 %v recall@3 %v, want 4, 0.75, 0.75", tc.threshold, m.N, m.RecallAt1, *m.RecallAt3)
		}
		if *m.AnswerThreshold != tc.threshold || *m.AnswerPrecision != tc.prec || *m.AnswerCoverage != tc.coverage {
			t.Errorf("threshold %v: answer_threshold %v precision %v coverage %v, want %v %v %v",
				tc.threshold, *m.AnswerThreshold, *m.AnswerPrecision, *m.AnswerCoverage, tc.threshold, tc.prec, tc.coverage)
		}
		if c := m.Curve[0]; c.Threshold != 0.05 || c.Coverage > 1 || m.Curve[18].Threshold != 0.95 {
			t.Errorf("curve ends %+v and %+v, want thresholds 0.05 and 0.95", c, m.Curve[18])
		}
	}
	var out, errOut bytes.Buffer
	bad := writeConfig(t, "kb:\n  answer_threshold: 1.5\n")
	if code := run(t.Context(), []string{"kb", "eval", "--articles", dir, "--queries", queries, "--config", bad}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "kb.answer_threshold 1.5") {
		t.Errorf("answer_threshold 1.5: exit %d, stderr %q: want a kb.answer_threshold error", code, errOut.String())
	}
}
