package desks_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
	"github.com/heardhq/heard/sdk"
)

// TestReadOnlyRefusesWrites: with Config.ReadOnly every vendor refuses
// heard's internal note with 403 (sdk.ErrUnauthorized) and keeps the
// ticket as it was; without it the same note is written.
func TestReadOnlyRefusesWrites(t *testing.T) {
	heard := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	t.Cleanup(heard.Close)
	for _, readOnly := range []bool{false, true} {
		env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: heard.URL, Account: "acme", ReadOnly: readOnly, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = env.Close() })
		path := filepath.Join(t.TempDir(), "heard.yaml")
		if err := os.WriteFile(path, []byte(env.ConnectorsYAML("live")), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		built, err := connectors.Default.FromConfig(t.Context(), cfg.Connectors, connectors.FromConfigOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range built {
			vendor := c.Config.Type
			desk := env.Desks[vendor]
			id, err := desk.CreateTicket(t.Context(), "acme", sandbox.NewTicket{Subject: "Refund", Body: "Please refund March.",
				Requester: sandbox.Person{Name: "Dana", Email: "dana@example.com"}})
			if err != nil {
				t.Fatal(err)
			}
			ref := sdk.TicketRef{Connector: c.Config.Name, Account: "acme", ID: id}
			err = c.Connector.Apply(t.Context(), ref, sdk.Changes{InternalNote: "heard: refund request"})
			st, serr := desk.State("acme", id)
			if serr != nil {
				t.Fatal(serr)
			}
			switch {
			case readOnly && !errors.Is(err, sdk.ErrUnauthorized):
				t.Errorf("%s read-only: Apply = %v, want ErrUnauthorized", vendor, err)
			case readOnly && len(st.Notes) != 0:
				t.Errorf("%s read-only: the note was written anyway: %+v", vendor, st.Notes)
			case !readOnly && err != nil:
				t.Errorf("%s: Apply = %v", vendor, err)
			case !readOnly && len(st.Notes) != 1:
				t.Errorf("%s: notes = %+v, want the one note", vendor, st.Notes)
			}
		}
		if v := env.Server.Violations(); len(v) > 0 {
			t.Errorf("read-only %v: violations %v", readOnly, v)
		}
	}
}
