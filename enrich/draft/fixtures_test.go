package draft

import (
	"time"

	"github.com/heardhq/heard/sdk"
)

// testNow is a Tuesday morning.
var testNow = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

// ticket builds a ticket with one customer message (and an older agent
// reply, so "latest customer message" is exercised).
func ticket(name, subject, body string, customer map[string]string) *sdk.Ticket {
	return &sdk.Ticket{
		Ref:       sdk.TicketRef{Connector: "zendesk", Account: "crewbook", ID: "4711"},
		Subject:   subject,
		Requester: sdk.Party{ID: "u1", Name: name, Email: "customer@example.com"},
		Customer:  customer,
		Messages: []sdk.Message{
			{Body: "Earlier message from the customer.", CreatedAt: testNow.Add(-48 * time.Hour)},
			{Body: "Thanks, we'll look into it.", FromAgent: true, Public: true, CreatedAt: testNow.Add(-47 * time.Hour)},
			{Body: body, CreatedAt: testNow.Add(-10 * time.Minute)},
		},
		CreatedAt: testNow.Add(-10 * time.Minute),
	}
}

const helpBase = "https://help.crewbook.example/articles/"

// scenario is a realistic request for one situation and language.
type scenario struct {
	name string
	want Situation
	req  Request
}

// scenarios are realistic tickets for every situation, in English first,
// then German, French and Spanish; the situations added for issue 14
// (cancellation, security, legal, repeat, no answer yet) follow, one per
// language each.
func scenarios() []scenario {
	return append(baseScenarios(), moreScenarios()...)
}

func baseScenarios() []scenario {
	return []scenario{
		{name: "en bug report", want: SituationBug, req: Request{
			Ticket: ticket("Anna Weber", "CSV export fails with error 502",
				"Hi,\n\nsince this morning every CSV export of the Projects report fails. Chrome 121 shows \"Export failed: gateway timeout\" after about a minute. "+
					"Is there a workaround until it's fixed? We need the file for a client meeting on Thursday.\n\nThanks,\nAnna", nil),
			Priority: sdk.P1, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "en",
			Articles: []Article{
				{Title: "Exporting large reports", URL: helpBase + "exporting-large-reports", Snippet: "Exports over 50,000 rows can time out. Filter the report by date range, then export each range separately.", Score: 0.71, Answer: 0.71},
				{Title: "Scheduling report exports", URL: helpBase + "scheduled-exports", Snippet: "Schedule a report to arrive by email every week.", Score: 0.55, Answer: 0.55},
			},
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "en how-to formal", want: SituationHowTo, req: Request{
			Ticket: ticket("Mr. David Okafor", "Adding a colleague to a shared project",
				"Dear Support team,\n\nHow do I invite a colleague to a shared project? Could you also tell me whether invited colleagues can see our invoices?\n\nKind regards,\nDavid Okafor", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Sentiment: sdk.SentimentNeutral, Language: "en",
			Articles: []Article{
				{Title: "Invite teammates to a project", URL: helpBase + "invite-teammates", Snippet: "1. Open the project and select Share.\n2. Enter your colleague's email address.\n3. Choose their role: Viewer, Editor or Admin.\n4. Click Send invite.", Score: 0.88, Answer: 0.88},
				{Title: "Roles and permissions", URL: helpBase + "roles", Snippet: "Only Admins can see billing and invoices.", Score: 0.6, Answer: 0.6},
			},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "en feature request", want: SituationFeature, req: Request{
			Ticket: ticket("carla mendes", "Export to Google Sheets",
				"Hey team! It would be great if reports could sync straight to Google Sheets. Right now we download a CSV every Monday and paste it in by hand. Is this on your roadmap?\n\nCheers, Carla", nil),
			Priority: sdk.P3, PrimaryTag: "feature-request", Sentiment: sdk.SentimentNeutral, Language: "en",
			Articles: []Article{
				{Title: "Connect Crewbook to Zapier", URL: helpBase + "zapier", Score: 0.62, Answer: 0.62},
				{Title: "Scheduled CSV exports by email", URL: helpBase + "scheduled-exports", Score: 0.58, Answer: 0.58},
			},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "en billing", want: SituationBilling, req: Request{
			Ticket: ticket("Dan Fischer", "Charged twice for March",
				"Hello, our card was charged $49.00 twice on 1 March for invoice INV-2041. Can you refund the duplicate charge?\n\nThanks, Dan", map[string]string{sdk.AttrPlan: "business"}),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentNegative, Language: "en",
			Articles:      []Article{{Title: "Understanding your invoice", URL: helpBase + "invoices", Score: 0.52, Answer: 0.52}},
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "en angry customer", want: SituationAngry, req: Request{
			Ticket: ticket("Erin Walsh", "Third outage this week - this is unacceptable",
				"This is the third time this week the scheduler has gone down in the middle of our shift planning. We lost two hours of work again today. "+
					"I'm paying for the Business plan and I expect it to work. What are you doing to fix this for good?", map[string]string{sdk.AttrPlan: "business"}),
			Priority: sdk.P1, PrimaryTag: "bug", Sentiment: sdk.SentimentAngry, Language: "en",
			Compensation:  "one month's credit on your Business plan",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "en proactive outreach", want: SituationOutreach, req: Request{
			Ticket: ticket("Fay Chen", "Checking in",
				"Honestly the team hasn't logged in much lately.", map[string]string{sdk.AttrUsageTrend: "-60", sdk.AttrLastLogin: "2026-02-10T08:00:00Z"}),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Sentiment: sdk.SentimentNeutral, Language: "en", ChurnLevel: "high",
			Articles:      []Article{{Title: "A 10-minute setup checklist", URL: helpBase + "setup-checklist", Score: 0.41, Answer: 0.41}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},

		{name: "de bug report formal", want: SituationBug, req: Request{
			Ticket: ticket("Jonas Becker", "CSV-Export bricht mit Fehler 502 ab",
				"Guten Tag,\n\nseit heute Morgen bricht jeder CSV-Export des Projektberichts ab. Chrome zeigt „Export fehlgeschlagen: Zeitüberschreitung“. "+
					"Gibt es einen Workaround, bis das behoben ist? Können Sie mir helfen?\n\nMit freundlichen Grüßen\nJonas Becker", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "de",
			Articles:      []Article{{Title: "Große Berichte exportieren", URL: helpBase + "de/grosse-berichte", Snippet: "Filtern Sie den Bericht nach Zeitraum und exportieren Sie jeden Zeitraum einzeln.", Score: 0.7, Answer: 0.7}},
			ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "de how-to casual", want: SituationHowTo, req: Request{
			Ticket: ticket("Lena Vogel", "Kollegin zum Projekt einladen",
				"Hi! Wie kann ich eine Kollegin zu meinem Projekt einladen? Danke dir, Lena", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Sentiment: sdk.SentimentNeutral, Language: "de",
			Articles: []Article{{Title: "Teammitglieder einladen", URL: helpBase + "de/einladen",
				Snippet: "1. Öffne das Projekt und wähle Teilen.\n2. Gib die E-Mail-Adresse ein.\n3. Wähle eine Rolle und klicke auf Einladen.", Score: 0.9, Answer: 0.9}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "de feature request formal", want: SituationFeature, req: Request{
			Ticket: ticket("Petra Schulz", "Export nach Google Sheets",
				"Sehr geehrte Damen und Herren,\n\nes wäre toll, wenn Berichte direkt mit Google Sheets synchronisiert würden. Planen Sie so eine Funktion?\n\nMit freundlichen Grüßen\nPetra Schulz", nil),
			Priority: sdk.P3, PrimaryTag: "feature-request", Sentiment: sdk.SentimentNeutral, Language: "de",
			Articles:      []Article{{Title: "Crewbook mit Zapier verbinden", URL: helpBase + "de/zapier", Score: 0.6, Answer: 0.6}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "de billing formal", want: SituationBilling, req: Request{
			Ticket: ticket("Weber, Anna", "Doppelte Abbuchung",
				"Guten Tag,\n\nuns wurden am 1. März zweimal 49,00 € für die Rechnung RE-2041 abgebucht. Können Sie den doppelten Betrag bitte erstatten?\n\nMit freundlichen Grüßen\nAnna Weber", map[string]string{sdk.AttrPlan: "business"}),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentNegative, Language: "de",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "de angry customer", want: SituationAngry, req: Request{
			Ticket: ticket("Tom Richter", "Schon wieder Ausfall!",
				"Das ist diese Woche schon der dritte Ausfall des Schichtplaners. Wir haben heute wieder zwei Stunden Arbeit verloren. Was unternehmen Sie dagegen?", nil),
			Priority: sdk.P1, PrimaryTag: "bug", Sentiment: sdk.SentimentAngry, Language: "de",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "de proactive outreach", want: SituationOutreach, req: Request{
			Ticket: ticket("Klaus Meier", "Rückmeldung",
				"Wir nutzen das Tool im Moment kaum.", map[string]string{sdk.AttrPaymentStatus: "failed", sdk.AttrRenewalDate: "2026-04-01"}),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Language: "de", ChurnLevel: "very-high",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},

		{name: "fr bug report formal", want: SituationBug, req: Request{
			Ticket: ticket("Claire Martin", "L'export CSV échoue",
				"Bonjour,\n\ndepuis ce matin, chaque export CSV du rapport Projets échoue avec l'erreur 502 dans Firefox. Pouvez-vous regarder ce problème ?\n\nCordialement,\nClaire Martin", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "fr",
			Articles:      []Article{{Title: "Exporter de gros rapports", URL: helpBase + "fr/gros-rapports", Score: 0.66, Answer: 0.66}},
			ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "fr how-to casual", want: SituationHowTo, req: Request{
			Ticket: ticket("Hugo Petit", "Inviter un collègue",
				"Salut ! Comment je peux inviter un collègue sur mon projet ? Merci, Hugo", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Language: "fr",
			Articles: []Article{{Title: "Inviter des membres", URL: helpBase + "fr/inviter",
				Snippet: "Ouvrez le projet et sélectionnez Partager. Saisissez l'adresse e-mail, puis choisissez un rôle.", Score: 0.87, Answer: 0.87}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "fr feature request", want: SituationFeature, req: Request{
			Ticket: ticket("Julie Bernard", "Synchronisation avec Google Sheets",
				"Bonjour, ce serait bien de pouvoir synchroniser les rapports avec Google Sheets. Est-ce prévu ? Cordialement, Julie Bernard", nil),
			Priority: sdk.P3, PrimaryTag: "feature-request", Language: "fr",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "fr billing", want: SituationBilling, req: Request{
			Ticket: ticket("Marc Dubois", "Double prélèvement",
				"Bonjour, vous m'avez prélevé 49,00 € deux fois le 1 mars pour la facture FA-2041. Pouvez-vous rembourser le doublon ? Merci", map[string]string{sdk.AttrPlan: "pro"}),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentNegative, Language: "fr",
			Compensation:  "le remboursement du prélèvement en double de 49,00 €",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "fr angry customer", want: SituationAngry, req: Request{
			Ticket: ticket("Sophie Laurent", "Encore une panne",
				"C'est la troisième panne du planning cette semaine. Nous avons encore perdu deux heures de travail. Qu'allez-vous faire ?", nil),
			Priority: sdk.P1, PrimaryTag: "bug", Sentiment: sdk.SentimentAngry, Language: "fr",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "fr proactive outreach", want: SituationOutreach, req: Request{
			Ticket: ticket("Luc Moreau", "Nouvelles",
				"L'équipe n'utilise presque plus l'outil.", map[string]string{sdk.AttrNegativeInteractions: "4"}),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Language: "fr", ChurnLevel: "critical",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},

		{name: "es bug report", want: SituationBug, req: Request{
			Ticket: ticket("Lucía García", "La exportación CSV falla",
				"Hola, desde esta mañana cada exportación CSV del informe de proyectos falla en Chrome con el error 502. ¿Hay alguna solución temporal? Gracias", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "es",
			Articles:      []Article{{Title: "Exportar informes grandes", URL: helpBase + "es/informes-grandes", Score: 0.7, Answer: 0.7}},
			ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "es how-to formal", want: SituationHowTo, req: Request{
			Ticket: ticket("Javier López", "Invitar a un compañero",
				"Estimado equipo:\n\n¿Cómo puedo invitar a un compañero a un proyecto compartido? Le agradecería su ayuda.\n\nAtentamente,\nJavier López", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Language: "es",
			Articles: []Article{{Title: "Invitar a miembros", URL: helpBase + "es/invitar",
				Snippet: "1. Abra el proyecto y seleccione Compartir.\n2. Introduzca la dirección de correo.\n3. Elija un rol y pulse Invitar.", Score: 0.86, Answer: 0.86}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "es feature request", want: SituationFeature, req: Request{
			Ticket: ticket("Marta Ruiz", "Sincronizar con Google Sheets",
				"Hola, sería genial poder sincronizar los informes con Google Sheets. ¿Está en vuestros planes? Un saludo", nil),
			Priority: sdk.P3, PrimaryTag: "feature-request", Language: "es",
			Articles:      []Article{{Title: "Conectar con Zapier", URL: helpBase + "es/zapier", Score: 0.6, Answer: 0.6}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "es billing formal", want: SituationBilling, req: Request{
			Ticket: ticket("Pablo Sánchez", "Cobro duplicado",
				"Estimados señores:\n\nnos han cobrado 49,00 € dos veces el 1 de marzo por la factura FC-2041. ¿Podrían reembolsar el cobro duplicado?\n\nAtentamente,\nPablo Sánchez", map[string]string{sdk.AttrPlan: "starter"}),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentNegative, Language: "es",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "es angry customer", want: SituationAngry, req: Request{
			Ticket: ticket("Elena Torres", "Otra caída más",
				"Es la tercera caída del planificador esta semana. Hoy hemos vuelto a perder dos horas de trabajo. ¿Qué vais a hacer para solucionarlo?", nil),
			Priority: sdk.P1, PrimaryTag: "bug", Sentiment: sdk.SentimentAngry, Language: "es",
			Articles:      []Article{{Title: "Estado del servicio", URL: helpBase + "es/estado", Score: 0.5, Answer: 0.5}},
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "es proactive outreach", want: SituationOutreach, req: Request{
			Ticket: ticket("Diego Navarro", "Seguimiento",
				"Ahora mismo apenas usamos la herramienta.", map[string]string{sdk.AttrUsageTrend: "-75"}),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Language: "es", ChurnLevel: "high",
			Articles:      []Article{{Title: "Lista de configuración en 10 minutos", URL: helpBase + "es/configuracion", Score: 0.4, Answer: 0.4}},
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
	}
}

// competitor is the signal the classifiers set when a competitor is named.
func competitor(name string) map[string]string {
	return map[string]string{sdk.FieldSignalCompetitor: name, sdk.FieldSignalCancel: "true"}
}

func moreScenarios() []scenario {
	mrr3200 := map[string]string{sdk.AttrPlan: "business", sdk.AttrMRR: "3200"}
	return []scenario{
		{name: "en cancellation naming a competitor", want: SituationCancel, req: Request{
			Ticket: ticket("Maya Patel", "Cancelling our subscription",
				"Hi, we've decided to move the team over to Harvest next month, so please cancel our subscription at the end of this billing period. Thanks, Maya", mrr3200),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Tags: []string{"billing"}, Sentiment: sdk.SentimentNeutral, Language: "en", ChurnLevel: "very-high",
			Signals: competitor("Harvest"), RetentionOffer: "an executive call, custom pricing, dedicated support",
			Articles: []Article{
				{Title: "Pause your subscription", URL: helpBase + "pause", Score: 0.55, Answer: 0.55},
				{Title: "Cancel your subscription", URL: helpBase + "cancel", Score: 0.53, Answer: 0.53},
			},
			FirstResponseDue: testNow.Add(24 * time.Hour), ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "en security report", want: SituationSecurity, req: Request{
			Ticket: ticket("Tomás Silva", "Possible XSS in the client portal",
				"Hello, while testing our own integration I noticed that the client portal renders the project name without escaping it, so a script tag in a project name runs for every client who opens the portal. I have not shared this anywhere else. Regards, Tomás", nil),
			Priority: sdk.P0, PrimaryTag: "security", Sentiment: sdk.SentimentNeutral, Language: "en",
			Articles:         []Article{{Title: "Let clients pay invoices online through the client portal", URL: helpBase + "client-portal", Score: 0.31, Answer: 0.31}},
			FirstResponseDue: testNow.Add(15 * time.Minute), ResolutionDue: testNow.Add(4 * time.Hour), Now: testNow,
		}},
		{name: "en legal threat", want: SituationLegal, req: Request{
			Ticket: ticket("Victor Hale", "Refund demand – we will involve our lawyer",
				"You billed us $1,450 for seats we removed in January. I have asked twice. If the refund is not confirmed this week, our lawyer will take it from here.", nil),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentAngry, Language: "en",
			Articles:         []Article{{Title: "Crewbook refund policy", URL: helpBase + "refunds", Score: 0.42, Answer: 0.42}},
			FirstResponseDue: testNow.Add(time.Hour), ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "en repeat issue", want: SituationRepeat, req: Request{
			Ticket: ticket("Jonas Berg", "Timer stopped syncing again",
				"Hi, the desktop timer stopped syncing with the web app again. This is the third time this month. Entries from this morning are missing on the web. Cheers, Jonas", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "en",
			Articles: []Article{
				{Title: "The timer won't start or keeps resetting", URL: helpBase + "timer-not-starting", Score: 0.59, Answer: 0.59},
				{Title: "Works offline: what you can do without a connection", URL: helpBase + "offline", Score: 0.59, Answer: 0.3},
			},
			FirstResponseDue: testNow.Add(5 * time.Hour), ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "en no answer yet", want: SituationUnknown, req: Request{
			Ticket: ticket("Lena Hoffmann", "How do I invite my team?",
				"Hi! We just signed up. How do I invite my five colleagues and give them access to one project only? Thanks, Lena", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Tags: []string{"onboarding"}, Sentiment: sdk.SentimentNeutral, Language: "en",
			Articles: []Article{
				{Title: "Fill in your weekly timesheet", URL: helpBase + "weekly-timesheet", Snippet: "Click Copy rows from last week to add the same project and task rows you used last week (without hours). Handy when your work is similar every week.", Score: 0.42, Answer: 0.42},
				{Title: "Use project templates", URL: helpBase + "project-templates", Score: 0.30, Answer: 0.30},
			},
			FirstResponseDue: testNow.Add(24 * time.Hour), ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},

		{name: "de cancellation formal", want: SituationCancel, req: Request{
			Ticket: ticket("Katrin Vogel", "Kündigung unseres Abos",
				"Sehr geehrte Damen und Herren,\n\nhiermit möchten wir unser Abonnement zum Monatsende kündigen. Der Preis ist für unser kleines Team leider zu teuer geworden.\n\nMit freundlichen Grüßen\nKatrin Vogel", map[string]string{sdk.AttrPlan: "starter"}),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Sentiment: sdk.SentimentNeutral, Language: "de", ChurnLevel: "high",
			RetentionOffer: "1 Monat kostenlos oder 20 % Rabatt für 3 Monate",
			ResolutionDue:  testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "de security report", want: SituationSecurity, req: Request{
			Ticket: ticket("Lukas Brandt", "Sicherheitslücke im Kundenportal",
				"Hallo, ich habe im Kundenportal eine Sicherheitslücke gefunden: Projektnamen werden ohne Escaping angezeigt. Ich habe das nirgends veröffentlicht. Viele Grüße, Lukas", nil),
			Priority: sdk.P0, Sentiment: sdk.SentimentNeutral, Language: "de",
			ResolutionDue: testNow.Add(4 * time.Hour), Now: testNow,
		}},
		{name: "de legal threat formal", want: SituationLegal, req: Request{
			Ticket: ticket("Dr. Petra Lang", "Erstattung – sonst Anwalt",
				"Sehr geehrte Damen und Herren,\n\nSie haben uns 890 € für gekündigte Lizenzen berechnet. Sollte die Erstattung nicht bis Freitag bestätigt werden, übergeben wir die Angelegenheit unserem Anwalt.\n\nMit freundlichen Grüßen\nPetra Lang", nil),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentAngry, Language: "de",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "de repeat issue", want: SituationRepeat, req: Request{
			Ticket: ticket("Jonas Becker", "Timer synchronisiert schon wieder nicht",
				"Hallo, der Desktop-Timer synchronisiert schon wieder nicht mit der Web-App. Das ist jetzt das dritte Mal diesen Monat. Viele Grüße, Jonas", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "de",
			ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "de no answer yet", want: SituationUnknown, req: Request{
			Ticket: ticket("Mia Schulz", "Stundensätze pro Kunde?",
				"Hallo, kann ich für jeden Kunden einen eigenen Stundensatz festlegen? Danke, Mia", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Sentiment: sdk.SentimentNeutral, Language: "de",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},

		{name: "fr cancellation", want: SituationCancel, req: Request{
			Ticket: ticket("Claire Martin", "Résiliation",
				"Bonjour, nous souhaitons résilier notre abonnement : le projet pour lequel nous utilisions l'outil est terminé et nous n'en avons plus besoin. Merci, Claire", nil),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Sentiment: sdk.SentimentNeutral, Language: "fr", ChurnLevel: "high",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "fr security report formal", want: SituationSecurity, req: Request{
			Ticket: ticket("Hugo Bernard", "Faille de sécurité",
				"Madame, Monsieur,\n\nje vous signale une faille de sécurité dans le portail client. Je n'ai partagé cette information avec personne.\n\nCordialement,\nHugo Bernard", nil),
			Priority: sdk.P0, PrimaryTag: "security", Sentiment: sdk.SentimentNeutral, Language: "fr",
			ResolutionDue: testNow.Add(4 * time.Hour), Now: testNow,
		}},
		{name: "fr legal threat", want: SituationLegal, req: Request{
			Ticket: ticket("Julien Petit", "Remboursement ou avocat",
				"Bonjour, vous nous avez facturé 950 € de trop. Sans remboursement cette semaine, je transmets le dossier à notre avocat.", nil),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentNegative, Language: "fr",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "fr repeat issue", want: SituationRepeat, req: Request{
			Ticket: ticket("Léa Moreau", "La synchronisation échoue de nouveau",
				"Salut, la synchronisation du minuteur échoue de nouveau. C'est la troisième fois ce mois-ci. Merci, Léa", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "fr",
			ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "fr no answer yet", want: SituationUnknown, req: Request{
			Ticket: ticket("Paul Roux", "Taux horaire par client",
				"Bonjour, est-ce que je peux définir un taux horaire différent pour chaque client ? Merci, Paul", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Sentiment: sdk.SentimentNeutral, Language: "fr",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},

		{name: "es cancellation", want: SituationCancel, req: Request{
			Ticket: ticket("Lucía Gómez", "Cancelar suscripción",
				"Hola, queremos cancelar la suscripción a final de mes. Nos pasamos a Toggl. Un saludo, Lucía", nil),
			Priority: sdk.P3, PrimaryTag: "churn-risk", Sentiment: sdk.SentimentNeutral, Language: "es", ChurnLevel: "high",
			Signals: competitor("Toggl"), ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
		{name: "es security report", want: SituationSecurity, req: Request{
			Ticket: ticket("Andrés Vidal", "Vulnerabilidad en el portal",
				"Hola, he encontrado una vulnerabilidad en el portal de clientes. No lo he publicado en ningún sitio. Un saludo, Andrés", nil),
			Priority: sdk.P0, Sentiment: sdk.SentimentNeutral, Language: "es",
			ResolutionDue: testNow.Add(4 * time.Hour), Now: testNow,
		}},
		{name: "es legal threat formal", want: SituationLegal, req: Request{
			Ticket: ticket("Carmen Ortiz", "Reembolso o acciones legales",
				"Estimados señores:\n\nnos han cobrado 600 € por licencias canceladas. Si no recibimos el reembolso, nuestro abogado tomará acciones legales.\n\nAtentamente,\nCarmen Ortiz", nil),
			Priority: sdk.P1, PrimaryTag: "billing", Sentiment: sdk.SentimentAngry, Language: "es",
			ResolutionDue: testNow.Add(8 * time.Hour), Now: testNow,
		}},
		{name: "es repeat issue", want: SituationRepeat, req: Request{
			Ticket: ticket("Sergio Molina", "El temporizador falla otra vez",
				"Hola, el temporizador ha dejado de sincronizar otra vez. Es la tercera vez este mes. Un saludo, Sergio", nil),
			Priority: sdk.P2, PrimaryTag: "bug", Sentiment: sdk.SentimentNegative, Language: "es",
			ResolutionDue: testNow.Add(24 * time.Hour), Now: testNow,
		}},
		{name: "es no answer yet", want: SituationUnknown, req: Request{
			Ticket: ticket("Irene Castro", "Tarifa por cliente",
				"Hola, ¿puedo poner una tarifa por hora distinta para cada cliente? Gracias, Irene", nil),
			Priority: sdk.P3, PrimaryTag: "how-to", Sentiment: sdk.SentimentNeutral, Language: "es",
			ResolutionDue: testNow.Add(72 * time.Hour), Now: testNow,
		}},
	}
}
