package desks_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/connectors"
	_ "github.com/heardhq/heard/connectors/all"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
	"github.com/heardhq/heard/sdk"
)

// received is one webhook the sandbox delivered.
type received struct {
	vendor string
	header http.Header
	body   []byte
}

// receiver records the webhooks sent to /v1/webhooks/sandbox-<vendor>.
type receiver struct {
	mu  sync.Mutex
	got []received
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	vendor := strings.TrimPrefix(r.URL.Path, "/v1/webhooks/sandbox-")
	rc.mu.Lock()
	rc.got = append(rc.got, received{vendor: vendor, header: r.Header.Clone(), body: b})
	rc.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (rc *receiver) since(n int, vendor string) []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []received
	for _, r := range rc.got[n:] {
		if r.vendor == vendor {
			out = append(out, r)
		}
	}
	return out
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

// goldenConnectors builds heard's real connectors from the connectors
// block the sandbox hands out, as heard's config loader would.
func goldenConnectors(t *testing.T, env *desks.Env) map[string]sdk.Connector {
	t.Helper()
	var cfg struct {
		Connectors []map[string]any `yaml:"connectors"`
	}
	if err := yaml.Unmarshal([]byte(env.ConnectorsYAML("live")), &cfg); err != nil {
		t.Fatalf("parsing the sandbox's connectors block: %v", err)
	}
	out := map[string]sdk.Connector{}
	for _, settings := range cfg.Connectors {
		name, _ := settings["name"].(string)
		typ, _ := settings["type"].(string)
		delete(settings, "name")
		delete(settings, "type")
		delete(settings, "mode")
		spec := connectors.Spec{Name: name, Decode: func(v any) error {
			b, err := yaml.Marshal(settings)
			if err != nil {
				return err
			}
			dec := yaml.NewDecoder(bytes.NewReader(b))
			dec.KnownFields(true)
			return dec.Decode(v)
		}}
		c, err := connectors.Default.New(typ, spec, connectors.Deps{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatalf("building connector %s: %v", name, err)
		}
		out[typ] = c
	}
	return out
}

// apiGet reads path from the vendor API the sandbox serves, as heard's
// connector authenticates.
func apiGet(t *testing.T, env *desks.Env, vendor, path string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, env.Desks[vendor].BaseURL(env.Root, env.Account)+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch vendor {
	case "zendesk":
		req.SetBasicAuth("heard-bot@"+env.Account+".example/token", "sandbox-token-zendesk")
	case "freshdesk":
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("sandbox-token-freshdesk:X")))
	case "intercom":
		req.Header.Set("Authorization", "Bearer sandbox-token-intercom")
		req.Header.Set("Intercom-Version", "2.15")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s %s: %v", vendor, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s %s: HTTP %d: %s", vendor, path, resp.StatusCode, b)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("GET %s %s: %v", vendor, path, err)
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{"list": v}
}

// str digs a value out of decoded JSON by keys and list indexes, as text.
func str(v any, path ...any) string {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return ""
			}
			v = l[k]
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// step is one agent action and what it must produce.
type step struct {
	act  sandbox.Action
	kind sdk.EventKind
	// check inspects the ticket afterwards: State and the vendor API.
	check func(t *testing.T, vendor string, st sandbox.TicketState, api func(path string) map[string]any)
}

// TestAgentActionsDecode drives every agent action on every desk and hands
// each webhook it caused to heard's real connector: the signature must
// verify and the body decode to the expected event kind for the ticket;
// the ticket must show the change, read back through the vendor API the
// sandbox serves and checks.
func TestAgentActionsDecode(t *testing.T) {
	rc := &receiver{}
	heard := httptest.NewServer(rc)
	t.Cleanup(heard.Close)
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: heard.URL, Account: "acme", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	conns := goldenConnectors(t, env)

	fieldKey := map[string]string{"zendesk": "360001", "freshdesk": "cf_reason", "intercom": "reason"}
	ticketPath := map[string]string{"zendesk": "/api/v2/tickets/", "freshdesk": "/api/v2/tickets/", "intercom": "/conversations/"}
	want := func(t *testing.T, what, got string, ok ...string) {
		t.Helper()
		if !slices.Contains(ok, got) {
			t.Errorf("%s = %q; want %q", what, got, ok)
		}
	}
	steps := []step{
		{sandbox.Action{Kind: sandbox.ActReply, Body: "Thanks, we are looking into the double charge."}, sdk.EventTicketUpdated,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				if st.Messages != 2 {
					t.Errorf("public messages = %d; want 2 (the customer's and the agent's reply)", st.Messages)
				}
				want(t, "status after the reply", st.Status, map[string]string{"zendesk": "pending", "freshdesk": "3", "intercom": "open"}[v])
			}},
		{sandbox.Action{Kind: sandbox.ActNote, Body: "Refund approved by finance."}, sdk.EventTicketUpdated,
			func(t *testing.T, _ string, st sandbox.TicketState, _ func(string) map[string]any) {
				if len(st.Notes) != 1 || !strings.Contains(st.Notes[0].Body, "Refund approved") {
					t.Errorf("notes = %+v; want the agent's note", st.Notes)
				}
			}},
		{sandbox.Action{Kind: sandbox.ActUpdate, Priority: "P1", Tags: []string{"billing", "refund"}, Fields: map[string]string{"": ""}}, sdk.EventTicketUpdated,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				want(t, "priority", st.Priority, map[string]string{"zendesk": "high", "freshdesk": "3", "intercom": "priority"}[v])
				if !slices.Equal(st.Tags, []string{"billing", "refund"}) {
					t.Errorf("tags = %v; want [billing refund]", st.Tags)
				}
				if st.Fields[fieldKey[v]] != "duplicate_charge" {
					t.Errorf("field %s = %q; want duplicate_charge", fieldKey[v], st.Fields[fieldKey[v]])
				}
			}},
		{sandbox.Action{Kind: sandbox.ActAssign}, sdk.EventTicketUpdated,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				if st.Assignee == "" {
					t.Errorf("no assignee after assign")
				}
			}},
		{sandbox.Action{Kind: sandbox.ActAssign, Group: "5017691"}, sdk.EventTicketUpdated,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				want(t, "group", st.Group, "5017691")
			}},
		{sandbox.Action{Kind: sandbox.ActSolve, Priority: "P2"}, sdk.EventTicketSolved,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				want(t, "status after solve", st.Status, map[string]string{"zendesk": "solved", "freshdesk": "4", "intercom": "closed"}[v])
			}},
		{sandbox.Action{Kind: sandbox.ActRate, Rating: 5, Body: "Quick and friendly"}, sdk.EventTicketUpdated,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				want(t, "rating", st.Rating, map[string]string{"zendesk": "good", "freshdesk": "103", "intercom": "5"}[v])
			}},
		{sandbox.Action{Kind: sandbox.ActReopen}, sdk.EventTicketUpdated,
			func(t *testing.T, v string, st sandbox.TicketState, api func(string) map[string]any) {
				want(t, "status after reopen", st.Status, map[string]string{"zendesk": "open", "freshdesk": "2", "intercom": "open"}[v])
			}},
	}
	for _, vendor := range desks.Vendors {
		t.Run(vendor, func(t *testing.T) {
			desk := env.Desks[vendor]
			agent, ok := desk.(sandbox.Agent)
			if !ok {
				t.Fatalf("%s desk does not implement sandbox.Agent", vendor)
			}
			conn := conns[vendor]
			id, err := desk.CreateTicket(t.Context(), env.Account, sandbox.NewTicket{Subject: "Charged twice", Body: "We were charged twice for INV-2291.",
				Requester: sandbox.Person{Name: "Dana", Email: "dana-" + vendor + "@northwind.example"}})
			if err != nil {
				t.Fatal(err)
			}
			api := func(path string) map[string]any { return apiGet(t, env, vendor, path) }
			for _, s := range steps {
				act := s.act
				if act.Fields != nil {
					act.Fields = map[string]string{fieldKey[vendor]: "duplicate_charge"}
				}
				n := rc.count()
				if err := agent.Act(t.Context(), env.Account, id, act); err != nil {
					t.Fatalf("%s: %v", act.Kind, err)
				}
				hooks := rc.since(n, vendor)
				if len(hooks) == 0 {
					t.Fatalf("%s delivered no webhook", act.Kind)
				}
				var kinds []sdk.EventKind
				for _, h := range hooks {
					if err := conn.VerifyWebhook(h.header, h.body); err != nil {
						t.Fatalf("%s: the connector rejects the signature: %v\n%s", act.Kind, err, h.body)
					}
					evs, err := conn.DecodeWebhook(h.header, h.body)
					if err != nil {
						t.Fatalf("%s: the connector cannot decode the webhook: %v\n%s", act.Kind, err, h.body)
					}
					for _, ev := range evs {
						if ev.Ticket.ID != id || ev.ID == "" {
							t.Errorf("%s: event %+v; want one for ticket %s with an id", act.Kind, ev, id)
						}
						kinds = append(kinds, ev.Kind)
					}
				}
				if !slices.Contains(kinds, s.kind) {
					t.Errorf("%s decoded to %v; want %s", act.Kind, kinds, s.kind)
				}
				if slices.Contains(kinds, sdk.EventMessageCreated) || slices.Contains(kinds, sdk.EventTicketCreated) {
					t.Errorf("%s decoded to %v: an agent's action is not a customer message or a new ticket", act.Kind, kinds)
				}
				st, err := desk.State(env.Account, id)
				if err != nil {
					t.Fatal(err)
				}
				t.Run(act.Kind, func(t *testing.T) { s.check(t, vendor, st, api) })
			}
			// The vendor API shows the final state the same way.
			got := api(ticketPath[vendor] + id)
			switch vendor {
			case "zendesk":
				tk := got["ticket"]
				want(t, "API status", str(tk, "status"), "open")
				want(t, "API priority", str(tk, "priority"), "normal")
				want(t, "API satisfaction", str(tk, "satisfaction_rating", "score"), "good")
				want(t, "API group_id", str(tk, "group_id"), "5017691")
				if str(tk, "assignee_id") == "" {
					t.Errorf("API assignee_id is empty")
				}
			case "freshdesk":
				want(t, "API status", str(got, "status"), "2")
				want(t, "API priority", str(got, "priority"), "2")
				want(t, "API group_id", str(got, "group_id"), "5017691")
				want(t, "API custom field", str(got, "custom_fields", "cf_reason"), "duplicate_charge")
				r := api(ticketPath[vendor] + id + "/satisfaction_ratings")
				want(t, "API survey rating", str(r, "list", 0, "ratings", "default_question"), "103")
			case "intercom":
				want(t, "API state", str(got, "state"), "open")
				want(t, "API rating", str(got, "conversation_rating", "rating"), "5")
				want(t, "API team", str(got, "team_assignee_id"), "5017691")
				want(t, "API attribute", str(got, "custom_attributes", "reason"), "duplicate_charge")
			}
		})
	}
	for _, v := range env.Server.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}

// TestAgentActionRejected checks that a wrong action changes nothing and
// sends nothing.
func TestAgentActionRejected(t *testing.T) {
	rc := &receiver{}
	heard := httptest.NewServer(rc)
	t.Cleanup(heard.Close)
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: heard.URL, Account: "acme", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	for _, vendor := range desks.Vendors {
		desk := env.Desks[vendor]
		id, err := desk.CreateTicket(t.Context(), env.Account, sandbox.NewTicket{Subject: "Hi", Body: "Hello there.",
			Requester: sandbox.Person{Name: "Sam", Email: "sam@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		n := rc.count()
		for _, bad := range []sandbox.Action{
			{Kind: sandbox.ActReopen},                          // not solved
			{Kind: sandbox.ActRate, Rating: 4},                 // not solved yet
			{Kind: sandbox.ActReply},                           // no body
			{Kind: "escalate"},                                 // no such kind
			{Kind: sandbox.ActNote, Priority: "P1", Body: "x"}, // a note takes no priority
		} {
			ag, ok := desk.(sandbox.Agent)
			if !ok {
				t.Fatalf("%s desk does not implement sandbox.Agent", vendor)
			}
			if err := ag.Act(t.Context(), env.Account, id, bad); err == nil {
				t.Errorf("%s: %+v was accepted", vendor, bad)
			}
		}
		if got := rc.since(n, vendor); len(got) != 0 {
			t.Errorf("%s: rejected actions delivered %d webhooks", vendor, len(got))
		}
		st, _ := desk.State(env.Account, id)
		if st.Rating != "" || len(st.Notes) != 0 || st.Messages != 1 {
			t.Errorf("%s: rejected actions changed the ticket: %+v", vendor, st)
		}
	}
}
