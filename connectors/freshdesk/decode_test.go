package freshdesk

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/sdk"
)

// decodeNow is the clock decode tests run at.
const decodeNow = "2025-01-08T15:00:00Z"

func TestDecodeWebhook(t *testing.T) {
	now := mustTime(t, decodeNow)
	at := mustTime(t, "2025-01-08T10:12:07Z") // the fake API's updated_at and conversation time
	const (
		created = "12345/ticket.created"
		message = "12345/message.created/c9001"
		updated = "12345/ticket.updated/u2025-01-08T10:12:07Z"
		solved  = "12345/ticket.solved/u2025-01-08T10:12:07Z"
	)
	tests := []struct {
		name      string
		body      string
		wantKind  sdk.EventKind
		wantID    string
		wantActor string
		wantAt    time.Time
	}{
		{name: "advanced created", body: `{"ticket_id":"12345","event":"ticket_created"}`, wantKind: sdk.EventTicketCreated, wantID: created, wantAt: now},
		{name: "advanced numeric ticket id", body: `{"ticket_id":12345,"event":"ticket_created"}`, wantKind: sdk.EventTicketCreated, wantID: created, wantAt: now},
		{name: "customer_replied", body: `{"ticket_id":"12345","event":"customer_replied"}`, wantKind: sdk.EventMessageCreated, wantID: message, wantAt: at},
		{name: "reply", body: `{"ticket_id":"12345","event":"reply"}`, wantKind: sdk.EventMessageCreated, wantID: message, wantAt: at},
		{name: "note_added", body: `{"ticket_id":"12345","event":"note_added"}`, wantKind: sdk.EventMessageCreated, wantID: message, wantAt: at},
		{name: "ticket_resolved", body: `{"ticket_id":"12345","event":"ticket_resolved"}`, wantKind: sdk.EventTicketSolved, wantID: solved, wantAt: at},
		{name: "ticket_closed", body: `{"ticket_id":"12345","event":"ticket_closed"}`, wantKind: sdk.EventTicketSolved, wantID: solved, wantAt: at},
		{name: "ticket_updated", body: `{"ticket_id":"12345","event":"ticket_updated"}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantAt: at},
		{name: "unknown event is an update", body: `{"ticket_id":"12345","event":"priority_changed"}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantAt: at},
		{name: "no event is an update", body: `{"ticket_id":"12345"}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantAt: at},
		{name: "event name case-insensitive", body: `{"ticket_id":"12345","event":" Ticket_Created "}`, wantKind: sdk.EventTicketCreated, wantID: created, wantAt: now},
		{name: "an updated_at in the body is ignored", body: `{"ticket_id":"12345","event":"reply","updated_at":"2020-01-01T00:00:00Z"}`,
			wantKind: sdk.EventMessageCreated, wantID: message, wantAt: at},
		{name: "actor_id", body: `{"ticket_id":"12345","event":"reply","actor_id":"777"}`, wantKind: sdk.EventMessageCreated, wantID: message, wantActor: "777", wantAt: at},
		{name: "numeric actor_id", body: `{"ticket_id":"12345","actor_id":777}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantActor: "777", wantAt: at},
		{name: "triggered_by as actor", body: `{"ticket_id":"12345","triggered_by":"778"}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantActor: "778", wantAt: at},
		{name: "actor_id wins over triggered_by", body: `{"ticket_id":"12345","actor_id":"777","triggered_by":"778"}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantActor: "777", wantAt: at},
		{name: "extra keys ignored", body: `{"ticket_id":"12345","event":"ticket_created","status":"Open","priority":"Medium"}`, wantKind: sdk.EventTicketCreated, wantID: created, wantAt: now},
		{name: "simple body", body: `{"freshdesk_webhook":{"ticket_id":12345,"ticket_status":"Open"}}`, wantKind: sdk.EventTicketUpdated, wantID: updated, wantAt: at},
		{name: "simple body resolved", body: `{"freshdesk_webhook":{"ticket_id":"12345","ticket_status":"Resolved"}}`, wantKind: sdk.EventTicketSolved, wantID: solved, wantAt: at},
		{name: "simple body closed", body: `{"freshdesk_webhook":{"ticket_id":12345,"ticket_status":"closed"}}`, wantKind: sdk.EventTicketSolved, wantID: solved, wantAt: at},
	}
	c := newTestConnector(t, baseConfig(), now)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeWebhook() error = %v, want nil", err)
			}
			if len(evs) != 1 {
				t.Fatalf("DecodeWebhook() = %d events, want 1", len(evs))
			}
			ev := evs[0]
			want := sdk.TicketRef{Connector: "acme-freshdesk", Account: "acme", ID: "12345"}
			switch {
			case ev.Kind != tt.wantKind:
				t.Errorf("Kind = %q, want %q", ev.Kind, tt.wantKind)
			case ev.ID != tt.wantID:
				t.Errorf("ID = %q, want %q", ev.ID, tt.wantID)
			case ev.Ticket != want:
				t.Errorf("Ticket = %+v, want %+v", ev.Ticket, want)
			case ev.Actor != tt.wantActor:
				t.Errorf("Actor = %q, want %q", ev.Actor, tt.wantActor)
			case !ev.OccurredAt.Equal(tt.wantAt):
				t.Errorf("OccurredAt = %s, want %s", ev.OccurredAt, tt.wantAt)
			case string(ev.Payload) != tt.body:
				t.Errorf("Payload = %s, want the body", ev.Payload)
			}
		})
	}
}

// TestDecodeWebhookIdempotencyKeys plays one ticket's history against the
// fake API: Freshdesk renders the same body for a retry of a delivery and
// for a second reply with the same text, so only what the API says may
// tell them apart.
func TestDecodeWebhookIdempotencyKeys(t *testing.T) {
	api := defaultKeyAPI(t)
	c := keyedConnector(t, baseConfig(), mustTime(t, decodeNow), api)
	decode := func(body string) []sdk.Event {
		t.Helper()
		evs, err := c.DecodeWebhook(http.Header{}, []byte(body))
		if err != nil {
			t.Fatalf("DecodeWebhook(%s) error = %v", body, err)
		}
		return evs
	}
	id := func(body string) string {
		t.Helper()
		evs := decode(body)
		if len(evs) != 1 {
			t.Fatalf("DecodeWebhook(%s) = %+v; want one event", body, evs)
		}
		return evs[0].ID
	}
	const (
		reply   = `{"ticket_id":"7","event":"customer_replied"}`
		note    = `{"ticket_id":"7","event":"note_added"}`
		update  = `{"ticket_id":"7","event":"ticket_updated"}`
		created = `{"ticket_id":"7","event":"ticket_created"}`
	)
	at := mustTime(t, "2025-01-08T10:12:07Z")
	conv := func(id, user int64, incoming bool, text string, min int) freshdeskapi.Conversation {
		return freshdeskapi.Conversation{ID: id, UserID: user, Incoming: incoming, BodyText: text, Body: "<p>" + text + "</p>", CreatedAt: at.Add(time.Duration(min) * time.Minute)}
	}
	customer := func(id int64, min int) freshdeskapi.Conversation {
		return conv(id, 1001, true, "Still two charges.", min)
	}
	heardNote := func(id int64, user int64, min int) freshdeskapi.Conversation {
		return conv(id, user, false, "Priority P1.\n— heard [fp:abc]", min)
	}

	first := id(reply)
	if first != "7/message.created/c9001" {
		t.Fatalf("first reply keyed %q; want 7/message.created/c9001", first)
	}
	if again := id(reply); again != first {
		t.Errorf("retry of the delivery keyed %q; want %q", again, first)
	}
	// heard triages the reply and writes its note; Freshdesk retries the
	// delivery later (its answer was lost): same reply, same key.
	api.set(func(k *keyAPI) { k.convs = append(k.convs, heardNote(9002, 42, 1)) })
	if again := id(reply); again != first {
		t.Errorf("retry after heard's note keyed %q; want %q", again, first)
	}
	// A rule on "note added" fires for heard's own note: same key, so it is
	// a duplicate, not a second triage.
	if again := id(note); again != first {
		t.Errorf("note_added caused by heard's note keyed %q; want %q", again, first)
	}
	// The customer writes the same text again: a new conversation, a new key.
	api.set(func(k *keyAPI) { k.convs = append(k.convs, customer(9003, 2)) })
	second := id(reply)
	if second == first || second != "7/message.created/c9003" {
		t.Errorf("second identical reply keyed %q; want 7/message.created/c9003, not the first reply's %q", second, first)
	}
	// A human agent's note after it is a new message too (note_added).
	api.set(func(k *keyAPI) { k.convs = append(k.convs, conv(9004, 55, false, "Checking with billing.", 3)) })
	if got := id(note); got != "7/message.created/c9004" {
		t.Errorf("agent note keyed %q; want 7/message.created/c9004", got)
	}

	// Updates are keyed by the ticket's updated_at.
	u1 := id(update)
	if again := id(update); again != u1 {
		t.Errorf("retry of an update keyed %q; want %q", again, u1)
	}
	api.set(func(k *keyAPI) { k.updated = k.updated.Add(time.Second) })
	if u2 := id(update); u2 == u1 {
		t.Errorf("a later update keyed %q, like the earlier one", u2)
	}
	if id(created) != "7/ticket.created" {
		t.Errorf("created keyed %q; want 7/ticket.created", id(created))
	}

	// Only heard's notes on the ticket (the bot's, or signed by heard while
	// the bot agent is not yet known): the delivery is heard's own, dropped.
	api.set(func(k *keyAPI) {
		k.convs = []freshdeskapi.Conversation{heardNote(9101, 42, 0), heardNote(9102, 43000, 1)}
	})
	if evs := decode(note); len(evs) != 0 {
		t.Errorf("note_added on a ticket with only heard's notes decoded to %+v; want it dropped", evs)
	}
}

// TestDecodeWebhookLookupUnavailable: when the API cannot be asked, a
// delivery is still accepted, with a key unique to its arrival, so an
// identical second reply is never taken for the first.
func TestDecodeWebhookLookupUnavailable(t *testing.T) {
	for _, mode := range []string{"503", "hangs"} {
		t.Run(mode, func(t *testing.T) {
			api := defaultKeyAPI(t)
			c := keyedConnector(t, baseConfig(), mustTime(t, decodeNow), api)
			if mode == "503" {
				api.set(func(k *keyAPI) { k.down = true })
			} else {
				hang := make(chan struct{})
				t.Cleanup(func() { close(hang) })
				api.set(func(k *keyAPI) { k.hang = hang })
				c.lookupTimeout = 50 * time.Millisecond
			}
			ids := map[string]bool{}
			for _, body := range []string{
				`{"ticket_id":"7","event":"customer_replied"}`, `{"ticket_id":"7","event":"customer_replied"}`,
				`{"ticket_id":"7","event":"ticket_updated"}`, `{"ticket_id":"7","event":"ticket_updated"}`,
			} {
				evs, err := c.DecodeWebhook(http.Header{}, []byte(body))
				if err != nil || len(evs) != 1 {
					t.Fatalf("DecodeWebhook(%s) = %+v, %v; want one event", body, evs, err)
				}
				if !strings.Contains(evs[0].ID, "/r1736348400000000000.") {
					t.Errorf("ID %q; want an arrival key", evs[0].ID)
				}
				if ids[evs[0].ID] {
					t.Errorf("ID %q given twice; want every arrival unique", evs[0].ID)
				}
				ids[evs[0].ID] = true
			}
			// Creation needs no lookup: still deduplicated, without a call.
			calls := len(api.paths())
			evs, err := c.DecodeWebhook(http.Header{}, []byte(`{"ticket_id":"7","event":"ticket_created"}`))
			if err != nil || len(evs) != 1 || evs[0].ID != "7/ticket.created" {
				t.Errorf("created while the API is down = %+v, %v; want ID 7/ticket.created", evs, err)
			}
			if got := len(api.paths()); got != calls {
				t.Errorf("created made %d API calls; want none", got-calls)
			}
		})
	}
}

func TestDecodeWebhookDropsBotEvents(t *testing.T) {
	tests := []struct {
		name     string
		bot      string
		body     string
		wantKept bool
	}{
		{name: "bot actor dropped", bot: "42", body: `{"ticket_id":"1","event":"ticket_updated","actor_id":"42"}`},
		{name: "bot as triggered_by dropped", bot: "42", body: `{"ticket_id":"1","triggered_by":42}`},
		{name: "other actor kept", bot: "42", body: `{"ticket_id":"1","event":"customer_replied","actor_id":"43"}`, wantKept: true},
		{name: "no actor kept", bot: "42", body: `{"ticket_id":"1","event":"customer_replied"}`, wantKept: true},
		{name: "bot unknown keeps everything", body: `{"ticket_id":"1","actor_id":"42"}`, wantKept: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.BotAgentID = tt.bot
			c := newTestConnector(t, cfg, mustTime(t, decodeNow))
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeWebhook() error = %v", err)
			}
			if kept := len(evs) == 1; kept != tt.wantKept {
				t.Errorf("DecodeWebhook() = %+v, kept %v, want %v", evs, kept, tt.wantKept)
			}
		})
	}
}

func TestDecodeWebhookMalformed(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		wantIn string
	}{
		{name: "not JSON", body: `ticket_id=1`, wantIn: "not a JSON object"},
		{name: "array", body: `[{"ticket_id":"1"}]`, wantIn: "not a JSON object"},
		{name: "null", body: `null`, wantIn: "body is null"},
		{name: "empty", body: ``, wantIn: "not a JSON object"},
		{name: "neither shape", body: `{"id":"1"}`, wantIn: "neither ticket_id nor freshdesk_webhook"},
		{name: "empty ticket id", body: `{"ticket_id":""}`, wantIn: "ticket_id is empty"},
		{name: "null ticket id", body: `{"ticket_id":null}`, wantIn: "ticket_id is empty"},
		{name: "unrendered placeholder", body: `{"ticket_id":"{{ticket.id}}","event":"ticket_created"}`, wantIn: "placeholder"},
		{name: "negative id", body: `{"ticket_id":-5}`, wantIn: "not a ticket id"},
		{name: "float id", body: `{"ticket_id":1.5}`, wantIn: "want a string or an integer"},
		{name: "ticket id object", body: `{"ticket_id":{"id":1}}`, wantIn: "want a string or an integer"},
		{name: "event not a string", body: `{"ticket_id":"1","event":3}`, wantIn: "invalid input"},
		{name: "simple wrapper null", body: `{"freshdesk_webhook":null}`, wantIn: "freshdesk_webhook is null"},
		{name: "simple without ticket id", body: `{"freshdesk_webhook":{"ticket_subject":"x"}}`, wantIn: "ticket_id is empty"},
		{name: "simple wrapper not an object", body: `{"freshdesk_webhook":"x"}`, wantIn: "invalid input"},
	}
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if !errors.Is(err, sdk.ErrInvalid) {
				t.Fatalf("DecodeWebhook() = %v, %v; want an error wrapping ErrInvalid", evs, err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not contain %q", err, tt.wantIn)
			}
		})
	}
}

func TestDecodeWebhookDoesNotAliasBody(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	body := []byte(`{"ticket_id":"1","event":"ticket_created"}`)
	evs, err := c.DecodeWebhook(http.Header{}, body)
	if err != nil || len(evs) != 1 {
		t.Fatalf("DecodeWebhook() = %v, %v", evs, err)
	}
	body[2] = 'X'
	if string(evs[0].Payload) != `{"ticket_id":"1","event":"ticket_created"}` {
		t.Errorf("Payload changed with the caller's buffer: %s", evs[0].Payload)
	}
}
