package churn

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// UnknownOffer is listed in Result.Unknown when the MRR is missing or
// unparsable, so no retention offer could be chosen.
const UnknownOffer = "offer"

// TextSignal is one churn signal found in the ticket text.
type TextSignal struct {
	// Fired reports whether the signal is present.
	Fired bool
	// Reason is the phrase or explanation that made it fire.
	Reason string
}

// TextSignals are the churn signals that come from the ticket text.
type TextSignals struct {
	Cancel     TextSignal // asks to cancel
	Competitor TextSignal // mentions a competitor
	Downgrade  TextSignal // asks to downgrade
}

// Input is what the churn score is computed from.
type Input struct {
	// Text holds the signals found in the ticket text.
	Text TextSignals
	// Attrs are the customer's attributes keyed by sdk.Attr* constants.
	// A missing key is unknown. Read only.
	Attrs map[string]string
	// Now is the time the score is computed at. Zero makes the time-based
	// signals (last login, renewal) unknown.
	Now time.Time
}

// Signal is one churn signal that fired.
type Signal struct {
	// Name is one of the policy.ChurnSignal* constants.
	Name string `json:"name"`
	// Points is what the signal adds before the cap.
	Points int `json:"points"`
	// Reason says why it fired.
	Reason string `json:"reason"`
}

// Result is a churn-risk assessment.
type Result struct {
	// Score is the sum of Signals' points, capped at the policy's MaxScore.
	Score int `json:"score"`
	// Level is the name of the score's level, e.g. "high".
	Level string `json:"level"`
	// Action is what support does at that level.
	Action string `json:"action"`
	// Signals are the signals that fired, in policy table order.
	Signals []Signal `json:"signals,omitempty"`
	// Unknown names the attribute signals that could not be evaluated
	// because an attribute was missing or unparsable (they count 0), and
	// UnknownOffer when the MRR is unknown.
	Unknown []string `json:"unknown,omitempty"`
	// Offer is the largest retention offer the MRR allows, "" when the MRR
	// is unknown.
	Offer string `json:"offer,omitempty"`
	// RetentionFlow reports whether to start the retention flow: the score
	// is above the policy's RetentionAbove, or the customer asks to cancel.
	RetentionFlow bool `json:"retention_flow"`
}

// TextSignalsFrom collects the cancel, competitor and downgrade signals from
// classifier predictions (sdk.FieldSignalCancel, sdk.FieldSignalCompetitor,
// sdk.FieldSignalDowngrade) whose confidence is at least minConfidence.
//
// A value fires when it is a true boolean ("true", "1") or, for values that
// are not booleans, when it is not empty: sdk.FieldSignalCompetitor carries
// the competitor's name. The first firing prediction's Reason is kept.
func TextSignalsFrom(preds []sdk.Prediction, minConfidence float64) TextSignals {
	var ts TextSignals
	for _, p := range preds {
		var s *TextSignal
		switch p.Field {
		case sdk.FieldSignalCancel:
			s = &ts.Cancel
		case sdk.FieldSignalCompetitor:
			s = &ts.Competitor
		case sdk.FieldSignalDowngrade:
			s = &ts.Downgrade
		default:
			continue
		}
		if s.Fired || !(p.Confidence >= minConfidence) || !fired(p.Value) {
			continue
		}
		reason := p.Reason
		if reason == "" && p.Field == sdk.FieldSignalCompetitor {
			if _, err := strconv.ParseBool(strings.TrimSpace(p.Value)); err != nil {
				reason = "mentions " + strings.TrimSpace(p.Value)
			}
		}
		*s = TextSignal{Fired: true, Reason: reason}
	}
	return ts
}

// fired reports whether a signal value means the signal is present.
func fired(v string) bool {
	v = strings.TrimSpace(v)
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	return v != ""
}

// Score computes the churn risk of in under p, which must be valid.
func (p Policy) Score(in Input) Result {
	var r Result
	add := func(name string, points int, reason string) {
		r.Signals = append(r.Signals, Signal{Name: name, Points: points, Reason: reason})
	}
	unknown := func(name string) { r.Unknown = append(r.Unknown, name) }

	if in.Text.Cancel.Fired {
		add(policy.ChurnSignalCancel, p.Points.Cancel, orDefault(in.Text.Cancel.Reason, "asks to cancel"))
	}
	if in.Text.Competitor.Fired {
		add(policy.ChurnSignalCompetitor, p.Points.Competitor, orDefault(in.Text.Competitor.Reason, "mentions a competitor"))
	}

	if n, ok := parseCount(in.Attrs[sdk.AttrNegativeInteractions]); !ok {
		unknown(policy.ChurnSignalNegativeInteractions)
	} else if n >= p.NegativeInteractions {
		add(policy.ChurnSignalNegativeInteractions, p.Points.NegativeInteractions,
			fmt.Sprintf("%d negative interactions in the last 30 days (%d or more)", n, p.NegativeInteractions))
	}

	if trend, ok := parsePercent(in.Attrs[sdk.AttrUsageTrend]); !ok {
		unknown(policy.ChurnSignalUsageDrop)
	} else if -trend > p.UsageDropPercent {
		add(policy.ChurnSignalUsageDrop, p.Points.UsageDrop,
			fmt.Sprintf("usage %s%% month over month (down more than %s%%)", formatNumber(trend), formatNumber(p.UsageDropPercent)))
	}

	switch strings.ToLower(strings.TrimSpace(in.Attrs[sdk.AttrPaymentStatus])) {
	case "failed":
		add(policy.ChurnSignalFailedPayment, p.Points.FailedPayment, "payment failed (involuntary churn risk)")
	case "ok":
	default:
		unknown(policy.ChurnSignalFailedPayment)
	}

	if last, ok := parseTime(in.Attrs[sdk.AttrLastLogin], in.Now); !ok {
		unknown(policy.ChurnSignalNoLogin)
	} else if since := in.Now.Sub(last); since >= time.Duration(p.NoLoginDays)*24*time.Hour {
		add(policy.ChurnSignalNoLogin, p.Points.NoLogin,
			fmt.Sprintf("no login for %d days (%d or more)", int(since/(24*time.Hour)), p.NoLoginDays))
	}

	if in.Text.Downgrade.Fired {
		add(policy.ChurnSignalDowngrade, p.Points.Downgrade, orDefault(in.Text.Downgrade.Reason, "asks to downgrade"))
	}

	switch fire, known, reason := p.renewal(in); {
	case !known:
		unknown(policy.ChurnSignalRenewalNoEngagement)
	case fire:
		add(policy.ChurnSignalRenewalNoEngagement, p.Points.RenewalNoEngagement, reason)
	}

	for _, s := range r.Signals {
		r.Score += s.Points
	}
	r.Score = min(r.Score, p.MaxScore)
	for _, l := range p.Levels {
		if r.Score <= l.Max {
			r.Level, r.Action = l.Name, l.Action
			break
		}
	}

	if mrr, ok := parseAmount(in.Attrs[sdk.AttrMRR]); ok {
		r.Offer = p.offer(mrr)
	} else {
		unknown(UnknownOffer)
	}
	r.RetentionFlow = r.Score > p.RetentionAbove || in.Text.Cancel.Fired
	return r
}

// renewal evaluates "renewal within the window and no engagement". It is
// known when either part settles it: active engagement or a renewal date
// outside the window makes it false whatever the other part is.
func (p Policy) renewal(in Input) (fire, known bool, reason string) {
	engagement := strings.ToLower(strings.TrimSpace(in.Attrs[sdk.AttrEngagement]))
	engagementKnown := engagement == "active" || engagement == "none"
	if engagement == "active" {
		return false, true, ""
	}
	renewal, ok := parseTime(in.Attrs[sdk.AttrRenewalDate], in.Now)
	if !ok {
		return false, false, ""
	}
	days := civilDays(renewal.In(in.Now.Location())) - civilDays(in.Now)
	if days < 0 || days > int64(p.RenewalWithinDays) {
		return false, true, ""
	}
	if !engagementKnown {
		return false, false, ""
	}
	return true, true, fmt.Sprintf("renewal on %s, in %d days (within %d), and no engagement",
		renewal.In(in.Now.Location()).Format(time.DateOnly), days, p.RenewalWithinDays)
}

// offer returns the largest retention offer for mrr.
func (p Policy) offer(mrr float64) string {
	for _, o := range p.Offers {
		switch {
		case o.UpTo == nil,
			o.Exclusive && mrr < *o.UpTo,
			!o.Exclusive && mrr <= *o.UpTo:
			return o.Offer
		}
	}
	return ""
}

// civilDays returns t's calendar date, in t's location, as days since the
// Unix epoch.
func civilDays(t time.Time) int64 {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// parseTime parses an RFC 3339 time or a "YYYY-MM-DD" date, the latter as
// midnight in now's location. A zero now makes every time unknown.
func parseTime(s string, now time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || now.IsZero() {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, now.Location()); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// parseCount parses a non-negative integer.
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// parsePercent parses a finite decimal percentage, with an optional "%".
func parsePercent(s string) (float64, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	return parseFinite(s)
}

// parseAmount parses a finite, non-negative decimal amount.
func parseAmount(s string) (float64, bool) {
	v, ok := parseFinite(strings.TrimSpace(s))
	if !ok || v < 0 {
		return 0, false
	}
	return v, true
}

func parseFinite(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
