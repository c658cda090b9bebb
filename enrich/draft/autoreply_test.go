package draft

import (
	"errors"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// autoRequest is a request for the auto-reply table: one customer message.
func autoRequest(subject, body string, mod func(*Request)) Request {
	req := Request{
		Ticket:     ticket("Mia Long", subject, body, nil),
		PrimaryTag: "account", Sentiment: sdk.SentimentNeutral, Language: "en", Priority: sdk.P3,
		Articles: []Article{{Title: "Reset your password", URL: helpBase + "reset-password",
			Snippet: "1. Open the sign-in page.\n2. Select Forgot password.\n3. Follow the link in the email.", Score: 0.7, Answer: 0.9}},
		Now: testNow,
	}
	if mod != nil {
		mod(&req)
	}
	return req
}

func TestAutoReply(t *testing.T) {
	on := AutoReplyConfig{Enabled: true}
	const passwordMsg = "Hi, I forgot my password and can't get in. How do I reset it?"
	cases := []struct {
		name       string
		req        Request
		mod        func(*Draft) // applied to the template draft
		confidence float64
		cfg        AutoReplyConfig
		wantOK     bool
		wantCase   string
		wantReason string
	}{
		// Allowed cases.
		{name: "password reset", req: autoRequest("Password", passwordMsg, nil), confidence: 0.95, cfg: on,
			wantOK: true, wantCase: CasePassword, wantReason: `matched "forgot my password"`},
		{name: "account unlock in German", req: autoRequest("Gesperrt", "Hallo, mein Konto ist gesperrt. Wie kann ich es entsperren?", func(r *Request) { r.Language = "de" }),
			confidence: 0.95, cfg: on, wantOK: true, wantCase: CasePassword, wantReason: `matched "Konto ist gesperrt"`},
		{name: "exact FAQ match", req: autoRequest("Exports", "How do I schedule a weekly export?", func(r *Request) {
			r.PrimaryTag = "how-to"
			r.Articles = []Article{{Title: "Schedule a weekly export", URL: helpBase + "weekly-export", Snippet: "1. Open the report.\n2. Select Schedule.", Score: 0.93, Answer: 0.93}}
		}), confidence: 0.95, cfg: on, wantOK: true, wantCase: CaseFAQ, wantReason: `article "Schedule a weekly export" scores 0.93`},
		{name: "FAQ score at the minimum counts", req: autoRequest("Exports", "How do I schedule a weekly export?", func(r *Request) {
			r.PrimaryTag = "how-to"
			r.Articles = []Article{{Title: "Schedule a weekly export", URL: helpBase + "weekly-export", Snippet: "1. Open the report.\n2. Select Schedule.", Score: 0.85, Answer: 0.85}}
		}), confidence: 0.95, cfg: on, wantOK: true, wantCase: CaseFAQ},
		{name: "account status: plan and payment date", req: autoRequest("Plan", "Hi! Which plan are we on, and when is our next payment due?", nil),
			confidence: 0.92, cfg: on, wantOK: true, wantCase: CaseAccountStatus, wantReason: `question matched "Which plan"`},
		{name: "service status during a known incident", req: autoRequest("Down?", "Hi, is the app down? Nothing loads for our team. What's going on?", func(r *Request) {
			r.KnownIncident, r.PrimaryTag = true, "bug"
		}), confidence: 0.95, cfg: on, wantOK: true, wantCase: CaseServiceStatus, wantReason: "known incident"},
		{name: "churn level watch is not churn risk", req: autoRequest("Password", passwordMsg, func(r *Request) { r.ChurnLevel = "watch" }),
			confidence: 0.95, cfg: on, wantOK: true, wantCase: CasePassword},
		{name: "custom threshold", req: autoRequest("Password", passwordMsg, nil), confidence: 0.85, cfg: AutoReplyConfig{Enabled: true, Threshold: 0.8},
			wantOK: true, wantCase: CasePassword, wantReason: "confidence 0.85 above 0.80"},

		// Refused: policy off, never-cases, confidence, quality, no case.
		{name: "off by default", req: autoRequest("Password", passwordMsg, nil), confidence: 0.99, cfg: DefaultAutoReplyConfig(), wantReason: "auto-reply is disabled"},
		{name: "zero config is off", req: autoRequest("Password", passwordMsg, nil), confidence: 0.99, wantReason: "auto-reply is disabled"},
		{name: "security", req: autoRequest("Password", passwordMsg, func(r *Request) { r.Tags = []string{"security"} }), confidence: 0.99, cfg: on,
			wantReason: "security tickets are never auto-replied"},
		{name: "security cue in the text", req: autoRequest("Password", passwordMsg+" Also, your reset page has an XSS vulnerability.", nil), confidence: 0.99, cfg: on,
			wantReason: "security tickets are never auto-replied"},
		{name: "legal threat", req: autoRequest("Password", passwordMsg+" If this is not fixed today our lawyer will hear about it.", nil), confidence: 0.99, cfg: on,
			wantReason: "legal threats are never auto-replied"},
		{name: "cancellation", req: autoRequest("Password", passwordMsg, func(r *Request) { r.Signals = map[string]string{sdk.FieldSignalCancel: "true"} }), confidence: 0.99, cfg: on,
			wantReason: "cancellations are never auto-replied"},
		{name: "FAQ score without an answer is no FAQ match", req: autoRequest("Exports", "How do I schedule a weekly export?", func(r *Request) {
			r.PrimaryTag = "how-to"
			r.Articles = []Article{{Title: "Schedule a weekly export", URL: helpBase + "weekly-export", Snippet: "1. Open the report.\n2. Select Schedule.", Score: 0.93, Answer: 0.5}}
		}), confidence: 0.95, cfg: on, wantReason: "not an exact FAQ match"},
		{name: "angry sentiment", req: autoRequest("Password", passwordMsg, func(r *Request) { r.Sentiment = sdk.SentimentAngry; r.Situation = SituationHowTo }),
			confidence: 0.99, cfg: on, wantReason: "angry customers are never auto-replied"},
		{name: "angry draft", req: autoRequest("Password", passwordMsg, nil), mod: func(d *Draft) { d.Situation = SituationAngry }, confidence: 0.99, cfg: on,
			wantReason: "angry customers are never auto-replied"},
		{name: "churn-risk tag", req: autoRequest("Password", passwordMsg, func(r *Request) { r.Tags = []string{"churn-risk"} }), confidence: 0.99, cfg: on,
			wantReason: "churn-risk tickets are never auto-replied (tag churn-risk)"},
		{name: "churn level high", req: autoRequest("Password", passwordMsg, func(r *Request) { r.ChurnLevel = "high" }), confidence: 0.99, cfg: on,
			wantReason: "(churn level high)"},
		{name: "churn level very-high", req: autoRequest("Password", passwordMsg, func(r *Request) { r.ChurnLevel = "very-high" }), confidence: 0.99, cfg: on,
			wantReason: "(churn level very-high)"},
		{name: "churn level critical", req: autoRequest("Password", passwordMsg, func(r *Request) { r.ChurnLevel = "critical" }), confidence: 0.99, cfg: on,
			wantReason: "(churn level critical)"},
		{name: "confidence at the threshold is not above it", req: autoRequest("Password", passwordMsg, nil), confidence: 0.9, cfg: on,
			wantReason: "confidence 0.90 is not above 0.90"},
		{name: "low confidence", req: autoRequest("Password", passwordMsg, nil), confidence: 0.5, cfg: on, wantReason: "confidence 0.50 is not above 0.90"},
		{name: "draft below the rubric", req: autoRequest("Password", passwordMsg, nil), mod: func(d *Draft) { d.Rubric = Rubric{Total: 7} },
			confidence: 0.99, cfg: on, wantReason: "the draft scores 7/10, below 8"},
		{name: "empty draft", req: autoRequest("Password", passwordMsg, nil), mod: func(d *Draft) { d.Text = " " }, confidence: 0.99, cfg: on,
			wantReason: "the draft is empty"},
		{name: "FAQ score below the minimum", req: autoRequest("Exports", "How do I schedule a weekly export?", func(r *Request) {
			r.PrimaryTag = "how-to"
			r.Articles = []Article{{Title: "Schedule a weekly export", URL: helpBase + "weekly-export", Snippet: "1. Open the report.\n2. Select Schedule.", Score: 0.84, Answer: 0.84}}
		}), confidence: 0.95, cfg: on, wantReason: "not an exact FAQ match, account-status question"},
		{name: "account status that is not a question", req: autoRequest("Usage", "Hi, our usage went up a lot this month, great stuff.", func(r *Request) { r.Articles = nil }),
			confidence: 0.95, cfg: on, wantReason: "not an exact FAQ match"},
		{name: "service status without a known incident", req: autoRequest("Down?", "Hi, is the app down? Nothing loads for our team.", func(r *Request) {
			r.PrimaryTag, r.Articles = "bug", nil
		}), confidence: 0.95, cfg: on, wantReason: "not an exact FAQ match"},
		{name: "ordinary bug report", req: scenarios()[0].req, confidence: 0.99, cfg: on, wantReason: "not an exact FAQ match"},
	}
	tp := newTemplate(t, TemplateConfig{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDraft(t, tp, tc.req)
			if tc.mod != nil {
				tc.mod(&d)
			} else if !d.Rubric.Pass {
				t.Fatalf("test draft does not pass the rubric (%s):%s", d.Rubric, rubricDetail(d.Rubric))
			}
			got := AutoReply(tc.req, d, tc.confidence, tc.cfg)
			if got.Allowed != tc.wantOK || got.Case != tc.wantCase {
				t.Errorf("AutoReply() = allowed %v case %q (%s); want %v %q", got.Allowed, got.Case, got.Reason, tc.wantOK, tc.wantCase)
			}
			if !strings.Contains(got.Reason, tc.wantReason) {
				t.Errorf("reason %q lacks %q", got.Reason, tc.wantReason)
			}
			switch {
			case got.Allowed && !offersHuman(got.Text):
				t.Errorf("allowed text does not end by offering a human:\n%s", got.Text)
			case !got.Allowed && got.Text != "":
				t.Errorf("refused decision carries text %q", got.Text)
			}
		})
	}
}

// offersHuman reports whether the last paragraph before the sign-off
// offers a human.
func offersHuman(text string) bool {
	ps := paragraphs(text)
	if len(ps) < 2 {
		return false
	}
	return humanOfferRE.MatchString(ps[len(ps)-2])
}

func TestWithHumanOffer(t *testing.T) {
	cases := []struct {
		name string
		d    Draft
		lang string
		want string
	}{
		{name: "inserted before the sign-off",
			d:    Draft{Text: "Hi Mia,\n\nHere is how.\n\nBest wishes,\nSupport team", Language: "en", Register: RegisterCasual},
			want: "Hi Mia,\n\nHere is how.\n\nIf this doesn't solve it, just reply to this message and a member of our team will pick it up personally.\n\nBest wishes,\nSupport team"},
		{name: "kept when already there",
			d:    Draft{Text: "Hi Mia,\n\nHere is how. If not, a member of our team will help.\n\nBest wishes,\nSupport team", Language: "en"},
			want: "Hi Mia,\n\nHere is how. If not, a member of our team will help.\n\nBest wishes,\nSupport team"},
		{name: "appended without a sign-off",
			d:    Draft{Text: "Hi Mia,\n\nHere is how.", Language: "en", Register: RegisterFormal},
			want: "Hi Mia,\n\nHere is how.\n\nIf this does not solve it, just reply to this message and a member of our team will take it from there personally."},
		{name: "german formal",
			d:    Draft{Text: "Guten Tag Mia Long,\n\nSo geht es.\n\nFreundliche Grüße\nIhr Support-Team", Language: "de", Register: RegisterFormal},
			want: "Guten Tag Mia Long,\n\nSo geht es.\n\nFalls das Ihr Problem nicht löst, antworten Sie einfach auf diese Nachricht, dann kümmert sich jemand aus unserem Team persönlich darum.\n\nFreundliche Grüße\nIhr Support-Team"},
		{name: "draft language unknown: request language",
			d: Draft{Text: "Hola, Mia:\n\nAsí se hace.\n\nUn saludo,\nEl equipo de soporte"}, lang: "es",
			want: "Hola, Mia:\n\nAsí se hace.\n\nSi esto no resuelve tu problema, responde a este mensaje y una persona de nuestro equipo se encargará personalmente.\n\nUn saludo,\nEl equipo de soporte"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := autoRequest("x", "Hola.", func(r *Request) { r.Language = tc.lang })
			if got := withHumanOffer(tc.d, req); got != tc.want {
				t.Errorf("withHumanOffer() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestAutoReplyConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		cfg     AutoReplyConfig
		wantErr string
	}{
		{name: "default", cfg: DefaultAutoReplyConfig()},
		{name: "zero", cfg: AutoReplyConfig{}},
		{name: "enabled custom", cfg: AutoReplyConfig{Enabled: true, Threshold: 0.95, FAQMinScore: 0.9}},
		{name: "threshold one", cfg: AutoReplyConfig{Threshold: 1}, wantErr: "threshold"},
		{name: "negative threshold", cfg: AutoReplyConfig{Threshold: -0.1}, wantErr: "threshold"},
		{name: "faq score over one", cfg: AutoReplyConfig{FAQMinScore: 1.2}, wantErr: "faq_min_score"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, sdk.ErrInvalid)):
				t.Errorf("Validate() = %v; want an sdk.ErrInvalid mentioning %q", err, tc.wantErr)
			}
		})
	}
	if d := DefaultAutoReplyConfig(); d.Enabled || d.Threshold != 0.9 || d.FAQMinScore != 0.85 {
		t.Errorf("DefaultAutoReplyConfig() = %+v; want off, 0.9, 0.85", d)
	}
}
