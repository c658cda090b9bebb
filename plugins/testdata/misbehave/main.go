// Command misbehave is a test fixture: a classifier and enricher plugin
// that prints to stdout everywhere it can, and panics, crashes or hangs on
// request. The ticket's subject picks the behaviour:
//
//	panic   panic in the call (recovered by the SDK)
//	crash   exit the process mid-call
//	hang    block forever, ignoring ctx
//	anything else: predict priority P1; the reason shows the process ID,
//	the deadline seen, GOMAXPROCS and $HEARD_TEST_SECRET
//
// Settings: {"unhealthy": true} makes CheckHealth fail.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

type fixture struct{ unhealthy atomic.Bool }

func (f *fixture) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	fmt.Println("classifying", req.Ticket.Ref.ID) // stray stdout in a call
	switch req.Ticket.Subject {
	case "panic":
		panic("fixture asked to panic")
	case "crash":
		// On fd 2 itself, which go-plugin does not redirect, so that the
		// line is not lost with the gRPC stream when the process exits.
		fmt.Fprintln(os.NewFile(2, "stderr"), "fatal: fixture asked to crash")
		os.Exit(3)
	case "hang":
		select {}
	}
	if d, ok := strings.CutPrefix(req.Ticket.Subject, "sleep "); ok {
		wait, _ := time.ParseDuration(d)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	dl, has := ctx.Deadline()
	return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{
		Field: sdk.FieldPriority, Value: "P1", Confidence: 0.99,
		Reason: fmt.Sprintf("fixture pid %d deadline %t %s procs %d secret %q", os.Getpid(), has, time.Until(dl).Round(time.Second),
			runtime.GOMAXPROCS(0), os.Getenv("HEARD_TEST_SECRET")),
	}}}, nil
}

func (f *fixture) Enrich(_ context.Context, req *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
	return &sdk.EnrichResponse{Attrs: sdk.Attrs{"fixture.pid": os.Getpid(), "fixture.subject_len": len(req.Ticket.Subject), "enrich.language": "xx"}}, nil
}

func (f *fixture) CheckHealth(context.Context) error {
	if f.unhealthy.Load() {
		return fmt.Errorf("fixture told to be unhealthy: %w", sdk.ErrUnavailable)
	}
	return nil
}

func main() {
	plugin.GuardStdout()
	fmt.Println("hello from main before Serve") // would break the handshake without GuardStdout
	go func() {
		for range 20 {
			fmt.Println("background chatter")
			time.Sleep(5 * time.Millisecond)
		}
	}()
	f := &fixture{}
	plugin.Serve(plugin.Options{
		Info:       plugin.Info{Name: "misbehave", Version: "0.0.1"},
		Classifier: f,
		Enricher:   f,
		Configure: func(_ context.Context, req *plugin.ConfigureRequest) error {
			fmt.Println("configuring with", string(req.Settings))
			var s struct {
				Unhealthy bool `json:"unhealthy"`
				Reject    bool `json:"reject"`
			}
			if err := json.Unmarshal(req.Settings, &s); err != nil {
				return fmt.Errorf("settings: %w: %w", err, sdk.ErrInvalid)
			}
			if s.Reject {
				return errors.New("fixture rejects these settings")
			}
			f.unhealthy.Store(s.Unhealthy)
			return nil
		},
	})
}
