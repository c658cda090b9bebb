// Command stubborn is a test fixture: a classifier plugin that does not
// stop when asked. Its settings pick how, once it is configured:
//
//	{"mode": "ignore"}  ignores SIGINT and SIGTERM, starts a child that
//	                    shares its stderr and ignores them too, and keeps
//	                    running after the host's shutdown request
//	{"mode": "freeze"}  stops itself (SIGSTOP) shortly after Configure, so
//	                    the host's shutdown request is never answered
//	{"mode": "sigint"}  on SIGINT or SIGTERM prints a Python-like
//	                    KeyboardInterrupt traceback to stderr and wedges
//	                    half-way (SIGSTOP); continued, it exits with status 1
//
// Any other mode, or none, serves normally. Classify predicts priority P2.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

const childEnv = "STUBBORN_CHILD"

type classifier struct{}

func (classifier) Classify(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{Field: sdk.FieldPriority, Value: "P2", Confidence: 0.9, Reason: "stubborn"}}}, nil
}

// rawStderr is the process's own stderr (fd 2), which go-plugin does not
// redirect: what a non-Go plugin writes.
var rawStderr = os.NewFile(2, "stderr")

var mode atomic.Value

func main() {
	if os.Getenv(childEnv) != "" {
		signal.Ignore(syscall.SIGINT, syscall.SIGTERM)
		for {
			time.Sleep(time.Hour)
		}
	}
	plugin.Serve(plugin.Options{
		Info:       plugin.Info{Name: "stubborn", Version: "0.0.1"},
		Classifier: classifier{},
		Configure: func(_ context.Context, req *plugin.ConfigureRequest) error {
			var s struct {
				Mode string `json:"mode"`
			}
			if err := json.Unmarshal(req.Settings, &s); err != nil {
				return fmt.Errorf("settings: %w: %w", err, sdk.ErrInvalid)
			}
			mode.Store(s.Mode)
			switch s.Mode {
			case "ignore":
				ignore()
			case "freeze":
				go func() {
					time.Sleep(200 * time.Millisecond)
					_ = syscall.Kill(os.Getpid(), syscall.SIGSTOP)
				}()
			case "sigint":
				sigint()
			}
			return nil
		},
	})
	if m, _ := mode.Load().(string); m == "ignore" {
		fmt.Fprintln(rawStderr, "stubborn: asked to shut down; not going")
		for {
			time.Sleep(time.Hour)
		}
	}
}

// ignore ignores the signals and starts a child holding stderr open.
func ignore() {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM)
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(rawStderr, "stubborn:", err)
		return
	}
	child := exec.Command(self) //nolint:gosec // the fixture re-runs itself
	child.Env = []string{childEnv + "=1"}
	child.Stderr = rawStderr
	if err := child.Start(); err != nil {
		fmt.Fprintln(rawStderr, "stubborn: starting the child:", err)
	}
}

// sigint makes the first SIGINT or SIGTERM wedge the process half-way
// through an interpreter-like shutdown.
func sigint() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-ch
		fmt.Fprint(rawStderr, "Traceback (most recent call last):\n  File \"plugin.py\", line 88, in serve\n    server.wait_for_termination()\nKeyboardInterrupt\n")
		_ = syscall.Kill(os.Getpid(), syscall.SIGSTOP)
		time.Sleep(time.Second) // the stop reaches every thread within it
		fmt.Fprintln(rawStderr, "Exception ignored in: <module 'threading'>")
		os.Exit(1)
	}()
}
