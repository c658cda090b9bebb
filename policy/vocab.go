package policy

import (
	"slices"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// Sentiments returns the values of the sentiment field, in the order
// classifiers list them: positive, neutral, negative, angry.
func Sentiments() []string {
	return []string{sdk.SentimentPositive, sdk.SentimentNeutral, sdk.SentimentNegative, sdk.SentimentAngry}
}

// Signal is a text signal classifiers raise from the ticket text, for
// churn scoring, routing and escalation.
type Signal struct {
	// Field is the prediction field, one of the sdk.FieldSignal* names.
	Field string
	// Name is the short name patterns files use: Field without "signal.".
	Name string
	// Meaning says when the signal fires; the LLM classifier reads it.
	Meaning string
}

// Signals returns the text signals in their documented order.
func Signals() []Signal {
	sig := func(field, meaning string) Signal {
		return Signal{Field: field, Name: strings.TrimPrefix(field, "signal."), Meaning: meaning}
	}
	return []Signal{
		sig(sdk.FieldSignalCancel, "the customer asks to cancel their subscription or account"),
		sig(sdk.FieldSignalCompetitor, "the customer mentions a competitor; name: the competitor, or empty if unnamed"),
		sig(sdk.FieldSignalDowngrade, "the customer asks to downgrade to a cheaper plan"),
		sig(sdk.FieldSignalLegal, "the customer mentions a lawyer or legal action"),
		sig(sdk.FieldSignalRefundAmount, `the customer asks for a refund; amount: the amount named, as a decimal like "650.00", or empty if none`),
		sig(sdk.FieldSignalSecurity, "a security issue, vulnerability or data leak is reported"),
		sig(sdk.FieldSignalOutage, "the service is down or degraded for the customer"),
		sig(sdk.FieldSignalRepeat, "the customer says this problem happened before"),
		sig(sdk.FieldSignalExecutive, "an executive (CEO, CTO, VP, director) is involved or copied"),
	}
}

// SignalFields returns the field names of Signals, in order.
func SignalFields() []string {
	sigs := Signals()
	out := make([]string, len(sigs))
	for i, s := range sigs {
		out[i] = s.Field
	}
	return out
}

// Churn levels of the default churn policy, lowest risk first.
const (
	ChurnHealthy  = "healthy"
	ChurnWatch    = "watch"
	ChurnHigh     = "high"
	ChurnVeryHigh = "very-high"
	ChurnCritical = "critical"
)

// ChurnLevels returns the default churn levels, lowest risk first.
func ChurnLevels() []string {
	return []string{ChurnHealthy, ChurnWatch, ChurnHigh, ChurnVeryHigh, ChurnCritical}
}

// RetentionLevel reports whether a churn level starts the retention flow:
// high and above. It ignores case and surrounding spaces; an unknown or
// empty level is false.
func RetentionLevel(level string) bool {
	i := slices.Index(ChurnLevels(), strings.ToLower(strings.TrimSpace(level)))
	return i >= slices.Index(ChurnLevels(), ChurnHigh)
}

// Churn score signals, as named in a churn result.
const (
	ChurnSignalCancel               = "cancel"
	ChurnSignalCompetitor           = "competitor"
	ChurnSignalNegativeInteractions = "negative_interactions"
	ChurnSignalUsageDrop            = "usage_drop"
	ChurnSignalFailedPayment        = "failed_payment"
	ChurnSignalNoLogin              = "no_login"
	ChurnSignalDowngrade            = "downgrade"
	ChurnSignalRenewalNoEngagement  = "renewal_no_engagement"
)

// PriorityField is the spec of the priority field: P0..P3.
func PriorityField() sdk.FieldSpec {
	return sdk.FieldSpec{Name: sdk.FieldPriority, Allowed: PriorityValues()}
}

// TagFields are the specs of the primary and secondary tag fields, both
// allowing tags (tag names, usually Taxonomy.Names).
func TagFields(tags []string) []sdk.FieldSpec {
	return []sdk.FieldSpec{
		{Name: sdk.FieldPrimaryTag, Allowed: slices.Clone(tags)},
		{Name: sdk.FieldSecondaryTag, Allowed: slices.Clone(tags)},
	}
}

// SentimentField is the spec of the sentiment field.
func SentimentField() sdk.FieldSpec {
	return sdk.FieldSpec{Name: sdk.FieldSentiment, Allowed: Sentiments()}
}

// FieldSpecs lists every field classifiers are asked to predict for the
// taxonomy tax: priority, the tag fields, sentiment, language (any ISO
// 639-1 code) and each text signal (any value).
func FieldSpecs(tax Taxonomy) []sdk.FieldSpec {
	out := append([]sdk.FieldSpec{PriorityField()}, TagFields(tax.Names())...)
	out = append(out, SentimentField(), sdk.FieldSpec{Name: sdk.FieldLanguage})
	for _, f := range SignalFields() {
		out = append(out, sdk.FieldSpec{Name: f})
	}
	return out
}
