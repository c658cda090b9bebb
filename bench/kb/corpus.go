package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
	terms []string // made-up words: feature and partner names, articles' rarer words
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

// lexicon is what one article is about: the words it keeps coming back
// to. Real help-center articles repeat their own nouns and actions, so a
// chunk's words are mostly its article's and only partly the product's
// common vocabulary.
type lexicon struct {
	topic []string // the article's subject nouns: the title's and queries' words
	nouns []string // topic plus other, rarer words of the article
	verbs []string
	quals []string
}

func (c *corpus) lexicon() lexicon {
	var l lexicon
	for j := range 5 {
		if j < 3 {
			l.topic = append(l.topic, c.terms[c.zt.Uint64()])
		} else {
			l.topic = append(l.topic, objects[c.rng.IntN(len(objects))])
		}
	}
	l.nouns = append(l.nouns, l.topic...)
	for range articleWords {
		l.nouns = append(l.nouns, c.terms[c.rng.IntN(len(c.terms))])
	}
	for range 3 {
		l.verbs = append(l.verbs, c.pick(verbs))
	}
	for range 2 {
		l.quals = append(l.quals, c.pick(qualifiers))
	}
	return l
}

// Sizes of an article's lexicon and shares of a sentence's slots filled
// from it rather than from the product's common vocabulary. They were set
// by comparing, at the fixture's size (540 chunks, offline embedder), the
// generated text with sandbox/helpcenter's real articles and questions (fixture;
// the earlier generator, which drew every slot from the common vocabulary,
// in brackets): terms shared by more than a tenth of the chunks make 45%
// of the terms (29%; 72%); a question's best chunk has cosine 0.41 (0.41;
// 0.32) and its tenth 0.24 (0.23; 0.20); a chunk's tenth nearest
// neighbour has 0.38 (0.33; 0.48).
const (
	articleWords = 30
	localNoun    = 0.9
	localVerb    = 0.9
	localQual    = 0.9
	sectionShare = 0.5
	sectionWords = 8
)

// section narrows an article's lexicon to one section's: the article's
// subject nouns, part of its other words and a few of the section's own,
// as an article's sections each cover one side of its subject.
func (c *corpus) section(l lexicon) lexicon {
	s := lexicon{topic: l.topic, verbs: append(slices.Clone(l.verbs), c.pick(verbs)), quals: append(slices.Clone(l.quals), c.pick(qualifiers))}
	s.nouns = slices.Clone(l.topic)
	for _, w := range l.nouns[len(l.topic):] {
		if c.chance(sectionShare) {
			s.nouns = append(s.nouns, w)
		}
	}
	for range sectionWords {
		s.nouns = append(s.nouns, c.terms[c.rng.IntN(len(c.terms))])
	}
	return s
}

func (c *corpus) chance(p float64) bool { return c.rng.Float64() < p }

// object draws a noun: the article's own, or a product noun with a Zipf
// skew.
func (c *corpus) object(l lexicon) string {
	if c.chance(localNoun) {
		return l.nouns[c.rng.IntN(len(l.nouns))]
	}
	return objects[c.zo.Uint64()]
}

func (c *corpus) verb(l lexicon) string {
	if c.chance(localVerb) {
		return l.verbs[c.rng.IntN(len(l.verbs))]
	}
	return c.pick(verbs)
}

func (c *corpus) qual(l lexicon) string {
	if c.chance(localQual) {
		return l.quals[c.rng.IntN(len(l.quals))]
	}
	return c.pick(qualifiers)
}

func title(w string) string { return strings.ToUpper(w[:1]) + w[1:] }

func (c *corpus) sentence(l lexicon) string {
	var b strings.Builder
	switch c.rng.IntN(4) {
	case 0:
		fmt.Fprintf(&b, "To %s %s %s %s, open %s and click %s.", c.verb(l), c.pick(glue), c.qual(l), c.object(l), c.pick(places), title(c.verb(l)))
	case 1:
		fmt.Fprintf(&b, "If %s %s %s is %s, %s %s %s first.", c.pick(glue), c.object(l), c.object(l), c.qual(l), c.verb(l), c.pick(glue), c.object(l))
	case 2:
		fmt.Fprintf(&b, "%s %s can %s %s %s %s %s %s.", title(c.pick(glue)), c.object(l), c.verb(l), c.qual(l), c.object(l), c.pick(glue), c.pick(glue), c.object(l))
	default:
		fmt.Fprintf(&b, "Note: %s %s %s are %s until you %s %s %s.", c.pick(glue), c.qual(l), c.object(l), c.qual(l), c.verb(l), c.pick(glue), c.object(l))
	}
	return b.String()
}

// article returns article i with about chunks chunks of about 600 bytes,
// and its lexicon.
func (c *corpus) article(i, chunks int) (kb.Article, lexicon) {
	l := c.lexicon()
	topic := l.topic
	ttl := fmt.Sprintf("%s %s %s", title(l.verbs[0]), l.quals[0], topic[0])
	var b strings.Builder
	for s := range chunks {
		sl := c.section(l)
		if s > 0 {
			fmt.Fprintf(&b, "\n\n## %s %s %s\n\n", title(c.verb(sl)), c.pick(glue), topic[c.rng.IntN(len(topic))])
		}
		for b.Len() < (s+1)*620 {
			b.WriteString(c.sentence(sl))
			b.WriteByte(' ')
		}
	}
	locales := []string{"en-us", "en-us", "en-us", "en-gb", "fr-fr", "de-de"}
	return kb.Article{
		ID: fmt.Sprintf("a%06d", i), Title: ttl, URL: fmt.Sprintf("https://help.example/articles/a%06d", i),
		Locale: locales[c.rng.IntN(len(locales))], Section: topic[0], Body: b.String(), Format: kb.FormatMarkdown,
	}, l
}

// query is a short question about an article: an action and a qualifier
// it talks about, and two of its subject nouns.
func (c *corpus) query(l lexicon) string {
	return fmt.Sprintf("how do I %s the %s %s %s", c.verb(l), c.qual(l), l.topic[c.rng.IntN(len(l.topic))], l.topic[c.rng.IntN(len(l.topic))])
}
