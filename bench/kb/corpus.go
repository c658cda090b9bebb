package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/heardhq/heard/kb"
)

// The synthetic help center: articles about a made-up SaaS product, built
// from a vocabulary of the words help centers use, with a Zipf-like skew
// (a few words everywhere, most words rare) so full-text candidate lists
// have realistic sizes.
var (
	objects = strings.Fields(`invoice invoices payment payments refund subscription plan seat seats workspace project projects
		client clients timesheet timesheets report reports export exports import integration integrations webhook webhooks
		password account profile team teammates role roles permission permissions budget budgets expense expenses receipt
		receipts tax currency currencies template templates reminder reminders notification notifications calendar schedule
		timer timers entry entries task tasks tag tags approval approvals holiday vacation overtime rate rates estimate
		estimates contract contracts portal domain certificate token tokens key keys token scope scopes audit log logs
		dashboard widget chart charts filter filters column columns field fields form forms attachment attachments file
		files folder folders archive backup sandbox trial discount coupon card bank transfer payout payouts statement
		statements ledger quickbooks xero stripe paypal slack jira github google outlook okta saml sso oidc mfa device
		devices app mobile desktop browser extension shortcut shortcuts language locale timezone region address contact
		contacts company organization manager admin owner member guest auditor accountant bookkeeper`)
	verbs = strings.Fields(`create edit delete archive restore export import connect disconnect sync share invite remove
		approve reject lock unlock assign reassign merge split duplicate schedule pause resume cancel upgrade downgrade
		renew refund charge send resend download upload print rename move filter sort group search track start stop
		enable disable configure reset verify rotate revoke limit customize translate convert`)
	qualifiers = strings.Fields(`monthly weekly daily annual recurring billable unbilled overdue draft paid unpaid partial
		automatic manual default custom shared private public archived active inactive pending failed duplicate missing
		wrong slow new old multiple single bulk mobile offline secure expired locked`)
	places = strings.Fields(`Settings Billing Reports Invoices Projects Team Integrations Security Profile Dashboard
		Timesheets Expenses Clients Calendar Approvals Notifications Developer`)
	glue = strings.Fields(`the the the a a an your your this that each every when if after before so then also only
		not can will may must should to to to of of of in in on on for for with with from by at as and and or but`)
)

// corpus generates articles deterministically from a seed.
type corpus struct {
	rng   *rand.Rand
	zo    *rand.Zipf
	zt    *rand.Zipf
	terms []string // product vocabulary: feature and integration names
}

// syllables build the product vocabulary's made-up words ("florvane",
// "quintrel"), as real help centers name features, plans and partners.
var syllables = strings.Fields(`bar bel cor dan el fen gal har in jor kel lum mar nor or pel quin ras sol tar ul ven wex yor zan
	ka lo mi nu pe ri sa te vo za bri cla dro fle gri plo stra tre vla`)

func newCorpus(seed uint64) *corpus {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	c := &corpus{rng: rng, zo: rand.NewZipf(rng, 1.1, 2, uint64(len(objects)-1))}
	seen := map[string]bool{}
	for len(c.terms) < 8000 {
		w := ""
		for range 2 + rng.IntN(2) {
			w += syllables[rng.IntN(len(syllables))]
		}
		if !seen[w] {
			seen[w] = true
			c.terms = append(c.terms, w)
		}
	}
	c.zt = rand.NewZipf(rng, 1.05, 4, uint64(len(c.terms)-1))
	return c
}

func (c *corpus) pick(list []string) string { return list[c.rng.IntN(len(list))] }

// object draws a noun with a Zipf skew, or one of the article's topic
// nouns half the time.
func (c *corpus) object(topic []string) string {
	if c.rng.IntN(2) == 0 {
		return topic[c.rng.IntN(len(topic))]
	}
	return objects[c.zo.Uint64()]
}

func (c *corpus) sentence(topic []string) string {
	var b strings.Builder
	switch c.rng.IntN(4) {
	case 0:
		fmt.Fprintf(&b, "To %s %s %s %s, open %s and click %s.", c.pick(verbs), c.pick(glue), c.pick(qualifiers), c.object(topic), c.pick(places), strings.ToUpper(c.pick(verbs)[:1])+c.pick(verbs)[1:])
	case 1:
		fmt.Fprintf(&b, "If %s %s %s is %s, %s %s %s first.", c.pick(glue), c.object(topic), c.object(topic), c.pick(qualifiers), c.pick(verbs), c.pick(glue), c.object(topic))
	case 2:
		fmt.Fprintf(&b, "%s %s can %s %s %s %s %s %s.", strings.ToUpper(c.pick(glue)[:1])+c.pick(glue)[1:], c.object(topic), c.pick(verbs), c.pick(qualifiers), c.object(topic), c.pick(glue), c.pick(glue), c.object(topic))
	default:
		fmt.Fprintf(&b, "Note: %s %s %s are %s until you %s %s %s.", c.pick(glue), c.pick(qualifiers), c.object(topic), c.pick(qualifiers), c.pick(verbs), c.pick(glue), c.object(topic))
	}
	return b.String()
}

// article returns article i with about chunks chunks of about 600 bytes.
func (c *corpus) article(i, chunks int) (kb.Article, []string) {
	topic := make([]string, 5)
	for j := range topic {
		if j < 3 {
			topic[j] = c.terms[c.zt.Uint64()]
		} else {
			topic[j] = objects[c.rng.IntN(len(objects))]
		}
	}
	title := fmt.Sprintf("%s %s %s", strings.ToUpper(c.pick(verbs)[:1])+c.pick(verbs)[1:], c.pick(qualifiers), topic[0])
	var b strings.Builder
	for s := range chunks {
		if s > 0 {
			fmt.Fprintf(&b, "\n\n## %s %s %s\n\n", strings.ToUpper(c.pick(verbs)[:1])+c.pick(verbs)[1:], c.pick(glue), topic[c.rng.IntN(len(topic))])
		}
		for b.Len() < (s+1)*620 {
			b.WriteString(c.sentence(topic))
			b.WriteByte(' ')
		}
	}
	locales := []string{"en-us", "en-us", "en-us", "en-gb", "fr-fr", "de-de"}
	return kb.Article{
		ID: fmt.Sprintf("a%06d", i), Title: title, URL: fmt.Sprintf("https://help.example/articles/a%06d", i),
		Locale: locales[c.rng.IntN(len(locales))], Section: topic[0], Body: b.String(), Format: kb.FormatMarkdown,
	}, topic
}

// query is a short question about a topic.
func (c *corpus) query(topic []string) string {
	return fmt.Sprintf("how do I %s the %s %s %s", c.pick(verbs), c.pick(qualifiers), topic[c.rng.IntN(len(topic))], topic[c.rng.IntN(len(topic))])
}
