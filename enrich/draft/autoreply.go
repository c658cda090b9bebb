package draft

import (
	"errors"
	"fmt"
	"strings"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Defaults of AutoReplyConfig (docs/policy.md, "Replies: the HEARD method").
const (
	DefaultAutoReplyThreshold = 0.9
	DefaultFAQMinScore        = 0.85
)

// Auto-reply cases: the only kinds of ticket that may be answered without
// an agent.
const (
	CaseFAQ           = "faq"            // an exact match to a known FAQ article
	CaseAccountStatus = "account-status" // plan, payment date, usage
	CasePassword      = "password-reset" // password reset or account unlock
	CaseServiceStatus = "service-status" // service status during a known incident
)

// AutoReplyConfig is the auto-reply policy. The zero value is off; zero
// numbers mean the defaults, so a config that only sets Enabled gets
// the documented thresholds.
type AutoReplyConfig struct {
	// Enabled turns auto-reply on. Default false: every draft stays in the
	// internal note for an agent.
	Enabled bool `yaml:"enabled"`
	// Threshold is the confidence a reply must be above (strictly). Zero
	// means 0.9.
	Threshold float64 `yaml:"threshold"`
	// FAQMinScore is the relevance the top article needs, inclusive, to
	// count as an exact FAQ match. Zero means 0.85.
	FAQMinScore float64 `yaml:"faq_min_score"`
}

// DefaultAutoReplyConfig returns the documented policy: off, threshold
// 0.9, FAQ match at 0.85.
func DefaultAutoReplyConfig() AutoReplyConfig {
	return AutoReplyConfig{Threshold: DefaultAutoReplyThreshold, FAQMinScore: DefaultFAQMinScore}
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c AutoReplyConfig) Validate() error {
	var errs []error
	if c.Threshold < 0 || c.Threshold >= 1 {
		errs = append(errs, fmt.Errorf("threshold %v: want 0 (default 0.9) up to but not including 1", c.Threshold))
	}
	if c.FAQMinScore < 0 || c.FAQMinScore > 1 {
		errs = append(errs, fmt.Errorf("faq_min_score %v: want 0 (default 0.85) to 1", c.FAQMinScore))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s auto-reply config: %w: %w", ID, errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

func (c AutoReplyConfig) withDefaults() AutoReplyConfig {
	if c.Threshold == 0 {
		c.Threshold = DefaultAutoReplyThreshold
	}
	if c.FAQMinScore == 0 {
		c.FAQMinScore = DefaultFAQMinScore
	}
	return c
}

// AutoReplyDecision says whether a draft may go to the customer without an
// agent.
type AutoReplyDecision struct {
	// Allowed reports that the reply may be sent.
	Allowed bool `json:"allowed"`
	// Case is the allowed case (Case* constants) when Allowed.
	Case string `json:"case,omitempty"`
	// Reason says why, naming the rule that decided.
	Reason string `json:"reason"`
	// Text is what to send when Allowed: the draft, ending by offering a
	// human (the offer is inserted before the sign-off when the draft
	// lacks one). Empty when not allowed.
	Text string `json:"text,omitempty"`
	// Sent reports that the reply goes to the customer with this
	// enrichment's write-back (allowed, and the connector is live). The
	// caller sets it; AutoReply leaves it false.
	Sent bool `json:"sent,omitempty"`
}

// AutoReply applies the auto-reply policy (docs/policy.md) to a draft for
// req, with the confidence of the classification behind it. In order:
//
//  1. off unless cfg.Enabled;
//  2. never for a security report (tag, signal or text), a legal threat,
//     a cancellation, an angry customer (sentiment angry or the
//     angry-customer situation) or a churn risk (tag churn-risk, or churn
//     level high, very-high or critical);
//  3. only when confidence is above cfg.Threshold;
//  4. only for a draft that passes the rubric (8/10 and no fault), since
//     the policy says a draft needs that, and only with text;
//  5. only for one of the cases: an exact FAQ match (the top article's
//     score at least cfg.FAQMinScore and its Answer at the answer
//     threshold), an account-status question (plan, payment date, usage),
//     a password reset or account unlock, or a service-status question
//     while req.KnownIncident is set.
//
// An allowed reply's Text ends by offering a human if it did not solve the
// problem; callers send Text, not the draft.
func AutoReply(req Request, d Draft, confidence float64, cfg AutoReplyConfig) AutoReplyDecision {
	cfg = cfg.withDefaults()
	no := func(format string, args ...any) AutoReplyDecision {
		return AutoReplyDecision{Reason: "no auto-reply: " + fmt.Sprintf(format, args...)}
	}
	if !cfg.Enabled {
		return no("auto-reply is disabled")
	}
	c := cues(req)
	switch {
	case c.security || d.Situation == SituationSecurity:
		return no("security tickets are never auto-replied")
	case c.legal || d.Situation == SituationLegal:
		return no("legal threats are never auto-replied")
	case c.cancel || d.Situation == SituationCancel:
		return no("cancellations are never auto-replied")
	case req.Sentiment == sdk.SentimentAngry || d.Situation == SituationAngry:
		return no("angry customers are never auto-replied")
	case containsTag(req, policy.TagChurnRisk):
		return no("churn-risk tickets are never auto-replied (tag churn-risk)")
	case churnHigh(req.ChurnLevel):
		return no("churn-risk tickets are never auto-replied (churn level %s)", req.ChurnLevel)
	}
	if !(confidence > cfg.Threshold) {
		return no("confidence %.2f is not above %.2f", confidence, cfg.Threshold)
	}
	if strings.TrimSpace(d.Text) == "" {
		return no("the draft is empty")
	}
	if !d.Rubric.Pass {
		return no("the draft scores %d/10, below %d", d.Rubric.Total, PassMark)
	}
	kase, why := autoReplyCase(req, cfg)
	if kase == "" {
		return no("not an exact FAQ match, account-status question, password reset or unlock, or service status during a known incident")
	}
	return AutoReplyDecision{
		Allowed: true, Case: kase, Text: withHumanOffer(d, req),
		Reason: fmt.Sprintf("auto-reply allowed: %s (%s), confidence %.2f above %.2f", kase, why, confidence, cfg.Threshold),
	}
}

var (
	passwordRE = mustFiltered(`(?i)(reset (my |the |our )?password|password reset|forgot (my |the )?password|forgotten (my |the )?password|locked out|account (is |was |got |has been )?(locked|blocked|suspended)|unlock (my |the |our )?account|` +
		`passwort (zurücksetzen|vergessen)|kennwort (zurücksetzen|vergessen)|konto (ist |wurde )?(gesperrt|blockiert)|konto entsperren|ausgesperrt|` +
		`mot de passe (oublié|perdu)|réinitialiser (mon |le )?mot de passe|compte (est |a été )?(bloqué|verrouillé)|débloquer (mon )?compte|` +
		`restablecer (mi |la )?contraseña|olvidé (mi )?contraseña|recuperar (mi )?contraseña|cuenta (está |fue )?(bloqueada|suspendida)|desbloquear (mi )?cuenta)`)
	accountStatusRE = mustFiltered(`(?i)((which|what) plan|my (current )?plan|our (current )?plan|(next|upcoming) (payment|invoice|bill|charge|renewal)|payment date|billing date|renewal date|when (will|do|does) (i|we|my card|our card) (be )?(charged|billed|pay|renew)|(my|our) usage|usage (limit|quota)|how (many|much) .{0,30}(used|left|remaining)|seats? (left|used|remaining)|` +
		`welchen tarif|welcher tarif|mein tarif|unser tarif|nächste (zahlung|abbuchung|rechnung)|zahlungsdatum|verbrauch|nutzung|` +
		`quelle offre|quel forfait|mon (forfait|abonnement|offre)|prochain (paiement|prélèvement)|prochaine facture|date de (paiement|prélèvement)|ma consommation|mon utilisation|` +
		`qué plan|mi plan|nuestro plan|próximo (pago|cobro)|próxima factura|fecha de (pago|cobro)|mi (uso|consumo))`)
	serviceStatusRE = mustFiltered(`(?i)(\bdown\b|outage|status page|service status|not loading|unavailable|unreachable|is (it|the app|the site|the service|everything) (down|working)|is it just me|can'?t (log ?in|access|connect|reach)|` +
		`störung|ausfall|ausgefallen|nicht erreichbar|funktioniert nicht|` +
		`panne|indisponible|ne fonctionne pas|hors service|inaccessible|` +
		`caída|caído|no funciona|no disponible|fuera de servicio)`)
)

// autoReplyCase returns the allowed case the ticket falls in, with the
// evidence, or "".
func autoReplyCase(req Request, cfg AutoReplyConfig) (string, string) {
	var best *Article
	for i := range req.Articles {
		if a := &req.Articles[i]; best == nil || a.Score > best.Score {
			best = a
		}
	}
	if best != nil && best.Score >= cfg.FAQMinScore && best.Answer >= req.answerThreshold() && strings.TrimSpace(best.URL) != "" {
		return CaseFAQ, fmt.Sprintf("article %q scores %.2f, at least %.2f, and answers the question (%.2f)", best.Title, best.Score, cfg.FAQMinScore, best.Answer)
	}
	var subject string
	if req.Ticket != nil {
		subject = req.Ticket.Subject
	}
	msg := latestCustomerMessage(req.Ticket)
	text := subject + "\n" + msg
	if m := passwordRE.FindString(text); m != "" {
		return CasePassword, fmt.Sprintf("matched %q", m)
	}
	for _, q := range questions(subject, msg) {
		if m := accountStatusRE.FindString(q); m != "" {
			return CaseAccountStatus, fmt.Sprintf("question matched %q", m)
		}
	}
	if req.KnownIncident {
		if m := serviceStatusRE.FindString(text); m != "" {
			return CaseServiceStatus, fmt.Sprintf("known incident; matched %q", m)
		}
	}
	return "", ""
}

// humanOfferRE finds an existing offer of a human in a paragraph.
var humanOfferRE = mustFiltered(`(?i)(member of our team|someone (from|on) our team|one of our team|a (real )?person|a human|speak to|talk to|an agent|` +
	`jemand aus unserem team|mitarbeiter|persönlich darum|` +
	`une personne|un membre de notre équipe|un conseiller|` +
	`una persona|alguien de nuestro equipo|un agente)`)

// closingRE matches the first line of a sign-off paragraph.
var closingRE = mustFiltered(`(?i)^(best|kind regards|regards|best regards|best wishes|warm regards|many thanks|thanks|thank you|cheers|sincerely|yours|` +
	`freundliche grüße|mit freundlichen grüßen|viele grüße|beste grüße|liebe grüße|` +
	`cordialement|bien à vous|à bientôt|bien cordialement|merci|` +
	`atentamente|un saludo|saludos|cordialmente|gracias)\b`)

// withHumanOffer returns text ending (before the sign-off) with an offer
// of a human, adding one in the reply language when the last paragraph
// before the sign-off has none.
func withHumanOffer(d Draft, req Request) string {
	paras := paragraphs(d.Text)
	body := len(paras)
	if closingRE.MatchString(strings.TrimSpace(paras[body-1])) {
		body--
	}
	if body > 0 && humanOfferRE.MatchString(paras[body-1]) {
		return strings.Join(paras, "\n\n")
	}
	lang := d.Language
	if _, ok := phrasebooks[lang]; !ok {
		lang = replyLanguage(req.Language)
	}
	formal := d.Register == RegisterFormal
	if d.Register == "" {
		formal = detectRegister(latestCustomerMessage(req.Ticket), lang).Register == RegisterFormal
	}
	offer := phrasebooks[lang].t("human_offer", formal)
	out := append(append(append([]string{}, paras[:body]...), offer), paras[body:]...)
	return strings.Join(out, "\n\n")
}
