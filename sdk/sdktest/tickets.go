package sdktest

import (
	"time"

	"github.com/heardhq/heard/sdk"
)

// Tickets returns the suite's sample tickets: an outage report from an
// enterprise customer, a refund request, a German-language question, a
// VIP executive's complaint and an almost empty ticket. Each call returns
// fresh copies.
func Tickets() []*sdk.Ticket {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	msg := func(id, body string, from sdk.Party) sdk.Message {
		return sdk.Message{ID: id, Author: from, Public: true, Body: body, CreatedAt: at}
	}
	ada := sdk.Party{ID: "u1", Name: "Ada Lovelace", Email: "ada@bigco.example"}
	bob := sdk.Party{ID: "u2", Name: "Bob Stone", Email: "bob@small.example"}
	jo := sdk.Party{ID: "u3", Name: "Jo Weber", Email: "jo@firma.example"}
	ceo := sdk.Party{ID: "u4", Name: "Kim Park", Email: "ceo@bigco.example"}
	ref := func(id string) sdk.TicketRef { return sdk.TicketRef{Connector: "test-desk", Account: "acme", ID: id} }
	return []*sdk.Ticket{
		{
			Ref: ref("101"), Subject: "Production is down for all users", Status: sdk.StatusNew, Priority: sdk.P2,
			Requester: ada, Organization: sdk.Party{ID: "o1", Name: "BigCo"}, Tags: []string{"api"},
			Fields:   map[string]string{"region": "eu"},
			Customer: map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "12000"},
			Messages: []sdk.Message{msg("m1", "Since 09:00 every API call returns 503. This is a total outage.", ada)},
			Recent:   []sdk.TicketRef{ref("97")}, CreatedAt: at, UpdatedAt: at,
		},
		{
			Ref: ref("102"), Subject: "Refund for double charge", Status: sdk.StatusOpen, Priority: sdk.P3,
			Requester: bob, Customer: map[string]string{sdk.AttrPlan: "starter", sdk.AttrPaymentStatus: "ok"},
			Messages: []sdk.Message{
				msg("m2", "I was charged twice this month, please refund $49.00.", bob),
				{ID: "m3", Author: sdk.Party{Name: "Agent"}, FromAgent: true, Public: true, Body: "Looking into it.", CreatedAt: at.Add(time.Hour)},
				msg("m4", "Any update? Otherwise I will cancel.", bob),
			},
			CreatedAt: at, UpdatedAt: at.Add(2 * time.Hour),
		},
		{
			Ref: ref("103"), Subject: "Frage zur Rechnung", Status: sdk.StatusNew, Requester: jo,
			Messages:  []sdk.Message{msg("m5", "Hallo, wie kann ich die Rechnungsadresse ändern? Danke!", jo)},
			CreatedAt: at, UpdatedAt: at,
		},
		{
			Ref: ref("104"), Subject: "Unacceptable response times", Status: sdk.StatusOpen, Priority: sdk.P2,
			Requester: ceo, Organization: sdk.Party{ID: "o1", Name: "BigCo"},
			Customer:  map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrRenewalDate: "2026-04-01", sdk.AttrUsageTrend: "-40"},
			Messages:  []sdk.Message{msg("m6", "As CEO I expect answers within the hour. We are evaluating other vendors before renewal.", ceo)},
			CreatedAt: at, UpdatedAt: at,
		},
		{Ref: ref("105")},
	}
}

// Fields returns the field specs the suite asks classifiers for: what
// heard asks its own classifiers for by default.
func Fields() []sdk.FieldSpec {
	tags := []string{"billing", "bug", "outage", "account", "security", "feature_request", "how_to", "vip"}
	return []sdk.FieldSpec{
		{Name: sdk.FieldPriority, Allowed: []string{"P0", "P1", "P2", "P3"}},
		{Name: sdk.FieldPrimaryTag, Allowed: tags},
		{Name: sdk.FieldSecondaryTag, Allowed: tags},
		{Name: sdk.FieldSentiment, Allowed: []string{sdk.SentimentPositive, sdk.SentimentNeutral, sdk.SentimentNegative, sdk.SentimentAngry}},
		{Name: sdk.FieldLanguage},
		{Name: sdk.FieldProductArea},
		{Name: sdk.FieldSignalCancel},
		{Name: sdk.FieldSignalCompetitor},
		{Name: sdk.FieldSignalRefundAmount},
		{Name: sdk.FieldSignalOutage},
		{Name: sdk.FieldSignalExecutive},
	}
}

// cloneTicket deep-copies t, so the suite can tell whether an
// implementation modified its input.
func cloneTicket(t *sdk.Ticket) *sdk.Ticket {
	if t == nil {
		return nil
	}
	c := *t
	c.Tags = cloneSlice(t.Tags)
	c.Fields = cloneMap(t.Fields)
	c.Customer = cloneMap(t.Customer)
	c.Messages = cloneSlice(t.Messages)
	c.Recent = cloneSlice(t.Recent)
	return &c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func cloneFields(fs []sdk.FieldSpec) []sdk.FieldSpec {
	if fs == nil {
		return nil
	}
	c := make([]sdk.FieldSpec, len(fs))
	for i, f := range fs {
		c[i] = sdk.FieldSpec{Name: f.Name, Allowed: cloneSlice(f.Allowed)}
	}
	return c
}

// cloneAttrs copies the top level; the suite's own attrs hold only
// scalars.
func cloneAttrs(a sdk.Attrs) sdk.Attrs {
	if a == nil {
		return nil
	}
	c := make(sdk.Attrs, len(a))
	for k, v := range a {
		c[k] = v
	}
	return c
}
