package connectors_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// fake is a connector that only knows its name.
type fake struct{ name string }

func (fake) VerifyWebhook(http.Header, []byte) error                { return nil }
func (fake) DecodeWebhook(http.Header, []byte) ([]sdk.Event, error) { return nil, nil }
func (fake) Ticket(context.Context, sdk.TicketRef) (*sdk.Ticket, error) {
	return nil, sdk.ErrNotFound
}
func (fake) Apply(context.Context, sdk.TicketRef, sdk.Changes) error { return nil }

func TestFromConfig(t *testing.T) {
	r := connectors.NewRegistry()
	if err := r.Register("desk", func(s connectors.Spec, _ connectors.Deps) (sdk.Connector, error) { return fake{s.Name}, nil }); err != nil {
		t.Fatal(err)
	}
	cs := []config.Connector{
		{Name: "a", Type: "desk", Mode: config.ModeLive},
		{Name: "b", Type: "plugin", Mode: config.ModeShadow},
		{Name: "c", Type: "desk", Mode: config.ModeShadow},
	}
	plugin := func(name string) (sdk.Connector, bool) { return fake{"plugin:" + name}, name == "b" }
	cases := []struct {
		name    string
		opts    connectors.FromConfigOptions
		want    []string // connector names built, in order
		live    []bool
		wantErr string
	}{
		{"all with plugins", connectors.FromConfigOptions{Plugin: plugin}, []string{"a", "plugin:b", "c"}, []bool{true, false, false}, ""},
		{"only one", connectors.FromConfigOptions{Only: "c"}, []string{"c"}, []bool{false}, ""},
		{"plugin type without plugins", connectors.FromConfigOptions{}, nil, nil, `connector "b" has type plugin`},
		{"unknown name", connectors.FromConfigOptions{Only: "zz", Plugin: plugin}, nil, nil, `no connector named "zz"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.FromConfig(t.Context(), cs, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, sdk.ErrInvalid) {
					t.Fatalf("FromConfig error = %v; want %q wrapping sdk.ErrInvalid", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("built %d connectors; want %d", len(got), len(tc.want))
			}
			for i, c := range got {
				if f, _ := c.Connector.(fake); f.name != tc.want[i] || c.Live() != tc.live[i] {
					t.Errorf("[%d] = %q live %v; want %q live %v", i, f.name, c.Live(), tc.want[i], tc.live[i])
				}
			}
		})
	}
}
