package eval_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/sdk"
)

func TestReadCSV(t *testing.T) {
	in := "subject,body,priority,tags\r\n" +
		"site down??,\"502 everywhere,\r\nall users\",P0,bug\r\n" +
		"Refund,\"We want \"\"our money\"\" back\",p1, Billing ; churn-risk \r\n" +
		"no labels,just a body,,\r\n" +
		",body only,P3,how-to;account;onboarding\r\n"
	got, err := eval.ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	want := []eval.Example{
		{Line: 2, Subject: "site down??", Body: "502 everywhere,\nall users", Priority: sdk.P0, Tags: []string{"bug"}},
		{Line: 4, Subject: "Refund", Body: `We want "our money" back`, Priority: sdk.P1, Tags: []string{"billing", "churn-risk"}},
		{Line: 5, Subject: "no labels", Body: "just a body"},
		{Line: 6, Body: "body only", Priority: sdk.P3, Tags: []string{"how-to", "account", "onboarding"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d examples; want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Line != w.Line || g.Subject != w.Subject || g.Body != w.Body || g.Priority != w.Priority || !slices.Equal(g.Tags, w.Tags) {
			t.Errorf("example %d = %+v; want %+v", i, g, w)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	const hdr = "subject,body,priority,tags\n"
	cases := []struct {
		name     string
		in       string
		wantLine int
	}{
		{"empty input", "", 1},
		{"header missing", "a,b,P1,bug\n", 1},
		{"header in other order", "subject,body,tags,priority\n", 1},
		{"header with extra column", "subject,body,priority,tags,lang\n", 1},
		{"header upper case", "Subject,Body,Priority,Tags\n", 1},
		{"bad priority", hdr + "a,b,P1,bug\nc,d,P5,bug\n", 3},
		{"priority word", hdr + "a,b,urgent,bug\n", 2},
		{"too few fields", hdr + "a,b,P1\n", 2},
		{"too many fields", hdr + "a,b,P1,bug,extra\n", 2},
		{"bare quote", hdr + "a,b \"x\" c,P1,bug\n", 2},
		{"unterminated quote", hdr + "a,\"b\nc,P1,bug\n", 2},
		{"empty tag", hdr + "a,b,P1,billing;;bug\n", 2},
		{"duplicate tag", hdr + "a,b,P1,bug;bug\n", 2},
		{"tags separated by comma", hdr + "a,b,P1,\"bug, billing\"\n", 2},
		{"four tags", hdr + "a,b,P1,bug;billing;account;security\n", 2},
		{"empty ticket", hdr + "a,b,P1,bug\n , ,P2,bug\n", 3},
		{"error after multi-line record", hdr + "a,\"line1\nline2\nline3\",P1,bug\nx,y,P9,bug\n", 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eval.ReadCSV(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("ReadCSV = %+v, nil; want an error", got)
			}
			if !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("error %v does not wrap sdk.ErrInvalid", err)
			}
			var le *eval.LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T) is not a *eval.LineError", err, err)
			}
			if le.Line != tc.wantLine {
				t.Errorf("error %q names line %d; want %d", err, le.Line, tc.wantLine)
			}
		})
	}
}
