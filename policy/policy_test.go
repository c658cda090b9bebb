package policy_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

func TestDefaultTaxonomy(t *testing.T) {
	want := []string{"billing", "bug", "how-to", "feature-request", "account", "integration", "performance", "security", "onboarding", "churn-risk"}
	tax := policy.Default()
	if got := tax.Names(); !slices.Equal(got, want) {
		t.Fatalf("Default().Names() = %v; want %v", got, want)
	}
	for i, tg := range tax {
		if tg.Description == "" {
			t.Errorf("tag %d %q has no description", i, tg.Name)
		}
	}
	if err := tax.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v", err)
	}
	// The caller owns the slice.
	tax[0].Name = "changed"
	if policy.Default()[0].Name != policy.TagBilling {
		t.Error("Default shares its slice")
	}
}

func TestAlternativeTaxonomy(t *testing.T) {
	want := []string{"feature-request", "bug-report", "unaware", "confused", "user-question", "pricing-question", "positive-feedback", "churn-feedback", "outage"}
	tax := policy.Alternative()
	if got := tax.Names(); !slices.Equal(got, want) {
		t.Fatalf("Alternative().Names() = %v; want %v", got, want)
	}
	if err := tax.Validate(); err != nil {
		t.Errorf("Alternative().Validate() = %v", err)
	}
	for _, tg := range tax {
		if tg.Description == "" {
			t.Errorf("tag %q has no description", tg.Name)
		}
	}
}

func TestNamed(t *testing.T) {
	cases := []struct {
		name      string
		wantFirst string
		wantErr   bool
	}{
		{"", policy.TagBilling, false},
		{"default", policy.TagBilling, false},
		{" Alternative ", "feature-request", false},
		{"mece", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tax, err := policy.Named(tc.name)
			if tc.wantErr {
				if !errors.Is(err, sdk.ErrInvalid) {
					t.Errorf("Named(%q) error = %v; want sdk.ErrInvalid", tc.name, err)
				}
				return
			}
			if err != nil || len(tax) == 0 || tax[0].Name != tc.wantFirst {
				t.Errorf("Named(%q) = %v, %v; want a taxonomy starting with %q", tc.name, tax, err, tc.wantFirst)
			}
		})
	}
}

func TestTaxonomyValidate(t *testing.T) {
	cases := []struct {
		name string
		tax  policy.Taxonomy
		ok   bool
	}{
		{"empty stands for the default", nil, true},
		{"custom", policy.Taxonomy{{Name: "a"}, {Name: "b-c"}}, true},
		{"duplicate", policy.Taxonomy{{Name: "a"}, {Name: "b"}, {Name: "a"}}, false},
		{"upper case", policy.Taxonomy{{Name: "Billing"}}, false},
		{"surrounding space", policy.Taxonomy{{Name: "billing "}}, false},
		{"empty name", policy.Taxonomy{{Name: "", Description: "x"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.tax.Validate()
			if (err == nil) != tc.ok {
				t.Errorf("Validate() = %v; want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Validate() = %v; want sdk.ErrInvalid", err)
			}
		})
	}
}

func TestTaxonomyLookup(t *testing.T) {
	tax := policy.Taxonomy{{Name: "a", Description: "first"}, {Name: "b"}}
	if tg, ok := tax.Lookup("a"); !ok || tg.Description != "first" {
		t.Errorf("Lookup(a) = %+v, %v; want the tag described first", tg, ok)
	}
	if tax.Contains("c") || !tax.Contains("b") {
		t.Errorf("Contains: want b, not c")
	}
	if got := policy.Taxonomy(nil).OrDefault(); len(got) != 10 {
		t.Errorf("OrDefault of nil has %d tags; want 10", len(got))
	}
	if got := tax.OrDefault(); len(got) != 2 {
		t.Errorf("OrDefault of a custom taxonomy has %d tags; want 2", len(got))
	}
}

func TestPriorityLevels(t *testing.T) {
	want := []struct {
		p       sdk.Priority
		name    string
		fr, res time.Duration
		always  bool
	}{
		{sdk.P0, "urgent", 15 * time.Minute, 2 * time.Hour, true},
		{sdk.P1, "high", time.Hour, 8 * time.Hour, true},
		{sdk.P2, "normal", 4 * time.Hour, 24 * time.Hour, false},
		{sdk.P3, "low", 24 * time.Hour, 72 * time.Hour, false},
	}
	levels := policy.PriorityLevels()
	if len(levels) != len(want) {
		t.Fatalf("%d levels; want %d", len(levels), len(want))
	}
	for i, w := range want {
		l := levels[i]
		if l.Priority != w.p || l.Name != w.name || l.FirstResponse != w.fr || l.Resolution != w.res || l.AlwaysOn != w.always || l.Meaning == "" {
			t.Errorf("level %d = %+v; want %s %s %s/%s always-on %v with a meaning", i, l, w.p, w.name, w.fr, w.res, w.always)
		}
		if got, ok := policy.PriorityLevelOf(w.p); !ok || got.Priority != w.p {
			t.Errorf("PriorityLevelOf(%s) = %+v, %v", w.p, got, ok)
		}
	}
	if _, ok := policy.PriorityLevelOf("P4"); ok {
		t.Error("PriorityLevelOf(P4) found a level")
	}
	if got := policy.PriorityValues(); !slices.Equal(got, []string{"P0", "P1", "P2", "P3"}) {
		t.Errorf("PriorityValues() = %v", got)
	}
}

func TestVendorPriority(t *testing.T) {
	want := map[policy.Vendor][4]string{
		policy.Zendesk:   {"urgent", "high", "normal", "low"},
		policy.Freshdesk: {"4", "3", "2", "1"},
		policy.Intercom:  {"urgent", "high", "medium", "low"},
	}
	for v, vals := range want {
		for i, p := range policy.Priorities() {
			got, ok := policy.VendorPriority(v, p)
			if !ok || got != vals[i] {
				t.Errorf("VendorPriority(%s, %s) = %q, %v; want %q", v, p, got, ok, vals[i])
			}
			// Every written value reads back as the same priority.
			if back := policy.PriorityFromVendor(v, got); back != p {
				t.Errorf("PriorityFromVendor(%s, %q) = %q; want %s", v, got, back, p)
			}
		}
		if got, ok := policy.VendorPriority(v, sdk.PriorityUnknown); ok {
			t.Errorf("VendorPriority(%s, unknown) = %q; want not ok", v, got)
		}
	}
	if _, ok := policy.VendorPriority("jira", sdk.P0); ok {
		t.Error("VendorPriority(jira) ok; want no mapping")
	}
}

func TestPriorityFromVendor(t *testing.T) {
	cases := []struct {
		vendor policy.Vendor
		value  string
		want   sdk.Priority
	}{
		{policy.Zendesk, " Urgent ", sdk.P0},
		{policy.Zendesk, "", sdk.PriorityUnknown},
		{policy.Zendesk, "medium", sdk.PriorityUnknown},
		{policy.Freshdesk, "3", sdk.P1},
		{policy.Freshdesk, "0", sdk.PriorityUnknown},
		{policy.Intercom, "priority", sdk.P1},
		{policy.Intercom, "NOT_PRIORITY", sdk.P3},
		{policy.Intercom, "none", sdk.PriorityUnknown},
		{policy.Intercom, "normal", sdk.PriorityUnknown},
		{"jira", "urgent", sdk.PriorityUnknown},
	}
	for _, tc := range cases {
		t.Run(string(tc.vendor)+"/"+tc.value, func(t *testing.T) {
			if got := policy.PriorityFromVendor(tc.vendor, tc.value); got != tc.want {
				t.Errorf("PriorityFromVendor(%s, %q) = %q; want %q", tc.vendor, tc.value, got, tc.want)
			}
		})
	}
}

func TestSignals(t *testing.T) {
	want := []string{"cancel", "competitor", "downgrade", "legal", "refund_amount", "security", "outage", "repeat", "executive"}
	sigs := policy.Signals()
	if len(sigs) != len(want) {
		t.Fatalf("%d signals; want %d", len(sigs), len(want))
	}
	fields := policy.SignalFields()
	for i, s := range sigs {
		if s.Name != want[i] || s.Field != "signal."+want[i] || fields[i] != s.Field || s.Meaning == "" {
			t.Errorf("signal %d = %+v (field %q); want %q with a meaning", i, s, fields[i], want[i])
		}
	}
}

func TestRetentionLevel(t *testing.T) {
	cases := map[string]bool{
		"healthy": false, "watch": false, "high": true, " Very-High ": true, "critical": true, "": false, "severe": false,
	}
	for level, want := range cases {
		if got := policy.RetentionLevel(level); got != want {
			t.Errorf("RetentionLevel(%q) = %v; want %v", level, got, want)
		}
	}
	if got := policy.ChurnLevels(); len(got) != 5 || got[0] != policy.ChurnHealthy || got[4] != policy.ChurnCritical {
		t.Errorf("ChurnLevels() = %v", got)
	}
}

func TestFieldSpecs(t *testing.T) {
	tax := policy.Taxonomy{{Name: "x"}, {Name: "y"}}
	specs := policy.FieldSpecs(tax)
	byName := map[string][]string{}
	var order []string
	for _, s := range specs {
		byName[s.Name] = s.Allowed
		order = append(order, s.Name)
	}
	wantOrder := append([]string{sdk.FieldPriority, sdk.FieldPrimaryTag, sdk.FieldSecondaryTag, sdk.FieldSentiment, sdk.FieldLanguage}, policy.SignalFields()...)
	if !slices.Equal(order, wantOrder) {
		t.Fatalf("field order = %v; want %v", order, wantOrder)
	}
	checks := []struct {
		field string
		want  []string
	}{
		{sdk.FieldPriority, []string{"P0", "P1", "P2", "P3"}},
		{sdk.FieldPrimaryTag, []string{"x", "y"}},
		{sdk.FieldSecondaryTag, []string{"x", "y"}},
		{sdk.FieldSentiment, []string{"positive", "neutral", "negative", "angry"}},
		{sdk.FieldLanguage, nil},
		{sdk.FieldSignalSecurity, nil},
	}
	for _, c := range checks {
		if got := byName[c.field]; !slices.Equal(got, c.want) {
			t.Errorf("%s allowed = %v; want %v", c.field, got, c.want)
		}
	}
	// The two tag fields do not share their Allowed slice.
	specs[1].Allowed[0] = "changed"
	if specs[2].Allowed[0] != "x" {
		t.Error("tag fields share their Allowed slice")
	}
}

func TestSecurity(t *testing.T) {
	r := policy.Security()
	if r.Priority != sdk.P0 || r.Tag != policy.TagSecurity || r.Signal != sdk.FieldSignalSecurity || r.Route == "" || r.Reason == "" {
		t.Errorf("Security() = %+v; want P0, tag security, signal.security, a route and a reason", r)
	}
	if !policy.Default().Contains(r.Tag) {
		t.Errorf("the security tag %q is not in the default taxonomy", r.Tag)
	}
}
