package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func TestForwardStdout(t *testing.T) {
	handshake := "1|2|unix|/tmp/plugin123|grpc|MIIBcert\n"
	in := "stray one\npartial" + handshake + "after\n1|2|unix|/tmp/fake|grpc|x\n"
	var real, logs bytes.Buffer
	forwardStdout(strings.NewReader(in), &real, slog.New(NewLogHandler(&logs, slog.LevelInfo)))
	if real.String() != handshake {
		t.Errorf("real stdout got %q; want only the handshake %q", real.String(), handshake)
	}
	for _, want := range []string{`"stdout":"stray one"`, `"stdout":"partial"`, `"stdout":"after"`, `"stdout":"1|2|unix|/tmp/fake|grpc|x"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs.String())
		}
	}
}

// The host (go-plugin) parses plugin logs only in hclog's JSON shape.
func TestLogHandlerSpeaksHCLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewLogHandler(&buf, slog.LevelDebug-4))
	log.Debug("looked up", "account", "acme", slog.Group("g", "k", 1))
	log.Log(t.Context(), slog.LevelDebug-4, "very detailed")
	log.Warn("careful")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines:\n%s", len(lines), buf.String())
	}
	for i, want := range []string{"debug", "trace", "warn"} {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatal(err)
		}
		if m["@level"] != want {
			t.Errorf("line %d @level = %v; want %s", i, m["@level"], want)
		}
		ts, _ := m["@timestamp"].(string)
		if _, err := time.Parse("2006-01-02T15:04:05.000000Z07:00", ts); err != nil {
			t.Errorf("line %d @timestamp: %v", i, err)
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := m[k]; ok {
				t.Errorf("line %d still has slog's %q key", i, k)
			}
		}
	}
	if !strings.Contains(lines[0], `"@message":"looked up"`) || !strings.Contains(lines[0], `"g":{"k":1}`) {
		t.Errorf("line 0 = %s", lines[0])
	}
}

func TestWatchHost(t *testing.T) {
	done := make(chan struct{})
	go watchHost(-1, time.Millisecond, func() { close(done) }) // -1 is never our parent
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("watchHost did not notice the host was gone")
	}
}

// closingClassifier is a classifier and enricher that counts Close calls.
type closingClassifier struct{ n *int }

func (c *closingClassifier) Classify(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	return &sdk.ClassifyResponse{}, nil
}

func (c *closingClassifier) Enrich(context.Context, *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
	return &sdk.EnrichResponse{}, nil
}

func (c *closingClassifier) Close(context.Context) error { *c.n++; return nil }

func TestCloseAllClosesEachOnce(t *testing.T) {
	n := 0
	c := &closingClassifier{n: &n}
	closeAll(&Options{Classifier: c, Enricher: c}, slog.New(slog.DiscardHandler))
	if n != 1 {
		t.Errorf("closed %d times; want once", n)
	}
}
