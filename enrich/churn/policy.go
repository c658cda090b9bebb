package churn

import (
	"fmt"
	"math"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Policy is the churn-risk policy: points per signal, the thresholds that
// make attribute signals fire, the score levels and the retention offers.
// DefaultPolicy returns the documented defaults; Validate checks a policy
// decoded from configuration.
type Policy struct {
	// Points is what each signal adds to the score when it fires.
	Points Points `yaml:"points"`
	// MaxScore caps the score. Default 100.
	MaxScore int `yaml:"max_score"`
	// NegativeInteractions is the count of negative interactions in the
	// last 30 days at or above which that signal fires. Default 3.
	NegativeInteractions int `yaml:"negative_interactions"`
	// UsageDropPercent is the month-over-month usage drop, in percent, that
	// must be strictly exceeded for the usage signal to fire. Default 50:
	// a trend of -50 does not fire, -50.1 does.
	UsageDropPercent float64 `yaml:"usage_drop_percent"`
	// NoLoginDays is the time since the last login, in days of 24 hours,
	// at or above which the no-login signal fires. Default 14.
	NoLoginDays int `yaml:"no_login_days"`
	// RenewalWithinDays is how many calendar days ahead a renewal date may
	// be (0 is today, inclusive) for the renewal signal to fire when there
	// is no engagement. Default 60.
	RenewalWithinDays int `yaml:"renewal_within_days"`
	// RetentionAbove starts the retention flow for scores strictly above
	// it (a cancel signal starts it regardless). Default 40.
	RetentionAbove int `yaml:"retention_above"`
	// Levels map scores to levels, in ascending order of Max. The first
	// level whose Max is at least the score applies. The last Max must be
	// at least MaxScore.
	Levels []Level `yaml:"levels"`
	// Offers are the MRR bands with the largest retention offer of each,
	// in ascending order of UpTo; the last band has no upper bound.
	Offers []OfferBand `yaml:"offers"`
}

// Points is what each signal adds to the churn score.
type Points struct {
	Cancel               int `yaml:"cancel"`                // asks to cancel; default 40
	Competitor           int `yaml:"competitor"`            // mentions a competitor; default 20
	NegativeInteractions int `yaml:"negative_interactions"` // many negative interactions in 30 days; default 15
	UsageDrop            int `yaml:"usage_drop"`            // usage down more than the threshold; default 15
	FailedPayment        int `yaml:"failed_payment"`        // payment status failed; default 10
	NoLogin              int `yaml:"no_login"`              // no login for the threshold or longer; default 10
	Downgrade            int `yaml:"downgrade"`             // asks to downgrade; default 10
	RenewalNoEngagement  int `yaml:"renewal_no_engagement"` // renewal soon and no engagement; default 10
}

// Level is one band of the churn score.
type Level struct {
	// Name is the level's name, e.g. "watch".
	Name string `yaml:"name"`
	// Max is the highest score in this level, inclusive.
	Max int `yaml:"max"`
	// Action is what support does at this level.
	Action string `yaml:"action"`
}

// OfferBand is one MRR band of the retention-offer table.
type OfferBand struct {
	// UpTo is the band's upper MRR bound; nil means no upper bound, which
	// only the last band may have.
	UpTo *float64 `yaml:"up_to"`
	// Exclusive puts an MRR equal to UpTo into the next band instead.
	Exclusive bool `yaml:"exclusive"`
	// Offer is the largest retention offer for the band.
	Offer string `yaml:"offer"`
}

// DefaultPolicy returns the default churn policy (docs/policy.md, "Churn
// risk").
//
// The offer bands' edges, which the table leaves open, are: MRR below 100;
// 100 up to and including 500; above 500 up to and including 2000; above
// 2000.
func DefaultPolicy() Policy {
	return Policy{
		Points: Points{
			Cancel:               40,
			Competitor:           20,
			NegativeInteractions: 15,
			UsageDrop:            15,
			FailedPayment:        10,
			NoLogin:              10,
			Downgrade:            10,
			RenewalNoEngagement:  10,
		},
		MaxScore:             100,
		NegativeInteractions: 3,
		UsageDropPercent:     50,
		NoLoginDays:          14,
		RenewalWithinDays:    60,
		RetentionAbove:       40,
		Levels: []Level{
			{Name: policy.ChurnHealthy, Max: 20, Action: "normal support"},
			{Name: policy.ChurnWatch, Max: 40, Action: "add to watch list, check in periodically"},
			{Name: policy.ChurnHigh, Max: 60, Action: "start the retention flow"},
			{Name: policy.ChurnVeryHigh, Max: 80, Action: "account manager steps in"},
			{Name: policy.ChurnCritical, Max: 100, Action: "executive involvement, tailored offer"},
		},
		Offers: []OfferBand{
			{UpTo: ptr(100.0), Exclusive: true, Offer: "1 month free, or 20% off for 3 months"},
			{UpTo: ptr(500.0), Offer: "2 months free, or 30% off for 6 months"},
			{UpTo: ptr(2000.0), Offer: "3 months free, or 30% off for 6 months"},
			{Offer: "executive call, custom pricing, dedicated support"},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// Validate reports the first problem with p, wrapping sdk.ErrInvalid.
func (p Policy) Validate() error {
	if err := p.validate(); err != nil {
		return fmt.Errorf("checking churn policy: %w: %w", err, sdk.ErrInvalid)
	}
	return nil
}

func (p Policy) validate() error {
	for _, pt := range []struct {
		name string
		v    int
	}{
		{"points.cancel", p.Points.Cancel},
		{"points.competitor", p.Points.Competitor},
		{"points.negative_interactions", p.Points.NegativeInteractions},
		{"points.usage_drop", p.Points.UsageDrop},
		{"points.failed_payment", p.Points.FailedPayment},
		{"points.no_login", p.Points.NoLogin},
		{"points.downgrade", p.Points.Downgrade},
		{"points.renewal_no_engagement", p.Points.RenewalNoEngagement},
	} {
		if pt.v < 0 {
			return fmt.Errorf("%s is %d, must not be negative", pt.name, pt.v)
		}
	}
	switch {
	case p.MaxScore <= 0:
		return fmt.Errorf("max_score is %d, must be positive", p.MaxScore)
	case p.NegativeInteractions <= 0:
		return fmt.Errorf("negative_interactions is %d, must be positive", p.NegativeInteractions)
	case math.IsNaN(p.UsageDropPercent) || p.UsageDropPercent < 0 || p.UsageDropPercent >= 100:
		return fmt.Errorf("usage_drop_percent is %v, want 0 to below 100", p.UsageDropPercent)
	case p.NoLoginDays <= 0:
		return fmt.Errorf("no_login_days is %d, must be positive", p.NoLoginDays)
	case p.RenewalWithinDays < 0:
		return fmt.Errorf("renewal_within_days is %d, must not be negative", p.RenewalWithinDays)
	case p.RetentionAbove < 0:
		return fmt.Errorf("retention_above is %d, must not be negative", p.RetentionAbove)
	case len(p.Levels) == 0:
		return fmt.Errorf("levels is empty")
	case len(p.Offers) == 0:
		return fmt.Errorf("offers is empty")
	}
	names := make(map[string]bool, len(p.Levels))
	for i, l := range p.Levels {
		switch {
		case l.Name == "":
			return fmt.Errorf("levels[%d]: name is required", i)
		case names[l.Name]:
			return fmt.Errorf("levels[%d]: name %q appears twice", i, l.Name)
		case l.Max < 0:
			return fmt.Errorf("levels[%d] %q: max is %d, must not be negative", i, l.Name, l.Max)
		case i > 0 && l.Max <= p.Levels[i-1].Max:
			return fmt.Errorf("levels[%d] %q: max %d must be above the previous level's %d", i, l.Name, l.Max, p.Levels[i-1].Max)
		}
		names[l.Name] = true
	}
	if last := p.Levels[len(p.Levels)-1]; last.Max < p.MaxScore {
		return fmt.Errorf("levels: the last level %q ends at %d, below max_score %d", last.Name, last.Max, p.MaxScore)
	}
	for i, o := range p.Offers {
		last := i == len(p.Offers)-1
		switch {
		case o.Offer == "":
			return fmt.Errorf("offers[%d]: offer is required", i)
		case last && o.UpTo != nil:
			return fmt.Errorf("offers[%d]: the last band must have no up_to", i)
		case !last && o.UpTo == nil:
			return fmt.Errorf("offers[%d]: up_to is required except on the last band", i)
		case o.UpTo != nil && (math.IsNaN(*o.UpTo) || math.IsInf(*o.UpTo, 0) || *o.UpTo <= 0):
			return fmt.Errorf("offers[%d]: up_to is %v, must be a positive number", i, *o.UpTo)
		case i > 0 && o.UpTo != nil && *o.UpTo <= *p.Offers[i-1].UpTo:
			return fmt.Errorf("offers[%d]: up_to %v must be above the previous band's %v", i, *o.UpTo, *p.Offers[i-1].UpTo)
		}
	}
	return nil
}
