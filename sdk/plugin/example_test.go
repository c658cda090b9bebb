package plugin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

// Across the process boundary the caller's deadline reaches the plugin,
// and the plugin's errors come back as the sdk errors they were: errors.Is
// and errors.As work in the host as they do in-process. (Loopback stands in
// for a launched plugin binary here.)
func ExampleLoopback() {
	c := sdk.ClassifierFunc(func(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		switch id := req.Ticket.Ref.ID; id {
		case "gone":
			return nil, fmt.Errorf("ticket %s: %w", id, sdk.ErrNotFound)
		case "busy":
			return nil, &sdk.RetryAfterError{Err: sdk.ErrUnavailable, Wait: 30 * time.Second}
		}
		_, hasDeadline := ctx.Deadline()
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{
			Field: sdk.FieldPriority, Value: "P1", Confidence: 0.8, Reason: fmt.Sprintf("deadline seen: %t", hasDeadline),
		}}}, nil
	})
	client, stop, err := plugin.Loopback(plugin.Options{Classifier: c}, plugin.ProtocolVersion)
	if err != nil {
		panic(err)
	}
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	classify := func(id string) (*sdk.ClassifyResponse, error) {
		return client.Classifier().Classify(ctx, &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Ref: sdk.TicketRef{ID: id}}})
	}

	resp, _ := classify("42")
	fmt.Println(resp.Predictions[0].Reason)
	_, err = classify("gone")
	fmt.Println(err, "| not found:", errors.Is(err, sdk.ErrNotFound))
	_, err = classify("busy")
	var ra *sdk.RetryAfterError
	fmt.Println(errors.As(err, &ra), ra.Wait, "| retryable:", sdk.Retryable(err))
	// Output:
	// deadline seen: true
	// ticket gone: not found | not found: true
	// true 30s | retryable: true
}

// Plugin logs are JSON lines in hclog's shape, which the host parses and
// logs again under the plugin's name.
func ExampleNewLogHandler() {
	var stderr bytes.Buffer
	log := slog.New(plugin.NewLogHandler(&stderr, slog.LevelInfo))
	log.Info("looked up account", "account", "acme")

	var line map[string]any
	if err := json.Unmarshal(stderr.Bytes(), &line); err != nil {
		panic(err)
	}
	fmt.Println(line["@level"], "|", line["@message"], "|", line["account"], "|", line["@timestamp"] != nil)
	// Output: info | looked up account | acme | true
}

// Each protocol version carries a fixed set of capabilities; a plugin
// built against N-1 still loads, with what N-1 carried.
func ExampleKindAllowed() {
	for v := plugin.MinProtocolVersion; v <= plugin.ProtocolVersion; v++ {
		fmt.Println(v, plugin.KindAllowed(v, plugin.KindClassifier), plugin.KindAllowed(v, plugin.KindEnricher), plugin.KindAllowed(v, plugin.KindConnector))
	}
	// Output:
	// 1 true false false
	// 2 true true true
}
