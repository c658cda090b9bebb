package credits

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%s): %v", name, err)
	}
	return loc
}

func TestPeriodOf(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	ny := mustLoc(t, "America/New_York")
	cases := []struct {
		name, unit string
		at         time.Time
		loc        *time.Location
		key        string
		start, end time.Time
	}{
		{"week mid", Week, time.Date(2026, 12, 9, 15, 0, 0, 0, time.UTC), time.UTC, "2026-W50",
			time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)},
		{"week Sunday night belongs to the week before", Week, time.Date(2026, 12, 13, 23, 59, 59, 0, time.UTC), time.UTC, "2026-W50",
			time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)},
		{"week Monday midnight starts a week", Week, time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), time.UTC, "2026-W51",
			time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 21, 0, 0, 0, 0, time.UTC)},
		{"ISO week across the new year", Week, time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), time.UTC, "2026-W53",
			time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)},
		// Sunday 23:30 UTC is Monday 00:30 in Berlin: next week there.
		{"week in a zone", Week, time.Date(2026, 12, 13, 23, 30, 0, 0, time.UTC), berlin, "2026-W51",
			time.Date(2026, 12, 14, 0, 0, 0, 0, berlin), time.Date(2026, 12, 21, 0, 0, 0, 0, berlin)},
		{"month", Month, time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), time.UTC, "2026-12",
			time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		// 1 Dec 03:00 UTC is still 30 Nov 22:00 in New York.
		{"month in a zone behind UTC", Month, time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), ny, "2026-11",
			time.Date(2026, 11, 1, 0, 0, 0, 0, ny), time.Date(2026, 12, 1, 0, 0, 0, 0, ny)},
		// The March month in Berlin spans the DST change: 743 hours, not 744.
		{"month across DST", Month, time.Date(2026, 3, 29, 12, 0, 0, 0, berlin), berlin, "2026-03",
			time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), time.Date(2026, 4, 1, 0, 0, 0, 0, berlin)},
		{"quarter first", Quarter, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC, "2026-Q1",
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"quarter last day", Quarter, time.Date(2026, 9, 30, 23, 0, 0, 0, time.UTC), time.UTC, "2026-Q3",
			time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)},
		// New Year's Eve 23:30 UTC is already 2027 in Berlin.
		{"quarter in a zone", Quarter, time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), berlin, "2027-Q1",
			time.Date(2027, 1, 1, 0, 0, 0, 0, berlin), time.Date(2027, 4, 1, 0, 0, 0, 0, berlin)},
		{"year", Year, time.Date(2026, 7, 4, 0, 0, 0, 0, time.UTC), time.UTC, "2026",
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"year in a zone", Year, time.Date(2027, 1, 1, 2, 0, 0, 0, time.UTC), ny, "2026",
			time.Date(2026, 1, 1, 0, 0, 0, 0, ny), time.Date(2027, 1, 1, 0, 0, 0, 0, ny)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PeriodOf(tc.unit, tc.at, tc.loc)
			if err != nil {
				t.Fatalf("PeriodOf: %v", err)
			}
			if p.Key != tc.key || !p.Start.Equal(tc.start) || !p.End.Equal(tc.end) {
				t.Errorf("PeriodOf(%s, %s) = %s [%s, %s); want %s [%s, %s)", tc.unit, tc.at, p.Key, p.Start, p.End, tc.key, tc.start, tc.end)
			}
			if tc.at.Before(p.Start) || !tc.at.Before(p.End) {
				t.Errorf("%s is outside its period [%s, %s)", tc.at, p.Start, p.End)
			}
		})
	}
	if p, _ := PeriodOf(Month, time.Date(2026, 3, 10, 0, 0, 0, 0, berlin), berlin); p.End.Sub(p.Start) != 743*time.Hour {
		t.Errorf("March in Berlin lasts %v; want 743h (the clocks go forward)", p.End.Sub(p.Start))
	}
	if _, err := PeriodOf("fortnight", time.Now(), nil); err == nil {
		t.Error("PeriodOf(fortnight) succeeded; want an error")
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string // "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"disabled ignores the rest", func(c *Config) { c.Enabled = false; c.Attribute = "" }, ""},
		{"bad credit", func(c *Config) { c.Plans[1].Credit = "25 per week" }, `credit "25 per week"`},
		{"zero tickets", func(c *Config) { c.Plans[1].Credit = "0/week" }, "at least 1"},
		{"bad unit", func(c *Config) { c.Plans[1].Credit = "5/day" }, `period "day"`},
		{"duplicate name", func(c *Config) { c.Plans[1].Name = "Enterprise" }, "appears twice"},
		{"empty name", func(c *Config) { c.Plans[0].Name = " " }, "name is empty"},
		{"comma in name", func(c *Config) { c.Plans[0].Name = "a,b" }, "comma"},
		{"empty product", func(c *Config) { c.Plans[0].Products = []string{""} }, "empty product"},
		{"unknown default plan", func(c *Config) { c.DefaultPlan = "gold" }, `default_plan "gold"`},
		{"bad zone", func(c *Config) { c.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"empty tag", func(c *Config) { c.ChargeableTag = "" }, "chargeable_tag"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.edit(&c)
			err := c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v; want sdk.ErrInvalid mentioning %q", err, tc.want)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Plans = append(cfg.Plans,
		Plan{Name: "api-gold", SLA: "enterprise", Credit: "10/month", Products: []string{"API"}},
		Plan{Name: "mobile", Credit: "5/month", Products: []string{"ios", "android"}},
	)
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, plans, product string
		wantPlan, wantSLA    string
	}{
		{"one plan", "Business", "", "business", "business"},
		{"product-specific plan wins", "business, api-gold", "api", "api-gold", "enterprise"},
		{"product match ignores case", "business,api-gold", "Api", "api-gold", "enterprise"},
		{"other product falls back to the general plan", "business, api-gold", "web", "business", "business"},
		{"only a product plan, other product", "api-gold", "web", "", ""},
		{"only a product plan, no product", "api-gold", "", "", ""},
		{"first general plan in the account's order", "starter, business", "", "starter", "starter"},
		{"unknown names are ignored", "platinum, free", "", "free", "free"},
		{"nothing known", "platinum", "", "", ""},
		{"product listed among several", "mobile", "android", "mobile", "mobile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := p.Select(map[string]string{sdk.AttrPlan: tc.plans}, tc.product)
			if s.Plan != tc.wantPlan || s.SLA != tc.wantSLA {
				t.Errorf("Select(%q, %q) = %q (SLA %q); want %q (SLA %q)", tc.plans, tc.product, s.Plan, s.SLA, tc.wantPlan, tc.wantSLA)
			}
		})
	}
	if s := p.Select(map[string]string{}, ""); s.Plan != "" || len(s.Held) != 0 {
		t.Errorf("Select without plans = %+v; want nothing", s)
	}
	cfg.DefaultPlan = "Free"
	cfg.Attribute = "contract"
	p, err = New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Select(map[string]string{sdk.AttrPlan: "enterprise"}, ""); s.Plan != "free" || !s.Default {
		t.Errorf("Select with attribute contract unset = %+v; want the default plan free", s)
	}
	if s := p.Select(map[string]string{"contract": "enterprise"}, ""); s.Plan != "enterprise" || s.Default {
		t.Errorf("Select with contract enterprise = %+v; want enterprise", s)
	}
	cfg.Enabled = false
	p, _ = New(cfg, nil)
	if s := p.Select(map[string]string{"contract": "enterprise"}, ""); s.Plan != "" {
		t.Errorf("Select with plans disabled = %+v; want nothing", s)
	}
}

// memCounter is an in-memory Counter with the store's semantics.
type memCounter struct {
	mu      sync.Mutex
	used    map[string]int
	tickets map[string]int
	calls   []string
}

func (m *memCounter) CountTicket(_ context.Context, account, plan, period, key string) (int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, account+"|"+plan+"|"+period+"|"+key)
	if n, ok := m.tickets[key]; ok {
		return n, false, nil
	}
	b := account + "|" + plan + "|" + period
	m.used[b]++
	m.tickets[key] = m.used[b]
	return m.used[b], true, nil
}

func newMem() *memCounter { return &memCounter{used: map[string]int{}, tickets: map[string]int{}} }

func TestCount(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Plans[1].Credit = "2/week" // business
	p, err := New(cfg, mustLoc(t, "Europe/Berlin"))
	if err != nil {
		t.Fatal(err)
	}
	mem := newMem()
	ctx := t.Context()
	cust := map[string]string{sdk.AttrPlan: "business"}
	sel := p.Select(cust, "")
	mon := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		key        string
		at         time.Time
		cust       map[string]string
		used, left int
		chargeable bool
		repeat     bool
		line       string
	}{
		{"z/1", mon, cust, 1, 1, false, false, "Credits: 1 used, 1 remaining (business, 2026-W50)"},
		{"z/2", mon.Add(time.Hour), cust, 2, 0, false, false, "Credits: 2 used, 0 remaining (business, 2026-W50)"},
		{"z/3", mon.Add(2 * time.Hour), cust, 3, 0, true, false, "Credits: 3 used, 0 remaining (business, 2026-W50) — beyond 2 a week: chargeable"},
		{"z/2", mon.Add(3 * time.Hour), cust, 2, 0, false, true, "Credits: 2 used, 0 remaining (business, 2026-W50)"},
		// Sunday 23:30 UTC is Monday in Berlin, the policy's zone: a new week.
		{"z/4", time.Date(2026, 12, 13, 23, 30, 0, 0, time.UTC), cust, 1, 1, false, false, "Credits: 1 used, 1 remaining (business, 2026-W51)"},
		// ... but still Sunday for an account in New York.
		{"z/5", time.Date(2026, 12, 13, 23, 30, 0, 0, time.UTC), map[string]string{sdk.AttrPlan: "business", AttrTimeZone: "America/New_York"}, 4, 0, true, false,
			"Credits: 4 used, 0 remaining (business, 2026-W50) — beyond 2 a week: chargeable"},
	}
	for i, st := range steps {
		r, err := p.Count(ctx, mem, "z/org:1", st.key, sel, st.cust, st.at)
		if err != nil {
			t.Fatalf("step %d: Count: %v", i, err)
		}
		if r.Used != st.used || r.Remaining != st.left || r.Chargeable != st.chargeable || r.Repeat != st.repeat {
			t.Errorf("step %d (%s): used %d remaining %d chargeable %v repeat %v; want %d %d %v %v", i, st.key, r.Used, r.Remaining, r.Chargeable, r.Repeat, st.used, st.left, st.chargeable, st.repeat)
		}
		if got := r.NoteLine(); got != st.line {
			t.Errorf("step %d: NoteLine = %q; want %q", i, got, st.line)
		}
	}
	if want := "z/org:1|business|2026-W50|z/1"; mem.calls[0] != want {
		t.Errorf("first count = %q; want %q", mem.calls[0], want)
	}
}

func TestCountUnlimitedAndProduct(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Plans = append(cfg.Plans, Plan{Name: "api-gold", Credit: "1/year", Products: []string{"api"}})
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mem := newMem()
	cust := map[string]string{sdk.AttrPlan: "enterprise, api-gold"}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var last *Result
	for i := range 30 {
		last, err = p.Count(t.Context(), mem, "z/org:9", "z/u"+string(rune('a'+i)), p.Select(cust, ""), cust, at)
		if err != nil {
			t.Fatal(err)
		}
		if last.Chargeable || last.Limit != 0 {
			t.Fatalf("unlimited ticket %d: %+v; want never chargeable", i, last)
		}
	}
	if got, want := last.NoteLine(), "Credits: 30 used, unlimited (enterprise, 2026-12)"; got != want {
		t.Errorf("NoteLine = %q; want %q", got, want)
	}
	for i, want := range []string{
		"Credits: 1 used, 0 remaining (api-gold for api, 2026)",
		"Credits: 2 used, 0 remaining (api-gold for api, 2026) — beyond 1 a year: chargeable",
	} {
		r, err := p.Count(t.Context(), mem, "z/org:9", "z/api"+string(rune('0'+i)), p.Select(cust, "api"), cust, at)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.NoteLine(); got != want {
			t.Errorf("api ticket %d: NoteLine = %q; want %q", i, got, want)
		}
	}
	if _, err := p.Count(t.Context(), mem, "z/org:9", "z/x", Selection{}, cust, at); err == nil {
		t.Error("Count without a selected plan succeeded; want an error")
	}
}
