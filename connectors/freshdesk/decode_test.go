package freshdesk

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// decodeNow is the clock decode tests run at.
const decodeNow = "2025-01-08T15:00:00Z"

func hashID(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

func TestDecodeWebhook(t *testing.T) {
	now := mustTime(t, decodeNow)
	at := mustTime(t, "2025-01-08T10:12:07Z")
	tests := []struct {
		name      string
		body      string
		wantKind  sdk.EventKind
		wantID    string // "" means the body hash
		wantActor string
		wantAt    time.Time
	}{
		{name: "advanced created", body: `{"ticket_id":"12345","event":"ticket_created"}`, wantKind: sdk.EventTicketCreated, wantAt: now},
		{name: "advanced numeric ticket id", body: `{"ticket_id":12345,"event":"ticket_created"}`, wantKind: sdk.EventTicketCreated, wantAt: now},
		{name: "customer_replied", body: `{"ticket_id":"12345","event":"customer_replied"}`, wantKind: sdk.EventMessageCreated, wantAt: now},
		{name: "reply", body: `{"ticket_id":"12345","event":"reply"}`, wantKind: sdk.EventMessageCreated, wantAt: now},
		{name: "note_added", body: `{"ticket_id":"12345","event":"note_added"}`, wantKind: sdk.EventMessageCreated, wantAt: now},
		{name: "ticket_resolved", body: `{"ticket_id":"12345","event":"ticket_resolved"}`, wantKind: sdk.EventTicketSolved, wantAt: now},
		{name: "ticket_closed", body: `{"ticket_id":"12345","event":"ticket_closed"}`, wantKind: sdk.EventTicketSolved, wantAt: now},
		{name: "ticket_updated", body: `{"ticket_id":"12345","event":"ticket_updated"}`, wantKind: sdk.EventTicketUpdated, wantAt: now},
		{name: "unknown event is an update", body: `{"ticket_id":"12345","event":"priority_changed"}`, wantKind: sdk.EventTicketUpdated, wantAt: now},
		{name: "no event is an update", body: `{"ticket_id":"12345"}`, wantKind: sdk.EventTicketUpdated, wantAt: now},
		{name: "event name case-insensitive", body: `{"ticket_id":"12345","event":" Ticket_Created "}`, wantKind: sdk.EventTicketCreated, wantAt: now},
		{name: "updated_at keys the event", body: `{"ticket_id":"12345","event":"ticket_created","updated_at":"2025-01-08T10:12:07Z"}`,
			wantKind: sdk.EventTicketCreated, wantID: "12345/ticket.created/2025-01-08T10:12:07Z", wantAt: at},
		{name: "updated_at with offset is normalized", body: `{"ticket_id":"12345","event":"reply","updated_at":"2025-01-08T11:12:07+01:00"}`,
			wantKind: sdk.EventMessageCreated, wantID: "12345/message.created/2025-01-08T10:12:07Z", wantAt: at},
		{name: "unparsable updated_at falls back to the hash", body: `{"ticket_id":"12345","updated_at":"Wed, 8 Jan 2025 10:12 AM"}`, wantKind: sdk.EventTicketUpdated, wantAt: now},
		{name: "actor_id", body: `{"ticket_id":"12345","event":"reply","actor_id":"777"}`, wantKind: sdk.EventMessageCreated, wantActor: "777", wantAt: now},
		{name: "numeric actor_id", body: `{"ticket_id":"12345","actor_id":777}`, wantKind: sdk.EventTicketUpdated, wantActor: "777", wantAt: now},
		{name: "triggered_by as actor", body: `{"ticket_id":"12345","triggered_by":"778"}`, wantKind: sdk.EventTicketUpdated, wantActor: "778", wantAt: now},
		{name: "actor_id wins over triggered_by", body: `{"ticket_id":"12345","actor_id":"777","triggered_by":"778"}`, wantKind: sdk.EventTicketUpdated, wantActor: "777", wantAt: now},
		{name: "extra keys ignored", body: `{"ticket_id":"12345","event":"ticket_created","status":"Open","priority":"Medium"}`, wantKind: sdk.EventTicketCreated, wantAt: now},
		{name: "simple body", body: `{"freshdesk_webhook":{"ticket_id":12345,"ticket_status":"Open"}}`, wantKind: sdk.EventTicketUpdated, wantAt: now},
		{name: "simple body resolved", body: `{"freshdesk_webhook":{"ticket_id":"12345","ticket_status":"Resolved"}}`, wantKind: sdk.EventTicketSolved, wantAt: now},
		{name: "simple body closed", body: `{"freshdesk_webhook":{"ticket_id":12345,"ticket_status":"closed"}}`, wantKind: sdk.EventTicketSolved, wantAt: now},
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
			wantID := tt.wantID
			if wantID == "" {
				wantID = hashID(tt.body)
			}
			want := sdk.TicketRef{Connector: "acme-freshdesk", Account: "acme", ID: "12345"}
			switch {
			case ev.Kind != tt.wantKind:
				t.Errorf("Kind = %q, want %q", ev.Kind, tt.wantKind)
			case ev.ID != wantID:
				t.Errorf("ID = %q, want %q", ev.ID, wantID)
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

func TestDecodeWebhookIdempotencyKeys(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	id := func(body string) string {
		t.Helper()
		evs, err := c.DecodeWebhook(http.Header{}, []byte(body))
		if err != nil || len(evs) != 1 {
			t.Fatalf("DecodeWebhook(%s) = %v, %v", body, evs, err)
		}
		return evs[0].ID
	}
	const created = `{"ticket_id":"7","event":"ticket_created","updated_at":"2025-01-08T10:00:00Z"}`
	tests := []struct {
		name     string
		a, b     string
		wantSame bool
	}{
		{name: "redelivery", a: created, b: created, wantSame: true},
		{name: "same change, different key order", a: created, b: `{"updated_at":"2025-01-08T10:00:00Z","event":"ticket_created","ticket_id":7}`, wantSame: true},
		{name: "later update", a: created, b: `{"ticket_id":"7","event":"ticket_created","updated_at":"2025-01-08T10:00:01Z"}`},
		{name: "same time, different kind", a: created, b: `{"ticket_id":"7","event":"customer_replied","updated_at":"2025-01-08T10:00:00Z"}`},
		{name: "reply and note_added are one kind", a: `{"ticket_id":"7","event":"reply","updated_at":"2025-01-08T10:00:00Z"}`, b: `{"ticket_id":"7","event":"note_added","updated_at":"2025-01-08T10:00:00Z"}`, wantSame: true},
		{name: "other ticket", a: created, b: `{"ticket_id":"8","event":"ticket_created","updated_at":"2025-01-08T10:00:00Z"}`},
		{name: "hash: identical bodies", a: `{"ticket_id":"7"}`, b: `{"ticket_id":"7"}`, wantSame: true},
		{name: "hash: any byte differs", a: `{"ticket_id":"7"}`, b: `{"ticket_id": "7"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := id(tt.a), id(tt.b)
			if (a == b) != tt.wantSame {
				t.Errorf("IDs %q and %q: same = %v, want %v", a, b, a == b, tt.wantSame)
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
