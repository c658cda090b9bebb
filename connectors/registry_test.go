package connectors_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sdk"
)

type nopConn struct{ name string }

func (nopConn) VerifyWebhook(http.Header, []byte) error                { return nil }
func (nopConn) DecodeWebhook(http.Header, []byte) ([]sdk.Event, error) { return nil, nil }
func (nopConn) Ticket(context.Context, sdk.TicketRef) (*sdk.Ticket, error) {
	return nil, sdk.ErrNotFound
}
func (nopConn) Apply(context.Context, sdk.TicketRef, sdk.Changes) error { return nil }

func TestRegistry(t *testing.T) {
	r := connectors.NewRegistry()
	f := func(s connectors.Spec, d connectors.Deps) (sdk.Connector, error) {
		if d.Logger == nil || d.Now == nil || d.HTTPClient == nil {
			return nil, errors.New("deps not defaulted")
		}
		if s.Name == "broken" {
			return nil, errors.New("bad settings")
		}
		return nopConn{name: s.Name}, nil
	}
	if err := r.Register("acme", f); err != nil {
		t.Fatalf("Register: %v", err)
	}
	for _, tc := range []struct {
		name, typ string
	}{{"duplicate", "acme"}, {"upper case", "Acme"}, {"empty", ""}, {"space", "a b"}} {
		t.Run("register "+tc.name, func(t *testing.T) {
			if err := r.Register(tc.typ, f); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Register(%q) = %v; want ErrInvalid", tc.typ, err)
			}
		})
	}
	c, err := r.New("acme", connectors.Spec{Name: "one"}, connectors.Deps{})
	if nc, ok := c.(nopConn); err != nil || !ok || nc.name != "one" {
		t.Errorf("New = %v, %v; want connector one", c, err)
	}
	if _, err := r.New("nope", connectors.Spec{Name: "x"}, connectors.Deps{}); !errors.Is(err, connectors.ErrUnknownType) {
		t.Errorf("New(unknown) = %v; want ErrUnknownType", err)
	}
	_, err = r.New("acme", connectors.Spec{Name: "broken"}, connectors.Deps{})
	if err == nil || err.Error() != `connector "broken" (acme): bad settings` {
		t.Errorf("New(broken) = %v; want the factory error prefixed with name and type", err)
	}
	if got := r.Types(); len(got) != 1 || got[0] != "acme" {
		t.Errorf("Types = %v; want [acme]", got)
	}
}
