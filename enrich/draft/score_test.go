package draft

import (
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

func criterion(r Rubric, name string) Criterion {
	for _, c := range r.Criteria {
		if c.Name == name {
			return c
		}
	}
	return Criterion{Name: name, Score: -1, Reason: "missing"}
}

// TestScoreEachCriterionCanFail crafts drafts that lose one criterion each
// (and some that lose it partly) and checks the score and the reason.
func TestScoreEachCriterionCanFail(t *testing.T) {
	all := scenarios()
	bug := all[0].req      // Anna, casual, negative, asks about a workaround
	howto := all[1].req    // David, formal, two questions
	outreach := all[5].req // Fay, usage and login signals
	webhook := Request{
		Ticket:     ticket("Ravi Rao", "Webhook payload missing fields", "Hi, the webhook payload has no project_id since yesterday. Why?", nil),
		PrimaryTag: "integration", Now: testNow,
	}
	const signoff = "\n\nBest wishes,\nSupport team"
	cases := []struct {
		name       string
		req        Request
		draft      string
		criterion  string
		wantScore  int
		wantReason []string
	}{
		// personalization
		{name: "personalization: no name, no specifics", req: bug, criterion: CriterionPersonalization, wantScore: 0,
			draft:      "Hello,\n\nSorry for the trouble. We are looking into it." + signoff,
			wantReason: []string{`does not use the customer's name "Anna"`, "mentions none of their specifics", "“Chrome 121”"}},
		{name: "personalization: name but no specifics", req: bug, criterion: CriterionPersonalization, wantScore: 1,
			draft:      "Hi Anna,\n\nSorry for the trouble. We are looking into it." + signoff,
			wantReason: []string{`uses the customer's name "Anna"`, "mentions none of their specifics"}},
		{name: "personalization: specifics but no name", req: bug, criterion: CriterionPersonalization, wantScore: 1,
			draft:      "Hello,\n\nSorry about error 502 in Chrome 121." + signoff,
			wantReason: []string{`does not use the customer's name "Anna"`, "mentions their specifics “error 502”, “Chrome 121” (2 of 4)"}},
		{name: "personalization: subject not restated", req: howto, criterion: CriterionPersonalization, wantScore: 1,
			draft:      "Dear David,\n\nThank you for writing to us." + signoff,
			wantReason: []string{"does not restate the subject"}},
		{name: "personalization: outreach without the signal", req: outreach, criterion: CriterionPersonalization, wantScore: 1,
			draft:      "Hi Fay,\n\nJust checking in to see how things are." + signoff,
			wantReason: []string{"does not name the signal noticed"}},

		// completeness
		{name: "completeness: question ignored, no next step", req: bug, criterion: CriterionCompleteness, wantScore: 0,
			draft:      "Hi Anna,\n\nSorry about error 502 in Chrome 121." + signoff,
			wantReason: []string{"0 of 1 questions addressed", "question “Is there a workaround until it's fixed?” not addressed", "“workaround”", "no next step"}},
		{name: "completeness: question answered, no next step", req: bug, criterion: CriterionCompleteness, wantScore: 1,
			draft:      "Hi Anna,\n\nThere is a workaround until it's fixed: export smaller date ranges." + signoff,
			wantReason: []string{"1 of 1 questions addressed", "no next step"}},
		{name: "completeness: next step, one of two questions", req: howto, criterion: CriterionCompleteness, wantScore: 1,
			draft:      "Dear David,\n\nTo invite a colleague to a shared project:\n1. Open the project.\n2. Select Share." + signoff,
			wantReason: []string{"1 of 2 questions addressed", "question “Could you also tell me whether invited colleagues can see our invoices?” not addressed (its own terms “invoices” are missing)", "next step: numbered steps"}},

		// clarity
		{name: "clarity: long sentence and jargon", req: bug, criterion: CriterionClarity, wantScore: 0,
			draft:      "Hi Anna,\n\nOur backend team has identified a regression in the export service that was introduced by the last deployment, and they are preparing a hotfix that should roll out together with a cache invalidation step once the pipeline has finished its checks later today." + signoff,
			wantReason: []string{"-word sentence", "jargon the customer did not use", "“backend”", "“regression”", "“hotfix”"}},
		{name: "clarity: instructions not numbered", req: bug, criterion: CriterionClarity, wantScore: 1,
			draft:      "Hi Anna,\n\nOpen the report. Select a date range. Click Export." + signoff,
			wantReason: []string{"3 instructions not in numbered steps"}},
		{name: "clarity: wall of text", req: bug, criterion: CriterionClarity, wantScore: 1,
			draft:      "Hi Anna,\n\n" + strings.Repeat("We are sorry about the export problem today. ", 12) + signoff,
			wantReason: []string{"-word paragraph (wall of text)"}},
		{name: "clarity: unfilled placeholder", req: bug, criterion: CriterionClarity, wantScore: 1,
			draft:      "Hi [NAME],\n\nWe are on it." + signoff,
			wantReason: []string{"an unfilled placeholder"}},
		{name: "clarity: the customer's own terms are not jargon", req: webhook, criterion: CriterionClarity, wantScore: 2,
			draft:      "Hi Ravi,\n\nThe webhook payload should carry project_id. We are checking why it is missing." + signoff,
			wantReason: []string{"no jargon"}},

		// tone
		{name: "tone: casual and shouting at a formal customer", req: howto, criterion: CriterionTone, wantScore: 0,
			draft:      "Hey David!!\n\nCheers for the question, here's the trick!" + signoff,
			wantReason: []string{"the customer writes formally (“Dear”, “Kind regards”) but the draft is casual (“Hey”, “Cheers”)", "3 exclamation marks"}},
		{name: "tone: formal reply to a casual customer", req: all[2].req, criterion: CriterionTone, wantScore: 1,
			draft:      "Dear Carla,\n\nThank you for your suggestion about Google Sheets.\n\nKind regards,\nSupport team",
			wantReason: []string{"the customer writes casually", "but the draft is formal (“Dear”, “Kind regards”)"}},
		{name: "tone: blame", req: howto, criterion: CriterionTone, wantScore: 1,
			draft:      "Dear David,\n\nAs I said before, you should have read the guide.\n\nKind regards,\nSupport team",
			wantReason: []string{"blame: “you should have”, “as i said”"}},
		{name: "tone: no empathy for a negative customer", req: bug, criterion: CriterionTone, wantScore: 1,
			draft:      "Hi Anna,\n\nThe export fails with error 502. We are checking it." + signoff,
			wantReason: []string{"no empathy phrase for a negative customer"}},

		// proactivity
		{name: "proactivity: nothing extra", req: bug, criterion: CriterionProactivity, wantScore: 0,
			draft:      "Hi Anna,\n\nSorry, we are checking the export." + signoff,
			wantReason: []string{"nothing beyond the direct answer"}},
		{name: "proactivity: a tip only", req: bug, criterion: CriterionProactivity, wantScore: 1,
			draft:      "Hi Anna,\n\nSorry, we are checking the export.\n\nTip: smaller date ranges export faster." + signoff,
			wantReason: []string{"offers a tip", "no article link or update time"}},
		{name: "proactivity: an invented link does not count", req: bug, criterion: CriterionProactivity, wantScore: 1,
			draft:      "Hi Anna,\n\nSee https://example.com/made-up. You'll hear from us by 18:00 UTC today." + signoff,
			wantReason: []string{"an update time", "no tip or article link"}},
		{name: "proactivity: tip and article", req: bug, criterion: CriterionProactivity, wantScore: 2,
			draft:      "Hi Anna,\n\nTip: Exporting large reports — " + helpBase + "exporting-large-reports" + signoff,
			wantReason: []string{"offers a tip, an article link (" + helpBase + "exporting-large-reports)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(tc.draft, tc.req)
			c := criterion(r, tc.criterion)
			if c.Score != tc.wantScore {
				t.Errorf("%s = %d (%s); want %d", tc.criterion, c.Score, c.Reason, tc.wantScore)
			}
			for _, w := range tc.wantReason {
				if !strings.Contains(c.Reason, w) {
					t.Errorf("%s reason %q lacks %q", tc.criterion, c.Reason, w)
				}
			}
		})
	}
}

func TestScoreTotalsAndPass(t *testing.T) {
	req := scenarios()[0].req
	good := mustDraft(t, newTemplate(t, TemplateConfig{}), req)
	bad := "Hello,\n\nWe got your message."
	cases := []struct {
		name      string
		draft     string
		wantPass  bool
		wantAtMin int
		wantAtMax int
	}{
		{name: "template draft", draft: good.Text, wantPass: true, wantAtMin: 10, wantAtMax: 10},
		{name: "one-liner", draft: bad, wantPass: false, wantAtMin: 0, wantAtMax: 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(tc.draft, req)
			sum := 0
			names := []string{}
			for _, c := range r.Criteria {
				if c.Score < 0 || c.Score > 2 {
					t.Errorf("%s score %d outside 0..2", c.Name, c.Score)
				}
				if c.Reason == "" {
					t.Errorf("%s has no reason", c.Name)
				}
				sum += c.Score
				names = append(names, c.Name)
			}
			if got, want := strings.Join(names, ","), "personalization,completeness,clarity,tone,proactivity"; got != want {
				t.Errorf("criteria %s; want %s", got, want)
			}
			if want := max(0, sum-FaultPenalty*len(r.Faults)); r.Total != want || r.Pass != (want >= PassMark && len(r.Faults) == 0) || r.Pass != tc.wantPass {
				t.Errorf("total %d pass %v; criteria sum %d, %d faults; want pass %v", r.Total, r.Pass, sum, len(r.Faults), tc.wantPass)
			}
			if r.Total < tc.wantAtMin || r.Total > tc.wantAtMax {
				t.Errorf("total %d; want %d..%d:%s", r.Total, tc.wantAtMin, tc.wantAtMax, rubricDetail(r))
			}
		})
	}
	if got := (Rubric{Total: 6}).String(); got != "6/10 (below 8)" {
		t.Errorf("String() = %q", got)
	}
	if got := (Rubric{Total: 9, Pass: true}).String(); got != "9/10 (pass)" {
		t.Errorf("String() = %q", got)
	}
}

func TestScoreUnknownNameNotPenalised(t *testing.T) {
	req := scenarios()[0].req
	tk := *req.Ticket
	tk.Requester.Name = ""
	req.Ticket = &tk
	c := criterion(Score("Hi there,\n\nSorry about error 502.", req), CriterionPersonalization)
	if c.Score != 2 || !strings.Contains(c.Reason, "customer name unknown") {
		t.Errorf("personalization = %d (%s); want 2 with the name unknown", c.Score, c.Reason)
	}
}

func TestScoreEmpathyOnlyWhenNegative(t *testing.T) {
	req := scenarios()[0].req
	draft := "Hi Anna,\n\nThe export fails with error 502. We are checking it."
	for _, tc := range []struct {
		sentiment string
		want      int
	}{{sdk.SentimentNeutral, 2}, {sdk.SentimentPositive, 2}, {sdk.SentimentNegative, 1}, {sdk.SentimentAngry, 1}} {
		t.Run(tc.sentiment, func(t *testing.T) {
			r := req
			r.Sentiment = tc.sentiment
			r.Situation = SituationBug // keep the same shape for angry
			if got := criterion(Score(draft, r), CriterionTone); got.Score != tc.want {
				t.Errorf("tone = %d (%s); want %d", got.Score, got.Reason, tc.want)
			}
		})
	}
}
