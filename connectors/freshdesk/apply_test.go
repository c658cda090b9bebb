package freshdesk

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

// writes returns how many PUT and POST requests the sandbox saw for ticket
// id since request index from.
func (d *desk) writes(from int, id string) (puts, posts int) {
	for _, r := range d.sb.Requests("freshdesk")[from:] {
		if !strings.Contains(r.Path, "/tickets/"+id) {
			continue
		}
		switch r.Method {
		case http.MethodPut:
			puts++
		case http.MethodPost:
			posts++
		}
	}
	return puts, posts
}

func prio(p sdk.Priority) *sdk.Priority { return &p }

func TestApply(t *testing.T) {
	tests := []struct {
		name      string
		cfg       func(*Config)
		before    *sdk.Changes // applied first, not measured
		ch        sdk.Changes
		wantPUT   int
		wantPOST  int
		wantTags  []string
		wantPrio  string
		wantField map[string]string
		wantNotes int
	}{
		{name: "tags, priority and note", ch: sdk.Changes{AddTags: []string{"billing"}, Priority: prio(sdk.P0), InternalNote: "Triage: P0", Fingerprint: "fp-a"},
			wantPUT: 1, wantPOST: 1, wantTags: []string{"billing", "vip"}, wantPrio: "4", wantNotes: 1},
		{name: "retried Apply posts the note once and skips the PUT",
			before:   &sdk.Changes{AddTags: []string{"billing"}, Priority: prio(sdk.P1), InternalNote: "Triage: P1", Fingerprint: "fp-b"},
			ch:       sdk.Changes{AddTags: []string{"billing"}, Priority: prio(sdk.P1), InternalNote: "Triage: P1", Fingerprint: "fp-b"},
			wantTags: []string{"billing", "vip"}, wantPrio: "3", wantNotes: 1},
		{name: "new fingerprint posts a second note",
			before:   &sdk.Changes{InternalNote: "first", Fingerprint: "fp-c1"},
			ch:       sdk.Changes{InternalNote: "second", Fingerprint: "fp-c2"},
			wantPOST: 1, wantTags: []string{"vip"}, wantPrio: "1", wantNotes: 2},
		{name: "note without fingerprint is still posted once",
			before:   &sdk.Changes{InternalNote: "same words"},
			ch:       sdk.Changes{InternalNote: "same words"},
			wantTags: []string{"vip"}, wantPrio: "1", wantNotes: 1},
		{name: "tags already present, case-insensitively, skip the PUT", ch: sdk.Changes{AddTags: []string{"VIP", " vip "}},
			wantTags: []string{"vip"}, wantPrio: "1"},
		{name: "same priority skips the PUT", ch: sdk.Changes{Priority: prio(sdk.P3)}, wantTags: []string{"vip"}, wantPrio: "1"},
		{name: "priority only", ch: sdk.Changes{Priority: prio(sdk.P2)}, wantPUT: 1, wantTags: []string{"vip"}, wantPrio: "2"},
		{name: "mapped field", cfg: func(c *Config) { c.TicketFields = map[string]string{"sentiment": "cf_sentiment"} },
			ch: sdk.Changes{Fields: map[string]string{"sentiment": "angry"}}, wantPUT: 1, wantTags: []string{"vip"}, wantPrio: "1",
			wantField: map[string]string{"cf_sentiment": "angry"}},
		{name: "cf_ key passes through, unmapped field skipped",
			ch:      sdk.Changes{Fields: map[string]string{"cf_area": "billing", "language": "de"}},
			wantPUT: 1, wantTags: []string{"vip"}, wantPrio: "1", wantField: map[string]string{"cf_area": "billing"}},
		{name: "only unmapped fields: no write", ch: sdk.Changes{Fields: map[string]string{"language": "de"}}, wantTags: []string{"vip"}, wantPrio: "1"},
		{name: "unchanged field skips the PUT", cfg: func(c *Config) { c.TicketFields = map[string]string{"sentiment": "cf_sentiment"} },
			before:   &sdk.Changes{Fields: map[string]string{"sentiment": "angry"}},
			ch:       sdk.Changes{Fields: map[string]string{"sentiment": "angry"}},
			wantTags: []string{"vip"}, wantPrio: "1", wantField: map[string]string{"cf_sentiment": "angry"}},
		{name: "empty changes do nothing", ch: sdk.Changes{Fingerprint: "fp"}, wantTags: []string{"vip"}, wantPrio: "1"},
	}
	d := newDesk(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			c, acct := d.account(t, "apply"+string(rune('a'+i)), cfg)
			ref := d.created(t, c, acct, newTicket())
			if tt.before != nil {
				if err := c.Apply(t.Context(), ref, *tt.before); err != nil {
					t.Fatalf("first Apply: %v", err)
				}
			}
			from := len(d.sb.Requests(""))
			writes0 := d.state(t, acct, ref.ID).Writes
			if err := c.Apply(t.Context(), ref, tt.ch); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			puts, posts := d.writes(from, ref.ID)
			st := d.state(t, acct, ref.ID)
			if puts != tt.wantPUT || posts != tt.wantPOST || st.Writes-writes0 != tt.wantPUT+tt.wantPOST {
				t.Errorf("Apply made %d PUT and %d POST (%d counted writes); want %d and %d", puts, posts, st.Writes-writes0, tt.wantPUT, tt.wantPOST)
			}
			if !slices.Equal(st.Tags, tt.wantTags) {
				t.Errorf("tags = %v; want %v", st.Tags, tt.wantTags)
			}
			if st.Priority != tt.wantPrio {
				t.Errorf("priority = %q; want %q", st.Priority, tt.wantPrio)
			}
			for k, v := range tt.wantField {
				if st.Fields[k] != v {
					t.Errorf("field %s = %q; want %q (fields %v)", k, st.Fields[k], v, st.Fields)
				}
			}
			if len(st.Fields) != len(tt.wantField) {
				t.Errorf("fields = %v; want %v", st.Fields, tt.wantField)
			}
			if len(st.Notes) != tt.wantNotes {
				t.Errorf("%d notes; want %d: %+v", len(st.Notes), tt.wantNotes, st.Notes)
			}
			for _, n := range st.Notes {
				if !n.Private || !strings.Contains(n.Body, "— heard [fp:") || n.Author != "heard" {
					t.Errorf("note %+v: want a private note by heard ending with the fingerprint marker", n)
				}
			}
		})
	}
	d.noViolations(t)
}

func (d *desk) state(t *testing.T, acct sandbox.Account, id string) sandbox.TicketState {
	t.Helper()
	st, err := d.fd.State(acct.Name, id)
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	return st
}

func TestApplyNoteBody(t *testing.T) {
	d := newDesk(t)
	c, acct := d.account(t, "notebody", Config{})
	ref := d.created(t, c, acct, newTicket())
	note := "Suggested reply:\nSorry <Dana> & team.\n\nRefund INV-2291."
	if err := c.Apply(t.Context(), ref, sdk.Changes{InternalNote: note, Fingerprint: "ab<c"}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	var sent string
	for _, r := range d.sb.Requests("freshdesk") {
		if r.Method == http.MethodPost {
			sent = string(r.Body)
		}
	}
	want := `{"body":"\u003cp\u003eSuggested reply:\u003cbr\u003eSorry \u0026lt;Dana\u0026gt; \u0026amp; team.\u003c/p\u003e\u003cp\u003eRefund INV-2291.\u003c/p\u003e\u003cp\u003e— heard [fp:ab\u0026lt;c]\u003c/p\u003e","private":true}`
	if sent != want {
		t.Errorf("note request body\n got %s\nwant %s", sent, want)
	}
	// The escaped marker is still found: a retry posts nothing.
	if err := c.Apply(t.Context(), ref, sdk.Changes{InternalNote: note, Fingerprint: "ab<c"}); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if n := len(d.state(t, acct, ref.ID).Notes); n != 1 {
		t.Errorf("%d notes after a retry; want 1", n)
	}
	d.noViolations(t)
}

func TestFieldValue(t *testing.T) {
	cur := freshdeskapi.Fields{"n": json.RawMessage("3"), "f": json.RawMessage("2.5"), "s": json.RawMessage(`"3"`), "z": json.RawMessage("null")}
	tests := []struct {
		name, key, value string
		want             any
	}{
		{"int field", "n", "7", int64(7)},
		{"float field", "f", "7.25", 7.25},
		{"number field, text value", "n", "seven", "seven"},
		{"string field", "s", "7", "7"},
		{"null field", "z", "7", "7"},
		{"missing field", "m", "7", "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldValue(cur, tt.key, tt.value); got != tt.want {
				t.Errorf("fieldValue(%s, %q) = %#v; want %#v", tt.key, tt.value, got, tt.want)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	d := newDesk(t)
	c, acct := d.account(t, "applyerr", Config{})
	ref := d.created(t, c, acct, newTicket())
	tests := []struct {
		name string
		ref  sdk.TicketRef
		ch   sdk.Changes
		want error
	}{
		{name: "other account", ref: sdk.TicketRef{Connector: ref.Connector, Account: "other", ID: ref.ID}, ch: sdk.Changes{AddTags: []string{"x"}}, want: sdk.ErrInvalid},
		{name: "non-numeric id", ref: sdk.TicketRef{Connector: ref.Connector, Account: ref.Account, ID: "1/../2"}, ch: sdk.Changes{AddTags: []string{"x"}}, want: sdk.ErrInvalid},
		{name: "bad priority", ref: ref, ch: sdk.Changes{Priority: prio("urgent")}, want: sdk.ErrInvalid},
		{name: "missing ticket", ref: sdk.TicketRef{Connector: ref.Connector, Account: ref.Account, ID: "424242"}, ch: sdk.Changes{AddTags: []string{"x"}}, want: sdk.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.Apply(t.Context(), tt.ref, tt.ch); !errors.Is(err, tt.want) {
				t.Errorf("Apply() = %v; want %v", err, tt.want)
			}
		})
	}
	if st := d.state(t, acct, ref.ID); st.Writes != 0 {
		t.Errorf("failed Applies wrote %d times", st.Writes)
	}
	d.noViolations(t)
}

// TestLoopPrevention checks both ways heard knows its agent: configured,
// and discovered before the first write.
func TestLoopPrevention(t *testing.T) {
	d := newDesk(t)
	tests := []struct {
		name       string
		configured bool
	}{
		{name: "discovered via agents/me"},
		{name: "configured bot_agent_id", configured: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "loop" + string(rune('a'+i))
			cfg := Config{}
			if tt.configured {
				// The emulation numbers the bot agent first in every account.
				cfg.BotAgentID = "43000000001"
			}
			c, acct := d.account(t, name, cfg)
			if bot, _ := d.fd.BotAgentID(acct.Name); tt.configured && bot != cfg.BotAgentID {
				t.Fatalf("sandbox bot agent %s; test assumes %s", bot, cfg.BotAgentID)
			}
			ref := d.created(t, c, acct, newTicket())
			before := d.hook.count()
			if err := c.Apply(t.Context(), ref, sdk.Changes{AddTags: []string{"billing"}, InternalNote: "n", Fingerprint: "fp"}); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			// The emulated rules, like the documented ones, exclude changes
			// performed by heard's agent.
			if got := d.hook.since(before); len(got) != 0 {
				t.Fatalf("%d webhooks after Apply; want none", len(got))
			}
			// A rule without that condition ("note added") still cannot
			// make heard triage its own note: the ticket has no
			// conversation but heard's, so the delivery is dropped.
			noteAdded := []byte(`{"ticket_id":"` + ref.ID + `","event":"note_added"}`)
			if evs, err := c.DecodeWebhook(secretHeader(testSecret), noteAdded); err != nil || len(evs) != 0 {
				t.Errorf("note_added for heard's own note decoded to %+v, %v; want it dropped", evs, err)
			}
			var meCalls int
			for _, r := range d.sb.Requests("freshdesk") {
				if r.Account == acct.Name && strings.HasSuffix(r.Path, "/agents/me") {
					meCalls++
				}
			}
			if want := map[bool]int{false: 1, true: 0}[tt.configured]; meCalls != want {
				t.Errorf("%d agents/me calls; want %d", meCalls, want)
			}
			// A customer reply still gets through, and heard's note on it
			// fires a delivery keyed like the reply's: a duplicate.
			if err := d.fd.Reply(t.Context(), acct.Name, ref.ID, "thanks"); err != nil {
				t.Fatal(err)
			}
			dl := d.hook.last(t)
			evs, err := c.DecodeWebhook(dl.header, dl.body)
			if err != nil || len(evs) != 1 || evs[0].Kind != sdk.EventMessageCreated {
				t.Fatalf("customer reply decoded to %+v, %v; want one message.created", evs, err)
			}
			if err := c.Apply(t.Context(), ref, sdk.Changes{InternalNote: "n2", Fingerprint: "fp2"}); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			own, err := c.DecodeWebhook(secretHeader(testSecret), noteAdded)
			if err != nil || len(own) != 1 || own[0].ID != evs[0].ID {
				t.Errorf("note_added for heard's note on the reply decoded to %+v, %v; want the reply's key %q", own, err, evs[0].ID)
			}
		})
	}
}

func TestCheckHealth(t *testing.T) {
	d := newDesk(t)
	c, acct := d.account(t, "health", Config{})
	if c.bot() != "" {
		t.Fatalf("bot known before discovery: %q", c.bot())
	}
	if err := c.CheckHealth(t.Context()); err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	want, _ := d.fd.BotAgentID(acct.Name)
	if c.bot() != want {
		t.Errorf("bot = %q after CheckHealth; want %q", c.bot(), want)
	}
	cfg := Config{Domain: acct.Name, APIKey: "wrong", BaseURL: d.fd.BaseURL(d.root, acct.Name), WebhookSecret: "s"}
	wrong, err := New(specOf(t, "fd-health", cfg), connectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.CheckHealth(t.Context()); !errors.Is(err, sdk.ErrUnauthorized) {
		t.Errorf("CheckHealth with a wrong key = %v; want ErrUnauthorized", err)
	}
}
