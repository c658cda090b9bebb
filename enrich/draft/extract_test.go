package draft

import (
	"slices"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

func TestExtractSpecifics(t *testing.T) {
	cases := []struct {
		name     string
		subject  string
		msg      string
		products []string
		want     []specific
	}{
		{
			name: "error message, code and browser with version",
			msg:  `Chrome 121 shows "Export failed: gateway timeout" and then error 502.`,
			want: []specific{{kindError, "Export failed: gateway timeout"}, {kindError, "error 502"}, {kindProduct, "Chrome 121"}},
		},
		{
			name: "amount, invoice and date",
			msg:  "We were charged $49.00 twice on 1 March for invoice INV-2041.",
			want: []specific{{kindAmount, "$49.00"}, {kindID, "invoice INV-2041"}, {kindDate, "1 March"}},
		},
		{
			name: "german amount, invoice and date",
			msg:  "Am 1. März wurden 49,00 € für die Rechnung RE-2041 abgebucht.",
			want: []specific{{kindAmount, "49,00 €"}, {kindID, "Rechnung RE-2041"}, {kindDate, "1. März"}},
		},
		{
			name: "error constant and version",
			msg:  "The app (version 4.2.1) stops with ERR_CONNECTION_RESET.",
			want: []specific{{kindError, "ERR_CONNECTION_RESET"}, {kindVersion, "version 4.2.1"}},
		},
		{
			name:     "glossary product and internal capitals",
			msg:      "The Shift Planner does not sync with HubSpot.",
			products: []string{"Shift Planner"},
			want:     []specific{{kindProduct, "Shift Planner"}, {kindProduct, "HubSpot"}},
		},
		{
			name: "quoted label that is not an error",
			msg:  `Where is the "Share project" button?`,
			want: []specific{{kindQuoted, "Share project"}},
		},
		{
			name: "redacted text is never repeated",
			msg:  `Send it to "[EMAIL]" please, my card [CARD] was charged €20.`,
			want: []specific{{kindAmount, "€20"}},
		},
		{
			name: "lower-case make is not the product Make",
			msg:  "How do I make a report?",
			want: nil,
		},
		{
			name:    "subject counts too",
			subject: "Error 503 on login",
			msg:     "It keeps happening.",
			want:    []specific{{kindError, "Error 503"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := extractSpecifics(tc.subject, tc.msg, tc.products)
			if !slices.Equal(got, tc.want) {
				t.Errorf("extractSpecifics() = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestQuestions(t *testing.T) {
	cases := []struct {
		name    string
		subject string
		msg     string
		want    []string
	}{
		{name: "question marks", msg: "Export fails. Is there a workaround? Thanks!", want: []string{"Is there a workaround?"}},
		{name: "question word without mark", msg: "How do I invite a colleague\nThanks", want: []string{"How do I invite a colleague"}},
		{name: "complaint starting with can is not a question", msg: "Can't log in. Please help.", want: nil},
		{name: "greeting before the question", msg: "Hi, can you reset my password?", want: []string{"Can you reset my password?"}},
		{name: "german", msg: "Hallo! Wie kann ich die Rechnung herunterladen?", want: []string{"Wie kann ich die Rechnung herunterladen?"}},
		{name: "french", msg: "Bonjour, comment exporter mes données ?", want: []string{"Comment exporter mes données ?"}},
		{name: "spanish inverted mark", msg: "¿Puedo cambiar de plan? Gracias.", want: []string{"¿Puedo cambiar de plan?"}},
		{name: "subject when the message asks nothing", subject: "Can I pay yearly?", msg: "See subject.", want: []string{"Can I pay yearly?"}},
		{name: "quoted history ignored", msg: "Thanks, that worked.\n> How do I export?\n", want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := questions(tc.subject, stripQuoted(tc.msg))
			if !slices.Equal(got, tc.want) {
				t.Errorf("questions() = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	cases := []struct {
		name      string
		requester string
		author    string
		wantFirst string
		wantFull  string
	}{
		{name: "first and last", requester: "Anna Weber", wantFirst: "Anna", wantFull: "Anna Weber"},
		{name: "last comma first", requester: "Weber, Anna", wantFirst: "Anna", wantFull: "Anna Weber"},
		{name: "title dropped", requester: "Dr. Anna Weber", wantFirst: "Anna", wantFull: "Anna Weber"},
		{name: "lower case capitalized", requester: "carla mendes", wantFirst: "Carla", wantFull: "Carla Mendes"},
		{name: "email is not a name", requester: "anna@example.com", wantFirst: "", wantFull: ""},
		{name: "placeholder is not a name", requester: "[EMAIL]", wantFirst: "", wantFull: ""},
		{name: "message author when no requester", author: "Jonas Becker", wantFirst: "Jonas", wantFull: "Jonas Becker"},
		{name: "unknown", wantFirst: "", wantFull: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tk := &sdk.Ticket{Requester: sdk.Party{Name: tc.requester}, Messages: []sdk.Message{{Author: sdk.Party{Name: tc.author}, Body: "x"}}}
			first, full := names(tk)
			if first != tc.wantFirst || full != tc.wantFull {
				t.Errorf("names() = %q, %q; want %q, %q", first, full, tc.wantFirst, tc.wantFull)
			}
		})
	}
}

func TestDetectRegister(t *testing.T) {
	cases := []struct {
		name string
		text string
		lang string
		want Register
	}{
		{name: "english formal", text: "Dear Support team,\nplease advise.\nKind regards, David", lang: "en", want: RegisterFormal},
		{name: "english casual", text: "Hey team! Quick one, cheers", lang: "en", want: RegisterCasual},
		{name: "english neutral", text: "Hello, the export fails. Thanks, Anna", lang: "en", want: RegisterNeutral},
		{name: "german Sie", text: "Hallo, können Sie mir helfen? Ich sehe Ihre Antwort nicht.", lang: "de", want: RegisterFormal},
		{name: "german du", text: "Hi, kannst du mir helfen? Danke dir!", lang: "de", want: RegisterCasual},
		{name: "german Sehr geehrte", text: "Sehr geehrte Damen und Herren, mein Export bricht ab.", lang: "de", want: RegisterFormal},
		{name: "french vous", text: "Bonjour, pouvez-vous m'aider ? Cordialement", lang: "fr", want: RegisterFormal},
		{name: "french tu", text: "Salut, tu peux m'aider ? Je t'envoie la capture.", lang: "fr", want: RegisterCasual},
		{name: "spanish usted", text: "Estimado equipo: ¿podría usted ayudarme? Atentamente", lang: "es", want: RegisterFormal},
		{name: "spanish tú", text: "Hola, ¿tú sabes por qué falla? Te escribo otra vez.", lang: "es", want: RegisterCasual},
		{name: "unknown language uses unambiguous pronouns", text: "Können Sie das prüfen?", lang: "", want: RegisterFormal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectRegister(tc.text, tc.lang); got != tc.want {
				t.Errorf("DetectRegister(%q, %q) = %s; want %s", tc.text, tc.lang, got, tc.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	msg := func(body string) *sdk.Ticket { return ticket("Anna Weber", "Subject", body, nil) }
	answering := []Article{{Title: "Export everything", URL: helpBase + "export", Score: 0.9, Answer: 0.9}}
	notAnswering := []Article{{Title: "Export everything", URL: helpBase + "export", Score: 0.9, Answer: 0.5}}
	cases := []struct {
		name string
		req  Request
		want Situation
	}{
		{name: "caller's situation wins", req: Request{Ticket: msg("x"), PrimaryTag: "bug", Situation: SituationHowTo}, want: SituationHowTo},
		{name: "invalid caller situation ignored", req: Request{Ticket: msg("x"), PrimaryTag: "bug", Situation: "poem"}, want: SituationBug},
		{name: "angry beats the tag", req: Request{Ticket: msg("x"), PrimaryTag: "billing", Sentiment: sdk.SentimentAngry}, want: SituationAngry},
		{name: "angry security report is a security report", req: Request{Ticket: msg("x"), PrimaryTag: "bug", Tags: []string{"security"}, Sentiment: sdk.SentimentAngry}, want: SituationSecurity},
		{name: "security cue in the text", req: Request{Ticket: msg("I found a stored XSS vulnerability in the client portal."), PrimaryTag: "bug"}, want: SituationSecurity},
		{name: "security signal", req: Request{Ticket: msg("x"), Signals: map[string]string{sdk.FieldSignalSecurity: "true"}}, want: SituationSecurity},
		{name: "a lawyer beats anger and billing", req: Request{Ticket: msg("Refund us or our lawyer will take this further."), PrimaryTag: "billing", Sentiment: sdk.SentimentAngry}, want: SituationLegal},
		{name: "legal signal", req: Request{Ticket: msg("x"), PrimaryTag: "billing", Signals: map[string]string{sdk.FieldSignalLegal: "true"}}, want: SituationLegal},
		{name: "repeat cue on a bug", req: Request{Ticket: msg("The timer stopped syncing again, third time this month."), PrimaryTag: "bug"}, want: SituationRepeat},
		{name: "repeat signal, untagged", req: Request{Ticket: msg("Sync broke."), Signals: map[string]string{sdk.FieldSignalRepeat: "true"}}, want: SituationRepeat},
		{name: "repeat cue on a how-to follows the tag", req: Request{Ticket: msg("How do I export again?"), PrimaryTag: "how-to", Articles: []Article{{Title: "Export", URL: helpBase + "export", Answer: 0.9}}}, want: SituationHowTo},
		{name: "German repeat cue", req: Request{Ticket: msg("Der Export schlägt schon wieder fehl."), PrimaryTag: "bug", Language: "de"}, want: SituationRepeat},
		{name: "high churn without an ask is outreach", req: Request{Ticket: msg("We barely use it."), PrimaryTag: "churn-risk", ChurnLevel: "high"}, want: SituationOutreach},
		{name: "critical churn without any message is outreach", req: Request{Ticket: &sdk.Ticket{}, ChurnLevel: "critical"}, want: SituationOutreach},
		{name: "high churn with a cancel request is a cancellation", req: Request{Ticket: msg("Please cancel our subscription."), PrimaryTag: "churn-risk", ChurnLevel: "very-high"}, want: SituationCancel},
		{name: "cancel signal on a billing ticket", req: Request{Ticket: msg("x"), PrimaryTag: "billing", Signals: map[string]string{sdk.FieldSignalCancel: "true"}}, want: SituationCancel},
		{name: "charged after cancelling is billing", req: Request{Ticket: msg("We cancelled in May but were charged again in June."), PrimaryTag: "billing"}, want: SituationBilling},
		{name: "high churn with a refund request is billing", req: Request{Ticket: msg("Please refund the last invoice."), PrimaryTag: "churn-risk", ChurnLevel: "very-high"}, want: SituationBilling},
		{name: "high churn, untagged cancel request is a cancellation", req: Request{Ticket: msg("Please cancel our plan."), ChurnLevel: "high"}, want: SituationCancel},
		{name: "high churn with a question and a how-to tag follows the tag", req: Request{Ticket: msg("How do I export everything?"), Tags: []string{"how-to"}, ChurnLevel: "high", Articles: answering}, want: SituationHowTo},
		{name: "high churn with a bug report follows the tag", req: Request{Ticket: msg("The export fails."), PrimaryTag: "bug", ChurnLevel: "high"}, want: SituationBug},
		{name: "watch level is not high", req: Request{Ticket: msg("We barely use it."), PrimaryTag: "how-to", ChurnLevel: "watch", Articles: answering}, want: SituationHowTo},
		{name: "billing", req: Request{Ticket: msg("x"), PrimaryTag: "billing"}, want: SituationBilling},
		{name: "feature request", req: Request{Ticket: msg("x"), PrimaryTag: "feature-request"}, want: SituationFeature},
		{name: "how-to", req: Request{Ticket: msg("x"), PrimaryTag: "how-to", Articles: answering}, want: SituationHowTo},
		{name: "how-to without an answering article", req: Request{Ticket: msg("x"), PrimaryTag: "how-to", Articles: notAnswering}, want: SituationUnknown},
		{name: "how-to below a raised threshold", req: Request{Ticket: msg("x"), PrimaryTag: "how-to", Articles: answering, AnswerThreshold: 0.95}, want: SituationUnknown},
		{name: "how-to answered by a past reply", req: Request{Ticket: msg("x"), PrimaryTag: "how-to", PastReplies: []PastReply{{Reply: "1. Open Settings.\n2. Click Invite.", Score: 0.8}}}, want: SituationHowTo},
		{name: "onboarding", req: Request{Ticket: msg("x"), PrimaryTag: "onboarding", Articles: answering}, want: SituationHowTo},
		{name: "account", req: Request{Ticket: msg("x"), PrimaryTag: "account", Articles: answering}, want: SituationHowTo},
		{name: "bug", req: Request{Ticket: msg("x"), PrimaryTag: "bug"}, want: SituationBug},
		{name: "performance", req: Request{Ticket: msg("x"), PrimaryTag: "performance"}, want: SituationBug},
		{name: "integration", req: Request{Ticket: msg("x"), PrimaryTag: "integration"}, want: SituationBug},
		{name: "security", req: Request{Ticket: msg("x"), PrimaryTag: "security"}, want: SituationSecurity},
		{name: "secondary tag when the primary is unknown", req: Request{Ticket: msg("x"), PrimaryTag: "other", Tags: []string{"billing"}}, want: SituationBilling},
		{name: "no tag, a question", req: Request{Ticket: msg("How do I export?"), Articles: answering}, want: SituationHowTo},
		{name: "no tag, a question, nothing answers", req: Request{Ticket: msg("How do I export?")}, want: SituationUnknown},
		{name: "no tag, no question", req: Request{Ticket: msg("The export is broken.")}, want: SituationUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.req); got != tc.want {
				t.Errorf("Classify() = %s; want %s", got, tc.want)
			}
		})
	}
}

func TestSnippetSteps(t *testing.T) {
	cases := []struct {
		name    string
		snippet string
		want    []string
	}{
		{name: "numbered list", snippet: "1. Open the project\n2) Select **Share**\n3. Click Send", want: []string{"Open the project.", "Select Share.", "Click Send."}},
		{name: "bullets", snippet: "- Open Settings.\n- Choose Billing.", want: []string{"Open Settings.", "Choose Billing."}},
		{name: "sentences, cut-off tail dropped", snippet: "Open the project. Select Share. Then choose the role you", want: []string{"Open the project.", "Select Share."}},
		{name: "ellipsis tail dropped", snippet: "Open the project. Then select…", want: []string{"Open the project."}},
		{name: "at most five", snippet: "Open one. Click two. Select three. Enter four. Save five. Close six.", want: []string{"Open one.", "Click two.", "Select three.", "Enter four.", "Save five."}},
		{name: "prose around the steps is not a step", snippet: "Too many failed attempts. Wait 15 minutes, or reset your password to unlock right away.", want: []string{"Wait 15 minutes, or reset your password to unlock right away."}},
		{name: "a tip sentence is not a step", snippet: "Click Copy rows from last week to add the rows. Handy when your work is similar every week.", want: []string{"Click Copy rows from last week to add the rows."}},
		{name: "a menu path is a step", snippet: "Each invoice shows an icon. Settings → Integrations → Sync log shows errors.", want: []string{"Settings → Integrations → Sync log shows errors."}},
		{name: "empty", snippet: "", want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := snippetSteps(tc.snippet); !slices.Equal(got, tc.want) {
				t.Errorf("snippetSteps() = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestStripQuoted(t *testing.T) {
	body := "New text here.\n\nOn Mon, 2 Mar 2026 at 10:00, Support wrote:\n> old text\nmore old text"
	if got := stripQuoted(body); got != "New text here." {
		t.Errorf("stripQuoted() = %q; want %q", got, "New text here.")
	}
	sig := "Thanks!\n-- \nAnna Weber\nCEO"
	if got := stripQuoted(sig); strings.Contains(got, "CEO") {
		t.Errorf("stripQuoted() = %q; want the signature removed", got)
	}
}

func TestCompetitorFromText(t *testing.T) {
	cases := []struct {
		name, body string
		signals    map[string]string
		want       string
	}{
		{"signal wins", "We move to Harvest.", map[string]string{"signal.competitor": "Toggl"}, "Toggl"},
		{"english", "We will cancel at the end of the month and move to Harvest, which our finance team prefers.", nil, "Harvest"},
		{"two words", "We are switching over to Toggl Track next week.", nil, "Toggl Track"},
		{"german", "Wir wechseln zu Clockify.", nil, "Clockify"},
		{"spanish", "Nos pasamos a Toggl. Un saludo", nil, "Toggl"},
		{"not a name", "We move to the new office next month.", nil, ""},
		{"signal without a name", "Cancel please.", map[string]string{"signal.competitor": "true"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := gather(Request{Ticket: ticket("Maya Lind", "Cancel", tc.body, nil), Signals: tc.signals}, SituationCancel, 0)
			if got := f.competitor(); got != tc.want {
				t.Errorf("competitor() = %q; want %q", got, tc.want)
			}
		})
	}
}
