package draft

import (
	"strconv"
	"strings"
	"testing"
)

func TestNoteSection(t *testing.T) {
	good := mustDraft(t, newTemplate(t, TemplateConfig{}), scenarios()[0].req)
	weak := good
	weak.Text = "Hello,\n\nWe got your message."
	weak.Rubric = Score(weak.Text, scenarios()[0].req)
	refused := AutoReply(scenarios()[0].req, good, 0.99, AutoReplyConfig{})
	allowed := AutoReplyDecision{Allowed: true, Case: CaseFAQ, Reason: "auto-reply allowed: faq", Text: good.Text + "\n\nA member of our team will help if this does not solve it."}
	faulty := good
	faulty.Text = strings.Replace(good.Text, "Tip:", "Unexpected charges are stressful. Tip:", 1)
	faulty.Rubric = Score(faulty.Text, scenarios()[0].req)
	sent := allowed
	sent.Sent = true
	cases := []struct {
		name    string
		d       Draft
		ar      *AutoReplyDecision
		want    []string
		wantNot []string
	}{
		{name: "passing draft", d: good, want: []string{
			"Suggested reply · HEARD 10/10 ✓ · first reply to a bug report · template · en, casual",
			"Rubric\npersonalization 2/2: uses the customer's name \"Anna\"",
			"\nproactivity 2/2: offers a tip",
			"Draft: template bug-report (tag bug)",
			"----- reply -----\nHi Anna,", "Support team\n----- end of reply -----",
		}, wantNot: []string{"BELOW", "Auto-reply"}},
		{name: "draft below 8 is marked", d: weak, want: []string{
			"HEARD " + strconv.Itoa(weak.Rubric.Total) + "/10 — BELOW 8/10: review and edit before sending",
			"----- reply -----\nHello,\n\nWe got your message.\n----- end of reply -----",
		}, wantNot: []string{"✓"}},
		{name: "a fault is shown", d: faulty, want: []string{
			"WRONG (empathy-fit, −3): talks about a charge",
			"BELOW 8/10",
		}, wantNot: []string{"✓"}},
		{name: "auto-reply decision", d: good, ar: &refused, want: []string{"Auto-reply: no auto-reply: auto-reply is disabled", "----- reply -----\nHi Anna,"}},
		{name: "auto-reply allowed in shadow mode", d: good, ar: &allowed,
			want:    []string{"Auto-reply: not sent (shadow mode). auto-reply allowed: faq", "----- reply -----\nHi Anna,"},
			wantNot: []string{"SENT", "member of our team will help"}},
		{name: "auto-reply sent", d: good, ar: &sent,
			want:    []string{"Auto-reply: SENT to the customer. auto-reply allowed: faq", "----- reply sent -----\nHi Anna,", "member of our team will help if this does not solve it.\n----- end of reply -----"},
			wantNot: []string{"----- reply -----", "shadow"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NoteSection(tc.d, tc.ar)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("note lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("note has %q:\n%s", w, got)
				}
			}
		})
	}
	if weak.Rubric.Pass {
		t.Fatalf("the weak draft passes (%s); the test needs one that fails", weak.Rubric)
	}
}
