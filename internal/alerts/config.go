package alerts

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// Periods an aggregate rule fires at most once in (UTC).
const (
	PeriodDay  = "day"  // a calendar day, e.g. "2026-12-07"
	PeriodWeek = "week" // an ISO week, e.g. "2026-W50"
)

// Webhook body formats.
const (
	FormatSlack = "slack" // {"text": "..."}
	FormatJSON  = "json"  // the alert's fields
)

// Config is the alerts section of heard's configuration.
type Config struct {
	// Every is how often the rules are evaluated and pending deliveries
	// retried; 0 turns alerts off. Default 5m.
	Every config.Duration `yaml:"every"`
	// CSAT fires when the average 1–5 rating over the window is under Below.
	CSAT CSATRule `yaml:"csat"`
	// FirstResponse fires when a ticket's first response took (or has
	// waited) Multiple times its SLA target or more.
	FirstResponse FirstResponseRule `yaml:"first_response"`
	// ReopenRate fires when the share of tickets solved in the window that
	// were reopened is over Above.
	ReopenRate ReopenRateRule `yaml:"reopen_rate"`
	// RepeatCustomer fires when one customer opened Tickets or more new
	// tickets within the window.
	RepeatCustomer RepeatCustomerRule `yaml:"repeat_customer"`
	// NPSDetractor fires for each NPS rating of MaxScore or less.
	NPSDetractor NPSDetractorRule `yaml:"nps_detractor"`
	// Webhooks receive every alert.
	Webhooks []Webhook `yaml:"webhooks"`
	// Delivery bounds each delivery run.
	Delivery Delivery `yaml:"delivery"`
}

// CSATRule configures the CSAT alert, per connector.
type CSATRule struct {
	Enabled bool    `yaml:"enabled"`
	Below   float64 `yaml:"below"` // default 4.0
	// Window is how far back ratings count. Default 168h (7 days).
	Window config.Duration `yaml:"window"`
	// MinRatings is the fewest ratings the average needs. Default 5.
	MinRatings int `yaml:"min_ratings"`
	// GoodBad counts a good/bad rating as 5 or 1. Default true.
	GoodBad bool `yaml:"good_bad"`
	// Period is how often the alert may fire: day or week. Default day.
	Period string `yaml:"period"`
}

// FirstResponseRule configures the first-response alert, per ticket and
// SLA period.
type FirstResponseRule struct {
	Enabled  bool    `yaml:"enabled"`
	Multiple float64 `yaml:"multiple"` // default 2
	// Lookback is how far back a ticket's activity makes it checked (open
	// tickets always are). Default 168h.
	Lookback config.Duration `yaml:"lookback"`
}

// ReopenRateRule configures the reopen-rate alert, per connector.
type ReopenRateRule struct {
	Enabled bool    `yaml:"enabled"`
	Above   float64 `yaml:"above"` // a fraction, default 0.15
	// Window is how far back solves and reopens count. Default 168h.
	Window config.Duration `yaml:"window"`
	// MinSolved is the fewest solved tickets the rate needs. Default 10.
	MinSolved int `yaml:"min_solved"`
	// Period is how often the alert may fire: day or week. Default day.
	Period string `yaml:"period"`
}

// RepeatCustomerRule configures the repeat-customer alert, per customer.
type RepeatCustomerRule struct {
	Enabled bool `yaml:"enabled"`
	Tickets int  `yaml:"tickets"` // default 3
	// Window is how far back new tickets count. Default 168h.
	Window config.Duration `yaml:"window"`
	// Period is how often the alert may fire per customer. Default week.
	Period string `yaml:"period"`
}

// NPSDetractorRule configures the NPS detractor alert, per rating.
type NPSDetractorRule struct {
	Enabled  bool `yaml:"enabled"`
	MaxScore int  `yaml:"max_score"` // default 6: 0–6 are detractors
	// Lookback is how far back ratings are looked at. Default 168h.
	Lookback config.Duration `yaml:"lookback"`
}

// Webhook is one outgoing webhook.
type Webhook struct {
	// Name identifies the webhook in the store and in heard alerts.
	Name string `yaml:"name"`
	// URL receives a POST per alert. It is a secret: a Slack incoming
	// webhook's path is its credential; logs name the webhook only.
	URL sdk.Secret `yaml:"url"`
	// Format is slack or json. Default json.
	Format string `yaml:"format"`
	// Secret keys the HMAC-SHA256 signature. Required.
	Secret sdk.Secret `yaml:"secret"`
}

// Delivery bounds a delivery: Attempts tries, Backoff before the second,
// doubling, each request within Timeout.
type Delivery struct {
	Attempts int             `yaml:"attempts"` // default 3
	Backoff  config.Duration `yaml:"backoff"`  // default 1s
	Timeout  config.Duration `yaml:"timeout"`  // default 10s
}

const week = 7 * 24 * time.Hour

// DefaultConfig returns the policy's alerts (every rule on, evaluated
// every 5 minutes) with no webhooks.
func DefaultConfig() Config {
	return Config{
		Every:          config.Duration(5 * time.Minute),
		CSAT:           CSATRule{Enabled: true, Below: 4.0, Window: config.Duration(week), MinRatings: 5, GoodBad: true, Period: PeriodDay},
		FirstResponse:  FirstResponseRule{Enabled: true, Multiple: 2, Lookback: config.Duration(week)},
		ReopenRate:     ReopenRateRule{Enabled: true, Above: 0.15, Window: config.Duration(week), MinSolved: 10, Period: PeriodDay},
		RepeatCustomer: RepeatCustomerRule{Enabled: true, Tickets: 3, Window: config.Duration(week), Period: PeriodWeek},
		NPSDetractor:   NPSDetractorRule{Enabled: true, MaxScore: 6, Lookback: config.Duration(week)},
		Delivery:       Delivery{Attempts: 3, Backoff: config.Duration(time.Second), Timeout: config.Duration(10 * time.Second)},
	}
}

// Load decodes the alerts section over the defaults, strictly (unknown
// keys are errors naming the key and its line), and validates it.
func Load(s config.Section) (Config, error) {
	c := DefaultConfig()
	if err := s.Decode("alerts", &c); err != nil {
		return Config{}, err
	}
	for i := range c.Webhooks {
		if c.Webhooks[i].Format == "" {
			c.Webhooks[i].Format = FormatJSON
		}
	}
	if err := c.Validate(); err != nil {
		if l := s.Line(); l > 0 {
			return Config{}, fmt.Errorf("alerts (line %d): %w", l, err)
		}
		return Config{}, err
	}
	return c, nil
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("alerts: "+format+": %w", append(args, sdk.ErrInvalid)...))
	}
	if c.Every < 0 || (c.Every > 0 && c.Every.Std() < 10*time.Second) {
		bad("every %s: want 10s or more, or 0 to turn alerts off", c.Every)
	}
	period := func(name, p string) {
		if p != PeriodDay && p != PeriodWeek {
			bad("%s.period %q: want day or week", name, p)
		}
	}
	window := func(name string, d config.Duration) {
		if d.Std() < time.Hour {
			bad("%s: %s: want 1h or more", name, d)
		}
	}
	if r := c.CSAT; r.Enabled {
		if r.Below <= 1 || r.Below > 5 {
			bad("csat.below %v: want a score above 1 and at most 5", r.Below)
		}
		if r.MinRatings < 1 {
			bad("csat.min_ratings %d: want 1 or more", r.MinRatings)
		}
		window("csat.window", r.Window)
		period("csat", r.Period)
	}
	if r := c.FirstResponse; r.Enabled {
		if r.Multiple < 1 {
			bad("first_response.multiple %v: want 1 or more", r.Multiple)
		}
		window("first_response.lookback", r.Lookback)
	}
	if r := c.ReopenRate; r.Enabled {
		if r.Above <= 0 || r.Above >= 1 {
			bad("reopen_rate.above %v: want a fraction between 0 and 1, e.g. 0.15", r.Above)
		}
		if r.MinSolved < 1 {
			bad("reopen_rate.min_solved %d: want 1 or more", r.MinSolved)
		}
		window("reopen_rate.window", r.Window)
		period("reopen_rate", r.Period)
	}
	if r := c.RepeatCustomer; r.Enabled {
		if r.Tickets < 2 {
			bad("repeat_customer.tickets %d: want 2 or more", r.Tickets)
		}
		window("repeat_customer.window", r.Window)
		period("repeat_customer", r.Period)
	}
	if r := c.NPSDetractor; r.Enabled {
		if r.MaxScore < 0 || r.MaxScore > 9 {
			bad("nps_detractor.max_score %d: want 0 to 9", r.MaxScore)
		}
		window("nps_detractor.lookback", r.Lookback)
	}
	names := map[string]bool{}
	for i, w := range c.Webhooks {
		switch {
		case w.Name == "":
			bad("webhooks[%d]: name is required", i)
		case names[w.Name]:
			bad("webhooks[%d]: name %q is used twice", i, w.Name)
		}
		names[w.Name] = true
		if u, err := url.Parse(w.URL.Reveal()); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("webhooks[%d] (%s): url: want an http or https URL", i, w.Name)
		}
		if w.Format != FormatSlack && w.Format != FormatJSON {
			bad("webhooks[%d] (%s): format %q: want slack or json", i, w.Name, w.Format)
		}
		if w.Secret == "" {
			bad("webhooks[%d] (%s): secret is required: receivers verify the signature with it", i, w.Name)
		}
	}
	if d := c.Delivery; d.Attempts < 1 || d.Attempts > 10 || d.Backoff < 0 || d.Timeout.Std() < time.Second {
		bad("delivery: attempts %d, backoff %s, timeout %s: want 1 to 10 attempts, a backoff of 0 or more and a timeout of 1s or more",
			d.Attempts, d.Backoff, d.Timeout)
	}
	return errors.Join(errs...)
}

// periodOf names the period t falls in.
func periodOf(p string, t time.Time) string {
	t = t.UTC()
	if p == PeriodWeek {
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	return t.Format(time.DateOnly)
}
