package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// Ticket is one generated, labelled ticket.
type Ticket struct {
	Business string
	Subject  string
	Body     string
	Priority string
	// Tags are the primary tag first, then up to two secondary tags.
	Tags      []string
	Sentiment string
	At        time.Time
}

// business fills the slots of the scenarios with its own vocabulary.
type business struct {
	name string
	slot map[string][]string
}

var businesses = []business{
	{"shop", map[string][]string{
		"product": {"the shop", "your store", "the website", "the mobile app"},
		"thing":   {"order", "parcel", "package", "delivery"},
		"core":    {"checkout", "the cart", "placing an order", "the payment page"},
		"feature": {"order tracking", "the wishlist", "the size filter", "product search", "gift cards", "the returns portal"},
		"pay":     {"card payments", "PayPal", "Apple Pay", "the checkout payment step"},
		"data":    {"order history", "saved addresses", "my loyalty points"},
		"integ":   {"the Shopify sync", "the DHL tracking link", "the Klarna plugin", "our marketplace feed"},
		"task":    {"return an item", "change my delivery address", "use a discount code", "track my parcel"},
		"wish":    {"a dark mode for the app", "split payments", "saving items for later", "an option to gift wrap"},
		"rival":   {"Amazon", "Zalando", "Etsy"},
		"plan":    {"premium membership", "Prime-style subscription", "VIP club"},
		"scope1":  {"my order", "one item", "my account"},
		"scopeN":  {"every customer", "all shoppers", "nobody on the site", "all our orders today"},
	}},
	{"bank", map[string][]string{
		"product": {"the banking app", "online banking", "your app", "the web portal"},
		"thing":   {"transfer", "card", "statement", "standing order"},
		"core":    {"sending transfers", "logging in to the app", "card payments", "withdrawing cash"},
		"feature": {"the spending chart", "statement export", "the savings pots", "card freeze", "the notifications"},
		"pay":     {"SEPA transfers", "card payments", "instant payments", "direct debits"},
		"data":    {"my transaction history", "my saved payees", "the statements from last year"},
		"integ":   {"the open banking API", "the Xero bank feed", "Google Pay", "the accounting export"},
		"task":    {"raise my card limit", "order a new card", "set up a standing order", "download a statement"},
		"wish":    {"joint accounts in the app", "round-up savings", "a widget for my balance", "multiple currencies"},
		"rival":   {"Revolut", "Monzo", "N26"},
		"plan":    {"premium account", "metal plan", "business account"},
		"scope1":  {"my card", "one transfer", "my account"},
		"scopeN":  {"all customers", "everyone I know", "none of our employees", "every business client"},
	}},
	{"saas", map[string][]string{
		"product": {"the dashboard", "your platform", "the app", "the workspace"},
		"thing":   {"report", "project", "export", "workspace"},
		"core":    {"saving documents", "loading the dashboard", "running reports", "publishing changes"},
		"feature": {"the CSV export", "the calendar view", "scheduled reports", "the search bar", "comment threads", "SSO settings"},
		"pay":     {"the subscription renewal", "card payments for the plan", "seat upgrades"},
		"data":    {"our projects", "all the comments", "last month's reports"},
		"integ":   {"the Slack integration", "the REST API", "our webhooks", "the Salesforce sync", "the Zapier connector"},
		"task":    {"invite a teammate", "set up SSO", "change the workspace owner", "schedule a report"},
		"wish":    {"a Gantt chart", "custom fields on tasks", "an offline mode", "audit log exports"},
		"rival":   {"Asana", "Notion", "Monday.com"},
		"plan":    {"enterprise plan", "team plan", "pro plan"},
		"scope1":  {"my report", "one project", "my user"},
		"scopeN":  {"our whole team", "all 200 users", "every workspace", "the entire company"},
	}},
	{"telecom", map[string][]string{
		"product": {"my internet", "the network", "the mobile service", "the router"},
		"thing":   {"bill", "SIM card", "router", "contract"},
		"core":    {"the internet connection", "making calls", "mobile data", "the fibre line"},
		"feature": {"the data usage meter", "the self-care app", "voicemail", "wifi calling", "the parental controls"},
		"pay":     {"the direct debit", "top-ups", "paying my bill online"},
		"data":    {"my call history", "the saved voicemails", "my contact backups"},
		"integ":   {"the router's app", "the TV box pairing", "the eSIM activation"},
		"task":    {"activate roaming", "change my tariff", "set up the new router", "port my number"},
		"wish":    {"a data rollover", "5G on my plan", "a family bundle", "unlimited calls abroad"},
		"rival":   {"Vodafone", "O2", "T-Mobile"},
		"plan":    {"unlimited plan", "fibre 500 package", "family bundle"},
		"scope1":  {"my line", "my phone", "my home"},
		"scopeN":  {"the whole neighbourhood", "everyone in town", "all our offices", "every customer in the area"},
	}},
	{"travel", map[string][]string{
		"product": {"the booking site", "your app", "the website", "the booking engine"},
		"thing":   {"booking", "reservation", "flight", "hotel stay"},
		"core":    {"making a booking", "checking in online", "paying for reservations", "searching flights"},
		"feature": {"the seat map", "the price alerts", "the itinerary page", "the loyalty points page", "hotel filters"},
		"pay":     {"card payments", "paying with points", "the booking payment step"},
		"data":    {"my upcoming trips", "all my bookings", "my saved travellers"},
		"integ":   {"the calendar sync", "the Booking.com channel manager", "the partner API", "the airline feed"},
		"task":    {"change the name on a ticket", "add luggage", "cancel a hotel night", "get an invoice for my trip"},
		"wish":    {"a price freeze", "group bookings", "a trip sharing link", "train tickets too"},
		"rival":   {"Expedia", "Booking.com", "Kayak"},
		"plan":    {"gold membership", "business travel plan", "travel club"},
		"scope1":  {"my booking", "one reservation", "my trip"},
		"scopeN":  {"all travellers", "every booking today", "all our agents", "every customer"},
	}},
}

// scenario is a kind of request: its labels and how it reads.
type scenario struct {
	tag      string
	prio     string
	second   []string // candidate secondary tags
	subjects []string
	bodies   []string
	// wide, when set, is the priority if the problem hits many people.
	wide string
}

var scenarios = []scenario{
	{tag: "bug", prio: "P1", wide: "P0", second: []string{"performance"},
		subjects: []string{"{product} is down", "cannot use {core}", "outage?", "{core} not working", "error 500"},
		bodies: []string{"Since this morning {core} just fails for {scope}. We get a blank page and an error code.",
			"Nothing works: {core} shows 'something went wrong' for {scope}.",
			"{product} stopped responding about an hour ago and {core} is impossible for {scope}."}},
	{tag: "billing", prio: "P1", wide: "P0", second: []string{"bug"},
		subjects: []string{"payment failing", "{pay} declined", "can't pay", "problem with {pay}"},
		bodies: []string{"{pay} keep getting declined for {scope} even though the cards are fine.",
			"Every attempt with {pay} ends with 'transaction could not be completed' for {scope}.",
			"We cannot take money: {pay} fail at the last step for {scope}."}},
	{tag: "bug", prio: "P0", second: []string{"security"},
		subjects: []string{"data missing", "{data} gone", "where is {data}?", "lost everything"},
		bodies: []string{"{data} vanished overnight. It's all empty now and we did not delete anything.",
			"After the update {data} is simply gone. We need it back urgently.",
			"I logged in and {data} had disappeared completely, nothing left."}},
	{tag: "security", prio: "P0", second: []string{"account"},
		subjects: []string{"suspicious login", "someone else in my account", "possible breach", "strange activity", "security issue"},
		bodies: []string{"I got an alert about a sign-in from another country that wasn't me, and my email was changed.",
			"Somebody used my account: there's a {thing} I never made and my password no longer works.",
			"I think your site exposes other customers' details - I could see another person's {data} by changing the URL.",
			"We received a phishing email that looks exactly like yours and several customers entered their passwords."}},
	{tag: "billing", prio: "P1", second: []string{"churn-risk"},
		subjects: []string{"charged twice", "wrong amount on my {thing}", "double charge", "invoice is wrong", "overcharged"},
		bodies: []string{"I was charged two times for the same {thing}, please refund the duplicate.",
			"My {plan} was billed at the wrong price this month, 89 instead of 49.",
			"The invoice shows fees I never agreed to. Please correct it.",
			"You took the payment twice from my account for one {thing}."}},
	{tag: "billing", prio: "P2", second: []string{"account"},
		subjects: []string{"refund", "money back please", "refund request", "return and refund"},
		bodies: []string{"I'd like a refund for my last {thing}, it wasn't what I expected.",
			"Can I get my money back for the {thing}? I sent it back last week.",
			"Please refund the {plan} I bought by mistake yesterday."}},
	{tag: "bug", prio: "P2", wide: "P1", second: []string{"performance"},
		subjects: []string{"problem with {feature}", "{feature} broken", "bug in {feature}", "weird behaviour", "{feature} shows wrong data"},
		bodies: []string{"{feature} shows the wrong results for {scope}. Reloading does not help.",
			"When I open {feature} it throws an error and closes for {scope}.",
			"{feature} has been acting up: the numbers don't match what I entered, affects {scope}."}},
	{tag: "performance", prio: "P2", wide: "P1", second: []string{"bug"},
		subjects: []string{"very slow", "{product} is sluggish", "takes forever", "timeouts", "lag"},
		bodies: []string{"{feature} takes almost a minute to load for {scope}, it used to be instant.",
			"Everything in {product} is painfully slow today, pages time out for {scope}.",
			"{core} keeps spinning and then times out for {scope}."}},
	{tag: "account", prio: "P2", wide: "P1", second: []string{"security"},
		subjects: []string{"can't log in", "locked out", "password reset not working", "2FA code never arrives", "login problem"},
		bodies: []string{"I am locked out: the password reset email never arrives. Affects {scope}.",
			"The verification code doesn't come by SMS so I can't sign in, same for {scope}.",
			"It keeps saying my password is wrong although I reset it twice."}},
	{tag: "account", prio: "P3", second: []string{"how-to"},
		subjects: []string{"change my email", "update profile", "add a user", "change name on account", "permissions"},
		bodies: []string{"Could you change the email address on my account to my new one?",
			"How can I give my colleague access to our account with fewer permissions?",
			"I got married and need to update the name on my profile."}},
	{tag: "how-to", prio: "P3", second: []string{"onboarding", "account"},
		subjects: []string{"question", "how do I {task}?", "quick question", "help needed", "where can I {task}"},
		bodies: []string{"How do I {task}? I looked everywhere in {product}.",
			"Is it possible to {task} from the app, or only on the website?",
			"Could you explain the steps to {task}? Thanks a lot."}},
	{tag: "feature-request", prio: "P3", second: []string{"how-to"},
		subjects: []string{"suggestion", "feature idea", "would love {wish}", "request", "idea for {product}"},
		bodies: []string{"It would be great to have {wish}. Any plans for that?",
			"Please consider adding {wish} - I'd use it every week.",
			"Small wish from a happy user: {wish} would make this perfect."}},
	{tag: "integration", prio: "P2", wide: "P1", second: []string{"bug"},
		subjects: []string{"{integ} stopped", "sync issue", "API errors", "connection to {integ} broken", "webhook problem"},
		bodies: []string{"{integ} stopped syncing yesterday and returns 401 errors for {scope}.",
			"Since your update {integ} no longer receives anything, affects {scope}.",
			"We connect via {integ} and now every call fails with a timeout for {scope}."}},
	{tag: "onboarding", prio: "P3", wide: "P2", second: []string{"how-to"},
		subjects: []string{"just signed up", "getting started", "new customer here", "first steps", "moving from {rival}"},
		bodies: []string{"We just signed up and want to import everything from {rival}. Where do we start?",
			"New here! What should I set up first to {task}?",
			"We are migrating {scope} from {rival} next week - can you help with the import?"}},
	{tag: "churn-risk", prio: "P2", second: []string{"billing"},
		subjects: []string{"cancel", "cancel my {plan}", "close my account", "leaving", "end contract"},
		bodies: []string{"Please cancel my {plan}, I'm moving to {rival}.",
			"I want to close my account. {rival} offers the same for less.",
			"We've had enough and will not renew. How do I end the {plan}?"}},
	{tag: "bug", prio: "P3", second: []string{"feature-request"},
		subjects: []string{"typo", "small display issue", "button misaligned", "cosmetic", "layout glitch"},
		bodies: []string{"Minor thing: there's a typo on the {feature} page.",
			"The button in {feature} overlaps the text on my phone, not a big deal.",
			"The icons in {feature} look blurry on a big screen."}},
}

var (
	greetings = []string{"Hi,", "Hello,", "Hey team,", "Dear support,", "", "", "Good morning,", "Hallo,"}
	closings  = []string{"Thanks", "Regards, Sam", "Cheers", "", "Thank you!", "Best, Alex", "Sent from my phone", "--\nKim"}
	fillers   = []string{"I have been a customer for years.", "My colleague had the same thing last week.",
		"I tried another browser already.", "Order number is #{num}.", "Customer ID {num}.", "Not sure if this is the right place.",
		"I attached a screenshot.", "This is the second time I write.", "I'm on the latest version."}
	tones = map[string][]string{
		"angry":    {"This is ABSOLUTELY unacceptable!!!", "I am furious.", "Worst service ever, fix it NOW!!", "Ridiculous. I'm so angry."},
		"negative": {"Pretty disappointed, to be honest.", "This is frustrating.", "Not happy about this.", "Quite annoying."},
		"positive": {"Love your product otherwise!", "You guys are great, thanks!", "Really happy with the service so far :)", "Keep up the good work."},
		"neutral":  {""},
	}
	toneOrder = []string{"neutral", "negative", "angry", "positive"}
)

// Generate returns n tickets, the same for the same n and seed, spread
// evenly over the businesses and a year of creation times (oldest first
// within each business's interleaving).
func Generate(n int, seed uint64) []Ticket {
	rng := rand.New(rand.NewPCG(seed, 0x5eed)) //nolint:gosec // reproducible test data, not a secret
	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	out := make([]Ticket, 0, n)
	for i := range n {
		b := businesses[rng.IntN(len(businesses))]
		sc := scenarios[rng.IntN(len(scenarios))]
		out = append(out, generate(rng, b, sc, base.Add(time.Duration(i)*17*time.Minute+time.Duration(rng.IntN(600))*time.Second)))
	}
	return out
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

func generate(rng *rand.Rand, b business, sc scenario, at time.Time) Ticket {
	prio := sc.prio
	scope := pick(rng, b.slot["scope1"])
	if sc.wide != "" && rng.Float64() < 0.4 {
		scope, prio = pick(rng, b.slot["scopeN"]), sc.wide
	}
	fill := func(s string) string {
		for {
			i := strings.IndexByte(s, '{')
			j := strings.IndexByte(s, '}')
			if i < 0 || j < i {
				return s
			}
			key, v := s[i+1:j], ""
			switch key {
			case "scope":
				v = scope
			case "num":
				v = fmt.Sprint(10000 + rng.IntN(90000))
			default:
				v = pick(rng, b.slot[key])
			}
			s = s[:i] + v + s[j+1:]
		}
	}
	subject := fill(pick(rng, sc.subjects))
	if rng.Float64() < 0.12 { // vague subjects: the body must carry it
		subject = pick(rng, []string{"Help", "Question", "Urgent!!", "Re: your email", "Support request", "Issue", ""})
	}
	tone := toneOrder[weighted(rng, []float64{0.5, 0.25, 0.12, 0.13})]
	var parts []string
	if g := pick(rng, greetings); g != "" {
		parts = append(parts, g)
	}
	body := fill(pick(rng, sc.bodies))
	if rng.Float64() < 0.5 {
		body = fill(pick(rng, fillers)) + " " + body
	}
	if rng.Float64() < 0.3 {
		body += " " + fill(pick(rng, fillers))
	}
	parts = append(parts, body)
	if t := pick(rng, tones[tone]); t != "" {
		parts = append(parts, t)
	}
	if c := pick(rng, closings); c != "" {
		parts = append(parts, c)
	}
	text := typos(rng, strings.Join(parts, "\n"))
	if rng.Float64() < 0.1 {
		subject = strings.ToUpper(subject)
	} else if rng.Float64() < 0.2 {
		subject = strings.ToLower(subject)
	}

	tags := []string{sc.tag}
	if rng.Float64() < 0.35 {
		tags = append(tags, pick(rng, sc.second))
	}
	if tone == "angry" && sc.tag != "churn-risk" && rng.Float64() < 0.3 && !contains(tags, "churn-risk") {
		tags = append(tags, "churn-risk")
	}
	// label noise: about 5% of the priorities and primary tags
	if rng.Float64() < 0.05 {
		prio = pick(rng, []string{"P0", "P1", "P2", "P3"})
	}
	if rng.Float64() < 0.05 {
		all := []string{"billing", "bug", "how-to", "feature-request", "account", "integration", "performance", "security", "onboarding", "churn-risk"}
		if t := pick(rng, all); !contains(tags[1:], t) {
			tags[0] = t
		}
	}
	if tags[0] == "security" { // the policy: security is always P0
		prio = "P0"
	}
	return Ticket{Business: b.name, Subject: subject, Body: text, Priority: prio, Tags: tags, Sentiment: tone, At: at}
}

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func weighted(rng *rand.Rand, w []float64) int {
	r := rng.Float64()
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

// typos swaps two adjacent letters in about 3% of the longer words.
func typos(rng *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if len(w) > 4 && rng.Float64() < 0.03 {
			k := 1 + rng.IntN(len(w)-3)
			bs := []byte(w)
			bs[k], bs[k+1] = bs[k+1], bs[k]
			words[i] = string(bs)
		}
	}
	return strings.Join(words, " ")
}

// WriteCSV writes tickets in the format heard eval and heard train read:
// subject,body,priority,tags with the tags ";"-separated, primary first.
func WriteCSV(w io.Writer, ts []Ticket) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"subject", "body", "priority", "tags"}); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	for _, t := range ts {
		subj := t.Subject
		if strings.TrimSpace(subj) == "" && strings.TrimSpace(t.Body) == "" {
			continue
		}
		if err := cw.Write([]string{subj, t.Body, t.Priority, strings.Join(t.Tags, ";")}); err != nil {
			return fmt.Errorf("writing csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	return nil
}
