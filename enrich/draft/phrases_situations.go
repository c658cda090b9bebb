package draft

// The wording of the cancellation, security, legal, repeat and "no answer
// yet" shapes, merged into the phrasebooks at init so each language keeps
// one book.
func init() {
	for lang, more := range map[string]phrasebook{"en": situationsEN, "de": situationsDE, "fr": situationsFR, "es": situationsES} {
		for k, v := range more {
			phrasebooks[lang][k] = v
		}
	}
}

var situationsEN = phrasebook{
	"bug_empathy_slow": "I know how frustrating it is to wait on something you use all day.",
	"angry_repeat":     "[I am|I'm] especially sorry that the same problem happened again.",
	"may_help":         "In the meantime, these articles may help, though [I am|I'm] not sure they answer your exact question:",

	"cancel_hear":         "[Thank you|Thanks] for letting us know. [I have|I've] received your request to cancel, and [I am|I'm] sorry to see you go.",
	"cancel_competitor":   "You mentioned moving to {{competitor}}. [I would|I'd] really like to know what they do better for you, and [I am|I'm] happy to show you what your team would keep by staying.",
	"cancel_price":        "If the price is the reason, [we can|we can] look at a smaller plan or a discount before you go.",
	"cancel_feature":      "If something you need is missing, tell us what it is: there may be a workaround, it may be on our roadmap, or we can give you early access.",
	"cancel_experience":   "[I am|I'm] sorry things have not worked as they should. Tell us what went wrong and [we will|we'll] fix the cause, not just the symptom.",
	"cancel_business":     "If your needs have changed, a pause may suit you better than cancelling: your data stays as it is until [you are|you're] back.",
	"cancel_ask_why":      "Could you tell us what made you decide to leave? Even one line helps us understand and improve.",
	"cancel_offer":        "Before it takes effect, [we would|we'd] like to offer you: {{offer}}. Just reply if [you would|you'd] like that.",
	"cancel_easy":         "If you still want to leave, that is completely fine, and [you do not|you don't] need to do anything else.",
	"cancel_step_confirm": "[We will|We'll] confirm the cancellation and the date it takes effect by {{due}}.",
	"cancel_step_pause":   "If [you would|you'd] rather keep your data without paying, reply with “pause” and [we will|we'll] pause the subscription instead.",
	"cancel_tip":          "Tip: you can export your data at any time before the cancellation takes effect, so nothing is lost.",

	"security_hear":      "[Thank you|Thanks] for reporting {{topic}}. Reports like yours help us keep everyone's data safe.",
	"security_empathy":   "I understand how important it is that this is taken seriously, and it is.",
	"security_act":       "[I have|I've] passed your report straight to our security team, who treat it as urgent.",
	"security_nodetails": "While they investigate, please [do not|don't] share the details publicly. [We will not|We won't] discuss them in this conversation either.",
	"security_step1":     "Our security team reviews and verifies your report.",
	"security_step2":     "[You will|You'll] hear from them by {{due}}; they may contact you directly if they need more information.",
	"security_step3":     "Once it is resolved, [we will|we'll] let you know.",
	"security_tip":       "Tip: if you find anything else, reply here rather than in a public channel, so it reaches the security team straight away.",

	"legal_hear":    "[Thank you|Thanks] for your message about {{topic}}. [I have|I've] read it carefully.",
	"legal_empathy": "I understand this matters a great deal to you.",
	"legal_act":     "Because you mention legal steps, [I have|I've] passed your message to the colleagues responsible. They will review it together with your account.",
	"legal_step1":   "[You will|You'll] hear from them by {{due}}.",
	"legal_step2":   "If there are documents or dates [you would|you'd] like them to consider, just reply to this message.",
	"legal_tip":     "Tip: replying in this conversation keeps everything in one place for the colleagues reviewing it.",

	"repeat_hear":      "[Thank you|Thanks] for letting us know that {{topic}} has come back.",
	"repeat_count":     "You said this is the {{what}}.",
	"repeat_empathy":   "[I am|I'm] sorry. Having to report the same problem again is frustrating, and it should have stayed fixed.",
	"repeat_different": "This time [we are|we're] handling it differently. [I have|I've] linked your earlier reports to this one, so the engineers see the whole history, and a senior colleague follows it until the cause is fixed.",
	"repeat_step1":     "[We will|We'll] compare this occurrence with the earlier ones to find what they have in common.",
	"repeat_step2":     "[You will|You'll] hear from us by {{due}} with what we found and what we changed.",
	"repeat_step3":     "[We will|We'll] only close this once [you have|you've] confirmed it stays fixed.",
	"repeat_tip":       "Tip: if it happens again, reply with the time it happened. Each occurrence helps us pin down the cause.",

	"unknown_hear":   "[Thank you|Thanks] for your message about {{topic}}.",
	"unknown_honest": "I understand you need a clear answer. To be honest, we [do not|don't] have a ready one yet, and [I would|I'd] rather check than guess.",
	"unknown_act":    "[I have|I've] passed it to a colleague who knows this part of the product well.",
	"unknown_step1":  "[We will|We'll] look into it and work out the right answer for your setup.",
	"unknown_step2":  "[You will|You'll] hear from us by {{due}}.",
	"unknown_step3":  "If you can tell us more about what you want to achieve, reply to this message; it helps us answer sooner.",
	"unknown_tip":    "Tip: a screenshot of what you see on your screen often helps us answer faster.",
}

var situationsDE = phrasebook{
	"bug_empathy_slow": "Ich verstehe gut, wie ärgerlich es ist, bei etwas zu warten, das man den ganzen Tag nutzt.",
	"angry_repeat":     "Besonders leid tut mir, dass dasselbe Problem erneut aufgetreten ist.",
	"may_help":         "Bis dahin helfen vielleicht diese Artikel, auch wenn ich nicht sicher bin, ob sie genau [Ihre|deine] Frage beantworten:",

	"cancel_hear":         "Danke, dass [Sie uns|du uns] Bescheid [geben|gibst]. [Ihre|Deine] Kündigung ist bei uns angekommen, und es tut mir leid, dass [Sie gehen möchten|du gehen möchtest].",
	"cancel_competitor":   "[Sie erwähnen|Du erwähnst] einen Wechsel zu {{competitor}}. Mich interessiert sehr, was dort besser passt, und ich zeige [Ihnen|dir] gern, was [Ihr|dein] Team beim Bleiben behält.",
	"cancel_price":        "Falls der Preis der Grund ist, können wir vorher über einen kleineren Tarif oder einen Rabatt sprechen.",
	"cancel_feature":      "Falls [Ihnen|dir] etwas fehlt, [sagen Sie|sag] uns, was: Vielleicht gibt es einen Umweg, es steht auf unserer Roadmap, oder wir geben [Ihnen|dir] frühen Zugang.",
	"cancel_experience":   "Es tut mir leid, dass nicht alles so funktioniert hat, wie es sollte. [Sagen Sie|Sag] uns, was schiefging, dann beheben wir die Ursache.",
	"cancel_business":     "Falls sich [Ihr|dein] Bedarf geändert hat, passt vielleicht eine Pause besser als eine Kündigung: [Ihre|Deine] Daten bleiben erhalten.",
	"cancel_ask_why":      "[Verraten Sie|Verrätst du] uns, warum [Sie gehen möchten|du gehen möchtest]? Schon eine Zeile hilft uns, besser zu werden.",
	"cancel_offer":        "Bevor die Kündigung wirksam wird, möchten wir [Ihnen|dir] Folgendes anbieten: {{offer}}. [Antworten Sie|Antworte] einfach, wenn das passt.",
	"cancel_easy":         "Wenn [Sie trotzdem gehen möchten|du trotzdem gehen möchtest], ist das völlig in Ordnung, und [Sie müssen|du musst] nichts weiter tun.",
	"cancel_step_confirm": "Bis {{due}} bestätigen wir die Kündigung und das Datum, zu dem sie wirksam wird.",
	"cancel_step_pause":   "Wenn [Sie Ihre|du deine] Daten behalten [möchten|möchtest], ohne zu zahlen, [antworten Sie|antworte] mit „Pause“, dann pausieren wir das Abo stattdessen.",
	"cancel_tip":          "Tipp: [Sie können Ihre|Du kannst deine] Daten jederzeit vor dem Kündigungsdatum exportieren, damit nichts verloren geht.",

	"security_hear":      "[Vielen Dank|Danke] für [Ihre|deine] Meldung zu {{topic}}. Meldungen wie diese helfen uns, die Daten aller zu schützen.",
	"security_empathy":   "Ich verstehe, wie wichtig es ist, dass das ernst genommen wird, und das wird es.",
	"security_act":       "Ich habe [Ihre|deine] Meldung direkt an unser Sicherheitsteam weitergegeben, das sie dringend behandelt.",
	"security_nodetails": "Bitte [teilen Sie|teile] die Details nicht öffentlich, solange wir das prüfen. Auch wir besprechen sie in diesem Gespräch nicht.",
	"security_step1":     "Unser Sicherheitsteam prüft und bestätigt [Ihre|deine] Meldung.",
	"security_step2":     "Bis {{due}} [hören Sie|hörst du] vom Sicherheitsteam; falls es mehr Informationen braucht, meldet es sich direkt.",
	"security_step3":     "Sobald es behoben ist, [geben wir Ihnen|geben wir dir] Bescheid.",
	"security_tip":       "Tipp: Falls [Sie noch etwas finden|du noch etwas findest], [antworten Sie|antworte] hier statt öffentlich, dann landet es sofort beim Sicherheitsteam.",

	"legal_hear":    "[Vielen Dank|Danke] für [Ihre|deine] Nachricht zu {{topic}}. Ich habe sie genau gelesen.",
	"legal_empathy": "Ich verstehe, dass [Ihnen|dir] das sehr wichtig ist.",
	"legal_act":     "Da [Sie|du] rechtliche Schritte [erwähnen|erwähnst], habe ich [Ihre|deine] Nachricht an die zuständigen Kolleginnen und Kollegen weitergegeben. Sie prüfen sie zusammen mit [Ihrem|deinem] Konto.",
	"legal_step1":   "Bis {{due}} [hören Sie|hörst du] von ihnen.",
	"legal_step2":   "Wenn [Sie Unterlagen oder Daten haben|du Unterlagen oder Daten hast], die sie berücksichtigen sollen, [antworten Sie|antworte] einfach auf diese Nachricht.",
	"legal_tip":     "Tipp: Wenn [Sie|du] in diesem Gespräch [antworten|antwortest], bleibt alles an einem Ort für die Kolleginnen und Kollegen, die es prüfen.",

	"repeat_hear":      "Danke, dass [Sie uns|du uns] Bescheid [geben|gibst], dass {{topic}} wieder auftritt.",
	"repeat_count":     "[Sie schreiben|Du schreibst], es ist das {{what}}.",
	"repeat_empathy":   "Das tut mir leid. Dasselbe Problem erneut melden zu müssen, ist ärgerlich, und es hätte behoben bleiben sollen.",
	"repeat_different": "Diesmal gehen wir anders vor. Ich habe [Ihre|deine] früheren Meldungen mit dieser verknüpft, damit das Entwicklerteam den ganzen Verlauf sieht, und eine erfahrene Kollegin verfolgt es, bis die Ursache behoben ist.",
	"repeat_step1":     "Wir vergleichen dieses Auftreten mit den früheren, um die Gemeinsamkeit zu finden.",
	"repeat_step2":     "Bis {{due}} [hören Sie|hörst du] von uns, was wir gefunden und geändert haben.",
	"repeat_step3":     "Wir schließen das erst, wenn [Sie bestätigt haben|du bestätigt hast], dass es behoben bleibt.",
	"repeat_tip":       "Tipp: Falls es wieder passiert, [schreiben Sie|schreib] uns die Uhrzeit. Jedes Auftreten hilft, die Ursache einzugrenzen.",

	"unknown_hear":   "[Vielen Dank|Danke] für [Ihre|deine] Nachricht zu {{topic}}.",
	"unknown_honest": "Ich verstehe, dass [Sie eine klare Antwort brauchen|du eine klare Antwort brauchst]. Ehrlich gesagt haben wir noch keine fertige, und ich prüfe lieber, statt zu raten.",
	"unknown_act":    "Ich habe es an eine Kollegin gegeben, die diesen Teil des Produkts gut kennt.",
	"unknown_step1":  "Wir sehen uns das an und erarbeiten die richtige Antwort für [Ihre|deine] Einrichtung.",
	"unknown_step2":  "Bis {{due}} [hören Sie|hörst du] von uns.",
	"unknown_step3":  "Wenn [Sie uns mehr darüber erzählen, was Sie erreichen möchten, antworten Sie|du uns mehr darüber erzählst, was du erreichen möchtest, antworte] auf diese Nachricht; dann geht es schneller.",
	"unknown_tip":    "Tipp: Ein Screenshot von dem, was [Sie sehen|du siehst], hilft uns oft, schneller zu antworten.",
}

var situationsFR = phrasebook{
	"bug_empathy_slow": "Je comprends à quel point c'est frustrant d'attendre un outil qu'on utilise toute la journée.",
	"angry_repeat":     "Je suis d'autant plus désolé que le même problème soit de nouveau survenu.",
	"may_help":         "En attendant, ces articles pourraient aider, même si je ne suis pas sûr qu'ils répondent exactement à [votre|ta] question :",

	"cancel_hear":         "Merci de nous avoir prévenus. J'ai bien reçu [votre|ta] demande de résiliation, et je suis désolé de [vous|te] voir partir.",
	"cancel_competitor":   "[Vous mentionnez|Tu mentionnes] un passage à {{competitor}}. J'aimerais vraiment savoir ce qui [vous|te] convient mieux chez eux, et je peux [vous|te] montrer ce que [votre|ton] équipe garderait en restant.",
	"cancel_price":        "Si c'est une question de prix, nous pouvons regarder une formule plus petite ou une remise avant [votre|ton] départ.",
	"cancel_feature":      "S'il [vous|te] manque quelque chose, [dites-nous|dis-nous] quoi : il existe peut-être une solution de contournement, c'est peut-être prévu, ou nous pouvons [vous|te] donner un accès anticipé.",
	"cancel_experience":   "Je suis désolé que tout n'ait pas fonctionné comme prévu. [Dites-nous|Dis-nous] ce qui n'a pas marché et nous en corrigerons la cause.",
	"cancel_business":     "Si [vos|tes] besoins ont changé, une pause conviendrait peut-être mieux qu'une résiliation : [vos|tes] données restent intactes.",
	"cancel_ask_why":      "[Pourriez-vous|Pourrais-tu] nous dire ce qui [vous|t'a] décidé à partir ? Une seule ligne nous aide déjà à nous améliorer.",
	"cancel_offer":        "Avant que la résiliation ne prenne effet, nous aimerions [vous|te] proposer : {{offer}}. [Répondez|Réponds] simplement si cela [vous|t'] intéresse.",
	"cancel_easy":         "Si [vous souhaitez|tu souhaites] tout de même partir, c'est tout à fait possible, et [vous n'avez|tu n'as] rien d'autre à faire.",
	"cancel_step_confirm": "Nous [vous|te] confirmerons la résiliation et sa date d'effet au plus tard {{due}}.",
	"cancel_step_pause":   "Si [vous préférez|tu préfères] garder [vos|tes] données sans payer, [répondez|réponds] « pause » et nous mettrons l'abonnement en pause.",
	"cancel_tip":          "Astuce : [vous pouvez|tu peux] exporter [vos|tes] données à tout moment avant la date d'effet, pour ne rien perdre.",

	"security_hear":      "Merci de nous avoir signalé {{topic}}. Ce type de signalement nous aide à protéger les données de tous.",
	"security_empathy":   "Je comprends combien il est important que ce signalement soit pris au sérieux, et il l'est.",
	"security_act":       "J'ai transmis [votre|ton] signalement directement à notre équipe sécurité, qui le traite en priorité.",
	"security_nodetails": "Pendant l'enquête, merci de ne pas partager les détails publiquement. Nous n'en parlerons pas non plus dans cet échange.",
	"security_step1":     "Notre équipe sécurité examine et vérifie [votre|ton] signalement.",
	"security_step2":     "[Vous aurez|Tu auras] de ses nouvelles au plus tard {{due}} ; elle pourra [vous|te] contacter directement si elle a besoin de précisions.",
	"security_step3":     "Une fois le problème résolu, nous [vous|te] tiendrons informé.",
	"security_tip":       "Astuce : si [vous trouvez|tu trouves] autre chose, [répondez|réponds] ici plutôt que sur un canal public, pour que l'équipe sécurité le reçoive tout de suite.",

	"legal_hear":    "Merci pour [votre|ton] message au sujet de {{topic}}. Je l'ai lu attentivement.",
	"legal_empathy": "Je comprends que ce sujet est très important pour [vous|toi].",
	"legal_act":     "Comme [vous évoquez|tu évoques] une démarche juridique, j'ai transmis [votre|ton] message aux collègues concernés. Ils l'examineront avec [votre|ton] dossier.",
	"legal_step1":   "[Vous aurez|Tu auras] de leurs nouvelles au plus tard {{due}}.",
	"legal_step2":   "Si [vous avez|tu as] des documents ou des dates à leur transmettre, [répondez|réponds] simplement à ce message.",
	"legal_tip":     "Astuce : répondre dans cet échange garde tout au même endroit pour les collègues qui l'examinent.",

	"repeat_hear":      "Merci de nous avoir prévenus que {{topic}} est revenu.",
	"repeat_count":     "[Vous dites|Tu dis] que c'est la {{what}}.",
	"repeat_empathy":   "Je suis désolé. Devoir signaler de nouveau le même problème est frustrant, et il aurait dû rester corrigé.",
	"repeat_different": "Cette fois, nous procédons autrement. J'ai relié [vos|tes] signalements précédents à celui-ci pour que l'équipe technique voie tout l'historique, et un collègue expérimenté suit le dossier jusqu'à ce que la cause soit corrigée.",
	"repeat_step1":     "Nous comparons cette occurrence aux précédentes pour trouver leur point commun.",
	"repeat_step2":     "[Vous aurez|Tu auras] de nos nouvelles au plus tard {{due}}, avec ce que nous avons trouvé et changé.",
	"repeat_step3":     "Nous ne clôturerons le dossier qu'une fois que [vous aurez|tu auras] confirmé que le problème ne revient pas.",
	"repeat_tip":       "Astuce : si cela se reproduit, [indiquez-nous|indique-nous] l'heure. Chaque occurrence nous aide à cerner la cause.",

	"unknown_hear":   "Merci pour [votre|ton] message au sujet de {{topic}}.",
	"unknown_honest": "Je comprends que [vous attendez|tu attends] une réponse claire. Pour être honnête, nous n'en avons pas encore, et je préfère vérifier plutôt que deviner.",
	"unknown_act":    "J'ai transmis [votre|ta] demande à un collègue qui connaît bien cette partie du produit.",
	"unknown_step1":  "Nous examinons la question et cherchons la bonne réponse pour [votre|ta] configuration.",
	"unknown_step2":  "[Vous aurez|Tu auras] de nos nouvelles au plus tard {{due}}.",
	"unknown_step3":  "Si [vous pouvez|tu peux] nous en dire plus sur ce que [vous voulez|tu veux] obtenir, [répondez|réponds] à ce message ; cela nous aide à répondre plus vite.",
	"unknown_tip":    "Astuce : une capture d'écran de ce que [vous voyez|tu vois] nous aide souvent à répondre plus vite.",
}

var situationsES = phrasebook{
	"bug_empathy_slow": "Entiendo lo frustrante que es esperar a algo que se usa todo el día.",
	"angry_repeat":     "Siento especialmente que el mismo problema haya vuelto a ocurrir.",
	"may_help":         "Mientras tanto, estos artículos quizá [le|te] ayuden, aunque no estoy seguro de que respondan exactamente a [su|tu] pregunta:",

	"cancel_hear":         "Gracias por [avisarnos|avisarnos]. Hemos recibido [su|tu] solicitud de cancelación y siento que [quiera|quieras] irse.",
	"cancel_competitor":   "[Menciona|Mencionas] que se pasan a {{competitor}}. Me gustaría mucho saber qué [le|te] ofrecen mejor, y puedo [mostrarle|mostrarte] lo que [su|tu] equipo conservaría si se queda.",
	"cancel_price":        "Si el motivo es el precio, podemos ver un plan más pequeño o un descuento antes de que se vaya.",
	"cancel_feature":      "Si [le|te] falta algo, [díganos|dinos] qué: quizá haya una alternativa, quizá esté en nuestra hoja de ruta, o podemos [darle|darte] acceso anticipado.",
	"cancel_experience":   "Siento que las cosas no hayan funcionado como debían. [Cuéntenos|Cuéntanos] qué falló y corregiremos la causa.",
	"cancel_business":     "Si [sus|tus] necesidades han cambiado, quizá una pausa encaje mejor que una cancelación: [sus|tus] datos se quedan como están.",
	"cancel_ask_why":      "¿Nos [podría|podrías] contar por qué [ha|has] decidido irse? Una sola línea ya nos ayuda a mejorar.",
	"cancel_offer":        "Antes de que la cancelación se haga efectiva, nos gustaría [ofrecerle|ofrecerte]: {{offer}}. [Respóndanos|Respóndenos] si [le|te] interesa.",
	"cancel_easy":         "Si aun así [prefiere|prefieres] irse, no hay ningún problema y no [tiene|tienes] que hacer nada más.",
	"cancel_step_confirm": "[Le|Te] confirmaremos la cancelación y la fecha en que se hace efectiva a más tardar {{due}}.",
	"cancel_step_pause":   "Si [prefiere|prefieres] conservar [sus|tus] datos sin pagar, [responda|responde] «pausa» y pausaremos la suscripción.",
	"cancel_tip":          "Consejo: [puede|puedes] exportar [sus|tus] datos en cualquier momento antes de la fecha de cancelación, para no perder nada.",

	"security_hear":      "Gracias por avisarnos de {{topic}}. Avisos como este nos ayudan a proteger los datos de todos.",
	"security_empathy":   "Entiendo lo importante que es que esto se tome en serio, y así es.",
	"security_act":       "He pasado [su|tu] aviso directamente a nuestro equipo de seguridad, que lo trata como urgente.",
	"security_nodetails": "Mientras lo investigan, por favor no [comparta|compartas] los detalles en público. Nosotros tampoco los trataremos en esta conversación.",
	"security_step1":     "Nuestro equipo de seguridad revisa y verifica [su|tu] aviso.",
	"security_step2":     "[Tendrá|Tendrás] noticias suyas a más tardar {{due}}; si necesitan más información, [le|te] contactarán directamente.",
	"security_step3":     "Cuando esté resuelto, [se lo|te lo] haremos saber.",
	"security_tip":       "Consejo: si [encuentra|encuentras] algo más, [responda|responde] aquí y no en un canal público, para que llegue enseguida al equipo de seguridad.",

	"legal_hear":    "Gracias por [su|tu] mensaje sobre {{topic}}. Lo he leído con atención.",
	"legal_empathy": "Entiendo que esto es muy importante para [usted|ti].",
	"legal_act":     "Como [menciona|mencionas] acciones legales, he pasado [su|tu] mensaje a los compañeros responsables. Lo revisarán junto con [su|tu] cuenta.",
	"legal_step1":   "[Tendrá|Tendrás] noticias suyas a más tardar {{due}}.",
	"legal_step2":   "Si [tiene|tienes] documentos o fechas que quiera que tengan en cuenta, [responda|responde] a este mensaje.",
	"legal_tip":     "Consejo: responder en esta conversación mantiene todo en un mismo sitio para quienes lo revisan.",

	"repeat_hear":      "Gracias por avisarnos de que {{topic}} ha vuelto a ocurrir.",
	"repeat_count":     "[Dice|Dices] que es la {{what}}.",
	"repeat_empathy":   "Lo siento. Tener que avisar otra vez del mismo problema es frustrante, y debería haber quedado resuelto.",
	"repeat_different": "Esta vez lo haremos de otra forma. He vinculado [sus|tus] avisos anteriores a este para que el equipo técnico vea todo el historial, y un compañero con experiencia lo sigue hasta corregir la causa.",
	"repeat_step1":     "Compararemos esta vez con las anteriores para encontrar qué tienen en común.",
	"repeat_step2":     "[Tendrá|Tendrás] noticias nuestras a más tardar {{due}}, con lo que hemos encontrado y cambiado.",
	"repeat_step3":     "Solo lo cerraremos cuando [nos confirme|nos confirmes] que sigue resuelto.",
	"repeat_tip":       "Consejo: si vuelve a ocurrir, [indíquenos|indícanos] la hora. Cada vez nos ayuda a acotar la causa.",

	"unknown_hear":   "Gracias por [su|tu] mensaje sobre {{topic}}.",
	"unknown_honest": "Entiendo que [necesita|necesitas] una respuesta clara. Para ser sincero, todavía no la tenemos, y prefiero comprobarlo antes que suponer.",
	"unknown_act":    "Se lo he pasado a un compañero que conoce bien esta parte del producto.",
	"unknown_step1":  "Lo revisaremos y buscaremos la respuesta correcta para [su|tu] configuración.",
	"unknown_step2":  "[Tendrá|Tendrás] noticias nuestras a más tardar {{due}}.",
	"unknown_step3":  "Si nos [cuenta|cuentas] más sobre lo que [quiere|quieres] conseguir, [responda|responde] a este mensaje; así podremos contestar antes.",
	"unknown_tip":    "Consejo: una captura de pantalla de lo que [ve|ves] suele ayudarnos a responder más rápido.",
}
