package draft

import "testing"

// An article that does not answer the question is listed as one that
// "may help" when it is confidently relevant or strongly matched, and
// shares a key term of its title with the customer's message; never
// otherwise.
func TestRelevantArticlesMayHelp(t *testing.T) {
	text := "How do I invite my five colleagues to one project? It is for our account."
	as := []Article{
		{Title: "Set up your workspace", URL: "https://h/setup", Answer: 0.95, Score: 0.8},               // answers
		{Title: "Invite teammates and assign roles", URL: "https://h/invite", Answer: 0.07, Score: 0.83}, // relevant runner-up
		{Title: "Use project templates", URL: "https://h/templates", Answer: 0.46, Score: 0.37},          // half the threshold, "project"
		{Title: "Fill in your weekly timesheet", URL: "https://h/timesheet", Answer: 0.5, Score: 0.7},    // no shared term
		{Title: "Invite clients to the portal", URL: "https://h/portal", Answer: 0.1, Score: 0.4},        // shared term, weak
	}
	relevant, answers := relevantArticles(as, 0.88, text)
	var got []string
	for _, a := range relevant {
		got = append(got, a.URL)
	}
	want := []string{"https://h/setup", "https://h/invite", "https://h/templates"}
	if len(got) != len(want) {
		t.Fatalf("relevant = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("relevant = %v, want %v", got, want)
		}
	}
	if len(answers) != 1 || answers[0].URL != "https://h/setup" {
		t.Errorf("answers = %v, want only the setup article", answers)
	}
}
