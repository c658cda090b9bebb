package sdk

// Field names classifiers predict. Plugins use the same names, so the
// pipeline can merge predictions from any source.
const (
	FieldPriority     = "priority"      // P0..P3
	FieldPrimaryTag   = "tag.primary"   // one tag from the taxonomy
	FieldSecondaryTag = "tag.secondary" // up to two predictions, each one tag
	FieldSentiment    = "sentiment"     // positive | neutral | negative | angry
	FieldLanguage     = "language"      // ISO 639-1 code, e.g. "en", "de"
	FieldProductArea  = "product_area"  // free text, e.g. "billing", "api"
	// Text signals for churn, routing and escalation. Value "true" when the
	// signal fired; FieldSignalRefundAmount carries the amount in the
	// ticket's currency as a decimal string ("650.00"), optionally followed
	// by the ISO 4217 code of the currency it was written in ("1188.00 EUR").
	FieldSignalCancel       = "signal.cancel"
	FieldSignalCompetitor   = "signal.competitor" // value: the competitor named, or "true"
	FieldSignalDowngrade    = "signal.downgrade"
	FieldSignalLegal        = "signal.legal"
	FieldSignalRefundAmount = "signal.refund_amount"
	FieldSignalSecurity     = "signal.security"
	FieldSignalOutage       = "signal.outage"
	FieldSignalRepeat       = "signal.repeat"    // the customer says this happened before
	FieldSignalExecutive    = "signal.executive" // an executive is involved (CEO, VP, ...)
)

// Sentiment values.
const (
	SentimentPositive = "positive"
	SentimentNeutral  = "neutral"
	SentimentNegative = "negative"
	SentimentAngry    = "angry"
)

// Customer attribute keys in Ticket.Customer, mapped by connectors from
// configured vendor fields. Values are strings; a missing key is unknown.
const (
	AttrPlan                 = "plan"                      // enterprise | business | pro | starter | free
	AttrMRR                  = "mrr"                       // monthly recurring revenue, decimal, e.g. "1250"
	AttrLTV                  = "ltv"                       // lifetime value, decimal
	AttrRenewalDate          = "renewal_date"              // RFC 3339 date "2026-12-31"
	AttrLastLogin            = "last_login"                // RFC 3339 time
	AttrUsageTrend           = "usage_trend"               // month-over-month change in percent, e.g. "-60"
	AttrPaymentStatus        = "payment_status"            // ok | failed
	AttrSignupDate           = "signup_date"               // RFC 3339 date; tenure and "first 30 days"
	AttrNegativeInteractions = "negative_interactions_30d" // count of negative interactions in the last 30 days
	AttrEngagement           = "engagement"                // active | none: any engagement before renewal
	AttrRegion               = "region"                    // lower-case region, e.g. "de": its holidays stop the SLA clock
)
