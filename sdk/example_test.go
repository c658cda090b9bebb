package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// A classifier is one function away: this one marks tickets that mention an
// outage as P0, with its reason.
func ExampleClassifierFunc() {
	outage := sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		for _, m := range req.Ticket.Messages {
			if strings.Contains(strings.ToLower(m.Body), "outage") {
				return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{
					Field: "priority", Value: string(sdk.P0), Confidence: 0.9, Reason: `message mentions "outage"`,
				}}}, nil
			}
		}
		return &sdk.ClassifyResponse{}, nil
	})
	t := &sdk.Ticket{Messages: []sdk.Message{{Body: "Total outage in EU since 09:00"}}}
	resp, err := outage.Classify(context.Background(), &sdk.ClassifyRequest{Ticket: t})
	if err != nil {
		panic(err)
	}
	for _, p := range resp.Predictions {
		fmt.Printf("%s=%s (%.1f): %s\n", p.Field, p.Value, p.Confidence, p.Reason)
	}
	// Output: priority=P0 (0.9): message mentions "outage"
}

// Vendors' rate limits surface as a RetryAfterError; callers find the wait
// with errors.As and the cause with errors.Is.
func ExampleRetryAfterError() {
	err := fmt.Errorf("updating ticket 42: %w", &sdk.RetryAfterError{Err: sdk.ErrUnavailable, Wait: 30 * time.Second})
	var ra *sdk.RetryAfterError
	if errors.As(err, &ra) {
		fmt.Println("wait", ra.Wait, "retryable:", sdk.Retryable(err), "unavailable:", errors.Is(err, sdk.ErrUnavailable))
	}
	// Output: wait 30s retryable: true unavailable: true
}

func ExampleSecret() {
	key := sdk.Secret("sk-live-123")
	fmt.Println(key, "/", key.Reveal())
	// Output: [redacted] / sk-live-123
}

func ExampleParsePriority() {
	p, err := sdk.ParsePriority("p1")
	fmt.Println(p, err)
	_, err = sdk.ParsePriority("urgent")
	fmt.Println(errors.Is(err, sdk.ErrInvalid))
	// Output:
	// P1 <nil>
	// true
}

func ExampleRedactURL() {
	fmt.Println(sdk.RedactURL("postgres://heard:s3cret@db:5432/heard?sslmode=require"))
	fmt.Println(sdk.RedactURL("https://acme.zendesk.com"))
	// Output:
	// postgres://heard:xxxxx@db:5432/heard?sslmode=require
	// https://acme.zendesk.com
}
