package plugin_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// transports returns the two ways to reach an in-process plugin over gRPC:
// go-plugin's test connection and the in-memory loopback.
func transports(t *testing.T, opts plugin.Options, protocol int) map[string]*plugin.Client {
	t.Helper()
	lb, stop, err := plugin.Loopback(opts, protocol)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return map[string]*plugin.Client{"go-plugin": plugin.TestClient(t, opts, protocol), "loopback": lb}
}

// The caller's deadline crosses the process boundary.
func TestDeadlineCrossesTheWire(t *testing.T) {
	seen := make(chan time.Duration, 2)
	c := &sdktest.Classifier{ClassifyFunc: func(ctx context.Context, _ *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		dl, ok := ctx.Deadline()
		if !ok {
			return nil, fmt.Errorf("no deadline: %w", sdk.ErrInvalid)
		}
		seen <- time.Until(dl)
		<-ctx.Done() // and its expiry reaches the plugin too
		return nil, ctx.Err()
	}}
	for name, pc := range transports(t, plugin.Options{Classifier: c}, plugin.ProtocolVersion) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			_, err := pc.Classifier().Classify(ctx, &sdk.ClassifyRequest{Ticket: &sdk.Ticket{}})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v; want DeadlineExceeded", err)
			}
			if d := <-seen; d <= 0 || d > 300*time.Millisecond {
				t.Errorf("plugin saw %s left; want (0, 300ms]", d)
			}
		})
	}
}

// A panic in a call is recovered into an error that matches ErrPanicked;
// the plugin keeps serving.
func TestPanicIsRecovered(t *testing.T) {
	c := &sdktest.Classifier{ClassifyFunc: func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		if req.Ticket.Subject == "boom" {
			panic("boom: the implementation has a bug")
		}
		return &sdk.ClassifyResponse{}, nil
	}}
	for name, pc := range transports(t, plugin.Options{Classifier: c}, plugin.ProtocolVersion) {
		t.Run(name, func(t *testing.T) {
			_, err := pc.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: "boom"}})
			var re *plugin.RemoteError
			if !errors.Is(err, plugin.ErrPanicked) || !errors.As(err, &re) || !re.Panicked || !strings.Contains(err.Error(), "boom: the implementation has a bug") {
				t.Errorf("err = %v; want a recovered panic", err)
			}
			if _, err := pc.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{}}); err != nil {
				t.Errorf("next call = %v; want the plugin still serving", err)
			}
		})
	}
}

// Only what the author set is served, and only at protocols that carry it.
func TestServesOnlyWhatIsSet(t *testing.T) {
	cl := &sdktest.Classifier{}
	en := &sdktest.Enricher{}
	co := &sdktest.Connector{}
	cases := []struct {
		name     string
		opts     plugin.Options
		protocol int
		kinds    string
		features int
	}{
		{"classifier at 2", plugin.Options{Classifier: cl}, 2, "classifier", 0},
		{"everything at 2", plugin.Options{Classifier: cl, Enricher: en, Connector: co}, 2, "classifier,enricher,connector", 1},
		{"everything at 1", plugin.Options{Classifier: cl, Enricher: en, Connector: co}, 1, "classifier", 0},
		{"enricher at 2", plugin.Options{Enricher: en}, 2, "enricher", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Info = plugin.Info{Name: "t", Version: "1"}
			pc := plugin.TestClient(t, tc.opts, tc.protocol)
			info, err := pc.Info(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, k := range info.Kinds {
				kinds = append(kinds, string(k))
			}
			if strings.Join(kinds, ",") != tc.kinds || len(info.Features) != tc.features || info.Protocol != tc.protocol {
				t.Errorf("Info = %+v; want kinds %s, %d features, protocol %d", info, tc.kinds, tc.features, tc.protocol)
			}
			if tc.protocol == 1 && (pc.Enricher() != nil || pc.Connector() != nil) {
				t.Error("protocol 1 client offers an enricher or connector")
			}
			if tc.opts.Classifier == nil {
				_, err := pc.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{})
				if !errors.Is(err, errors.ErrUnsupported) {
					t.Errorf("Classify on a plugin without a classifier = %v; want ErrUnsupported", err)
				}
			}
		})
	}
}

// A connector without article listing says so with errors.ErrUnsupported.
func TestListArticlesUnsupported(t *testing.T) {
	type plain struct{ sdk.Connector }
	pc := plugin.TestClient(t, plugin.Options{Connector: plain{&sdktest.Connector{}}}, plugin.ProtocolVersion)
	_, err := pc.Connector().ListArticles(t.Context(), &sdk.ListArticlesRequest{})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("ListArticles = %v; want ErrUnsupported", err)
	}
}

// Large tickets fit: the message limit is raised to MaxMessageSize.
func TestLargeTicket(t *testing.T) {
	var got int
	c := &sdktest.Classifier{ClassifyFunc: func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		got = len(req.Ticket.Messages[0].Body)
		return &sdk.ClassifyResponse{}, nil
	}}
	pc, stop, err := plugin.Loopback(plugin.Options{Classifier: c}, plugin.ProtocolVersion)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	body := strings.Repeat("x", 10<<20)
	if _, err := pc.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Messages: []sdk.Message{{Body: body}}}}); err != nil || got != len(body) {
		t.Fatalf("10 MiB ticket: %v (plugin saw %d bytes)", err, got)
	}
	huge := strings.Repeat("x", plugin.MaxMessageSize+1)
	_, err = pc.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Messages: []sdk.Message{{Body: huge}}}})
	if !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("ticket over MaxMessageSize = %v; want ErrInvalid", err)
	}
}

func TestConfigureAndHealth(t *testing.T) {
	var got plugin.ConfigureRequest
	c := &sdktest.Classifier{CheckHealthFunc: func(context.Context) error { return fmt.Errorf("model not loaded: %w", sdk.ErrUnavailable) }}
	pc := plugin.TestClient(t, plugin.Options{Classifier: c, Configure: func(_ context.Context, req *plugin.ConfigureRequest) error {
		got = *req
		if strings.Contains(string(req.Settings), "bad") {
			return fmt.Errorf("settings: %w", sdk.ErrInvalid)
		}
		return nil
	}}, plugin.ProtocolVersion)
	if err := pc.Configure(t.Context(), &plugin.ConfigureRequest{Instance: "plugin.x", Connectors: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if string(got.Settings) != "{}" || got.Instance != "plugin.x" || len(got.Connectors) != 1 {
		t.Errorf("Configure received %+v; want {} settings, the instance and its connectors", got)
	}
	if err := pc.Configure(t.Context(), &plugin.ConfigureRequest{Settings: []byte(`{"bad":1}`)}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Configure(bad) = %v; want ErrInvalid", err)
	}
	if err := pc.CheckHealth(t.Context()); !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), "model not loaded") {
		t.Errorf("CheckHealth = %v; want the classifier's error", err)
	}
}
