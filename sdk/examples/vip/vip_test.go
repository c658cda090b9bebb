package main

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

const settings = `{"plans": {"enterprise": "P1", "business": "P2"}, "vip_domains": ["bigco.example"], "mrr_at_least": 5000}`

func configured(t *testing.T, js string) *Booster {
	t.Helper()
	b := &Booster{}
	if err := b.Configure(t.Context(), &plugin.ConfigureRequest{Settings: json.RawMessage(js)}); err != nil {
		t.Fatalf("Configure(%s): %v", js, err)
	}
	return b
}

func TestClassify(t *testing.T) {
	b := configured(t, settings)
	cases := []struct {
		name     string
		ticket   sdk.Ticket
		fields   []sdk.FieldSpec
		priority string // "" means no priority prediction
		tag      bool
	}{
		{name: "vip domain", ticket: sdk.Ticket{Priority: sdk.P3, Requester: sdk.Party{Email: "Ada@BigCo.example"}}, priority: "P1", tag: true},
		{name: "plan floor", ticket: sdk.Ticket{Priority: sdk.P3, Customer: map[string]string{"plan": "business"}}, priority: "P2"},
		{name: "mrr makes vip", ticket: sdk.Ticket{Customer: map[string]string{"mrr": "7200"}}, priority: "P1", tag: true},
		{name: "never lowers", ticket: sdk.Ticket{Priority: sdk.P0, Requester: sdk.Party{Email: "x@bigco.example"}}, tag: true},
		{name: "already at the floor", ticket: sdk.Ticket{Priority: sdk.P2, Customer: map[string]string{"plan": "business"}}},
		{name: "nobody special", ticket: sdk.Ticket{Priority: sdk.P3, Requester: sdk.Party{Email: "x@small.example"}}},
		{name: "tag not allowed", ticket: sdk.Ticket{Requester: sdk.Party{Email: "x@bigco.example"}}, priority: "P1",
			fields: []sdk.FieldSpec{{Name: sdk.FieldPriority}, {Name: sdk.FieldSecondaryTag, Allowed: []string{"billing"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := b.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &tc.ticket, Fields: tc.fields})
			if err != nil {
				t.Fatal(err)
			}
			var gotPriority string
			var gotTag bool
			for _, p := range resp.Predictions {
				switch p.Field {
				case sdk.FieldPriority:
					gotPriority = p.Value
				case sdk.FieldSecondaryTag:
					gotTag = p.Value == "vip"
				}
			}
			if gotPriority != tc.priority || gotTag != tc.tag {
				t.Errorf("priority %q, vip tag %t; want %q, %t (predictions %+v)", gotPriority, gotTag, tc.priority, tc.tag, resp.Predictions)
			}
		})
	}
}

func TestConfigureRejectsBadSettings(t *testing.T) {
	for _, js := range []string{`{"vip_priority": "urgent"}`, `{"plans": {"pro": "P9"}}`, `{"vip_domain": ["typo"]}`, `{"confidence": 2}`, `[]`} {
		err := (&Booster{}).Configure(t.Context(), &plugin.ConfigureRequest{Settings: json.RawMessage(js)})
		if !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("Configure(%s) = %v; want ErrInvalid", js, err)
		}
	}
}

// The conformance suites, in-process and over gRPC at protocols 1 and 2.
func TestConformance(t *testing.T) {
	b := &Booster{}
	sdktest.TestServe(t, plugin.Options{Info: plugin.Info{Name: "vip", Version: version}, Classifier: b, Configure: b.Configure},
		sdktest.WithSettings(json.RawMessage(settings)))
}

// The built binary, launched the way heard launches it.
func TestBinary(t *testing.T) {
	bin := sdktest.Build(t, ".", "-ldflags=-X main.version=9.9.9")
	c := sdktest.Launch(t, bin, sdktest.WithSettings(json.RawMessage(settings)))
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "vip" || info.Version != "9.9.9" || !info.Has(plugin.KindClassifier) || info.Protocol != plugin.ProtocolVersion {
		t.Errorf("Info = %+v; want vip 9.9.9, a classifier at protocol %d", info, plugin.ProtocolVersion)
	}
	sdktest.TestClassifier(t, c.Classifier())

	err = c.Configure(t.Context(), &plugin.ConfigureRequest{Settings: json.RawMessage(`{"vip_priority": "urgent"}`)})
	if !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Configure with bad settings over the wire = %v; want an error matching sdk.ErrInvalid", err)
	}
}
