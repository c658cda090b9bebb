package zendesk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// decodeNow is the clock decode tests run at.
const decodeNow = "2025-01-08T15:00:00Z"

// ticketEvent builds a ticket event payload of the given type with extra
// "event" JSON.
func ticketEvent(typ, detail, event string) string {
	return `{"type":"zen:event-type:ticket.` + typ + `","account_id":22129848,"id":"ev-1",` +
		`"time":"2025-01-08T14:25:30.123456789Z","zendesk_event_version":"2022-11-06","subject":"zen:ticket:5158",` +
		`"detail":` + detail + `,"event":` + event + `}`
}

// stdDetail is a ticket snapshot with string ids, status OPEN.
const stdDetail = `{"actor_id":"111","id":"5158","status":"OPEN"}`

// comment builds a comment_added event object.
func comment(isPublic, isStaff string) string {
	author := `{"id":"222","name":"Jane"`
	if isStaff != "" {
		author += `,"is_staff":` + isStaff
	}
	author += `}`
	c := `{"id":"9876543210","body":"Any update?","author":` + author
	if isPublic != "" {
		c += `,"is_public":` + isPublic
	}
	return `{"comment":` + c + `}}`
}

func TestDecodeWebhookKinds(t *testing.T) {
	occurred := mustTime(t, "2025-01-08T14:25:30.123456789Z")
	triggerAt := mustTime(t, "2025-01-08T14:00:00Z")
	tests := []struct {
		name       string
		body       string
		wantKind   sdk.EventKind
		wantTicket string
		wantActor  string
		wantAt     time.Time
	}{
		{name: "ticket created", body: ticketEvent("created", `{"actor_id":"111","id":"5158","status":"NEW"}`, `{}`), wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "ticket created with numeric ids", body: ticketEvent("created", `{"actor_id":111,"id":5158}`, `{}`), wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "actor 0 means none", body: ticketEvent("created", `{"actor_id":"0","id":"5158"}`, `{}`), wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantAt: occurred},
		{name: "public customer comment", body: ticketEvent("comment_added", stdDetail, comment("true", "false")), wantKind: sdk.EventMessageCreated, wantTicket: "5158", wantActor: "222", wantAt: occurred},
		{name: "private customer comment", body: ticketEvent("comment_added", stdDetail, comment("false", "false")), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "222", wantAt: occurred},
		{name: "public staff comment", body: ticketEvent("comment_added", stdDetail, comment("true", "true")), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "222", wantAt: occurred},
		{name: "comment without is_staff", body: ticketEvent("comment_added", stdDetail, comment("true", "")), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "222", wantAt: occurred},
		{name: "comment without is_public", body: ticketEvent("comment_added", stdDetail, comment("", "false")), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "222", wantAt: occurred},
		{name: "comment_added without comment", body: ticketEvent("comment_added", stdDetail, `{}`), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "status changed to SOLVED", body: ticketEvent("status_changed", `{"actor_id":"111","id":"5158","status":"SOLVED"}`, `{"current":"SOLVED","previous":"OPEN"}`), wantKind: sdk.EventTicketSolved, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "status changed to closed lower-case", body: ticketEvent("status_changed", stdDetail, `{"current":"closed","previous":"solved"}`), wantKind: sdk.EventTicketSolved, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "status changed, solved only in detail", body: ticketEvent("status_changed", `{"actor_id":"111","id":"5158","status":"Solved"}`, `{}`), wantKind: sdk.EventTicketSolved, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "status changed to pending", body: ticketEvent("status_changed", `{"actor_id":"111","id":"5158","status":"PENDING"}`, `{"current":"PENDING","previous":"OPEN"}`), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "event.current wins over detail.status", body: ticketEvent("status_changed", `{"actor_id":"111","id":"5158","status":"SOLVED"}`, `{"current":"OPEN","previous":"SOLVED"}`), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "solved status on another event type", body: ticketEvent("tags_changed", `{"actor_id":"111","id":"5158","status":"SOLVED"}`, `{"current":["a"],"previous":[]}`), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "priority changed", body: ticketEvent("priority_changed", stdDetail, `{"current":"HIGH","previous":"NORMAL"}`), wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "111", wantAt: occurred},
		{name: "event without time uses now", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":{"id":"5158"}}`, wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantAt: mustTime(t, decodeNow)},
		{name: "trigger ticket_created", body: `{"ticket_id":"5158","event":"ticket_created"}`, wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger ticket_solved", body: `{"ticket_id":"5158","event":"ticket_solved"}`, wantKind: sdk.EventTicketSolved, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger ticket_closed", body: `{"ticket_id":"5158","event":"ticket_closed"}`, wantKind: sdk.EventTicketSolved, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger comment_added", body: `{"ticket_id":"5158","event":"comment_added"}`, wantKind: sdk.EventMessageCreated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger customer_replied", body: `{"ticket_id":"5158","event":"customer_replied"}`, wantKind: sdk.EventMessageCreated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger event name case-insensitive", body: `{"ticket_id":"5158","event":" Ticket_Created "}`, wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger other event", body: `{"ticket_id":"5158","event":"ticket_changed"}`, wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger without event", body: `{"ticket_id":"5158"}`, wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger numeric ticket_id", body: `{"ticket_id":5158,"event":"ticket_created"}`, wantKind: sdk.EventTicketCreated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger actor and updated_at", body: `{"ticket_id":"5158","actor_id":333,"updated_at":"2025-01-08T13:59:58+01:00"}`, wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantActor: "333", wantAt: mustTime(t, "2025-01-08T12:59:58Z")},
		{name: "trigger unparsable updated_at falls back to signature time", body: `{"ticket_id":"5158","updated_at":"January 8, 2025 14:25"}`, wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantAt: triggerAt},
		{name: "trigger with unrelated type key", body: `{"type":"question","ticket_id":"5158"}`, wantKind: sdk.EventTicketUpdated, wantTicket: "5158", wantAt: triggerAt},
	}
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	h := http.Header{}
	h.Set(HeaderSignatureTimestamp, "2025-01-08T14:00:00Z")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(h, []byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeWebhook() error = %v, want nil", err)
			}
			if len(evs) != 1 {
				t.Fatalf("DecodeWebhook() returned %d events, want 1", len(evs))
			}
			ev := evs[0]
			if ev.Kind != tt.wantKind {
				t.Errorf("Kind = %q, want %q", ev.Kind, tt.wantKind)
			}
			wantRef := sdk.TicketRef{Connector: "acme-zendesk", Account: "acme", ID: tt.wantTicket}
			if ev.Ticket != wantRef {
				t.Errorf("Ticket = %+v, want %+v", ev.Ticket, wantRef)
			}
			if ev.Actor != tt.wantActor {
				t.Errorf("Actor = %q, want %q", ev.Actor, tt.wantActor)
			}
			if !ev.OccurredAt.Equal(tt.wantAt) {
				t.Errorf("OccurredAt = %s, want %s", ev.OccurredAt, tt.wantAt)
			}
			if ev.ID == "" {
				t.Errorf("ID is empty, want a stable id")
			}
			if string(ev.Payload) != tt.body {
				t.Errorf("Payload = %s, want the raw body %s", ev.Payload, tt.body)
			}
		})
	}
}

func TestDecodeWebhookIgnored(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{name: "user event", body: `{"type":"zen:event-type:user.active_changed","id":"u-1","detail":{"id":"6596848315901"},"event":{"current":false,"previous":true}}`},
		{name: "organization event", body: `{"type":"zen:event-type:organization.created","id":"o-1","detail":{"id":"1"}}`},
		{name: "non-ticket event without id", body: `{"type":"zen:event-type:user.deleted"}`},
	}
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil || len(evs) != 0 {
				t.Errorf("DecodeWebhook() = %v, %v; want no events and no error", evs, err)
			}
		})
	}
}

func TestDecodeWebhookInvalid(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{name: "empty body", body: ``},
		{name: "malformed JSON", body: `{"ticket_id":`},
		{name: "trailing data", body: `{"ticket_id":"5158"} {}`},
		{name: "null", body: `null`},
		{name: "array", body: `[{"ticket_id":"5158"}]`},
		{name: "string", body: `"5158"`},
		{name: "number", body: `5158`},
		{name: "empty object", body: `{}`},
		{name: "object without type or ticket_id", body: `{"id":"5158","event":"ticket_created"}`},
		{name: "ticket event without id", body: `{"type":"zen:event-type:ticket.created","detail":{"id":"5158"}}`},
		{name: "ticket event with empty id", body: `{"type":"zen:event-type:ticket.created","id":"","detail":{"id":"5158"}}`},
		{name: "ticket event without detail", body: `{"type":"zen:event-type:ticket.created","id":"ev-1"}`},
		{name: "ticket event with null detail", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":null}`},
		{name: "ticket event without detail.id", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":{"status":"NEW"}}`},
		{name: "ticket event with null detail.id", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":{"id":null}}`},
		{name: "ticket event with boolean detail.id", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":{"id":true}}`},
		{name: "ticket event with fractional detail.id", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":{"id":51.5}}`},
		{name: "ticket event with non-numeric detail.id", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":{"id":"../5158"}}`},
		{name: "ticket event with detail not an object", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","detail":"5158"}`},
		{name: "ticket event with bad time", body: `{"type":"zen:event-type:ticket.created","id":"ev-1","time":"yesterday","detail":{"id":"5158"}}`},
		{name: "trigger with empty ticket_id", body: `{"ticket_id":""}`},
		{name: "trigger with blank ticket_id", body: `{"ticket_id":"  "}`},
		{name: "trigger with null ticket_id", body: `{"ticket_id":null,"event":"ticket_created"}`},
		{name: "trigger with unrendered placeholder", body: `{"ticket_id":"{{ticket.id}}"}`},
		{name: "trigger with object ticket_id", body: `{"ticket_id":{"id":5158}}`},
		{name: "trigger with zero ticket_id", body: `{"ticket_id":0}`},
		{name: "trigger with non-string event", body: `{"ticket_id":"5158","event":1}`},
	}
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("DecodeWebhook() error = %v, want an error wrapping ErrInvalid", err)
			}
			if evs != nil {
				t.Errorf("DecodeWebhook() events = %v, want nil", evs)
			}
		})
	}
}

func TestDecodeWebhookLoopPrevention(t *testing.T) {
	const bot = "999"
	tests := []struct {
		name     string
		bot      string
		body     string
		wantKept bool
	}{
		{name: "ticket event by bot", bot: bot, body: ticketEvent("tags_changed", `{"actor_id":"999","id":"5158"}`, `{}`)},
		{name: "ticket event by bot, numeric actor", bot: bot, body: ticketEvent("priority_changed", `{"actor_id":999,"id":5158}`, `{}`)},
		{name: "internal note by bot", bot: bot, body: ticketEvent("comment_added", `{"actor_id":"999","id":"5158"}`, `{"comment":{"is_public":false,"author":{"id":"999","is_staff":true}}}`)},
		{name: "comment authored by bot, other actor", bot: bot, body: ticketEvent("comment_added", `{"actor_id":"111","id":"5158"}`, `{"comment":{"is_public":false,"author":{"id":"999","is_staff":true}}}`)},
		{name: "trigger by bot", bot: bot, body: `{"ticket_id":"5158","actor_id":"999"}`},
		{name: "trigger by bot, numeric actor", bot: bot, body: `{"ticket_id":"5158","actor_id":999}`},
		{name: "ticket event by someone else", bot: bot, body: ticketEvent("tags_changed", `{"actor_id":"111","id":"5158"}`, `{}`), wantKept: true},
		{name: "customer comment", bot: bot, body: ticketEvent("comment_added", stdDetail, comment("true", "false")), wantKept: true},
		{name: "trigger without actor", bot: bot, body: `{"ticket_id":"5158"}`, wantKept: true},
		{name: "trigger by someone else", bot: bot, body: `{"ticket_id":"5158","actor_id":"9999"}`, wantKept: true},
		{name: "no bot configured", body: ticketEvent("tags_changed", `{"actor_id":"999","id":"5158"}`, `{}`), wantKept: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.BotUserID = tt.bot
			c := newTestConnector(t, cfg, mustTime(t, decodeNow))
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeWebhook() error = %v, want nil", err)
			}
			if got := len(evs) == 1; got != tt.wantKept || len(evs) > 1 {
				t.Errorf("DecodeWebhook() returned %d events, want kept=%v", len(evs), tt.wantKept)
			}
		})
	}
}

func TestDecodeWebhookTriggerID(t *testing.T) {
	body := []byte(`{"ticket_id":"5158","event":"ticket_changed"}`)
	hash := func(ts string, b []byte) string {
		sum := sha256.Sum256(append([]byte(ts), b...))
		return hex.EncodeToString(sum[:])
	}
	withUpdated := []byte(`{"ticket_id":"5158","event":"ticket_changed","updated_at":"2025-01-08T13:59:58Z"}`)
	tests := []struct {
		name       string
		invocation string
		ts         string
		body       []byte
		want       string
	}{
		{name: "invocation id header is not the key", invocation: "01J9ZQ3T6W7X8Y9Z0A1B2C3D4E", ts: "2025-01-08T14:00:00Z", body: body, want: hash("2025-01-08T14:00:00Z", body)},
		{name: "hash of timestamp and body", ts: "2025-01-08T14:00:00Z", body: body, want: hash("2025-01-08T14:00:00Z", body)},
		{name: "hash of body alone without headers", body: body, want: hash("", body)},
		{name: "with updated_at, hash of body alone", invocation: "inv-9", ts: "2025-01-08T14:00:00Z", body: withUpdated, want: hash("", withUpdated)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
			h := http.Header{}
			if tt.invocation != "" {
				h.Set(HeaderInvocationID, tt.invocation)
			}
			if tt.ts != "" {
				h.Set(HeaderSignatureTimestamp, tt.ts)
			}
			evs, err := c.DecodeWebhook(h, tt.body)
			if err != nil || len(evs) != 1 {
				t.Fatalf("DecodeWebhook() = %v, %v; want one event", evs, err)
			}
			if evs[0].ID != tt.want {
				t.Errorf("ID = %q, want %q", evs[0].ID, tt.want)
			}
		})
	}

	decode := func(t *testing.T, c *Connector, invocation, ts string, b []byte) string {
		t.Helper()
		h := http.Header{}
		if invocation != "" {
			h.Set(HeaderInvocationID, invocation)
		}
		h.Set(HeaderSignatureTimestamp, ts)
		evs, err := c.DecodeWebhook(h, b)
		if err != nil || len(evs) != 1 {
			t.Fatalf("DecodeWebhook() = %v, %v; want one event", evs, err)
		}
		return evs[0].ID
	}
	t.Run("different signature timestamp gives a different id", func(t *testing.T) {
		c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
		if a, b := decode(t, c, "", "2025-01-08T14:00:00Z", body), decode(t, c, "", "2025-01-08T14:00:01Z", body); a == b {
			t.Errorf("both ids %q; want two distinct ids", a)
		}
	})
	t.Run("replay with new invocation ids is one event", func(t *testing.T) {
		c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
		first := decode(t, c, "inv-1", "2025-01-08T14:00:00Z", body)
		for i := range 50 {
			if got := decode(t, c, fmt.Sprintf("forged-%d", i), "2025-01-08T14:00:00Z", body); got != first {
				t.Fatalf("replay %d decoded to %q; want the captured delivery's %q", i, got, first)
			}
		}
	})
	t.Run("retry re-signed with the same invocation id is the same event", func(t *testing.T) {
		c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
		first := decode(t, c, "inv-1", "2025-01-08T14:00:00Z", body)
		if got := decode(t, c, "inv-1", "2025-01-08T14:03:00Z", body); got != first {
			t.Errorf("retry decoded to %q; want %q", got, first)
		}
		// The same invocation id with another body is not taken for a retry.
		other := []byte(`{"ticket_id":"7","event":"ticket_changed"}`)
		if got := decode(t, c, "inv-1", "2025-01-08T14:03:00Z", other); got == first || got != hash("2025-01-08T14:03:00Z", other) {
			t.Errorf("other body under a known invocation id decoded to %q", got)
		}
	})
	t.Run("with updated_at a retry is the same event on any replica", func(t *testing.T) {
		a := decode(t, newTestConnector(t, baseConfig(), mustTime(t, decodeNow)), "inv-1", "2025-01-08T14:00:00Z", withUpdated)
		b := decode(t, newTestConnector(t, baseConfig(), mustTime(t, decodeNow)), "inv-2", "2025-01-08T14:04:00Z", withUpdated)
		if a != b {
			t.Errorf("ids %q and %q; want one", a, b)
		}
	})
}

func TestDecodeWebhookStable(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		body    string
	}{
		{name: "ticket event", body: ticketEvent("comment_added", stdDetail, comment("true", "false"))},
		{name: "trigger with timestamp", headers: map[string]string{HeaderSignatureTimestamp: "2025-01-08T14:00:00Z"}, body: `{"ticket_id":5158}`},
		{name: "trigger with invocation id", headers: map[string]string{HeaderInvocationID: "inv-1"}, body: `{"ticket_id":"5158","event":"comment_added"}`},
		{name: "trigger without headers", body: `{"ticket_id":"5158"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			var runs [2][]sdk.Event
			for i := range runs {
				// A fresh connector and clock each time: redeliveries arrive later.
				c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow).Add(time.Duration(i)*time.Hour))
				evs, err := c.DecodeWebhook(h, []byte(tt.body))
				if err != nil || len(evs) != 1 {
					t.Fatalf("DecodeWebhook() = %v, %v; want one event", evs, err)
				}
				runs[i] = evs
			}
			if runs[0][0].ID != runs[1][0].ID {
				t.Errorf("first ID = %q, second ID = %q, want equal", runs[0][0].ID, runs[1][0].ID)
			}
			if tt.headers[HeaderSignatureTimestamp] != "" || strings.Contains(tt.body, `"time"`) {
				if !reflect.DeepEqual(runs[0], runs[1]) {
					t.Errorf("first = %+v, second = %+v, want identical events", runs[0], runs[1])
				}
			}
		})
	}
}

func TestDecodeWebhookPayloadIsACopy(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	body := []byte(`{"ticket_id":"5158"}`)
	evs, err := c.DecodeWebhook(http.Header{}, body)
	if err != nil || len(evs) != 1 {
		t.Fatalf("DecodeWebhook() = %v, %v; want one event", evs, err)
	}
	copy(body, bytes.Repeat([]byte("x"), len(body)))
	if got, want := string(evs[0].Payload), `{"ticket_id":"5158"}`; got != want {
		t.Errorf("Payload after reusing the body buffer = %s, want %s", got, want)
	}
}

// TestAPIWithoutCredentials: a webhook-only connector (no email and
// api_token) reports errors.ErrUnsupported from the API half, without IO.
func TestAPIWithoutCredentials(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	ref := sdk.TicketRef{Connector: "acme-zendesk", Account: "acme", ID: "5158"}
	_, ticketErr := c.Ticket(context.Background(), ref)
	applyErr := c.Apply(context.Background(), ref, sdk.Changes{AddTags: []string{"x"}})
	_, listErr := c.ListArticles(context.Background(), &sdk.ListArticlesRequest{})
	tests := []struct {
		name string
		err  error
	}{
		{name: "Ticket", err: ticketErr},
		{name: "Apply", err: applyErr},
		{name: "ListArticles", err: listErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, errors.ErrUnsupported) {
				t.Errorf("error = %v, want an error wrapping errors.ErrUnsupported", tt.err)
			}
			if tt.err == nil || !strings.Contains(tt.err.Error(), "email and api_token are not configured") {
				t.Errorf("error = %v, want it to say the credentials are not configured", tt.err)
			}
		})
	}
}
