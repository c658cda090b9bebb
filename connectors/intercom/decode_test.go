package intercom

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// decodeNow is the clock decode tests run at.
const decodeNow = "2025-01-08T15:00:00Z"

// notif builds a notification with topic and conversation item JSON.
func notif(topic, item string) string {
	return `{"type":"notification_event","app_id":"abc123","data":{"type":"notification_event_data","item":` + item +
		`},"links":{},"id":"notif_1","topic":"` + topic + `","delivery_status":"pending","delivery_attempts":1,` +
		`"delivered_at":0,"first_sent_at":1734540001,"created_at":1734540001,"self":null}`
}

// conv builds a conversation item whose source is by contact c1 and whose
// parts are parts (JSON array items).
func conv(parts ...string) string {
	return `{"type":"conversation","id":"503","created_at":1734537511,"updated_at":1734537600,` +
		`"source":{"type":"conversation","id":"4039","body":"<p>Hi</p>","author":{"type":"user","id":"c1","name":"Jane"}},` +
		`"contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"c1"}]},"state":"open","priority":"not_priority",` +
		`"tags":{"type":"tag.list","tags":[]},"conversation_parts":{"type":"conversation_part.list","conversation_parts":[` +
		strings.Join(parts, ",") + `],"total_count":` + strconv.Itoa(len(parts)) + `}}`
}

// prt builds a conversation part.
func prt(id, partType, authorType, authorID, body string, at int) string {
	return `{"type":"conversation_part","id":"` + id + `","part_type":"` + partType + `","body":` + body +
		`,"created_at":` + strconv.Itoa(at) + `,"author":{"type":"` + authorType + `","id":"` + authorID + `"}}`
}

// tagged builds a conversation whose tags were applied by the given admins
// at the given times.
func tagged(appliers ...string) string {
	var tags []string
	for i, a := range appliers {
		tags = append(tags, `{"type":"tag","id":"`+strconv.Itoa(10+i)+`","name":"t`+strconv.Itoa(i)+`","applied_at":`+strconv.Itoa(1734540000+i)+
			`,"applied_by":{"type":"admin","id":"`+a+`"}}`)
	}
	return strings.Replace(conv(), `"tags":[]`, `"tags":[`+strings.Join(tags, ",")+`]`, 1)
}

func TestDecodeWebhookKinds(t *testing.T) {
	at := time.Unix(1734540001, 0).UTC()
	tests := []struct {
		name      string
		body      string
		wantKind  sdk.EventKind
		wantActor string
	}{
		{name: "user created", body: notif("conversation.user.created", conv()), wantKind: sdk.EventTicketCreated, wantActor: "c1"},
		{name: "user replied", body: notif("conversation.user.replied", conv(prt("1", "comment", "user", "c1", `"<p>more</p>"`, 1734539000))), wantKind: sdk.EventMessageCreated, wantActor: "c1"},
		{name: "admin closed", body: notif("conversation.admin.closed", conv(prt("1", "close", "admin", "274", `null`, 1734539000))), wantKind: sdk.EventTicketSolved, wantActor: "274"},
		{name: "admin replied", body: notif("conversation.admin.replied", conv(prt("1", "comment", "admin", "274", `"ok"`, 1734539000))), wantKind: sdk.EventTicketUpdated, wantActor: "274"},
		{name: "admin noted by a human", body: notif("conversation.admin.noted", conv(prt("1", "note", "admin", "274", `"FYI"`, 1734539000))), wantKind: sdk.EventTicketUpdated, wantActor: "274"},
		{name: "admin assigned", body: notif("conversation.admin.assigned", conv(prt("1", "assignment", "admin", "274", `null`, 1734539000))), wantKind: sdk.EventTicketUpdated, wantActor: "274"},
		{name: "snoozed", body: notif("conversation.admin.snoozed", conv()), wantKind: sdk.EventTicketUpdated, wantActor: "c1"},
		{name: "newest part wins", body: notif("conversation.admin.replied", conv(prt("2", "comment", "admin", "275", `"b"`, 1734539100), prt("1", "comment", "admin", "274", `"a"`, 1734539000))), wantKind: sdk.EventTicketUpdated, wantActor: "275"},
		{name: "tag created by a human", body: notif("conversation_part.tag.created", tagged("991", "274")), wantKind: sdk.EventTicketUpdated, wantActor: "274"},
		{name: "tag created without applier falls back to parts", body: notif("conversation_part.tag.created", conv(prt("1", "comment", "user", "c1", `"x"`, 1734539000))), wantKind: sdk.EventTicketUpdated, wantActor: "c1"},
		{name: "numeric ids", body: notif("conversation.user.created", strings.Replace(conv(), `"id":"503"`, `"id":503`, 1)), wantKind: sdk.EventTicketCreated, wantActor: "c1"},
	}
	cfg := baseConfig()
	cfg.AdminID = "991"
	c := newTestConnector(t, cfg, mustTime(t, decodeNow))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeWebhook() error = %v, want nil", err)
			}
			if len(evs) != 1 {
				t.Fatalf("DecodeWebhook() returned %d events, want 1", len(evs))
			}
			ev := evs[0]
			want := sdk.Event{ID: "notif_1", Kind: tt.wantKind, Ticket: sdk.TicketRef{Connector: "acme-intercom", Account: "acme", ID: "503"}, OccurredAt: at, Actor: tt.wantActor}
			if ev.ID != want.ID || ev.Kind != want.Kind || ev.Ticket != want.Ticket || !ev.OccurredAt.Equal(want.OccurredAt) || ev.Actor != want.Actor {
				t.Errorf("event = %+v, want %+v", ev, want)
			}
			if string(ev.Payload) != tt.body {
				t.Errorf("Payload is not the raw body")
			}
		})
	}
}

func TestDecodeWebhookDropped(t *testing.T) {
	heardNote := `"<p>Triage</p><p>— heard [fp:fp-1]</p>"`
	tests := []struct {
		name    string
		adminID string
		appID   string
		body    string
	}{
		{name: "ping", body: `{"type":"notification_event","topic":"ping","id":"notif_test","app_id":"abc123"}`},
		{name: "contact topic", body: notif("contact.user.created", `{"type":"contact","id":"c1"}`)},
		{name: "intercom ticket topic", body: notif("ticket.created", `{"type":"ticket","id":"1"}`)},
		{name: "conversation deleted", body: notif("conversation.deleted", `{"type":"conversation","id":"503"}`)},
		{name: "note by heard's admin", adminID: "991", body: notif("conversation.admin.noted", conv(prt("1", "note", "admin", "991", `"x"`, 1734539000)))},
		{name: "bot-typed part by heard's admin", adminID: "991", body: notif("conversation.admin.noted", conv(prt("1", "note", "bot", "991", `"x"`, 1734539000)))},
		{name: "tag applied by heard's admin", adminID: "991", body: notif("conversation_part.tag.created", tagged("274", "991"))},
		{name: "note with heard's marker, admin unknown", body: notif("conversation.admin.noted", conv(prt("1", "note", "admin", "5", heardNote, 1734539000)))},
		{name: "plain-text note with heard's marker", body: notif("conversation.admin.noted", conv(prt("1", "note", "admin", "5", `"Triage\n— heard [fp:fp-1]"`, 1734539000)))},
		{name: "another workspace of the app", appID: "zzz999", body: notif("conversation.user.created", conv())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.AdminID, cfg.AppID = tt.adminID, tt.appID
			c := newTestConnector(t, cfg, mustTime(t, decodeNow))
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil || len(evs) != 0 {
				t.Errorf("DecodeWebhook() = %+v, %v; want no events and no error", evs, err)
			}
		})
	}
}

func TestDecodeWebhookKept(t *testing.T) {
	tests := []struct {
		name    string
		adminID string
		appID   string
		body    string
	}{
		{name: "a contact whose id equals the admin id", adminID: "991", body: notif("conversation.user.replied", conv(prt("1", "comment", "user", "991", `"x"`, 1734539000)))},
		{name: "comment quoting the marker is not a note", body: notif("conversation.user.replied", conv(prt("1", "comment", "user", "c1", `"— heard [fp:x]"`, 1734539000)))},
		{name: "own workspace", appID: "abc123", body: notif("conversation.user.created", conv())},
		{name: "no app_id in the notification", appID: "abc123", body: strings.Replace(notif("conversation.user.created", conv()), `"app_id":"abc123",`, "", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.AdminID, cfg.AppID = tt.adminID, tt.appID
			c := newTestConnector(t, cfg, mustTime(t, decodeNow))
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil || len(evs) != 1 {
				t.Errorf("DecodeWebhook() = %+v, %v; want one event", evs, err)
			}
		})
	}
}

func TestDecodeWebhookInvalid(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		wantIn string
	}{
		{name: "empty body", body: ``, wantIn: "not a notification"},
		{name: "malformed JSON", body: `{"type":"notification_event",`, wantIn: "not a notification"},
		{name: "trailing data", body: notif("conversation.user.created", conv()) + ` {}`, wantIn: "not a notification"},
		{name: "array", body: `[1]`, wantIn: "not a notification"},
		{name: "null", body: `null`, wantIn: "want \"notification_event\""},
		{name: "bare conversation", body: conv(), wantIn: "want \"notification_event\""},
		{name: "missing id", body: strings.Replace(notif("conversation.user.created", conv()), `"id":"notif_1",`, "", 1), wantIn: "missing id"},
		{name: "missing topic", body: strings.Replace(notif("conversation.user.created", conv()), `"topic":"conversation.user.created",`, "", 1), wantIn: "missing topic"},
		{name: "missing item", body: notif("conversation.user.created", `null`), wantIn: "missing data.item"},
		{name: "item not an object", body: notif("conversation.user.created", `"503"`), wantIn: "not a conversation"},
		{name: "item id missing", body: notif("conversation.user.created", `{"type":"conversation"}`), wantIn: "not a conversation id"},
		{name: "item id not numeric", body: notif("conversation.user.created", `{"type":"conversation","id":"../me"}`), wantIn: "not a conversation id"},
	}
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("DecodeWebhook() = %+v, %v; want an ErrInvalid error containing %q", evs, err, tt.wantIn)
			}
		})
	}
}

func TestDecodeWebhookOccurredAt(t *testing.T) {
	c := newTestConnector(t, baseConfig(), mustTime(t, decodeNow))
	tests := []struct {
		name string
		body string
		want time.Time
	}{
		{name: "notification created_at", body: notif("conversation.user.created", conv()), want: time.Unix(1734540001, 0)},
		{name: "item updated_at without created_at", body: strings.Replace(notif("conversation.user.created", conv()), `"created_at":1734540001,`, "", 1), want: time.Unix(1734537600, 0)},
		{name: "now without either", body: `{"type":"notification_event","id":"n","topic":"conversation.user.created","data":{"item":{"id":"5"}}}`, want: mustTime(t, decodeNow)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := c.DecodeWebhook(http.Header{}, []byte(tt.body))
			if err != nil || len(evs) != 1 {
				t.Fatalf("DecodeWebhook() = %v, %v", evs, err)
			}
			if !evs[0].OccurredAt.Equal(tt.want) {
				t.Errorf("OccurredAt = %s, want %s", evs[0].OccurredAt, tt.want)
			}
		})
	}
}
