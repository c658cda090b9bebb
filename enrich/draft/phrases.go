package draft

import (
	"strings"
)

// phrasebook holds one language's wording, by key. In a phrase,
// "[formal|casual]" picks the register's variant and "{{name}}" is a slot.
// Slots are filled after the variants are picked, so customer text in a
// slot is never read as a variant.
type phrasebook map[string]string

// phrasebooks are the languages a reply can be written in. Every key of
// English exists in every other language (a test checks it).
var phrasebooks = map[string]phrasebook{"en": phrasesEN, "de": phrasesDE, "fr": phrasesFR, "es": phrasesES}

// t returns the phrase for key in the register, with vars ("name",
// value, ...) filled in. A key the language lacks falls back to English.
func (pb phrasebook) t(key string, formal bool, vars ...string) string {
	p, ok := pb[key]
	if !ok {
		p = phrasesEN[key]
	}
	p = pickVariant(p, formal)
	for i := 0; i+1 < len(vars); i += 2 {
		p = strings.ReplaceAll(p, "{{"+vars[i]+"}}", vars[i+1])
	}
	return p
}

// pickVariant resolves every "[formal|casual]" in p.
func pickVariant(p string, formal bool) string {
	if !strings.Contains(p, "|") {
		return p
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(p, '[')
		if open < 0 {
			break
		}
		end := strings.IndexByte(p[open:], ']')
		bar := strings.IndexByte(p[open:], '|')
		if end < 0 || bar < 0 || bar > end {
			b.WriteString(p[:open+1])
			p = p[open+1:]
			continue
		}
		b.WriteString(p[:open])
		if formal {
			b.WriteString(p[open+1 : open+bar])
		} else {
			b.WriteString(p[open+bar+1 : open+end])
		}
		p = p[open+end+1:]
	}
	b.WriteString(p)
	return b.String()
}

var phrasesEN = phrasebook{
	"greet_named":   "[Dear {{name}}|Hi {{name}}],",
	"greet_anon":    "[Hello|Hi there],",
	"signoff":       "[Kind regards|Best wishes],",
	"team":          DefaultAgentName,
	"and":           "and",
	"qopen":         "“",
	"qclose":        "”",
	"topic_generic": "this",
	"item_error":    "the error {{q}}",
	"mentioned":     "You mentioned {{items}}.",
	"asked_one":     "You asked: {{q}}",
	"asked_many":    "You asked:",
	"qa_articles":   "The article linked above may already help with this. If it [does not|doesn't], [we will|we'll] cover it in our next update.",
	"qa_later":      "[We will|We'll] answer this in our next update at the latest.",
	"related":       "Related reading:",
	"next":          "[Here is|Here's] what happens next:",
	"human_offer":   "If this [does not|doesn't] solve it, just reply to this message and a member of our team will [take it from there personally|pick it up personally].",

	"bug_hear":           "[Thank you|Thanks] for reporting {{topic}}, and for taking the time to describe what happened.",
	"bug_empathy":        "I [understand|know] how disruptive it is when something you rely on stops working in the middle of your day.",
	"bug_act":            "[We are|We're] looking into it now, and [I have|I've] shared your report and the details above with the engineers who look after this part of the product.",
	"bug_act_urgent":     "Because this is blocking your work, [it is|it's] at the top of our list.",
	"bug_found_articles": "So far [we have|we've] found a help article that looks related. It may get you going again while we investigate:",
	"bug_found_none":     "We [have not|haven't] found a known cause yet, so [we are|we're] treating this as a new report.",
	"bug_step1":          "[We will|We'll] try to reproduce the problem using the details you sent.",
	"bug_step2":          "If we need anything else from you, such as a screenshot or the time it happened, [we will|we'll] ask straight away.",
	"bug_step3":          "[You will|You'll] hear from us by {{due}} with an update, or sooner if we have a fix.",
	"bug_tip":            "Tip: if it happens again before then, reply with the time it happened and what you clicked just before. That is often the quickest way for us to trace it.",

	"howto_hear":       "[Thank you|Thanks] for your question about {{topic}}.",
	"howto_hear_q":     "[Thank you|Thanks] for your question: {{q}}",
	"howto_empathy":    "Setting this up should be simple, so [let us|let's] walk through it together.",
	"howto_access":     "I understand how frustrating it is to be locked out, so [let us|let's] get you back in quickly.",
	"howto_steps":      "[Here is|Here's] how to do it:",
	"howto_guide":      "The full guide is here: {{article}}",
	"howto_guide_only": "[You will|You'll] find step-by-step instructions in this guide: {{article}}",
	"howto_none_1":     "[We are|We're] putting together the exact steps for your setup.",
	"howto_none_2":     "[You will|You'll] have them by {{due}}.",
	"howto_none_3":     "If you tell us a little more about what you want to achieve, [we will|we'll] make them fit your workflow.",
	"howto_invite":     "If these steps [do not|don't] quite fit the way you work, reply with a bit more about your setup and [we will|we'll] adapt them.",
	"howto_tip":        "Tip: once it works, save the guide link for your team, so the next person can set it up in a couple of minutes.",

	"feature_hear":        "[Thank you|Thanks] for taking the time to share this idea: {{idea}}.",
	"feature_empathy":     "I understand how frustrating it is to work around something that is missing.",
	"feature_not_today":   "To be upfront with you: this [is not|isn't] available today.",
	"feature_logged":      "[I have|I've] logged your request with our product team, together with your use case, so it counts when they plan what comes next. We [cannot|can't] promise a date, but [we will|we'll] let you know if it is picked up.",
	"feature_workarounds": "In the meantime, these may get you close:",
	"feature_none":        "We [do not|don't] have a documented workaround yet. If you tell us what the end result should look like, [we will|we'll] suggest the closest option by {{due}}.",
	"feature_tip":         "Tip: if others on your team would use this too, reply and tell us. Knowing how many people it would help makes a real difference.",

	"billing_hear":    "[Thank you|Thanks] for getting in touch about {{topic}}.",
	"billing_details": "From your message: {{items}}.",
	"billing_plan":    "Your account is on the {{plan}} plan.",
	"billing_empathy": "[I am|I'm] sorry for the worry this causes. Unexpected charges are stressful, and you deserve a clear answer quickly.",
	"billing_act":     "[I am|I'm] checking this against your billing history now.",
	"billing_comp":    "We have approved {{comp}}. [We will|We'll] confirm by {{due}} once it has gone through; how quickly it shows on your statement depends on your bank.",
	"billing_check":   "[We will|We'll] go through the charge you mentioned and confirm what happened.",
	"billing_outcome": "[You will|You'll] hear from us by {{due}} with the outcome and, if something went wrong on our side, how [we are|we're] putting it right.",
	"billing_prevent": "[We will|We'll] also check why it happened, so it [does not|doesn't] happen again.",
	"billing_offer":   "Before you decide anything, [we would|we'd] like to offer you: {{offer}}. Just reply if that would help.",
	"billing_tip":     "Tip: if your team needs copies of past invoices, just ask and [we will|we'll] send them over.",

	"angry_hear":    "You have every right to be upset, and [thank you|thanks] for telling us plainly. [I have|I've] read your message about {{topic}} carefully.",
	"angry_empathy": "This has cost you time and trust, and [I am|I'm] sorry we let you down.",
	"angry_plan":    "[I am|I'm] taking personal ownership of this. [Here is|Here's] my plan:",
	"angry_now":     "Right now: [I have|I've] shared every detail with the people who can fix it, and [I am|I'm] following it myself.",
	"angry_next":    "Next: [you will|you'll] hear from me by {{due}} with what we found and what [we are|we're] doing about it.",
	"angry_prevent": "After that: once it is fixed, [we will|we'll] look at why it happened and tell you what we changed so it [does not|doesn't] happen again.",
	"angry_comp":    "[We would|We'd] also like to make this right: {{comp}}.",
	"angry_owner":   "Until this is resolved, [I am|I'm] your contact. Reply to this message and it comes straight to me.",
	"angry_tip":     "Tip: if anything else goes wrong before then, reply here rather than opening a new ticket, so everything stays with me.",

	"outreach_hear":       "[I am|I'm] getting in touch because I noticed that {{signals}}.",
	"sig_usage":           "your team has been using your account much less this month",
	"sig_login":           "no one from your team has signed in since {{date}}",
	"sig_payment":         "your last payment did not go through",
	"sig_renewal":         "your renewal is coming up on {{date}}",
	"sig_negative":        "your last few conversations with us have not gone as smoothly as they should have",
	"sig_generic":         "it has been a while since we last checked in",
	"outreach_empathy":    "Sometimes that is just a busy stretch, and sometimes it means something is not working as it should. Either way, [I would|I'd] like to help.",
	"outreach_checkin":    "Is everything still working the way your team needs it to? Even a one-line reply helps.",
	"outreach_helps":      "Here are a few ways we can help:",
	"help_call":           "A short call to walk through your setup and answer any questions. Just reply with a time that suits you.",
	"help_guide":          "A guide that may help: {{article}}",
	"help_review":         "A quick review of how your team uses your account, with ideas for features you may not have tried yet.",
	"outreach_nopressure": "There is no pressure at all. If everything is fine, [we are|we're] glad to hear that too.",
	"outreach_tip":        "Tip: you can reach me directly by replying to this message; there is no need to open a new ticket.",
}

var phrasesDE = phrasebook{
	"greet_named":   "[Guten Tag {{fullname}}|Hallo {{name}}],",
	"greet_anon":    "[Guten Tag|Hallo],",
	"signoff":       "[Freundliche Grüße|Viele Grüße]",
	"team":          "[Ihr|Dein] Support-Team",
	"and":           "und",
	"qopen":         "„",
	"qclose":        "“",
	"topic_generic": "diesem Thema",
	"item_error":    "die Fehlermeldung {{q}}",
	"mentioned":     "[Sie haben|Du hast] {{items}} erwähnt.",
	"asked_one":     "[Ihre|Deine] Frage: {{q}}",
	"asked_many":    "[Ihre|Deine] Fragen:",
	"qa_articles":   "Der oben verlinkte Artikel hilft dabei vielleicht schon weiter. Falls nicht, klären wir es im nächsten Update.",
	"qa_later":      "Das beantworten wir spätestens im nächsten Update.",
	"related":       "Passend dazu:",
	"next":          "So geht es weiter:",
	"human_offer":   "Falls das [Ihr|dein] Problem nicht löst, [antworten Sie|antworte] einfach auf diese Nachricht, dann kümmert sich jemand aus unserem Team persönlich darum.",

	"bug_hear":           "[Vielen Dank|Danke] für [Ihre|deine] Meldung zu {{topic}} und für die genaue Beschreibung.",
	"bug_empathy":        "Ich verstehe gut, wie störend es ist, wenn mitten in der Arbeit etwas nicht funktioniert.",
	"bug_act":            "Wir sehen uns das jetzt an und haben [Ihre|deine] Meldung mit allen Details an das zuständige Entwicklerteam weitergegeben.",
	"bug_act_urgent":     "Da das [Ihre|deine] Arbeit blockiert, steht es bei uns ganz oben auf der Liste.",
	"bug_found_articles": "Einen passenden Hilfeartikel haben wir schon gefunden. Vielleicht hilft er [Ihnen|dir] weiter, während wir das Problem untersuchen:",
	"bug_found_none":     "Eine bekannte Ursache haben wir noch nicht gefunden, daher behandeln wir es als neue Meldung.",
	"bug_step1":          "Wir versuchen, das Problem mit [Ihren|deinen] Angaben nachzustellen.",
	"bug_step2":          "Falls wir noch etwas brauchen, etwa einen Screenshot oder die Uhrzeit, melden wir uns sofort.",
	"bug_step3":          "Bis {{due}} [bekommen Sie|bekommst du] ein Update von uns, oder früher, sobald wir eine Lösung haben.",
	"bug_tip":            "Tipp: Falls es vorher noch einmal passiert, [schreiben Sie|schreib] uns kurz die Uhrzeit und was [Sie|du] direkt davor angeklickt [haben|hast]. So finden wir die Ursache am schnellsten.",

	"howto_hear":       "[Vielen Dank|Danke] für [Ihre|deine] Frage zu {{topic}}.",
	"howto_hear_q":     "[Vielen Dank|Danke] für [Ihre|deine] Frage: {{q}}",
	"howto_empathy":    "Das sollte sich einfach einrichten lassen, also gehen wir es gemeinsam durch.",
	"howto_access":     "Ich verstehe, wie ärgerlich es ist, nicht ins Konto zu kommen. [Wir helfen Ihnen|Wir helfen dir], schnell wieder hineinzukommen.",
	"howto_steps":      "So [gehen Sie|gehst du] vor:",
	"howto_guide":      "Die vollständige Anleitung [finden Sie|findest du] hier: {{article}}",
	"howto_guide_only": "Eine Schritt-für-Schritt-Anleitung [finden Sie|findest du] hier: {{article}}",
	"howto_none_1":     "Wir stellen gerade die genauen Schritte für [Ihre|deine] Einrichtung zusammen.",
	"howto_none_2":     "Bis {{due}} [bekommen Sie|bekommst du] sie von uns.",
	"howto_none_3":     "Wenn [Sie uns kurz beschreiben|du uns kurz beschreibst], was [Sie erreichen möchten|du erreichen möchtest], passen wir sie genau an.",
	"howto_invite":     "Falls die Schritte nicht ganz zu [Ihrem|deinem] Ablauf passen, [antworten Sie|antworte] einfach mit ein paar Details, dann passen wir sie an.",
	"howto_tip":        "Tipp: Wenn es funktioniert, [speichern Sie|speichere] den Link zur Anleitung für [Ihr|dein] Team. Dann ist die Einrichtung beim nächsten Mal in wenigen Minuten erledigt.",

	"feature_hear":        "Danke, dass [Sie sich|du dir] die Zeit genommen [haben|hast], uns diese Idee zu schicken: {{idea}}.",
	"feature_empathy":     "Ich verstehe, wie lästig es ist, um eine fehlende Funktion herumzuarbeiten.",
	"feature_not_today":   "Ganz offen: Das ist heute leider noch nicht möglich.",
	"feature_logged":      "Ich habe [Ihren|deinen] Wunsch mit [Ihrem|deinem] Anwendungsfall an unser Produktteam weitergegeben, damit er in die Planung einfließt. Einen Termin können wir nicht versprechen, aber wir melden uns, wenn er umgesetzt wird.",
	"feature_workarounds": "Bis dahin [kommen Sie|kommst du] hiermit vielleicht schon nah heran:",
	"feature_none":        "Einen dokumentierten Umweg haben wir noch nicht. Wenn [Sie uns beschreiben|du uns beschreibst], welches Ergebnis [Sie brauchen|du brauchst], schlagen wir bis {{due}} die beste Alternative vor.",
	"feature_tip":         "Tipp: Wenn weitere Personen in [Ihrem|deinem] Team das auch nutzen würden, [schreiben Sie|schreib] es uns. Je mehr Menschen es hilft, desto mehr Gewicht hat der Wunsch.",

	"billing_hear":    "[Vielen Dank|Danke] für [Ihre|deine] Nachricht zu {{topic}}.",
	"billing_details": "Aus [Ihrer|deiner] Nachricht: {{items}}.",
	"billing_plan":    "[Ihr|Dein] Konto läuft im Tarif {{plan}}.",
	"billing_empathy": "Es tut mir leid, dass das für Unsicherheit sorgt. Bei unerwarteten Abbuchungen [verdienen Sie|verdienst du] schnell eine klare Antwort.",
	"billing_act":     "Ich prüfe das gerade anhand [Ihres|deines] Abrechnungsverlaufs.",
	"billing_comp":    "Wir haben Folgendes freigegeben: {{comp}}. Bis {{due}} bestätigen wir, dass es veranlasst ist; wie schnell es auf [Ihrem|deinem] Kontoauszug erscheint, hängt von [Ihrer|deiner] Bank ab.",
	"billing_check":   "Wir prüfen die genannte Abbuchung und klären, wie es dazu kam.",
	"billing_outcome": "Bis {{due}} [bekommen Sie|bekommst du] das Ergebnis von uns und, falls der Fehler bei uns lag, wie wir ihn korrigieren.",
	"billing_prevent": "Außerdem prüfen wir die Ursache, damit das nicht noch einmal passiert.",
	"billing_offer":   "Bevor [Sie sich entscheiden|du dich entscheidest], möchten wir [Ihnen|dir] Folgendes anbieten: {{offer}}. [Antworten Sie|Antworte] einfach, wenn das hilft.",
	"billing_tip":     "Tipp: Wenn [Sie|du] Kopien früherer Rechnungen [brauchen|brauchst], [sagen Sie|sag] einfach Bescheid, dann schicken wir sie.",

	"angry_hear":    "[Sie haben|Du hast] jedes Recht, verärgert zu sein, und danke, dass [Sie es|du es] so klar [sagen|sagst]. Ich habe [Ihre|deine] Nachricht zu {{topic}} genau gelesen.",
	"angry_empathy": "Das hat [Sie|dich] Zeit und Vertrauen gekostet, und es tut mir leid, dass wir [Sie|dich] enttäuscht haben.",
	"angry_plan":    "Ich kümmere mich persönlich darum. Das ist mein Plan:",
	"angry_now":     "Sofort: Ich habe alle Details an die Kolleginnen und Kollegen gegeben, die das beheben können, und verfolge es selbst.",
	"angry_next":    "Als Nächstes: Bis {{due}} [hören Sie|hörst du] von mir, was wir gefunden haben und was wir unternehmen.",
	"angry_prevent": "Danach: Sobald es behoben ist, prüfen wir die Ursache und sagen [Ihnen|dir], was wir geändert haben, damit es nicht wieder passiert.",
	"angry_comp":    "Außerdem möchten wir das wiedergutmachen: {{comp}}.",
	"angry_owner":   "Bis das gelöst ist, bin ich [Ihr|dein] Ansprechpartner. [Antworten Sie|Antworte] einfach auf diese Nachricht, dann landet sie direkt bei mir.",
	"angry_tip":     "Tipp: Falls vorher noch etwas schiefgeht, [antworten Sie|antworte] bitte hier, statt ein neues Ticket zu öffnen. So bleibt alles bei mir.",

	"outreach_hear":       "Ich melde mich, weil mir aufgefallen ist, dass {{signals}}.",
	"sig_usage":           "[Ihr|dein] Team das Konto diesen Monat deutlich weniger nutzt",
	"sig_login":           "sich seit {{date}} niemand aus [Ihrem|deinem] Team angemeldet hat",
	"sig_payment":         "[Ihre|deine] letzte Zahlung nicht durchgegangen ist",
	"sig_renewal":         "[Ihre|deine] Verlängerung am {{date}} ansteht",
	"sig_negative":        "[Ihre|deine] letzten Gespräche mit uns nicht so gut gelaufen sind, wie sie sollten",
	"sig_generic":         "wir schon länger nichts voneinander gehört haben",
	"outreach_empathy":    "Manchmal ist einfach viel los, manchmal passt etwas nicht richtig. So oder so möchte ich gern helfen.",
	"outreach_checkin":    "Funktioniert alles noch so, wie [Ihr|dein] Team es braucht? Eine kurze Antwort reicht.",
	"outreach_helps":      "So können wir helfen:",
	"help_call":           "Ein kurzes Gespräch, in dem wir [Ihre|deine] Einrichtung gemeinsam durchgehen. [Nennen Sie|Nenn] mir einfach einen passenden Termin.",
	"help_guide":          "Eine Anleitung, die helfen könnte: {{article}}",
	"help_review":         "Ein kurzer Blick darauf, wie [Ihr|dein] Team das Konto nutzt, mit Vorschlägen zu Funktionen, die [Sie|ihr] vielleicht noch nicht ausprobiert [haben|habt].",
	"outreach_nopressure": "Das ist ganz ohne Druck. Wenn alles passt, freue ich mich auch über diese Nachricht.",
	"outreach_tip":        "Tipp: [Sie erreichen|Du erreichst] mich jederzeit direkt, indem [Sie|du] auf diese Nachricht [antworten|antwortest]; ein neues Ticket ist nicht nötig.",
}

var phrasesFR = phrasebook{
	"greet_named":   "[Bonjour {{fullname}}|Bonjour {{name}}],",
	"greet_anon":    "Bonjour,",
	"signoff":       "[Cordialement|À bientôt],",
	"team":          "L'équipe support",
	"and":           "et",
	"qopen":         "« ",
	"qclose":        " »",
	"topic_generic": "ce problème",
	"item_error":    "l'erreur {{q}}",
	"mentioned":     "[Vous mentionnez|Tu mentionnes] {{items}}.",
	"asked_one":     "[Votre|Ta] question : {{q}}",
	"asked_many":    "[Vos|Tes] questions :",
	"qa_articles":   "L'article ci-dessus [vous aidera|t'aidera] peut-être déjà. Sinon, nous y reviendrons dans notre prochain point.",
	"qa_later":      "Nous y répondrons au plus tard dans notre prochain point.",
	"related":       "À lire aussi :",
	"next":          "Voici la suite :",
	"human_offer":   "Si cela ne résout pas [votre|ton] problème, [répondez|réponds] simplement à ce message et une personne de notre équipe s'en occupera personnellement.",

	"bug_hear":           "Merci de nous avoir signalé {{topic}} et d'avoir pris le temps de décrire ce qui s'est passé.",
	"bug_empathy":        "Je comprends à quel point c'est gênant quand un outil sur lequel on compte s'arrête en pleine journée de travail.",
	"bug_act":            "Nous étudions le problème dès maintenant, et j'ai transmis [votre|ton] signalement avec tous les détails à l'équipe technique concernée.",
	"bug_act_urgent":     "Comme cela bloque [votre|ton] travail, c'est en tête de notre liste.",
	"bug_found_articles": "Nous avons déjà trouvé un article d'aide qui semble lié. Il pourrait [vous aider|t'aider] en attendant :",
	"bug_found_none":     "Nous n'avons pas encore trouvé de cause connue, nous le traitons donc comme un nouveau signalement.",
	"bug_step1":          "Nous allons essayer de reproduire le problème à partir de [vos|tes] informations.",
	"bug_step2":          "S'il nous manque quelque chose, comme une capture d'écran ou l'heure à laquelle c'est arrivé, nous [vous|te] le demanderons tout de suite.",
	"bug_step3":          "[Vous aurez|Tu auras] de nos nouvelles au plus tard {{due}}, ou plus tôt si nous avons une solution.",
	"bug_tip":            "Astuce : si cela se reproduit d'ici là, [indiquez-nous|indique-nous] l'heure et ce sur quoi [vous veniez|tu venais] de cliquer. C'est souvent le moyen le plus rapide de trouver la cause.",

	"howto_hear":       "Merci pour [votre|ta] question sur {{topic}}.",
	"howto_hear_q":     "Merci pour [votre|ta] question : {{q}}",
	"howto_empathy":    "Cela devrait être simple à configurer, alors voyons cela ensemble.",
	"howto_access":     "Je comprends à quel point il est frustrant de ne plus pouvoir accéder à [votre|ton] compte, alors voyons ensemble comment [vous|te] reconnecter rapidement.",
	"howto_steps":      "Voici comment faire :",
	"howto_guide":      "Le guide complet est ici : {{article}}",
	"howto_guide_only": "[Vous trouverez|Tu trouveras] les étapes détaillées dans ce guide : {{article}}",
	"howto_none_1":     "Nous préparons les étapes exactes pour [votre|ta] configuration.",
	"howto_none_2":     "[Vous les recevrez|Tu les recevras] au plus tard {{due}}.",
	"howto_none_3":     "Si [vous nous décrivez|tu nous décris] ce que [vous souhaitez|tu souhaites] obtenir, nous les adapterons précisément.",
	"howto_invite":     "Si ces étapes ne correspondent pas tout à fait à [votre|ta] façon de travailler, [répondez|réponds] avec quelques détails et nous les adapterons.",
	"howto_tip":        "Astuce : une fois que tout fonctionne, [gardez|garde] le lien du guide pour [votre|ton] équipe. La prochaine personne pourra tout configurer en quelques minutes.",

	"feature_hear":        "Merci d'avoir pris le temps de nous proposer cette idée : {{idea}}.",
	"feature_empathy":     "Je comprends à quel point il est frustrant de devoir contourner une fonction qui manque.",
	"feature_not_today":   "Pour être transparent : ce n'est pas possible aujourd'hui.",
	"feature_logged":      "J'ai transmis [votre|ta] demande à notre équipe produit, avec [votre|ton] cas d'usage, pour qu'elle soit prise en compte dans la planification. Nous ne pouvons pas promettre de date, mais nous [vous|te] tiendrons au courant si elle est retenue.",
	"feature_workarounds": "En attendant, ces pistes peuvent [vous en rapprocher|t'en rapprocher] :",
	"feature_none":        "Nous n'avons pas encore de solution de contournement documentée. Si [vous nous décrivez|tu nous décris] le résultat attendu, nous [vous|te] proposerons la meilleure alternative au plus tard {{due}}.",
	"feature_tip":         "Astuce : si d'autres personnes de [votre|ton] équipe en ont besoin, [dites-le-nous|dis-le-nous]. Savoir combien de personnes cela aiderait compte vraiment.",

	"billing_hear":    "Merci de nous avoir contactés au sujet de {{topic}}.",
	"billing_details": "D'après [votre|ton] message : {{items}}.",
	"billing_plan":    "[Votre|Ton] compte est sur l'offre {{plan}}.",
	"billing_empathy": "Je suis désolé pour l'inquiétude que cela cause. Face à un prélèvement inattendu, [vous méritez|tu mérites] une réponse claire et rapide.",
	"billing_act":     "Je vérifie cela dès maintenant dans [votre|ton] historique de facturation.",
	"billing_comp":    "Nous avons validé : {{comp}}. Nous [vous|te] confirmerons au plus tard {{due}} que c'est effectué ; le délai d'apparition sur [votre|ton] relevé dépend de [votre|ta] banque.",
	"billing_check":   "Nous examinons le prélèvement mentionné et vérifions ce qui s'est passé.",
	"billing_outcome": "[Vous aurez|Tu auras] le résultat au plus tard {{due}} et, si l'erreur vient de nous, la façon dont nous la corrigeons.",
	"billing_prevent": "Nous vérifierons aussi la cause, pour que cela ne se reproduise pas.",
	"billing_offer":   "Avant toute décision, nous aimerions [vous|te] proposer : {{offer}}. [Répondez|Réponds] simplement si cela peut aider.",
	"billing_tip":     "Astuce : si [vous avez|tu as] besoin de copies de factures précédentes, [demandez-les-nous|demande-les-nous] et nous [vous|te] les enverrons.",

	"angry_hear":    "[Votre|Ton] mécontentement est tout à fait légitime, et merci de nous le dire franchement. J'ai lu attentivement [votre|ton] message au sujet de {{topic}}.",
	"angry_empathy": "Cela [vous a coûté|t'a coûté] du temps et de la confiance, et je suis désolé que nous n'ayons pas été à la hauteur.",
	"angry_plan":    "Je m'en occupe personnellement. Voici mon plan :",
	"angry_now":     "Tout de suite : j'ai transmis tous les détails aux personnes qui peuvent corriger le problème, et je suis le dossier moi-même.",
	"angry_next":    "Ensuite : [vous aurez|tu auras] de mes nouvelles au plus tard {{due}}, avec ce que nous avons trouvé et ce que nous faisons.",
	"angry_prevent": "Après : une fois le problème corrigé, nous en chercherons la cause et [vous dirons|te dirons] ce que nous avons changé pour que cela ne se reproduise pas.",
	"angry_comp":    "Nous souhaitons aussi réparer cela : {{comp}}.",
	"angry_owner":   "Jusqu'à la résolution, je suis [votre|ton] interlocuteur. [Répondez|Réponds] simplement à ce message, il m'arrivera directement.",
	"angry_tip":     "Astuce : si quelque chose d'autre ne va pas d'ici là, [répondez|réponds] ici plutôt que d'ouvrir un nouveau ticket. Ainsi, tout reste entre mes mains.",

	"outreach_hear":       "Je [vous écris|t'écris] parce que j'ai remarqué que {{signals}}.",
	"sig_usage":           "[votre|ton] équipe utilise beaucoup moins le compte ce mois-ci",
	"sig_login":           "personne de [votre|ton] équipe ne s'est connecté depuis le {{date}}",
	"sig_payment":         "[votre|ton] dernier paiement n'est pas passé",
	"sig_renewal":         "[votre|ton] renouvellement arrive le {{date}}",
	"sig_negative":        "[vos|tes] derniers échanges avec nous ne se sont pas aussi bien passés qu'ils auraient dû",
	"sig_generic":         "nous n'avons pas échangé depuis un moment",
	"outreach_empathy":    "Parfois c'est simplement une période chargée, parfois quelque chose ne fonctionne pas comme il faut. Dans les deux cas, j'aimerais aider.",
	"outreach_checkin":    "Est-ce que tout fonctionne toujours comme [votre|ton] équipe en a besoin ? Une réponse d'une ligne suffit.",
	"outreach_helps":      "Voici comment nous pouvons aider :",
	"help_call":           "Un court appel pour passer en revue [votre|ta] configuration. [Indiquez-moi|Indique-moi] simplement un créneau qui [vous|te] convient.",
	"help_guide":          "Un guide qui pourrait aider : {{article}}",
	"help_review":         "Un rapide bilan de l'utilisation du compte par [votre|ton] équipe, avec des suggestions de fonctions que [vous n'avez|tu n'as] peut-être pas encore essayées.",
	"outreach_nopressure": "Aucune pression. Si tout va bien, c'est aussi une très bonne nouvelle.",
	"outreach_tip":        "Astuce : [vous pouvez|tu peux] me joindre directement en répondant à ce message ; inutile d'ouvrir un nouveau ticket.",
}

var phrasesES = phrasebook{
	"greet_named":   "[Buenos días, {{fullname}}|Hola, {{name}}]:",
	"greet_anon":    "[Buenos días|Hola]:",
	"signoff":       "[Atentamente|Un saludo],",
	"team":          "El equipo de soporte",
	"and":           "y",
	"qopen":         "“",
	"qclose":        "”",
	"topic_generic": "este tema",
	"item_error":    "el error {{q}}",
	"mentioned":     "[Usted menciona|Mencionas] {{items}}.",
	"asked_one":     "[Su|Tu] pregunta: {{q}}",
	"asked_many":    "[Sus|Tus] preguntas:",
	"qa_articles":   "El artículo enlazado arriba quizá ya [le|te] ayude. Si no, lo veremos en nuestra próxima actualización.",
	"qa_later":      "Lo responderemos, como muy tarde, en nuestra próxima actualización.",
	"related":       "También puede [interesarle|interesarte]:",
	"next":          "Estos son los próximos pasos:",
	"human_offer":   "Si esto no resuelve [su|tu] problema, [responda|responde] a este mensaje y una persona de nuestro equipo se encargará personalmente.",

	"bug_hear":           "Gracias por avisarnos de {{topic}} y por [tomarse|tomarte] el tiempo de describir lo que pasó.",
	"bug_empathy":        "Entiendo lo molesto que es que algo de lo que [depende su|depende tu] trabajo deje de funcionar en mitad del día.",
	"bug_act":            "Ya lo estamos investigando y he pasado [su|tu] aviso, con todos los detalles, al equipo técnico responsable.",
	"bug_act_urgent":     "Como esto bloquea [su|tu] trabajo, está en lo más alto de nuestra lista.",
	"bug_found_articles": "Ya hemos encontrado un artículo de ayuda que parece relacionado. Puede [ayudarle|ayudarte] mientras lo investigamos:",
	"bug_found_none":     "Aún no hemos encontrado una causa conocida, así que lo tratamos como un aviso nuevo.",
	"bug_step1":          "Intentaremos reproducir el problema con los datos que nos [ha|has] enviado.",
	"bug_step2":          "Si necesitamos algo más, como una captura de pantalla o la hora en que ocurrió, [se lo|te lo] pediremos enseguida.",
	"bug_step3":          "[Tendrá|Tendrás] noticias nuestras a más tardar {{due}}, o antes si tenemos una solución.",
	"bug_tip":            "Consejo: si vuelve a ocurrir antes, [indíquenos|indícanos] la hora y qué [acababa|acababas] de pulsar. Suele ser la forma más rápida de encontrar la causa.",

	"howto_hear":       "Gracias por [su|tu] pregunta sobre {{topic}}.",
	"howto_hear_q":     "Gracias por [su|tu] pregunta: {{q}}",
	"howto_empathy":    "Configurarlo debería ser sencillo, así que vamos a verlo paso a paso.",
	"howto_access":     "Entiendo lo frustrante que es no poder entrar en [su|tu] cuenta, así que vamos a [ayudarle|ayudarte] a recuperar el acceso cuanto antes.",
	"howto_steps":      "Así se hace:",
	"howto_guide":      "La guía completa está aquí: {{article}}",
	"howto_guide_only": "[Encontrará|Encontrarás] los pasos detallados en esta guía: {{article}}",
	"howto_none_1":     "Estamos preparando los pasos exactos para [su|tu] configuración.",
	"howto_none_2":     "[Los recibirá|Los recibirás] a más tardar {{due}}.",
	"howto_none_3":     "Si nos [cuenta|cuentas] qué [quiere|quieres] conseguir, los adaptaremos con precisión.",
	"howto_invite":     "Si estos pasos no encajan del todo con [su|tu] forma de trabajar, [respóndanos|respóndenos] con algunos detalles y los adaptaremos.",
	"howto_tip":        "Consejo: cuando funcione, [guarde|guarda] el enlace de la guía para [su|tu] equipo. Así la próxima persona podrá configurarlo en pocos minutos.",

	"feature_hear":        "Gracias por [tomarse|tomarte] el tiempo de proponernos esta idea: {{idea}}.",
	"feature_empathy":     "Entiendo lo frustrante que es tener que buscar rodeos para algo que falta.",
	"feature_not_today":   "Para ser claros: hoy por hoy no es posible.",
	"feature_logged":      "He trasladado [su|tu] petición a nuestro equipo de producto, junto con [su|tu] caso de uso, para que se tenga en cuenta en la planificación. No podemos prometer una fecha, pero [le|te] avisaremos si se incluye.",
	"feature_workarounds": "Mientras tanto, estas opciones pueden [acercarle a lo que necesita|acercarte a lo que necesitas]:",
	"feature_none":        "Todavía no tenemos una alternativa documentada. Si nos [describe|describes] el resultado que [necesita|necesitas], [le|te] propondremos la mejor opción a más tardar {{due}}.",
	"feature_tip":         "Consejo: si a más personas de [su|tu] equipo les sería útil, [díganoslo|dínoslo]. Saber a cuántas personas ayudaría marca la diferencia.",

	"billing_hear":    "Gracias por escribirnos sobre {{topic}}.",
	"billing_details": "Según [su|tu] mensaje: {{items}}.",
	"billing_plan":    "[Su|Tu] cuenta tiene el plan {{plan}}.",
	"billing_empathy": "Siento la preocupación que esto causa. Ante un cargo inesperado, [merece|mereces] una respuesta clara y rápida.",
	"billing_act":     "Ya lo estoy revisando en [su|tu] historial de facturación.",
	"billing_comp":    "Hemos aprobado lo siguiente: {{comp}}. [Le|Te] confirmaremos a más tardar {{due}} que está hecho; el tiempo que tarde en aparecer en [su|tu] extracto depende de [su|tu] banco.",
	"billing_check":   "Revisaremos el cargo que [menciona|mencionas] y comprobaremos qué ocurrió.",
	"billing_outcome": "[Tendrá|Tendrás] el resultado a más tardar {{due}} y, si el error fue nuestro, cómo lo vamos a corregir.",
	"billing_prevent": "También revisaremos la causa para que no vuelva a ocurrir.",
	"billing_offer":   "Antes de que [decida|decidas] nada, nos gustaría [ofrecerle|ofrecerte]: {{offer}}. [Respóndanos|Respóndenos] si [le|te] ayuda.",
	"billing_tip":     "Consejo: si [necesita|necesitas] copias de facturas anteriores, [pídanoslas|pídenoslas] y [se las|te las] enviaremos.",

	"angry_hear":    "[Tiene toda la razón para quejarse|Tienes toda la razón para quejarte], y gracias por decírnoslo con claridad. He leído con atención [su|tu] mensaje sobre {{topic}}.",
	"angry_empathy": "Esto [le ha|te ha] costado tiempo y confianza, y siento que [le hayamos|te hayamos] fallado.",
	"angry_plan":    "Me encargo personalmente de esto. Este es mi plan:",
	"angry_now":     "Ahora mismo: he pasado todos los detalles a las personas que pueden solucionarlo y hago el seguimiento yo mismo.",
	"angry_next":    "Después: [tendrá|tendrás] noticias mías a más tardar {{due}}, con lo que hemos encontrado y lo que estamos haciendo.",
	"angry_prevent": "Más adelante: cuando esté resuelto, analizaremos la causa y [le|te] contaremos qué hemos cambiado para que no vuelva a pasar.",
	"angry_comp":    "Además, queremos [compensarle|compensarte]: {{comp}}.",
	"angry_owner":   "Hasta que esté resuelto, yo soy [su|tu] contacto. [Responda|Responde] a este mensaje y me llegará directamente.",
	"angry_tip":     "Consejo: si algo más falla mientras tanto, [responda|responde] aquí en lugar de abrir un ticket nuevo. Así todo queda conmigo.",

	"outreach_hear":       "[Le|Te] escribo porque he notado que {{signals}}.",
	"sig_usage":           "[su|tu] equipo está usando la cuenta mucho menos este mes",
	"sig_login":           "nadie de [su|tu] equipo ha iniciado sesión desde el {{date}}",
	"sig_payment":         "[su|tu] último pago no se ha completado",
	"sig_renewal":         "[su|tu] renovación es el {{date}}",
	"sig_negative":        "[sus|tus] últimas conversaciones con nosotros no han ido tan bien como deberían",
	"sig_generic":         "hace tiempo que no hablamos",
	"outreach_empathy":    "A veces es solo una temporada con mucho trabajo y a veces algo no funciona como debería. En cualquier caso, me gustaría ayudar.",
	"outreach_checkin":    "¿Sigue funcionando todo como [su|tu] equipo necesita? Basta con una respuesta breve.",
	"outreach_helps":      "Así podemos ayudar:",
	"help_call":           "Una llamada corta para repasar [su|tu] configuración. [Indíqueme|Indícame] un momento que [le|te] venga bien.",
	"help_guide":          "Una guía que puede ayudar: {{article}}",
	"help_review":         "Una revisión rápida de cómo [su|tu] equipo usa la cuenta, con ideas sobre funciones que quizá aún no [haya|hayas] probado.",
	"outreach_nopressure": "Sin ninguna presión. Si todo va bien, también nos alegra saberlo.",
	"outreach_tip":        "Consejo: [puede|puedes] escribirme directamente respondiendo a este mensaje; no hace falta abrir un ticket nuevo.",
}
