package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// newDefault returns a classifier over the embedded patterns.
func newDefault(tb testing.TB) *Classifier {
	tb.Helper()
	c, err := New(Config{})
	if err != nil {
		tb.Fatalf("New(Config{}) = %v", err)
	}
	return c
}

// ticket builds a ticket from a subject and customer messages, oldest first.
func ticket(subject string, bodies ...string) *sdk.Ticket {
	t := &sdk.Ticket{Ref: sdk.TicketRef{Connector: "test", Account: "acme", ID: "1"}, Subject: subject}
	for _, b := range bodies {
		t.Messages = append(t.Messages, sdk.Message{Body: b, Public: true})
	}
	return t
}

// result indexes a response by field.
type result map[string][]sdk.Prediction

func (r result) value(field string) string {
	if ps := r[field]; len(ps) > 0 {
		return ps[0].Value
	}
	return ""
}

func (r result) values(field string) []string {
	var vs []string
	for _, p := range r[field] {
		vs = append(vs, p.Value)
	}
	return vs
}

func (r result) has(field string) bool { return len(r[field]) > 0 }

// tags returns the primary and secondary tags.
func (r result) tags() []string {
	return append([]string{r.value(sdk.FieldPrimaryTag)}, r.values(sdk.FieldSecondaryTag)...)
}

func (r result) String() string {
	var b strings.Builder
	for _, ps := range r {
		for _, p := range ps {
			fmt.Fprintf(&b, "\n  %s=%s (%.2f): %s", p.Field, p.Value, p.Confidence, p.Reason)
		}
	}
	return b.String()
}

func run(t *testing.T, c *Classifier, tk *sdk.Ticket, fields ...sdk.FieldSpec) result {
	t.Helper()
	resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: tk, Fields: fields})
	if err != nil {
		t.Fatalf("Classify: %v", err)
	}
	checkInvariants(t, resp)
	r := make(result)
	for _, p := range resp.Predictions {
		r[p.Field] = append(r[p.Field], p)
	}
	return r
}

// checkInvariants holds for every response: confidences in [0,1], reasons
// present, the source set, one primary tag, at most two distinct secondary
// tags, language never "und".
func checkInvariants(t *testing.T, resp *sdk.ClassifyResponse) {
	t.Helper()
	primary, secondary := 0, map[string]bool{}
	var primaryTag string
	for _, p := range resp.Predictions {
		if p.Confidence < 0 || p.Confidence > 1 {
			t.Errorf("%s=%s: confidence %v outside [0,1]", p.Field, p.Value, p.Confidence)
		}
		if strings.TrimSpace(p.Reason) == "" {
			t.Errorf("%s=%s: empty reason", p.Field, p.Value)
		}
		if p.Source != ID {
			t.Errorf("%s=%s: source %q; want %q", p.Field, p.Value, p.Source, ID)
		}
		switch p.Field {
		case sdk.FieldPrimaryTag:
			primary++
			primaryTag = p.Value
		case sdk.FieldSecondaryTag:
			if secondary[p.Value] {
				t.Errorf("secondary tag %q twice", p.Value)
			}
			secondary[p.Value] = true
		case sdk.FieldLanguage:
			if p.Value == "und" || len(p.Value) != 2 {
				t.Errorf("language %q; want an ISO 639-1 code", p.Value)
			}
		}
	}
	if primary > 1 {
		t.Errorf("%d primary tags; want at most one", primary)
	}
	if len(secondary) > 2 {
		t.Errorf("%d secondary tags; want at most two", len(secondary))
	}
	if secondary[primaryTag] {
		t.Errorf("tag %q is both primary and secondary", primaryTag)
	}
}

func TestPriorityFollowsTriageOrder(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		name string
		tk   *sdk.Ticket
		want sdk.Priority
	}{
		// P0: service down, data loss, security, payment failing.
		{"P0 site down for everyone", ticket("Dashboard not loading", "Our whole team gets a 502 Bad Gateway on app.example.com since 14:05 CET. The site is completely down for everyone in our company, we checked from three networks."), sdk.P0},
		{"P0 api outage", ticket("API returning 503", "All API calls from our backend fail with 503 Service Unavailable for every request. Our integration has been dead for 40 minutes."), sdk.P0},
		{"P0 nobody can log in", ticket("Login broken", "Nobody on our team can log in this morning, SSO just spins and then times out."), sdk.P0},
		{"P0 data loss", ticket("All our contacts are gone", "After last night's import every contact in our workspace disappeared. We lost all our customer data and history, about 40k records."), sdk.P0},
		{"P0 security breach", ticket("Possible breach", "One of our agents noticed unauthorized logins from an IP in another country and our API keys were exposed in the activity log export."), sdk.P0},
		{"P0 vulnerability report", ticket("Stored XSS in ticket comments", "Hi, I am a security researcher. There is a stored XSS vulnerability in the comment editor: a payload in the subject runs in the agent's browser. Happy to share a proof of concept."), sdk.P0},
		{"P0 payments failing", ticket("Checkout broken", "Our customers cannot pay anymore: every checkout fails with 'payment declined' although the cards are fine. Payments have been failing since the update at noon."), sdk.P0},
		{"P0 polite outage", ticket("Small heads-up", "Hi there, hope your week is going well! No rush at all, but just so you know, our production instance has been down since about 9am and none of our users can get in. Thanks a lot, really appreciate you all."), sdk.P0},
		// P1: major feature broken, workflow blocked, billing error.
		{"P1 charged twice", ticket("Double charge on my card", "Hello, my card was charged twice for the March invoice, two identical debits of $79. Could you look into it?"), sdk.P1},
		{"P1 wrong invoice amount", ticket("Invoice INV-2291", "The invoice we received shows the wrong amount: we are on 12 seats but were billed for 40."), sdk.P1},
		{"P1 charged after cancelling", ticket("", "I cancelled in January but I was still charged in February and March. Please sort this out."), sdk.P1},
		{"P1 workflow blocked", ticket("Can't send any emails", "Since this morning we can't send any emails from the shared inbox. Our support team is completely blocked and customers are waiting."), sdk.P1},
		{"P1 user locked out", ticket("Locked out", "I'm locked out of my account after the password reset, the reset link says expired every time. I can't log in to answer my tickets."), sdk.P1},
		{"P1 core feature broken", ticket("Reports", "The main reporting feature is broken for our account: every export fails and all reports show zero since Monday. We rely on these for billing our clients."), sdk.P1},
		// P2: functional bug, confusing UI, non-critical problem.
		{"P2 export bug", ticket("CSV export error", "When I click Export on the contacts page I get an error message 'Something went wrong'. Exporting tickets works fine."), sdk.P2},
		{"P2 sync not working", ticket("Calendar sync", "The Google Calendar sync is not working for one of my colleagues, her meetings don't show up. Others are fine."), sdk.P2},
		{"P2 slowness", ticket("Slow search", "Searching tickets takes about 20 seconds for me today, it is usually instant."), sdk.P2},
		{"P2 confusing settings", ticket("Settings", "The new notification settings page is really confusing, I turned off email alerts but I still get them for mentions."), sdk.P2},
		// P3: feature request, cosmetic, general question, how-to.
		{"P3 feature request", ticket("Idea: dark mode", "It would be great if the agent workspace had a dark mode. Many of us work late shifts."), sdk.P3},
		{"P3 typo", ticket("Typo on the pricing page", "Small thing: there's a typo on the pricing page, 'anual' instead of 'annual'."), sdk.P3},
		{"P3 how-to", ticket("Question about macros", "How do I create a macro that assigns a ticket to the billing team and adds a tag?"), sdk.P3},
		{"P3 general question", ticket("Data residency", "Quick question: do you offer EU data residency on the Business plan?"), sdk.P3},
		// Other languages.
		{"P0 de ausgefallen", ticket("Störung", "Hallo, unsere Plattform ist seit 10 Uhr komplett ausgefallen und für alle Mitarbeiter nicht erreichbar."), sdk.P0},
		{"P0 fr en panne", ticket("Urgent", "Bonjour, le site est en panne depuis ce matin, plus personne ne peut se connecter."), sdk.P0},
		{"P0 es caido", ticket("Sistema caído", "Hola, el sistema está caído desde hace una hora y ningún agente puede trabajar."), sdk.P0},
		{"P1 de doppelt abgebucht", ticket("Rechnung", "Guten Tag, der Betrag für März wurde uns doppelt abgebucht. Bitte prüfen Sie das."), sdk.P1},
		{"P1 fr facturé deux fois", ticket("Facturation", "Bonjour, nous avons été facturés deux fois pour le mois d'avril."), sdk.P1},
		{"P1 es cobro doble", ticket("Cobro", "Me cobraron dos veces la suscripción de este mes, por favor revisen."), sdk.P1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, tc.tk)
			if got := r.value(sdk.FieldPriority); got != string(tc.want) {
				t.Errorf("priority = %s; want %s%s", got, tc.want, r)
			}
		})
	}
}

func TestHardCases(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		name      string
		tk        *sdk.Ticket
		priority  sdk.Priority
		primary   string // "" = not checked
		anyTag    string // must be primary or secondary
		sentiment string
		signals   map[string]string
		absent    []string
	}{
		{
			name:      "angry rant about a cosmetic issue stays P3",
			tk:        ticket("YOUR LOGO", "This is RIDICULOUS!!! The logo on the login screen is BLURRY and the font looks CHEAP. How can a company this size ship something so UGLY?? Fix it, you clowns!!!"),
			priority:  sdk.P3,
			sentiment: sdk.SentimentAngry,
			absent:    []string{sdk.FieldSignalOutage, sdk.FieldSignalSecurity},
		},
		{
			name:      "polite note that production is down is P0",
			tk:        ticket("Production down", "Good morning, sorry to bother you. Our production environment is down since 7:30 and our customers see 500 errors on every page. Thank you for looking into it."),
			priority:  sdk.P0,
			signals:   map[string]string{sdk.FieldSignalOutage: "true"},
			sentiment: "not angry",
		},
		{
			name:     "security report is P0 with the security tag",
			tk:       ticket("Security issue", "We found that any logged-in user can see another customer's invoices by changing the ID in the URL. This looks like an IDOR vulnerability."),
			priority: sdk.P0,
			primary:  "security",
			signals:  map[string]string{sdk.FieldSignalSecurity: "true"},
		},
		{
			name:     "double charge is P1 billing",
			tk:       ticket("Charged twice", "Hi, we were charged twice for our annual subscription ($1,188 each time). Please refund one of the charges."),
			priority: sdk.P1,
			primary:  "billing",
			signals:  map[string]string{sdk.FieldSignalRefundAmount: "1188.00 USD"},
		},
		{
			name:     "how-to is P3 how-to",
			tk:       ticket("Help with triggers", "Hi! Is there a way to send an automatic reply only outside business hours? I couldn't find it in the settings."),
			priority: sdk.P3,
			primary:  "how-to",
		},
		{
			name:     "feature request is P3 feature-request",
			tk:       ticket("Suggestion", "Could you add support for exporting dashboards as PDF? We'd love to share them with our board every month."),
			priority: sdk.P3,
			primary:  "feature-request",
		},
		{
			name:    "cancellation naming a competitor is churn risk",
			tk:      ticket("Cancel our account", "Please cancel our subscription at the end of this billing period. We've decided to switch to Freshdesk, it fits our team better."),
			primary: "churn-risk",
			signals: map[string]string{sdk.FieldSignalCancel: "true", sdk.FieldSignalCompetitor: "Freshdesk"},
		},
		{
			name:      "legal threat with a refund",
			tk:        ticket("Refund or legal action", "You charged us 650 USD for seats we never used. Refund the $650 by Friday or our lawyer will take legal action."),
			priority:  sdk.P1,
			primary:   "billing",
			sentiment: sdk.SentimentAngry,
			signals:   map[string]string{sdk.FieldSignalLegal: "true", sdk.FieldSignalRefundAmount: "650.00 USD"},
		},
		{
			name:      "executive escalation of a repeat bug",
			tk:        ticket("Still broken", "This is the third time I'm reporting this: the Slack integration still doesn't post new tickets. Our CEO is asking why we pay for this."),
			anyTag:    "integration",
			sentiment: "not positive",
			signals:   map[string]string{sdk.FieldSignalRepeat: "true", sdk.FieldSignalExecutive: "true"},
		},
		{
			name:    "downgrade",
			tk:      ticket("Plan change", "Money is tight this quarter, we'd like to downgrade to the Starter plan and reduce our seats from 25 to 10."),
			primary: "billing",
			anyTag:  "churn-risk",
			signals: map[string]string{sdk.FieldSignalDowngrade: "true"},
			absent:  []string{sdk.FieldSignalCancel},
		},
		{
			name:     "migrating from a competitor is onboarding, not churn",
			tk:       ticket("Importing our history", "We just signed up and are migrating from Zendesk. How do we import our ticket history?"),
			priority: sdk.P3,
			anyTag:   "onboarding",
			absent:   []string{sdk.FieldSignalCompetitor, sdk.FieldSignalCancel},
		},
		{
			name:   "a competitor as an integration is not a competitor signal",
			tk:     ticket("Salesforce sync", "Our Salesforce integration stopped syncing contact fields yesterday."),
			anyTag: "integration",
			absent: []string{sdk.FieldSignalCompetitor},
		},
		{
			name:   "trialling a competitor's integration is not churn",
			tk:     ticket("Intercom", "We're trialling the new Intercom integration and messages don't sync back."),
			anyTag: "integration",
			absent: []string{sdk.FieldSignalCompetitor},
		},
		{
			name:      "thank-you note",
			tk:        ticket("Thanks!", "Just wanted to say the new inbox is amazing, thank you so much for the quick fix last week!"),
			sentiment: sdk.SentimentPositive,
			absent:    []string{sdk.FieldSignalOutage, sdk.FieldSignalRepeat},
		},
		{
			name:      "frustrated but not angry",
			tk:        ticket("Again no reply", "I'm really disappointed, I've been waiting four days for an answer about the broken import and nobody responded."),
			sentiment: sdk.SentimentNegative,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, tc.tk)
			if tc.priority != "" && r.value(sdk.FieldPriority) != string(tc.priority) {
				t.Errorf("priority = %s; want %s", r.value(sdk.FieldPriority), tc.priority)
			}
			if tc.primary != "" && r.value(sdk.FieldPrimaryTag) != tc.primary {
				t.Errorf("primary tag = %s; want %s", r.value(sdk.FieldPrimaryTag), tc.primary)
			}
			if tc.anyTag != "" && !contains(r.tags(), tc.anyTag) {
				t.Errorf("tags = %v; want %s among them", r.tags(), tc.anyTag)
			}
			switch got := r.value(sdk.FieldSentiment); tc.sentiment {
			case "":
			case "not angry", "not positive":
				if got == strings.TrimPrefix(tc.sentiment, "not ") {
					t.Errorf("sentiment = %s; want anything else", got)
				}
			default:
				if got != tc.sentiment {
					t.Errorf("sentiment = %s; want %s", got, tc.sentiment)
				}
			}
			for f, want := range tc.signals {
				if got := r.value(f); got != want {
					t.Errorf("%s = %q; want %q", f, got, want)
				}
			}
			for _, f := range tc.absent {
				if r.has(f) {
					t.Errorf("%s = %q; want none", f, r.value(f))
				}
			}
			if t.Failed() {
				t.Log(r)
			}
		})
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestNegationAndHypotheticals(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		name     string
		tk       *sdk.Ticket
		absent   []string
		notLevel []sdk.Priority // priorities it must not get
	}{
		{"no data was lost", ticket("Import finished oddly", "The import finished with a warning but no data was lost, all 300 contacts are there. What does the warning mean?"), nil, []sdk.Priority{sdk.P0}},
		{"site is not down", ticket("", "The site is not down, it's just the reports page that shows an error for me."), []string{sdk.FieldSignalOutage}, []sdk.Priority{sdk.P0}},
		{"if it ever goes down", ticket("Status notifications", "If the service ever goes down, how would we be notified? Do you have an SLA for outages?"), []string{sdk.FieldSignalOutage}, []sdk.Priority{sdk.P0}},
		{"in case of a breach", ticket("Security questionnaire", "Our security team asks: in case of a data breach, how quickly do you notify customers?"), []string{sdk.FieldSignalSecurity}, []sdk.Priority{sdk.P0}},
		{"not planning to cancel", ticket("Renewal question", "We are not planning to cancel, we just want to know when the renewal invoice will be sent."), []string{sdk.FieldSignalCancel}, nil},
		{"does not want a refund", ticket("Charge", "I don't need a refund for the extra $15 seat, just remove it from next month's invoice."), []string{sdk.FieldSignalRefundAmount}, nil},
		{"de keine Erstattung", ticket("Rechnung", "Wir brauchen keine Erstattung der 30 €, bitte nur die Rechnung korrigieren."), []string{sdk.FieldSignalRefundAmount}, nil},
		{"a count is not an HTTP status", ticket("Pricing", "We have 250 agents and 1,500 tickets a day. How much would the Enterprise plan cost?"), []string{sdk.FieldSignalOutage}, []sdk.Priority{sdk.P0, sdk.P1, sdk.P2}},
		{"can't find is not can't log in", ticket("", "I can't find the login page for our EU workspace, where is it?"), nil, []sdk.Priority{sdk.P0, sdk.P1}},
		{"not switching to a competitor", ticket("Feedback", "We're not switching to Intercom, don't worry, but we really need better reporting."), []string{sdk.FieldSignalCompetitor}, nil},
		{"not urgent", ticket("Not urgent", "Not urgent at all: the tooltip on the tags page has a typo."), nil, []sdk.Priority{sdk.P0, sdk.P1}},
		{"de keine Daten verloren", ticket("Import", "Der Import hat eine Warnung gezeigt, aber es sind keine Daten verloren gegangen."), nil, []sdk.Priority{sdk.P0}},
		{"fr pas en panne", ticket("Question", "Le site n'est pas en panne, mais je ne trouve pas comment exporter mes factures."), []string{sdk.FieldSignalOutage}, []sdk.Priority{sdk.P0}},
		{"es no está caído", ticket("Duda", "El sistema no está caído, solo quería saber cómo cambiar mi contraseña."), []string{sdk.FieldSignalOutage}, []sdk.Priority{sdk.P0}},
		{"de nicht kündigen", ticket("Frage", "Wir wollen nicht kündigen, sondern nur die Rechnungsadresse ändern."), []string{sdk.FieldSignalCancel}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, tc.tk)
			for _, f := range tc.absent {
				if r.has(f) {
					t.Errorf("%s = %q; want none", f, r.value(f))
				}
			}
			for _, p := range tc.notLevel {
				if r.value(sdk.FieldPriority) == string(p) {
					t.Errorf("priority = %s; want anything but %v", p, tc.notLevel)
				}
			}
			if t.Failed() {
				t.Log(r)
			}
		})
	}
}

func TestSignalsInEachLanguage(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		name   string
		tk     *sdk.Ticket
		signal string
		want   string
	}{
		{"cancel en", ticket("", "Please cancel our account effective immediately."), sdk.FieldSignalCancel, "true"},
		{"cancel de", ticket("Kündigung", "Hiermit kündige ich meinen Vertrag fristgerecht zum 31.12."), sdk.FieldSignalCancel, "true"},
		{"cancel fr", ticket("", "Bonjour, je souhaite résilier mon abonnement à la fin du mois."), sdk.FieldSignalCancel, "true"},
		{"cancel fr annuler", ticket("", "Merci d'annuler mon abonnement dès que possible."), sdk.FieldSignalCancel, "true"},
		{"cancel es", ticket("", "Hola, quiero cancelar mi suscripción."), sdk.FieldSignalCancel, "true"},
		{"cancel es baja", ticket("", "Por favor, necesito darme de baja del servicio este mes."), sdk.FieldSignalCancel, "true"},
		{"refund en", ticket("", "I'd like a refund of $120 for the unused months."), sdk.FieldSignalRefundAmount, "120.00 USD"},
		{"refund de", ticket("", "Bitte um Rückerstattung von 89,00 € für die doppelte Abbuchung."), sdk.FieldSignalRefundAmount, "89.00 EUR"},
		{"refund de geld zurück", ticket("", "Ich möchte mein Geld zurück, 240 EUR für ein Jahr, das ich nicht nutze."), sdk.FieldSignalRefundAmount, "240.00 EUR"},
		{"refund fr", ticket("", "Je demande le remboursement de 59,90 € prélevés par erreur."), sdk.FieldSignalRefundAmount, "59.90 EUR"},
		{"refund es", ticket("", "Solicito el reembolso de 300 dólares, 300 USD cobrados por error."), sdk.FieldSignalRefundAmount, "300.00 USD"},
		{"refund es devolución", ticket("", "Quiero la devolución de los 45 € del último cargo."), sdk.FieldSignalRefundAmount, "45.00 EUR"},
		{"outage en", ticket("", "Your status page says everything is fine but the app is down for all our users."), sdk.FieldSignalOutage, "true"},
		{"outage de", ticket("", "Die Seite ist seit heute Morgen nicht erreichbar, es gibt eine Störung."), sdk.FieldSignalOutage, "true"},
		{"outage fr", ticket("", "L'application est hors service depuis une heure."), sdk.FieldSignalOutage, "true"},
		{"outage es", ticket("", "La plataforma está fuera de servicio desde las 8."), sdk.FieldSignalOutage, "true"},
		{"security en", ticket("", "Our admin password was leaked and someone logged into the account from Russia."), sdk.FieldSignalSecurity, "true"},
		{"security de", ticket("", "Wir haben eine Sicherheitslücke in Ihrem Login-Formular gefunden."), sdk.FieldSignalSecurity, "true"},
		{"security de datenleck", ticket("Datenleck?", "Kundendaten sind öffentlich einsehbar, bitte dringend prüfen."), sdk.FieldSignalSecurity, "true"},
		{"security fr", ticket("", "Nous pensons avoir trouvé une faille de sécurité : fuite de données clients via l'API."), sdk.FieldSignalSecurity, "true"},
		{"security es", ticket("", "Detectamos una brecha de seguridad y una posible filtración de datos."), sdk.FieldSignalSecurity, "true"},
		{"competitor name", ticket("", "Gorgias offers the same for half the price, we are seriously considering moving to Gorgias."), sdk.FieldSignalCompetitor, "Gorgias"},
		{"competitor two-word name", ticket("", "We're evaluating Help Scout as an alternative."), sdk.FieldSignalCompetitor, "Help Scout"},
		{"competitor generic", ticket("", "If nothing changes we'll be moving to another provider next quarter."), sdk.FieldSignalCompetitor, "true"},
		{"competitor de", ticket("", "Wir überlegen, zu Zendesk zu wechseln."), sdk.FieldSignalCompetitor, "Zendesk"},
		{"competitor fr", ticket("", "Nous allons passer chez Intercom le mois prochain."), sdk.FieldSignalCompetitor, "Intercom"},
		{"competitor es", ticket("", "Estamos pensando cambiar a Freshdesk."), sdk.FieldSignalCompetitor, "Freshdesk"},
		{"downgrade en", ticket("", "How can I downgrade to the free plan?"), sdk.FieldSignalDowngrade, "true"},
		{"downgrade de", ticket("", "Wir möchten in einen kleineren Tarif wechseln."), sdk.FieldSignalDowngrade, "true"},
		{"legal en", ticket("", "If this is not resolved I will sue your company."), sdk.FieldSignalLegal, "true"},
		{"legal gdpr", ticket("", "I will file a GDPR complaint with the data protection authority."), sdk.FieldSignalLegal, "true"},
		{"legal de", ticket("", "Ich werde meinen Anwalt einschalten und rechtliche Schritte einleiten."), sdk.FieldSignalLegal, "true"},
		{"legal fr", ticket("", "Sans réponse, je saisirai mon avocat pour une action en justice."), sdk.FieldSignalLegal, "true"},
		{"legal es", ticket("", "Si no lo solucionan, emprenderemos acciones legales."), sdk.FieldSignalLegal, "true"},
		{"repeat en", ticket("", "As I reported before, the export is still not fixed."), sdk.FieldSignalRepeat, "true"},
		{"repeat de", ticket("", "Der Fehler ist schon wieder aufgetreten, das Problem besteht immer noch."), sdk.FieldSignalRepeat, "true"},
		{"repeat fr", ticket("", "C'est la troisième fois que je vous écris, le problème n'est toujours pas résolu."), sdk.FieldSignalRepeat, "true"},
		{"repeat es", ticket("", "Otra vez el mismo error, sigue sin funcionar."), sdk.FieldSignalRepeat, "true"},
		{"executive en", ticket("", "Our VP of Operations wants an explanation by tomorrow."), sdk.FieldSignalExecutive, "true"},
		{"executive de", ticket("", "Unser Geschäftsführer möchte informiert werden."), sdk.FieldSignalExecutive, "true"},
		{"executive fr", ticket("", "Notre PDG attend une réponse."), sdk.FieldSignalExecutive, "true"},
		{"executive es", ticket("", "Nuestro director general está muy molesto."), sdk.FieldSignalExecutive, "true"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, tc.tk)
			if got := r.value(tc.signal); got != tc.want {
				t.Errorf("%s = %q; want %q%s", tc.signal, got, tc.want, r)
			}
		})
	}
}

func TestRecentTicketsAreAWeakRepeatSignal(t *testing.T) {
	c := newDefault(t)
	tk := ticket("Export", "The CSV export shows an error.")
	if r := run(t, c, tk); r.has(sdk.FieldSignalRepeat) {
		t.Fatalf("without recent tickets: repeat = %v", r[sdk.FieldSignalRepeat])
	}
	tk.Recent = []sdk.TicketRef{{Connector: "test", Account: "acme", ID: "0"}}
	r := run(t, c, tk)
	p := r[sdk.FieldSignalRepeat]
	if len(p) != 1 || p[0].Confidence >= 0.5 || !strings.Contains(p[0].Reason, "recent") {
		t.Errorf("with a recent ticket: repeat = %v; want one weak prediction naming recent tickets", p)
	}
}

func TestRefundAmounts(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		name, body, want string
	}{
		{"dollar sign", "Please refund $650 to our card.", "650.00 USD"},
		{"code after", "We expect a refund of 650 USD.", "650.00 USD"},
		{"euro european format", "Bitte erstatten Sie €1.200,50 zurück.", "1200.50 EUR"},
		{"words after", "Refund the 1,200.50 dollars you took.", "1200.50 USD"},
		{"code before", "Refund EUR 99 please.", "99.00 EUR"},
		{"pound", "I want my £30 back, please issue a refund.", "30.00 GBP"},
		{"space thousands", "Remboursement de 1 200,50 € svp.", "1200.50 EUR"},
		{"decimal comma", "Rückerstattung von 12,5 € bitte.", "12.50 EUR"},
		{"nearest amount wins", "We paid $49.99 but the plan costs $29.99, please refund the difference of $20.", "20.00 USD"},
		{"chargeback", "Fix the $75 charge or I'll file a chargeback.", "75.00 USD"},
		{"demanded through a negation", "If the $1,200 is not refunded by Friday I will dispute it with my bank.", "1200.00 USD"},
		{"still not refunded", "It's been three weeks and the 89 EUR are still not refunded.", "89.00 EUR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, ticket("", tc.body))
			if got := r.value(sdk.FieldSignalRefundAmount); got != tc.want {
				t.Errorf("refund amount = %q; want %q%s", got, tc.want, r)
			}
		})
	}
	t.Run("no refund asked", func(t *testing.T) {
		r := run(t, c, ticket("Upgrade", "We upgraded to the $99 plan and love it."))
		if r.has(sdk.FieldSignalRefundAmount) {
			t.Errorf("refund amount = %q; want none", r.value(sdk.FieldSignalRefundAmount))
		}
	})
	t.Run("refund without an amount", func(t *testing.T) {
		r := run(t, c, ticket("", "Can I get a refund for last month?"))
		if r.has(sdk.FieldSignalRefundAmount) {
			t.Errorf("refund amount = %q; want none without an amount", r.value(sdk.FieldSignalRefundAmount))
		}
	})
}

func TestLanguage(t *testing.T) {
	c := newDefault(t)
	cases := []struct {
		name, body, want string
		minConf          float64
	}{
		{"en", "Hi, we can't find where to change the invoice address for our company. Could you help?", "en", 0.7},
		{"de", "Hallo, wir finden leider nicht, wo man die Rechnungsadresse für unsere Firma ändern kann. Können Sie uns helfen?", "de", 0.7},
		{"fr", "Bonjour, nous ne trouvons pas où modifier l'adresse de facturation de notre société. Pouvez-vous nous aider ?", "fr", 0.7},
		{"es", "Hola, no encontramos dónde cambiar la dirección de facturación de nuestra empresa. ¿Nos pueden ayudar?", "es", 0.7},
		{"pt", "Olá, não consigo encontrar onde alterar o endereço de cobrança da minha empresa. Vocês podem ajudar? Obrigado.", "pt", 0.5},
		{"it", "Buongiorno, non riesco a trovare dove cambiare l'indirizzo di fatturazione della nostra azienda. Grazie.", "it", 0.5},
		{"nl", "Hallo, ik kan niet vinden waar ik het factuuradres van ons bedrijf kan wijzigen. Kunnen jullie helpen?", "nl", 0.5},
		{"de short", "Login geht nicht", "de", 0.3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, c, ticket("", tc.body))
			p := r[sdk.FieldLanguage]
			if len(p) != 1 || p[0].Value != tc.want || p[0].Confidence < tc.minConf {
				t.Errorf("language = %v; want %s with confidence >= %v", p, tc.want, tc.minConf)
			}
		})
	}
	t.Run("too little text falls back to en", func(t *testing.T) {
		for _, body := range []string{"ok", "404", "???", "Zendesk"} {
			r := run(t, c, ticket("", body))
			p := r[sdk.FieldLanguage]
			if len(p) != 1 || p[0].Value != "en" || p[0].Confidence > 0.3 {
				t.Errorf("body %q: language = %v; want en with low confidence", body, p)
			}
		}
	})
}

func TestMessagesAndWeights(t *testing.T) {
	c := newDefault(t)
	t.Run("agent messages are ignored", func(t *testing.T) {
		tk := ticket("Question", "How do I add a new agent?")
		tk.Messages = append(tk.Messages, sdk.Message{Body: "Sorry about the outage earlier! If you want a refund of $50 just say so.", FromAgent: true})
		r := run(t, c, tk)
		if r.has(sdk.FieldSignalOutage) || r.has(sdk.FieldSignalRefundAmount) || r.value(sdk.FieldPriority) == "P0" {
			t.Errorf("agent text was used:%s", r)
		}
	})
	t.Run("quoted reply lines are ignored", func(t *testing.T) {
		r := run(t, c, ticket("Re: your ticket", "Thanks, that answers it!\n\n> We had an outage and data loss yesterday.\n> Regards, Support"))
		if r.has(sdk.FieldSignalOutage) || r.value(sdk.FieldPriority) == "P0" {
			t.Errorf("quoted text was used:%s", r)
		}
	})
	t.Run("latest message weighs most", func(t *testing.T) {
		tk := ticket("Export", "Thank you, the export works great now!", "Actually it's broken again and I'm frustrated, the export fails every time.")
		r := run(t, c, tk)
		if got := r.value(sdk.FieldSentiment); got != sdk.SentimentNegative {
			t.Errorf("sentiment = %s; want negative from the latest message%s", got, r)
		}
	})
	t.Run("plan does not change priority", func(t *testing.T) {
		var first *sdk.Prediction
		for _, plan := range []string{"free", "starter", "pro", "business", "enterprise"} {
			tk := ticket("Invoice wrong", "Our invoice shows the wrong amount for May.")
			tk.Customer = map[string]string{sdk.AttrPlan: plan, sdk.AttrMRR: "5000"}
			p := run(t, c, tk)[sdk.FieldPriority][0]
			if first == nil {
				first = &p
			} else if p != *first {
				t.Errorf("plan %s: priority %+v; want %+v as for every plan", plan, p, *first)
			}
		}
	})
	t.Run("a huge history does not crowd out the latest message", func(t *testing.T) {
		history := strings.Repeat("We love the product and use it every day for our support team. ", 2000)
		tk := ticket("Billing", history, history, "You charged us twice this month, please refund the $80.")
		r := run(t, c, tk)
		if r.value(sdk.FieldPriority) != "P1" || r.value(sdk.FieldSignalRefundAmount) != "80.00 USD" {
			t.Errorf("latest message lost:%s", r)
		}
	})
	t.Run("only the latest messages are read", func(t *testing.T) {
		tk := ticket("Follow-up", "Our production site is down for everyone!")
		for range c.m.set.maxMessages {
			tk.Messages = append(tk.Messages, sdk.Message{Body: "Any update on this? Thanks."})
		}
		if r := run(t, c, tk); r.has(sdk.FieldSignalOutage) {
			t.Errorf("a message older than the latest %d was read:%s", c.m.set.maxMessages, r)
		}
		tk.Messages = tk.Messages[:c.m.set.maxMessages]
		if r := run(t, c, tk); !r.has(sdk.FieldSignalOutage) {
			t.Errorf("the oldest of the latest %d messages was not read:%s", c.m.set.maxMessages, r)
		}
	})
	t.Run("no text at all", func(t *testing.T) {
		r := run(t, c, &sdk.Ticket{})
		if r.value(sdk.FieldPrimaryTag) != "how-to" || r[sdk.FieldPrimaryTag][0].Confidence > 0.3 || !strings.Contains(r[sdk.FieldPrimaryTag][0].Reason, "no tag rule matched") {
			t.Errorf("empty ticket: primary = %v; want how-to with low confidence, saying so", r[sdk.FieldPrimaryTag])
		}
		if r.value(sdk.FieldPriority) == "" || r.value(sdk.FieldLanguage) != "en" {
			t.Errorf("empty ticket: want a default priority and en:%s", r)
		}
	})
}

func TestFieldsAndAllowedValues(t *testing.T) {
	c := newDefault(t)
	billing := ticket("Charged twice", "You charged me twice, I want a refund of $40 or I'm moving to Zendesk. This is unacceptable!!!")
	t.Run("only listed fields", func(t *testing.T) {
		r := run(t, c, billing, sdk.FieldSpec{Name: sdk.FieldPriority}, sdk.FieldSpec{Name: sdk.FieldSignalCancel})
		for f := range r {
			if f != sdk.FieldPriority {
				t.Errorf("unrequested field %s predicted", f)
			}
		}
		if !r.has(sdk.FieldPriority) {
			t.Error("priority not predicted")
		}
	})
	t.Run("tags restricted", func(t *testing.T) {
		allowed := []string{"bug", "how-to", "churn-risk"}
		r := run(t, c, billing, sdk.FieldSpec{Name: sdk.FieldPrimaryTag, Allowed: allowed}, sdk.FieldSpec{Name: sdk.FieldSecondaryTag, Allowed: allowed})
		for _, tag := range r.tags() {
			if !contains(allowed, tag) {
				t.Errorf("tag %q outside %v", tag, allowed)
			}
		}
		if r.value(sdk.FieldPrimaryTag) != "churn-risk" {
			t.Errorf("primary = %q; want churn-risk, the best allowed tag", r.value(sdk.FieldPrimaryTag))
		}
	})
	t.Run("default tag not allowed", func(t *testing.T) {
		r := run(t, c, ticket("", "ok"), sdk.FieldSpec{Name: sdk.FieldPrimaryTag, Allowed: []string{"billing", "bug"}})
		if got := r.value(sdk.FieldPrimaryTag); got != "billing" && got != "bug" {
			t.Errorf("primary = %q; want an allowed tag", got)
		}
	})
	t.Run("priority restricted", func(t *testing.T) {
		r := run(t, c, billing, sdk.FieldSpec{Name: sdk.FieldPriority, Allowed: []string{"P2", "P3"}})
		if got := r.value(sdk.FieldPriority); got != "P2" && got != "P3" {
			t.Errorf("priority = %q; want P2 or P3", got)
		}
	})
	t.Run("angry not allowed falls back to negative", func(t *testing.T) {
		r := run(t, c, billing, sdk.FieldSpec{Name: sdk.FieldSentiment, Allowed: []string{"positive", "neutral", "negative"}})
		if got := r.value(sdk.FieldSentiment); got != sdk.SentimentNegative {
			t.Errorf("sentiment = %q; want negative%s", got, r)
		}
	})
	t.Run("competitor names not allowed", func(t *testing.T) {
		r := run(t, c, billing, sdk.FieldSpec{Name: sdk.FieldSignalCompetitor, Allowed: []string{"true"}})
		if got := r.value(sdk.FieldSignalCompetitor); got != "true" {
			t.Errorf("competitor = %q; want true%s", got, r)
		}
	})
	t.Run("language restricted", func(t *testing.T) {
		r := run(t, c, ticket("", "Hallo, die Rechnung für unser Konto ist leider falsch."), sdk.FieldSpec{Name: sdk.FieldLanguage, Allowed: []string{"en", "fr"}})
		if got := r.value(sdk.FieldLanguage); got != "en" && got != "fr" {
			t.Errorf("language = %q; want en or fr", got)
		}
	})
}

func TestClassifyErrors(t *testing.T) {
	c := newDefault(t)
	if _, err := c.Classify(t.Context(), &sdk.ClassifyRequest{}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("no ticket: err = %v; want ErrInvalid", err)
	}
	if _, err := c.Classify(t.Context(), nil); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("nil request: err = %v; want ErrInvalid", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Classify(ctx, &sdk.ClassifyRequest{Ticket: ticket("x", "y")}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v; want context.Canceled", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newDefault(t)
	corpus := benchTickets()
	want := make([]*sdk.ClassifyResponse, len(corpus))
	for i, tk := range corpus {
		resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: tk})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = resp
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range corpus {
				i := (k + g*7) % len(corpus)
				resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: corpus[i]})
				if err != nil {
					t.Error(err)
					return
				}
				if len(resp.Predictions) != len(want[i].Predictions) {
					t.Errorf("ticket %d: %d predictions concurrently, %d alone", i, len(resp.Predictions), len(want[i].Predictions))
					return
				}
				for j := range resp.Predictions {
					if resp.Predictions[j] != want[i].Predictions[j] {
						t.Errorf("ticket %d: %+v concurrently, %+v alone", i, resp.Predictions[j], want[i].Predictions[j])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestCorpusInvariants(t *testing.T) {
	c := newDefault(t)
	for i, tk := range benchTickets() {
		r := run(t, c, tk)
		if !r.has(sdk.FieldPriority) || !r.has(sdk.FieldPrimaryTag) || !r.has(sdk.FieldSentiment) || !r.has(sdk.FieldLanguage) {
			t.Errorf("ticket %d (%q): missing a core field:%s", i, tk.Subject, r)
		}
	}
}

// FuzzClassify checks that arbitrary text never panics and always yields
// well-formed predictions.
func FuzzClassify(f *testing.F) {
	for _, tk := range benchTickets()[:12] {
		f.Add(tk.Subject, tk.Messages[len(tk.Messages)-1].Body)
	}
	for _, s := range []string{"", "!!!???", "l'", "'", "1,2,3,,4.5.", "$", "€1.", "> only quoted", "ÄÖÜß\u0301\u0300", "a\xffb\xfe", "https://x.example/a?b=c&d=e#f", strings.Repeat("DOWN ", 2000)} {
		f.Add(s, s)
	}
	c := newDefault(f)
	f.Fuzz(func(t *testing.T, subject, body string) {
		resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: ticket(subject, body, body+" again")})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, resp)
		seen := map[string]bool{}
		for _, p := range resp.Predictions {
			if p.Field == sdk.FieldPrimaryTag {
				seen["primary"] = true
			}
		}
		if !seen["primary"] {
			t.Error("no primary tag")
		}
	})
}
