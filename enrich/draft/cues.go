package draft

import (
	"slices"
	"strings"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Text cues for the situations the tags alone do not show, in the four
// reply languages. They back up the classifiers' signals (Request.Signals):
// either is enough.
var (
	// legalRE: a lawyer, legal action or a court is mentioned.
	legalRE = mustFiltered(`(?i)(?:^|[^\pL])(lawyers?|attorneys?|solicitors?|legal action|legal steps|legal proceedings|take (?:you|this) to court|sue (?:you|them)|small claims|lawsuit|litigation|` +
		`anwalt|anwältin|rechtsanwalt|rechtliche schritte|klage|gericht|` +
		`avocat|avocate|poursuites|action en justice|tribunal|mise en demeure|` +
		`abogad[oa]s?|acciones legales|demanda judicial|tribunales?)(?:[^\pL]|$)`)
	// securityRE: a vulnerability or data exposure is reported.
	securityRE = mustFiltered(`(?i)(?:^|[^\pL])(vulnerabilit\pL*|xss|cross-site|csrf|sql injection|security (?:issue|hole|flaw|bug|problem)|data leak|exposed data|responsible disclosure|` +
		`sicherheitslücke|schwachstelle|datenleck|faille de sécurité|vulnérabilité|fuite de données|vulnerabilidad|brecha de seguridad|fuga de datos)(?:[^\pL]|$)`)
	// cancelRE: the customer asks to cancel or leave.
	cancelRE = mustFiltered(`(?i)(?:^|[^\pL])(cancel(?:l?ing)? (?:our|my|the) (?:subscription|account|plan|contract)|(?:want|like|need|going|decided) to (?:cancel|leave|close our account)|please cancel|cancelling|canceling|` +
		`kündigen|kündigung|abo beenden|résilier|résiliation|annuler (?:mon|notre) abonnement|cancelar (?:mi|nuestra|la) suscripción|darnos de baja|dar de baja)(?:[^\pL]|$)`)
	// repeatRE: the customer says the problem happened before.
	repeatRE = mustFiltered(`(?i)(?:^|[^\pL])((?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|again|keeps? happening|came back|is back|still (?:broken|not fixed|happening)|` +
		`schon wieder|erneut|zum (?:zweiten|dritten|vierten) mal|de nouveau|à nouveau|encore une fois|(?:deuxième|troisième) fois|otra vez|de nuevo|(?:segunda|tercera) vez)(?:[^\pL]|$)`)
	// chargeRE: the customer mentions a charge, payment or invoice.
	chargeRE = mustFiltered(`(?i)(?:^|[^\pL])(charg\pL*|billed|invoice\pL*|payment\pL*|paid|refund\pL*|debit\pL*|` +
		`abbuchung\pL*|abgebucht|rechnung\pL*|zahlung\pL*|erstatt\pL*|prélèvement\pL*|prélevé\pL*|factur\pL*|paiement\pL*|rembours\pL*|cargo\pL*|cobr\pL*|pago\pL*|reembols\pL*)(?:[^\pL]|$)`)
)

// cue is the situation evidence in one request: the signal or the text.
type cue struct {
	legal, security, cancel, repeat bool
	why                             map[string]string // cue name → what fired
	msg                             string            // latestCustomerMessage(req.Ticket), read once
}

// cues reads the situation cues from req's signals, tags and latest
// customer message (subject included).
func cues(req Request) cue {
	c := cue{why: map[string]string{}}
	var subject string
	if req.Ticket != nil {
		subject = req.Ticket.Subject
	}
	c.msg = latestCustomerMessage(req.Ticket)
	text := subject + "\n" + c.msg
	folded := foldString(text) // for the regexes' prefilters, once
	check := func(name, field string, re *filteredRE) bool {
		if v, ok := req.Signals[field]; ok && v != "" && v != "false" {
			c.why[name] = field
			return true
		}
		if m := re.findStringSubmatchFolded(text, folded); m != nil {
			c.why[name] = "“" + m[1] + "”"
			return true
		}
		return false
	}
	c.legal = check("legal", sdk.FieldSignalLegal, legalRE)
	if slices.Contains(allTags(req), policy.TagSecurity) {
		c.security, c.why["security"] = true, "tag "+policy.TagSecurity
	} else {
		c.security = check("security", sdk.FieldSignalSecurity, securityRE)
	}
	c.cancel = check("cancel", sdk.FieldSignalCancel, cancelRE)
	c.repeat = check("repeat", sdk.FieldSignalRepeat, repeatRE)
	return c
}

// mentionsCharge reports whether the customer's text mentions a charge,
// payment, invoice or refund (or an amount).
func (f *facts) mentionsCharge() bool {
	if chargeRE.MatchString(f.subject + "\n" + f.msg) {
		return true
	}
	for _, sp := range f.specifics {
		if sp.Kind == kindAmount {
			return true
		}
	}
	return false
}

// lowerContainsAny returns the first of subs in low, or "".
func lowerContainsAny(low string, subs []string) string {
	for _, s := range subs {
		if strings.Contains(low, s) {
			return s
		}
	}
	return ""
}
