package churn

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// now is the clock the tests score at: Thursday 2026-01-15 10:00 UTC.
var now = time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)

// quiet returns attributes that are all known and fire no signal.
func quiet() map[string]string {
	return map[string]string{
		sdk.AttrNegativeInteractions: "0",
		sdk.AttrUsageTrend:           "5",
		sdk.AttrPaymentStatus:        "ok",
		sdk.AttrLastLogin:            now.Add(-24 * time.Hour).Format(time.RFC3339),
		sdk.AttrRenewalDate:          "2026-12-31",
		sdk.AttrEngagement:           "active",
		sdk.AttrMRR:                  "50",
	}
}

// with returns quiet attributes changed by kv (key, value pairs); an empty
// value deletes the key.
func with(kv ...string) map[string]string {
	a := quiet()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(a, kv[i])
			continue
		}
		a[kv[i]] = kv[i+1]
	}
	return a
}

func names(ss []Signal) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestDefaultPolicyMatchesDomain(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v; want nil", err)
	}
	wantPoints := Points{Cancel: 40, Competitor: 20, NegativeInteractions: 15, UsageDrop: 15,
		FailedPayment: 10, NoLogin: 10, Downgrade: 10, RenewalNoEngagement: 10}
	if p.Points != wantPoints {
		t.Errorf("points = %+v; want %+v", p.Points, wantPoints)
	}
	if p.MaxScore != 100 || p.NegativeInteractions != 3 || p.UsageDropPercent != 50 ||
		p.NoLoginDays != 14 || p.RenewalWithinDays != 60 || p.RetentionAbove != 40 {
		t.Errorf("thresholds = %d/%d/%v/%d/%d/%d; want 100/3/50/14/60/40", p.MaxScore, p.NegativeInteractions,
			p.UsageDropPercent, p.NoLoginDays, p.RenewalWithinDays, p.RetentionAbove)
	}
	var gotLevels []string
	for _, l := range p.Levels {
		gotLevels = append(gotLevels, l.Name+"≤"+formatNumber(float64(l.Max)))
	}
	wantLevels := []string{"healthy≤20", "watch≤40", "high≤60", "very-high≤80", "critical≤100"}
	if !slices.Equal(gotLevels, wantLevels) {
		t.Errorf("levels = %v; want %v", gotLevels, wantLevels)
	}
}

func TestScoreSignals(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name        string
		text        TextSignals
		attrs       map[string]string
		wantScore   int
		wantSignals []string
		wantReason  string // reason of the first signal, when set
	}{
		{name: "nothing fires", attrs: quiet(), wantScore: 0},
		{name: "cancel", text: TextSignals{Cancel: TextSignal{Fired: true, Reason: `"please cancel my account"`}}, attrs: quiet(),
			wantScore: 40, wantSignals: []string{policy.ChurnSignalCancel}, wantReason: `"please cancel my account"`},
		{name: "cancel without reason", text: TextSignals{Cancel: TextSignal{Fired: true}}, attrs: quiet(),
			wantScore: 40, wantSignals: []string{policy.ChurnSignalCancel}, wantReason: "asks to cancel"},
		{name: "competitor", text: TextSignals{Competitor: TextSignal{Fired: true, Reason: "mentions Freshdesk"}}, attrs: quiet(),
			wantScore: 20, wantSignals: []string{policy.ChurnSignalCompetitor}, wantReason: "mentions Freshdesk"},
		{name: "downgrade", text: TextSignals{Downgrade: TextSignal{Fired: true}}, attrs: quiet(),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalDowngrade}, wantReason: "asks to downgrade"},
		{name: "text signal not fired despite reason", text: TextSignals{Cancel: TextSignal{Reason: "x"}}, attrs: quiet(), wantScore: 0},

		{name: "3 negative interactions", attrs: with(sdk.AttrNegativeInteractions, "3"),
			wantScore: 15, wantSignals: []string{policy.ChurnSignalNegativeInteractions},
			wantReason: "3 negative interactions in the last 30 days (3 or more)"},
		{name: "2 negative interactions", attrs: with(sdk.AttrNegativeInteractions, "2"), wantScore: 0},
		{name: "usage down 60%", attrs: with(sdk.AttrUsageTrend, "-60"),
			wantScore: 15, wantSignals: []string{policy.ChurnSignalUsageDrop}, wantReason: "usage -60% month over month (down more than 50%)"},
		{name: "usage down 50.1%", attrs: with(sdk.AttrUsageTrend, "-50.1"), wantScore: 15, wantSignals: []string{policy.ChurnSignalUsageDrop}},
		{name: "usage down exactly 50% does not fire", attrs: with(sdk.AttrUsageTrend, "-50"), wantScore: 0},
		{name: "usage with percent sign", attrs: with(sdk.AttrUsageTrend, " -75% "), wantScore: 15, wantSignals: []string{policy.ChurnSignalUsageDrop}},
		{name: "usage up 80%", attrs: with(sdk.AttrUsageTrend, "80"), wantScore: 0},
		{name: "failed payment", attrs: with(sdk.AttrPaymentStatus, "failed"),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalFailedPayment}, wantReason: "payment failed (involuntary churn risk)"},
		{name: "failed payment any case", attrs: with(sdk.AttrPaymentStatus, "FAILED"), wantScore: 10, wantSignals: []string{policy.ChurnSignalFailedPayment}},
		{name: "no login for exactly 14 days", attrs: with(sdk.AttrLastLogin, now.Add(-14*day).Format(time.RFC3339)),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalNoLogin}, wantReason: "no login for 14 days (14 or more)"},
		{name: "last login 14 days less a second ago", attrs: with(sdk.AttrLastLogin, now.Add(-14*day+time.Second).Format(time.RFC3339)),
			wantScore: 0},
		{name: "last login as a date 30 days ago", attrs: with(sdk.AttrLastLogin, "2025-12-16"),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalNoLogin}, wantReason: "no login for 30 days (14 or more)"},
		{name: "last login in another offset", attrs: with(sdk.AttrLastLogin, "2026-01-01T12:00:00+02:00"),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalNoLogin}},
		{name: "last login in the future", attrs: with(sdk.AttrLastLogin, "2026-02-01T00:00:00Z"), wantScore: 0},
		{name: "renewal in 60 days, no engagement", attrs: with(sdk.AttrRenewalDate, "2026-03-16", sdk.AttrEngagement, "none"),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalRenewalNoEngagement},
			wantReason: "renewal on 2026-03-16, in 60 days (within 60), and no engagement"},
		{name: "renewal in 61 days, no engagement", attrs: with(sdk.AttrRenewalDate, "2026-03-17", sdk.AttrEngagement, "none"), wantScore: 0},
		{name: "renewal today, no engagement", attrs: with(sdk.AttrRenewalDate, "2026-01-15", sdk.AttrEngagement, "none"),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalRenewalNoEngagement}},
		{name: "renewal as RFC 3339 time", attrs: with(sdk.AttrRenewalDate, "2026-02-01T00:00:00Z", sdk.AttrEngagement, "none"),
			wantScore: 10, wantSignals: []string{policy.ChurnSignalRenewalNoEngagement}},
		{name: "renewal yesterday is past", attrs: with(sdk.AttrRenewalDate, "2026-01-14", sdk.AttrEngagement, "none"), wantScore: 0},
		{name: "renewal soon but engaged", attrs: with(sdk.AttrRenewalDate, "2026-01-20", sdk.AttrEngagement, "active"), wantScore: 0},

		{name: "everything fires, capped at 100",
			text: TextSignals{Cancel: TextSignal{Fired: true}, Competitor: TextSignal{Fired: true}, Downgrade: TextSignal{Fired: true}},
			attrs: with(sdk.AttrNegativeInteractions, "9", sdk.AttrUsageTrend, "-90", sdk.AttrPaymentStatus, "failed",
				sdk.AttrLastLogin, "2025-01-01T00:00:00Z", sdk.AttrRenewalDate, "2026-01-30", sdk.AttrEngagement, "none"),
			wantScore: 100,
			wantSignals: []string{policy.ChurnSignalCancel, policy.ChurnSignalCompetitor, policy.ChurnSignalNegativeInteractions, policy.ChurnSignalUsageDrop,
				policy.ChurnSignalFailedPayment, policy.ChurnSignalNoLogin, policy.ChurnSignalDowngrade, policy.ChurnSignalRenewalNoEngagement}},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Score(Input{Text: tc.text, Attrs: tc.attrs, Now: now})
			if got.Score != tc.wantScore {
				t.Errorf("score = %d; want %d (signals %+v)", got.Score, tc.wantScore, got.Signals)
			}
			if g := names(got.Signals); !slices.Equal(g, tc.wantSignals) {
				t.Errorf("signals = %v; want %v", g, tc.wantSignals)
			}
			if tc.wantReason != "" && len(got.Signals) > 0 && got.Signals[0].Reason != tc.wantReason {
				t.Errorf("reason = %q; want %q", got.Signals[0].Reason, tc.wantReason)
			}
			if len(got.Unknown) != 0 {
				t.Errorf("unknown = %v; want none", got.Unknown)
			}
		})
	}
}

func TestScoreSignalPoints(t *testing.T) {
	p := DefaultPolicy()
	got := p.Score(Input{
		Text: TextSignals{Cancel: TextSignal{Fired: true}, Competitor: TextSignal{Fired: true}, Downgrade: TextSignal{Fired: true}},
		Attrs: with(sdk.AttrNegativeInteractions, "3", sdk.AttrUsageTrend, "-51", sdk.AttrPaymentStatus, "failed",
			sdk.AttrLastLogin, "2025-01-01", sdk.AttrRenewalDate, "2026-01-16", sdk.AttrEngagement, "none"),
		Now: now,
	})
	want := map[string]int{policy.ChurnSignalCancel: 40, policy.ChurnSignalCompetitor: 20, policy.ChurnSignalNegativeInteractions: 15, policy.ChurnSignalUsageDrop: 15,
		policy.ChurnSignalFailedPayment: 10, policy.ChurnSignalNoLogin: 10, policy.ChurnSignalDowngrade: 10, policy.ChurnSignalRenewalNoEngagement: 10}
	gotPoints := make(map[string]int)
	for _, s := range got.Signals {
		gotPoints[s.Name] = s.Points
	}
	if !maps.Equal(gotPoints, want) {
		t.Errorf("points = %v; want %v", gotPoints, want)
	}
}

func TestScoreLevels(t *testing.T) {
	tests := []struct {
		points     int
		wantScore  int
		wantLevel  string
		wantAction string
		wantFlow   bool
	}{
		{0, 0, policy.ChurnHealthy, "normal support", false},
		{20, 20, policy.ChurnHealthy, "normal support", false},
		{21, 21, policy.ChurnWatch, "add to watch list, check in periodically", false},
		{40, 40, policy.ChurnWatch, "add to watch list, check in periodically", false},
		{41, 41, policy.ChurnHigh, "start the retention flow", true},
		{60, 60, policy.ChurnHigh, "start the retention flow", true},
		{61, 61, policy.ChurnVeryHigh, "account manager steps in", true},
		{80, 80, policy.ChurnVeryHigh, "account manager steps in", true},
		{81, 81, policy.ChurnCritical, "executive involvement, tailored offer", true},
		{100, 100, policy.ChurnCritical, "executive involvement, tailored offer", true},
		{140, 100, policy.ChurnCritical, "executive involvement, tailored offer", true},
	}
	for _, tc := range tests {
		t.Run(formatNumber(float64(tc.points))+" points", func(t *testing.T) {
			// Only the competitor signal fires, worth tc.points, so the
			// retention flow depends on the score alone.
			p := DefaultPolicy()
			p.Points.Competitor = tc.points
			got := p.Score(Input{Text: TextSignals{Competitor: TextSignal{Fired: true}}, Attrs: quiet(), Now: now})
			if got.Score != tc.wantScore || got.Level != tc.wantLevel || got.Action != tc.wantAction {
				t.Errorf("score, level, action = %d, %q, %q; want %d, %q, %q",
					got.Score, got.Level, got.Action, tc.wantScore, tc.wantLevel, tc.wantAction)
			}
			if got.RetentionFlow != tc.wantFlow {
				t.Errorf("retention flow = %v; want %v", got.RetentionFlow, tc.wantFlow)
			}
		})
	}
}

func TestScoreDefaultCombinations(t *testing.T) {
	tests := []struct {
		name      string
		text      TextSignals
		attrs     map[string]string
		wantScore int
		wantLevel string
		wantFlow  bool
	}{
		{name: "competitor alone is healthy", text: TextSignals{Competitor: TextSignal{Fired: true}}, attrs: quiet(),
			wantScore: 20, wantLevel: policy.ChurnHealthy},
		{name: "competitor and downgrade is watch", text: TextSignals{Competitor: TextSignal{Fired: true}, Downgrade: TextSignal{Fired: true}},
			attrs: quiet(), wantScore: 30, wantLevel: policy.ChurnWatch},
		{name: "cancel alone is watch but starts the retention flow", text: TextSignals{Cancel: TextSignal{Fired: true}},
			attrs: quiet(), wantScore: 40, wantLevel: policy.ChurnWatch, wantFlow: true},
		{name: "competitor, usage and failed payment is high", text: TextSignals{Competitor: TextSignal{Fired: true}},
			attrs: with(sdk.AttrUsageTrend, "-70", sdk.AttrPaymentStatus, "failed"), wantScore: 45, wantLevel: policy.ChurnHigh, wantFlow: true},
		{name: "cancel and competitor is high", text: TextSignals{Cancel: TextSignal{Fired: true}, Competitor: TextSignal{Fired: true}},
			attrs: quiet(), wantScore: 60, wantLevel: policy.ChurnHigh, wantFlow: true},
		{name: "cancel, competitor and downgrade is very high", text: TextSignals{Cancel: TextSignal{Fired: true}, Competitor: TextSignal{Fired: true}, Downgrade: TextSignal{Fired: true}},
			attrs: quiet(), wantScore: 70, wantLevel: policy.ChurnVeryHigh, wantFlow: true},
		{name: "cancel, competitor, usage and failed payment is critical", text: TextSignals{Cancel: TextSignal{Fired: true}, Competitor: TextSignal{Fired: true}},
			attrs: with(sdk.AttrUsageTrend, "-70", sdk.AttrPaymentStatus, "failed"), wantScore: 85, wantLevel: policy.ChurnCritical, wantFlow: true},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Score(Input{Text: tc.text, Attrs: tc.attrs, Now: now})
			if got.Score != tc.wantScore || got.Level != tc.wantLevel || got.RetentionFlow != tc.wantFlow {
				t.Errorf("score, level, flow = %d, %q, %v; want %d, %q, %v",
					got.Score, got.Level, got.RetentionFlow, tc.wantScore, tc.wantLevel, tc.wantFlow)
			}
		})
	}
}

func TestScoreOffer(t *testing.T) {
	const (
		small      = "1 month free, or 20% off for 3 months"
		medium     = "2 months free, or 30% off for 6 months"
		large      = "3 months free, or 30% off for 6 months"
		enterprise = "executive call, custom pricing, dedicated support"
	)
	tests := []struct {
		mrr         string
		want        string
		wantUnknown bool
	}{
		{mrr: "0", want: small},
		{mrr: "99.99", want: small},
		{mrr: "100", want: medium},
		{mrr: "100.00", want: medium},
		{mrr: "500", want: medium},
		{mrr: "500.01", want: large},
		{mrr: "2000", want: large},
		{mrr: "2000.01", want: enterprise},
		{mrr: "1000000", want: enterprise},
		{mrr: "", wantUnknown: true},
		{mrr: "lots", wantUnknown: true},
		{mrr: "$1,250", wantUnknown: true},
		{mrr: "-5", wantUnknown: true},
		{mrr: "NaN", wantUnknown: true},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run("mrr "+tc.mrr, func(t *testing.T) {
			got := p.Score(Input{Attrs: with(sdk.AttrMRR, tc.mrr), Now: now})
			if got.Offer != tc.want {
				t.Errorf("offer = %q; want %q", got.Offer, tc.want)
			}
			if gotUnknown := slices.Contains(got.Unknown, UnknownOffer); gotUnknown != tc.wantUnknown {
				t.Errorf("unknown = %v; want offer unknown %v", got.Unknown, tc.wantUnknown)
			}
		})
	}
}

func TestScoreUnknown(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]string
		now   time.Time
		want  []string
	}{
		{name: "no attributes at all", attrs: nil, now: now,
			want: []string{policy.ChurnSignalNegativeInteractions, policy.ChurnSignalUsageDrop, policy.ChurnSignalFailedPayment, policy.ChurnSignalNoLogin, policy.ChurnSignalRenewalNoEngagement, UnknownOffer}},
		{name: "negative interactions missing", attrs: with(sdk.AttrNegativeInteractions, ""), now: now, want: []string{policy.ChurnSignalNegativeInteractions}},
		{name: "negative interactions not a number", attrs: with(sdk.AttrNegativeInteractions, "many"), now: now, want: []string{policy.ChurnSignalNegativeInteractions}},
		{name: "negative interactions negative", attrs: with(sdk.AttrNegativeInteractions, "-1"), now: now, want: []string{policy.ChurnSignalNegativeInteractions}},
		{name: "usage trend missing", attrs: with(sdk.AttrUsageTrend, ""), now: now, want: []string{policy.ChurnSignalUsageDrop}},
		{name: "usage trend not a number", attrs: with(sdk.AttrUsageTrend, "down a lot"), now: now, want: []string{policy.ChurnSignalUsageDrop}},
		{name: "payment status missing", attrs: with(sdk.AttrPaymentStatus, ""), now: now, want: []string{policy.ChurnSignalFailedPayment}},
		{name: "payment status not ok or failed", attrs: with(sdk.AttrPaymentStatus, "pending"), now: now, want: []string{policy.ChurnSignalFailedPayment}},
		{name: "last login missing", attrs: with(sdk.AttrLastLogin, ""), now: now, want: []string{policy.ChurnSignalNoLogin}},
		{name: "last login unparsable", attrs: with(sdk.AttrLastLogin, "last week"), now: now, want: []string{policy.ChurnSignalNoLogin}},
		{name: "renewal date missing, engagement none", attrs: with(sdk.AttrRenewalDate, "", sdk.AttrEngagement, "none"), now: now,
			want: []string{policy.ChurnSignalRenewalNoEngagement}},
		{name: "renewal date unparsable", attrs: with(sdk.AttrRenewalDate, "31/12/2026", sdk.AttrEngagement, "none"), now: now,
			want: []string{policy.ChurnSignalRenewalNoEngagement}},
		{name: "renewal soon, engagement missing", attrs: with(sdk.AttrRenewalDate, "2026-02-01", sdk.AttrEngagement, ""), now: now,
			want: []string{policy.ChurnSignalRenewalNoEngagement}},
		{name: "renewal soon, engagement unparsable", attrs: with(sdk.AttrRenewalDate, "2026-02-01", sdk.AttrEngagement, "maybe"), now: now,
			want: []string{policy.ChurnSignalRenewalNoEngagement}},
		{name: "renewal far off settles it without engagement", attrs: with(sdk.AttrRenewalDate, "2026-12-01", sdk.AttrEngagement, ""), now: now},
		{name: "active engagement settles it without renewal date", attrs: with(sdk.AttrRenewalDate, "", sdk.AttrEngagement, "active"), now: now},
		{name: "zero now makes time signals unknown", attrs: with(sdk.AttrEngagement, "none"), now: time.Time{},
			want: []string{policy.ChurnSignalNoLogin, policy.ChurnSignalRenewalNoEngagement}},
	}
	p := DefaultPolicy()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Score(Input{Attrs: tc.attrs, Now: tc.now})
			if !slices.Equal(got.Unknown, tc.want) {
				t.Errorf("unknown = %v; want %v", got.Unknown, tc.want)
			}
			if got.Score != 0 {
				t.Errorf("score = %d; want 0: unknown signals count nothing", got.Score)
			}
		})
	}
}

func TestTextSignalsFrom(t *testing.T) {
	tests := []struct {
		name  string
		preds []sdk.Prediction
		min   float64
		want  TextSignals
	}{
		{name: "none", want: TextSignals{}},
		{name: "cancel true", preds: []sdk.Prediction{{Field: sdk.FieldSignalCancel, Value: "true", Confidence: 0.9, Reason: `"cancel my plan"`}},
			want: TextSignals{Cancel: TextSignal{Fired: true, Reason: `"cancel my plan"`}}},
		{name: "cancel false", preds: []sdk.Prediction{{Field: sdk.FieldSignalCancel, Value: "false", Confidence: 0.9}}, want: TextSignals{}},
		{name: "competitor by name", preds: []sdk.Prediction{{Field: sdk.FieldSignalCompetitor, Value: "Freshdesk", Confidence: 0.8}},
			want: TextSignals{Competitor: TextSignal{Fired: true, Reason: "mentions Freshdesk"}}},
		{name: "competitor true keeps empty reason", preds: []sdk.Prediction{{Field: sdk.FieldSignalCompetitor, Value: "true", Confidence: 0.8}},
			want: TextSignals{Competitor: TextSignal{Fired: true}}},
		{name: "downgrade", preds: []sdk.Prediction{{Field: sdk.FieldSignalDowngrade, Value: "TRUE", Confidence: 0.7, Reason: "r"}},
			want: TextSignals{Downgrade: TextSignal{Fired: true, Reason: "r"}}},
		{name: "below min confidence", min: 0.5, preds: []sdk.Prediction{{Field: sdk.FieldSignalCancel, Value: "true", Confidence: 0.49}},
			want: TextSignals{}},
		{name: "at min confidence", min: 0.5, preds: []sdk.Prediction{{Field: sdk.FieldSignalCancel, Value: "true", Confidence: 0.5}},
			want: TextSignals{Cancel: TextSignal{Fired: true}}},
		{name: "first firing reason kept", preds: []sdk.Prediction{
			{Field: sdk.FieldSignalCancel, Value: "false", Reason: "a"},
			{Field: sdk.FieldSignalCancel, Value: "true", Reason: "b"},
			{Field: sdk.FieldSignalCancel, Value: "true", Reason: "c"},
		}, want: TextSignals{Cancel: TextSignal{Fired: true, Reason: "b"}}},
		{name: "other fields ignored", preds: []sdk.Prediction{{Field: sdk.FieldSignalLegal, Value: "true", Confidence: 1}}, want: TextSignals{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := TextSignalsFrom(tc.preds, tc.min); got != tc.want {
				t.Errorf("TextSignalsFrom = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Policy)
	}{
		{"negative points", func(p *Policy) { p.Points.Downgrade = -1 }},
		{"zero max score", func(p *Policy) { p.MaxScore = 0 }},
		{"zero negative interactions", func(p *Policy) { p.NegativeInteractions = 0 }},
		{"usage drop 100", func(p *Policy) { p.UsageDropPercent = 100 }},
		{"zero no-login days", func(p *Policy) { p.NoLoginDays = 0 }},
		{"negative renewal window", func(p *Policy) { p.RenewalWithinDays = -1 }},
		{"negative retention threshold", func(p *Policy) { p.RetentionAbove = -1 }},
		{"no levels", func(p *Policy) { p.Levels = nil }},
		{"levels out of order", func(p *Policy) { p.Levels[1].Max = 10 }},
		{"level without name", func(p *Policy) { p.Levels[0].Name = "" }},
		{"duplicate level", func(p *Policy) { p.Levels[1].Name = policy.ChurnHealthy }},
		{"levels stop below max score", func(p *Policy) { p.Levels[4].Max = 99 }},
		{"no offers", func(p *Policy) { p.Offers = nil }},
		{"offer without text", func(p *Policy) { p.Offers[0].Offer = "" }},
		{"last offer bounded", func(p *Policy) { p.Offers[3].UpTo = ptr(5000.0) }},
		{"middle offer unbounded", func(p *Policy) { p.Offers[1].UpTo = nil }},
		{"offers out of order", func(p *Policy) { p.Offers[2].UpTo = ptr(400.0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPolicy()
			tc.change(&p)
			if err := p.Validate(); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Validate() = %v; want an error wrapping sdk.ErrInvalid", err)
			}
		})
	}
}

func TestScoreDoesNotModifyAttrs(t *testing.T) {
	attrs := with(sdk.AttrUsageTrend, "-60")
	before := maps.Clone(attrs)
	DefaultPolicy().Score(Input{Attrs: attrs, Now: now})
	if !reflect.DeepEqual(attrs, before) {
		t.Errorf("attrs = %v after Score; want unchanged %v", attrs, before)
	}
}
