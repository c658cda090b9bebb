package sdktest

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestPredictionProblems(t *testing.T) {
	fields := []sdk.FieldSpec{{Name: sdk.FieldPriority, Allowed: []string{"P0", "P1"}}, {Name: sdk.FieldLanguage}}
	ok := sdk.Prediction{Field: sdk.FieldPriority, Value: "P1", Confidence: 0.5, Reason: "r"}
	cases := []struct {
		name string
		ps   []sdk.Prediction
		want string // "" means no problem
	}{
		{"good", []sdk.Prediction{ok, {Field: sdk.FieldLanguage, Value: "de", Confidence: 1, Reason: "umlauts"}}, ""},
		{"no field", []sdk.Prediction{{Value: "x", Confidence: 0.5, Reason: "r"}}, "empty Field"},
		{"no value", []sdk.Prediction{{Field: "f", Confidence: 0.5, Reason: "r"}}, "empty Value"},
		{"confidence too high", []sdk.Prediction{{Field: "f", Value: "v", Confidence: 1.5, Reason: "r"}}, "want 0..1"},
		{"confidence NaN", []sdk.Prediction{{Field: "f", Value: "v", Confidence: math.NaN(), Reason: "r"}}, "want 0..1"},
		{"no reason", []sdk.Prediction{{Field: "f", Value: "v", Confidence: 0.5, Reason: " "}}, "empty Reason"},
		{"not allowed", []sdk.Prediction{{Field: sdk.FieldPriority, Value: "urgent", Confidence: 0.5, Reason: "r"}}, "value not allowed"},
		{"duplicate", []sdk.Prediction{ok, ok}, "duplicate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(predictionProblems(fields, tc.ps), "; ")
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("problems = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestPromptly(t *testing.T) {
	if !promptly(t.Context(), time.Second, func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }) {
		t.Error("a call that honours ctx was reported slow")
	}
	stuck := make(chan struct{})
	defer close(stuck)
	if promptly(t.Context(), 50*time.Millisecond, func(context.Context) error { <-stuck; return nil }) {
		t.Error("a call that ignores ctx was reported prompt")
	}
}

func TestValidAttrKey(t *testing.T) {
	for k, want := range map[string]bool{"crm.owner": true, "enrich.sla.due": true, "a-b.c_d9": true, "owner": false, "Crm.owner": false, "a..b": false, "a.b c": false} {
		if got := validAttrKey(k); got != want {
			t.Errorf("validAttrKey(%q) = %t; want %t", k, got, want)
		}
	}
}

func TestCloneTicketIsDeep(t *testing.T) {
	tk := Tickets()[1]
	c := cloneTicket(tk)
	c.Tags = append(c.Tags, "x")
	c.Messages[0].Body = "changed"
	c.Customer["plan"] = "free"
	if tk.Messages[0].Body == "changed" || tk.Customer["plan"] == "free" {
		t.Error("cloneTicket shares memory with the original")
	}
}

func TestCheckClassifierReportsEachFailure(t *testing.T) {
	bad := sdk.ClassifierFunc(func(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		req.Ticket.Subject = "changed"
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{Field: sdk.FieldPriority, Value: "urgent", Confidence: 2}}}, nil
	})
	got := map[string]bool{}
	for _, f := range CheckClassifier(t.Context(), bad) {
		got[f.Check] = true
	}
	for _, want := range []string{"predictions are well-formed", "answers without field specs", "does not modify its request"} {
		if !got[want] {
			t.Errorf("failed checks %v; want %q among them", got, want)
		}
	}
	if got["is safe for concurrent use"] || got["returns promptly when ctx is cancelled"] {
		t.Errorf("failed checks %v include ones the classifier passes", got)
	}
	good := sdk.ClassifierFunc(func(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{}, ctx.Err()
	})
	if fs := CheckClassifier(t.Context(), good); len(fs) != 0 {
		t.Errorf("a conforming classifier failed: %v", fs)
	}
}
