// Command badplugin is a test fixture for `heard plugin test`: a
// classifier that breaks the contract (a confidence over 1, no reason) and
// reports itself unhealthy.
package main

import (
	"context"
	"errors"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

type bad struct{}

func (bad) Classify(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{Field: sdk.FieldPriority, Value: "P1", Confidence: 1.5}}}, nil
}

func (bad) CheckHealth(context.Context) error {
	return errors.New("database unreachable")
}

func main() {
	plugin.Serve(plugin.Options{Info: plugin.Info{Name: "bad", Version: "0.0.1"}, Classifier: bad{}})
}
