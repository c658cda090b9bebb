package rules

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Long bodies: real tickets carry signatures, pasted logs and quoted
// history. These are 1-3 KB each.
const (
	longOutage = `Hi support,

Since roughly 06:40 UTC this morning our agents have been unable to load the inbox. The page shows a spinner for about thirty seconds and then "502 Bad Gateway". We tried Chrome, Firefox and Safari, on the office network and on mobile hotspots, with the same result. The mobile app also fails to sync and shows "Could not reach server".

What we checked on our side:
1. Cleared cache and cookies, tried incognito.
2. Checked our SSO provider: logins there are fine, the redirect back to you is what times out.
3. Our firewall logs show the TLS handshake completing, then nothing.

This affects all 45 agents across our EU and US teams, so right now nobody can answer customers. We have a product launch today and expect roughly three times the usual volume, so this is really bad timing. Your status page still says "All systems operational", which is confusing our team lead.

Request IDs from the browser console, in case they help:
  req_8f2a91c0 502 upstream timed out (110: Connection timed out)
  req_8f2a91c7 502 upstream timed out (110: Connection timed out)
  req_8f2a9201 504 Gateway Timeout

Can you please confirm whether there is an incident and give us an ETA? We'd also appreciate a post-mortem once it's resolved.

Best regards,
Marta Kowalski
Head of Customer Operations, Brightline Logistics
+48 22 555 0199
`
	longBilling = `Hello,

I'm writing about our invoices for the last two months. We are on the Business plan with 18 seats, billed monthly. In April we reduced the team from 25 to 18 seats in the admin panel (on April 3rd, I have a screenshot of the confirmation), but the invoice for April (INV-2024-0412) still lists 25 seats at $49 each, so $1,225 instead of $882. Then in May it happened again, and on top of that our card was charged twice on May 2nd: two identical charges of $1,225 show on our company card statement, about four minutes apart.

So by my count we have been overcharged $343 for April, $343 for May, plus the duplicate $1,225 charge. That is $1,911 in total. Please refund $1,911 to the card on file and send corrected invoices for both months. Our finance team needs the corrected invoices before our month-end close on Friday.

I also tried to download the invoices as PDF from the billing page but the download button does nothing in Chrome. Not a big deal, but worth mentioning.

For reference:
- Account ID: 88231
- Billing contact: accounts@northwind-travel.example
- Card ending 4421

I'd appreciate a quick confirmation that someone is looking at this. We've been happy customers for three years and I'm sure this is just a glitch in the seat sync.

Kind regards,
Daniel Okafor
Finance Manager, Northwind Travel
`
	longGerman = `Sehr geehrte Damen und Herren,

seit dem Update am Dienstag funktioniert der Export unserer Kundendaten nicht mehr. Wenn wir im Bereich "Berichte" auf "Exportieren" klicken, erscheint nach etwa einer Minute die Fehlermeldung "Export fehlgeschlagen (Code 500)". Das betrifft alle Berichte, nicht nur einzelne. Wir haben es mit verschiedenen Browsern und Benutzern versucht, leider ohne Erfolg.

Für uns ist das ein ernstes Problem, weil unsere Buchhaltung die monatlichen Auswertungen bis zum Monatsende braucht. Ich habe das Problem bereits letzte Woche gemeldet (Ticket 4471), aber bisher keine Antwort erhalten. Ehrlich gesagt sind wir ziemlich enttäuscht, denn wir zahlen für den Premium-Support.

Könnten Sie uns bitte mitteilen, ob der Fehler bekannt ist und wann mit einer Lösung zu rechnen ist? Falls es eine Zwischenlösung gibt, etwa einen Export über die API, wären wir auch dafür dankbar.

Mit freundlichen Grüßen
Katrin Vogel
Teamleitung Kundenservice
Vogel & Partner GmbH
`
	longFrench = `Bonjour,

Nous utilisons votre plateforme depuis maintenant deux ans et, jusqu'à récemment, nous en étions très satisfaits. Malheureusement, depuis un mois, la qualité du service s'est nettement dégradée : les pages mettent beaucoup de temps à charger, les notifications arrivent avec plusieurs heures de retard et l'intégration avec notre CRM se désynchronise régulièrement.

Nous avons ouvert trois tickets à ce sujet et, à chaque fois, on nous a répondu que le problème était résolu. Ce n'est toujours pas le cas. C'est la troisième fois que je vous écris pour le même problème.

Notre direction générale nous demande désormais d'évaluer d'autres solutions. Nous avons reçu une offre de Zendesk nettement moins chère et, sans amélioration rapide, nous envisageons de résilier notre abonnement à la fin du trimestre.

Je vous remercie de bien vouloir nous proposer un appel cette semaine avec un responsable technique.

Cordialement,
Sophie Lambert
Responsable support client
`
	longSpanish = `Hola equipo,

Les escribo porque desde ayer por la tarde la plataforma está caída para todos nuestros agentes en México y Colombia. Al intentar iniciar sesión aparece un error 503 y después la página queda en blanco. Probamos desde diferentes redes y dispositivos y el resultado es el mismo. Nadie puede acceder a los tickets y tenemos más de 300 clientes esperando respuesta.

Además, esta mañana nos llegó un cobro doble en la tarjeta de la empresa por la renovación mensual. Necesitamos el reembolso de 1.450,00 USD lo antes posible.

Es la segunda vez este mes que tenemos una caída así. Si esto sigue ocurriendo tendremos que buscar otro proveedor.

Quedo atento a su respuesta.

Saludos,
Andrés Gómez
Gerente de Operaciones
`
	longSecurity = `Hi,

I'm a penetration tester working for one of your customers (authorization letter attached). During our engagement we identified what we believe is a critical issue in your public API.

Summary: the endpoint GET /api/v2/attachments/{id} returns files belonging to other tenants when the ID is incremented. No ownership check seems to be performed, so an authenticated user of any workspace can download attachments of every other customer. We confirmed this with two test workspaces we control and stopped there; we did not access any real customer data beyond verifying that the response contained a file from a different tenant.

Impact: exposure of customer documents (invoices, passports, contracts are typical attachments in support tickets). This is an IDOR / broken access control vulnerability, CVSS 3.1 base score around 8.1 by our estimate.

Steps to reproduce:
1. Create a ticket with an attachment in workspace A, note its ID (e.g. 7719203).
2. Log in to workspace B, call GET /api/v2/attachments/7719202.
3. Observe a 200 response with a file that belongs to another tenant.

We follow a 90-day coordinated disclosure policy. Please acknowledge receipt and let us know who we should coordinate with on your security team.

Regards,
J. Lindqvist
Offensive Security Consultant
`
	longHowTo = `Hi there!

We're a small team (6 agents) that just started our trial last week, and so far we really like it. I have a few questions about setting things up before we roll it out to everyone:

1. How do I set up a shared inbox for sales@ and support@ so that emails to each address go to different groups?
2. Is there a way to create canned responses that include the customer's first name automatically?
3. Can we import our old tickets from a CSV export? We have about 2,000 tickets from our old tool.
4. Where can I find the setting for business hours? We're in Lisbon and only work 9-18 on weekdays.
5. Is it possible to restrict agents so they only see tickets from their own group?

Sorry for the long list, and thanks in advance for any pointers to the documentation. We'd love to get this right from the start.

Cheers,
Tomás
`
)

// benchTickets is a mixed set of about fifty tickets: short and long, in
// several languages, some with agent replies and several customer messages.
func benchTickets() []*sdk.Ticket {
	withAgent := func(tk *sdk.Ticket, agent, customer string) *sdk.Ticket {
		tk.Messages = append(tk.Messages,
			sdk.Message{Body: agent, FromAgent: true, Public: true},
			sdk.Message{Body: customer, Public: true})
		return tk
	}
	return []*sdk.Ticket{
		ticket("Inbox not loading - all agents affected", longOutage),
		ticket("Invoices April/May: wrong seats + double charge", longBilling),
		ticket("Export funktioniert nicht mehr", longGerman),
		ticket("Dégradation du service", longFrench),
		ticket("URGENTE: plataforma caída y cobro doble", longSpanish),
		ticket("Security: cross-tenant attachment access (IDOR)", longSecurity),
		ticket("Setting up our new account", longHowTo),
		ticket("Site down?", "Is your site down? I get a blank page."),
		ticket("", "Can't log in. Reset link expired twice."),
		ticket("Refund", "Please refund my last payment of $29, I forgot to cancel the trial."),
		ticket("Dark mode", "Any plans for a dark mode? My eyes would thank you :)"),
		ticket("Typo", "The word 'recieve' on your signup page is misspelled."),
		ticket("Slow dashboard", "Dashboard takes 15 seconds to load since yesterday. Everything else is fine."),
		ticket("Zapier", "Our Zapier integration stopped firing when a ticket is solved. Any known issue with the webhook?"),
		ticket("Cancel", "Please cancel our subscription. We're moving to HubSpot Service Hub next month."),
		ticket("Downgrade", "Can we move to the Starter plan? We only need 3 seats now."),
		ticket("Kudos", "Just wanted to say your support team is amazing. Thanks Lena for the quick help!"),
		ticket("WTF", "WHY IS THE EXPORT BUTTON GREY AGAIN??? THIS IS THE THIRD TIME I REPORT THIS!!!"),
		ticket("Rechnung falsch", "Hallo, auf unserer Rechnung stehen 20 Lizenzen, wir haben aber nur 12. Bitte korrigieren."),
		ticket("Kündigung zum 30.06.", "Sehr geehrte Damen und Herren, hiermit kündigen wir unseren Vertrag fristgerecht. Bitte bestätigen."),
		ticket("Problème de connexion", "Bonjour, je n'arrive pas à me connecter depuis ce matin, le mot de passe est refusé."),
		ticket("Remboursement", "Bonjour, j'ai été débité deux fois de 49 €. Merci de me rembourser."),
		ticket("Pregunta", "¿Cómo puedo agregar un nuevo agente a mi equipo?"),
		ticket("Error al exportar", "Cuando intento exportar los reportes sale un error y no se descarga nada."),
		ticket("Datenleck?", "Wir sehen in der Suche Kundendaten einer anderen Firma. Ist das eine Sicherheitslücke?"),
		ticket("API rate limits", "What are the rate limits on the REST API? We want to sync about 50k contacts nightly."),
		ticket("GDPR", "Can you send us your DPA and confirm where our data is stored? Our legal team is asking."),
		ticket("Lawyer", "If the $1,200 is not refunded this week, my attorney will contact you."),
		ticket("CEO escalation", "Our CEO missed three customer escalations because notifications never arrived. We need an answer today."),
		ticket("SSO", "How do we configure SAML SSO with Okta?"),
		ticket("Mobile app crash", "The Android app crashes on startup after the latest update (version 5.2.1, Pixel 7)."),
		ticket("Duplicate tickets", "Every email from our customers creates two tickets since Monday."),
		ticket("Permissions", "A light agent can see the billing settings. Is that expected?"),
		ticket("Migrating", "We're migrating from Freshdesk. Is there an importer for macros and views?"),
		ticket("", "hi"),
		ticket("Feature idea", "It would be nice to snooze a ticket until a specific date and time."),
		ticket("Reports wrong", "The first response time report shows negative values for some tickets."),
		ticket("Webhook 401", "Webhook deliveries fail with 401 since we rotated the API token. We updated it in the settings but it still fails."),
		ticket("Trial extension", "Our trial ends tomorrow but procurement needs another week. Could you extend it?"),
		ticket("Invoice address", "Where can I change the company address shown on invoices?"),
		withAgent(ticket("Export still broken", "The CSV export fails with an error."),
			"Thanks for reporting, we deployed a fix, could you try again?",
			"Tried again this morning and it still fails with the same error. Please escalate."),
		withAgent(ticket("Charged after cancellation", "I cancelled in March but you charged me $99 in April."),
			"Sorry about that! Could you send the last four digits of the card?",
			"It's 4242. Please refund the $99, I've been waiting two weeks."),
		withAgent(ticket("Login", "I can't sign in with Google."),
			"Could you try clearing cookies?",
			"That worked, thank you so much!"),
		ticket("Outage?", "Are you having an outage? Our widget shows 'offline' for all visitors."),
		ticket("Data missing", "All tickets from last week disappeared from the list view. Where did they go??"),
		ticket("Confusing", "The new automation builder is very confusing. I can't figure out how to add a condition."),
		ticket("Piraté", "Notre compte a été piraté, quelqu'un a modifié les adresses e-mail des agents."),
		ticket("Facturas", "Necesito las facturas de los últimos seis meses con el NIF de la empresa."),
		ticket("Bulk edit", "Please add bulk editing of custom fields. We have thousands of tickets to update."),
		ticket("Checkout failing", "Customers can't checkout on our store since the last sync, every payment fails with 'gateway error'."),
	}
}

// BenchmarkClassify classifies the mixed corpus round-robin and reports the
// p99 latency of a single ticket alongside ns/op.
func BenchmarkClassify(b *testing.B) {
	c := newDefault(b)
	corpus := benchTickets()
	ctx := context.Background()
	reqs := make([]*sdk.ClassifyRequest, len(corpus))
	for i, tk := range corpus {
		reqs[i] = &sdk.ClassifyRequest{Ticket: tk}
	}
	lat := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := c.Classify(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(start))
		}
		i++
	}
	b.StopTimer()
	if len(lat) > 0 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
	}
}

// BenchmarkClassifyLong classifies only the 1-3 KB tickets.
func BenchmarkClassifyLong(b *testing.B) {
	c := newDefault(b)
	var reqs []*sdk.ClassifyRequest
	for _, tk := range benchTickets() {
		if len(tk.Messages) > 0 && len(tk.Messages[0].Body) > 1000 {
			reqs = append(reqs, &sdk.ClassifyRequest{Ticket: tk})
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.Classify(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkNew measures compiling the embedded patterns.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := compile(defaultPatterns, embeddedName, policy.Default()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchCorpusIsMixed(t *testing.T) {
	long := 0
	for _, tk := range benchTickets() {
		n := len(tk.Subject)
		for _, m := range tk.Messages {
			n += len(m.Body)
		}
		if n > 1000 {
			long++
			if n > 3500 {
				t.Errorf("ticket %q is %d bytes; keep long ones at 1-3 KB", tk.Subject, n)
			}
		}
	}
	if n := len(benchTickets()); n < 45 || long < 5 {
		t.Errorf("%d tickets, %d long; want about 50 with several long ones", n, long)
	}
}
