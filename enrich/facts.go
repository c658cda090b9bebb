package enrich

import (
	"maps"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Enricher attribute keys the decide stage reads (docs/enrichment.md).
// A context plugin that knows the customer (a CRM, billing) supplies them
// in its sdk.EnrichResponse; they take precedence over what the connector
// mapped into Ticket.Customer, and fill its gaps.
const (
	// AttrCustomerPrefix prefixes a customer attribute: "customer." plus an
	// sdk.Attr* key, e.g. "customer.plan", "customer.mrr",
	// "customer.renewal_date". Values are strings, numbers or booleans.
	AttrCustomerPrefix = "customer."
	// AttrAccountAgeDays is the account's age in days, a number; it stands
	// for the signup date (sdk.AttrSignupDate) when none is known.
	AttrAccountAgeDays = "account.age_days"
	// AttrVIP marks a VIP customer, a boolean; routing rules can match it
	// (`when: {vip: true}`).
	AttrVIP = "customer.vip"
)

// attrVIP is AttrVIP's key among the customer facts.
const attrVIP = "vip"

// AttrRegion is the customer's region from an enricher, e.g. "de" or
// "us-ca" (sdk.AttrRegion among the customer facts): the SLA clock adds
// that region's holidays (sla.calendar.regional_holidays).
const AttrRegion = AttrCustomerPrefix + sdk.AttrRegion

// CustomerFacts returns the customer attributes the decision uses, keyed
// by sdk.Attr* names: t.Customer, overridden by the enrichers'
// "customer.*" attrs, with a signup date from AttrAccountAgeDays when
// neither gives one. Values that are not strings, numbers or booleans are
// ignored. t.Customer is not modified.
func CustomerFacts(t *sdk.Ticket, attrs sdk.Attrs, now time.Time) map[string]string {
	out := maps.Clone(t.Customer)
	if out == nil {
		out = map[string]string{}
	}
	for k, v := range attrs {
		name, ok := strings.CutPrefix(k, AttrCustomerPrefix)
		if !ok || name == "" {
			continue
		}
		if s, ok := factString(v); ok {
			out[name] = s
		}
	}
	if _, ok := out[sdk.AttrSignupDate]; !ok {
		if days, ok := factNumber(attrs[AttrAccountAgeDays]); ok && days >= 0 && !now.IsZero() {
			out[sdk.AttrSignupDate] = now.Add(-time.Duration(days * float64(24*time.Hour))).UTC().Format(time.RFC3339)
		}
	}
	return out
}

// factString renders an attribute value as the connector would have
// mapped it: strings as they are, numbers in decimal, booleans as
// "true"/"false", times in RFC 3339.
func factString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case time.Time:
		return v.UTC().Format(time.RFC3339), true
	}
	if f, ok := factNumber(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}

// factNumber reads a JSON number (float64 after decoding, or an integer
// from a built-in enricher) or a numeric string.
func factNumber(v any) (float64, bool) {
	var f float64
	switch v := v.(type) {
	case float64:
		f = v
	case float32:
		f = float64(v)
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case int32:
		f = float64(v)
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}
