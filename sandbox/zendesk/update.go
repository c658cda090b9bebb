package zendesk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
)

// update is a validated PUT /api/v2/tickets/{id} body.
type update struct {
	priority    *string // nil: unchanged; "": cleared (null)
	status      string
	subject     *string
	tags        []string
	hasTags     bool
	custom      []wireField
	comment     *commentIn
	safeUpdate  bool
	stamp       time.Time
	stampString string
}

type commentIn struct {
	body, html string
	public     bool
}

// rejection is why Zendesk would refuse an update: status 400 (structure)
// or 422 (a value), the field, and the problem.
type rejection struct {
	status  int
	field   string
	problem string
}

func reject(status int, field, format string, args ...any) *rejection {
	return &rejection{status: status, field: field, problem: fmt.Sprintf(format, args...)}
}

// Keys heard may send in a ticket update (CONTRACTS.md §1.5).
var (
	ticketKeys  = []string{"priority", "status", "subject", "tags", "custom_fields", "comment", "safe_update", "updated_stamp"}
	commentKeys = []string{"body", "html_body", "public"}
	priorities  = []string{"urgent", "high", "normal", "low"}
	statuses    = []string{"new", "open", "pending", "hold", "solved", "closed"}
)

// parseUpdate validates a ticket update body against CONTRACTS.md §1.5.
func parseUpdate(r *http.Request) (*update, *rejection) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, reject(http.StatusUnsupportedMediaType, "content_type", "Content-Type %q: want application/json", r.Header.Get("Content-Type"))
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, reject(http.StatusBadRequest, "body", "reading the body: %v", err)
	}
	var top map[string]json.RawMessage
	if err := strictUnmarshal(raw, &top); err != nil || top == nil {
		return nil, reject(http.StatusBadRequest, "body", "body is not a JSON object: %v", err)
	}
	rawTicket, ok := top["ticket"]
	if !ok {
		return nil, reject(http.StatusBadRequest, "ticket", "missing the \"ticket\" wrapper object")
	}
	for k := range top {
		if k != "ticket" {
			return nil, reject(http.StatusBadRequest, k, "unknown top-level key %q: want only {\"ticket\": {...}}", k)
		}
	}
	var t map[string]json.RawMessage
	if err := json.Unmarshal(rawTicket, &t); err != nil || t == nil {
		return nil, reject(http.StatusBadRequest, "ticket", "\"ticket\" is not a JSON object")
	}
	for k := range t {
		if !slices.Contains(ticketKeys, k) {
			return nil, reject(http.StatusBadRequest, k, "unknown ticket key %q: want %s", k, strings.Join(ticketKeys, ", "))
		}
	}
	u := &update{}
	if v, ok := t["priority"]; ok {
		var p *string
		if err := json.Unmarshal(v, &p); err != nil || (p != nil && !slices.Contains(priorities, *p)) {
			return nil, reject(http.StatusUnprocessableEntity, "priority", "priority %s: want one of urgent, high, normal, low or null", v)
		}
		if p == nil {
			p = new(string)
		}
		u.priority = p
	}
	if v, ok := t["status"]; ok {
		if err := json.Unmarshal(v, &u.status); err != nil || !slices.Contains(statuses, u.status) {
			return nil, reject(http.StatusUnprocessableEntity, "status", "status %s: want one of %s", v, strings.Join(statuses, ", "))
		}
	}
	if v, ok := t["subject"]; ok {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, reject(http.StatusUnprocessableEntity, "subject", "subject %s: want a string", v)
		}
		u.subject = &s
	}
	if v, ok := t["tags"]; ok {
		if err := json.Unmarshal(v, &u.tags); err != nil || u.tags == nil {
			return nil, reject(http.StatusUnprocessableEntity, "tags", "tags %.80s: want a list of strings", v)
		}
		u.hasTags = true
	}
	if v, ok := t["custom_fields"]; ok {
		if rej := parseCustomFields(v, u); rej != nil {
			return nil, rej
		}
	}
	if v, ok := t["comment"]; ok {
		if rej := parseComment(v, u); rej != nil {
			return nil, rej
		}
	}
	if v, ok := t["safe_update"]; ok {
		if err := json.Unmarshal(v, &u.safeUpdate); err != nil {
			return nil, reject(http.StatusUnprocessableEntity, "safe_update", "safe_update %s: want a boolean", v)
		}
	}
	if v, ok := t["updated_stamp"]; ok {
		if err := json.Unmarshal(v, &u.stampString); err != nil {
			return nil, reject(http.StatusUnprocessableEntity, "updated_stamp", "updated_stamp %s: want an ISO 8601 time string", v)
		}
		if u.stamp, err = time.Parse(time.RFC3339Nano, u.stampString); err != nil {
			return nil, reject(http.StatusUnprocessableEntity, "updated_stamp", "updated_stamp %q: want an ISO 8601 time such as 2025-01-08T14:25:30Z", u.stampString)
		}
	}
	if u.safeUpdate && u.stampString == "" {
		return nil, reject(http.StatusUnprocessableEntity, "updated_stamp", "safe_update without updated_stamp: send the ticket's updated_at")
	}
	return u, nil
}

func parseCustomFields(v json.RawMessage, u *update) *rejection {
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil || items == nil {
		return reject(http.StatusUnprocessableEntity, "custom_fields", "custom_fields %.80s: want a list of {\"id\": <number>, \"value\": ...}", v)
	}
	for _, it := range items {
		var f map[string]json.RawMessage
		if err := json.Unmarshal(it, &f); err != nil || f == nil {
			return reject(http.StatusUnprocessableEntity, "custom_fields", "custom field %.80s: want an object {\"id\", \"value\"}", it)
		}
		for k := range f {
			if k != "id" && k != "value" {
				return reject(http.StatusUnprocessableEntity, "custom_fields", "custom field key %q: want only id and value", k)
			}
		}
		var id int64
		if err := json.Unmarshal(f["id"], &id); err != nil || id <= 0 {
			return reject(http.StatusUnprocessableEntity, "custom_fields", "custom field id %s: want a positive integer", f["id"])
		}
		rawValue, ok := f["value"]
		if !ok {
			return reject(http.StatusUnprocessableEntity, "custom_fields", "custom field %d: missing value", id)
		}
		var value any
		if err := json.Unmarshal(rawValue, &value); err != nil {
			return reject(http.StatusUnprocessableEntity, "custom_fields", "custom field %d: value %.80s is not JSON", id, rawValue)
		}
		if _, isObject := value.(map[string]any); isObject {
			return reject(http.StatusUnprocessableEntity, "custom_fields", "custom field %d: value must be a string, number, boolean, list or null", id)
		}
		u.custom = append(u.custom, wireField{ID: id, Value: value})
	}
	return nil
}

func parseComment(v json.RawMessage, u *update) *rejection {
	var c map[string]json.RawMessage
	if err := json.Unmarshal(v, &c); err != nil || c == nil {
		return reject(http.StatusUnprocessableEntity, "comment", "comment %.80s: want an object", v)
	}
	for k := range c {
		if !slices.Contains(commentKeys, k) {
			return reject(http.StatusUnprocessableEntity, "comment", "unknown comment key %q: want %s", k, strings.Join(commentKeys, ", "))
		}
	}
	in := &commentIn{public: true} // Zendesk's default: a public reply
	for key, dst := range map[string]*string{"body": &in.body, "html_body": &in.html} {
		if raw, ok := c[key]; ok {
			if err := json.Unmarshal(raw, dst); err != nil {
				return reject(http.StatusUnprocessableEntity, "comment", "comment.%s %.80s: want a string", key, raw)
			}
		}
	}
	if strings.TrimSpace(in.body) == "" && strings.TrimSpace(in.html) == "" {
		return reject(http.StatusUnprocessableEntity, "comment", "comment without body or html_body")
	}
	if raw, ok := c["public"]; ok {
		if err := json.Unmarshal(raw, &in.public); err != nil {
			return reject(http.StatusUnprocessableEntity, "comment", "comment.public %s: want a boolean", raw)
		}
	}
	u.comment = in
	return nil
}

// strictUnmarshal decodes one JSON value and rejects trailing data.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

// putTicket is PUT /api/v2/tickets/{id}: validate, check safe_update,
// apply, count the write, and deliver the events it caused.
func (d *Desk) putTicket(c *call) reply {
	t := c.a.tickets[pathID(c.r)]
	if t == nil {
		return notFound()
	}
	if c.me.role == "end-user" {
		return reply{status: http.StatusForbidden, body: errForbidden}
	}
	u, rej := parseUpdate(c.r)
	if rej != nil {
		return d.invalid(c, rej.status, rej.field, "%s", rej.problem)
	}
	if u.safeUpdate && !u.stamp.Equal(t.updated) {
		return reply{status: http.StatusConflict, body: errConflict}
	}
	at := d.touch(t)
	var changes []change
	if u.comment != nil {
		body := u.comment.html
		if body == "" {
			body = u.comment.body
		}
		if u.comment.public && c.me.id == c.a.botID {
			d.sb.PublicReply(c.r, c.a.cfg, "a public comment")
		}
		cm := d.newComment(c.me.id, body, u.comment.public, at)
		if u.comment.html == "" { // a plain body is text, not markup
			cm.body, cm.html = strings.TrimSpace(u.comment.body), "<p>"+escapeLines(u.comment.body)+"</p>"
		}
		t.comments = append(t.comments, cm)
		changes = append(changes, change{typ: "comment_added", comment: cm})
	}
	if u.priority != nil && *u.priority != t.priority {
		changes = append(changes, change{typ: "priority_changed", prev: t.priority, cur: *u.priority})
		t.priority = *u.priority
	}
	if u.hasTags {
		// A ticket PUT replaces the tag list (CONTRACTS.md §1.5, the
		// stricter reading of an unverified fact).
		if nt := uniq(u.tags); !slices.Equal(sortedCopy(nt), sortedCopy(t.tags)) {
			changes = append(changes, change{typ: "tags_changed", prevTags: t.tags, curTags: nt})
			t.tags = nt
		}
	}
	for _, f := range u.custom {
		if f.Value == nil {
			delete(t.custom, f.ID)
		} else {
			t.custom[f.ID] = f.Value
		}
	}
	if u.subject != nil {
		t.subject = *u.subject
	}
	if u.status != "" && u.status != t.status {
		changes = append(changes, change{typ: "status_changed", prev: t.status, cur: u.status})
		t.status = u.status
	}
	t.writes++
	audit := map[string]any{"id": d.nextID(), "ticket_id": t.id, "created_at": ts(at), "author_id": c.me.id, "events": []any{}}
	rep := ok(map[string]any{"ticket": c.a.wireTicket(c.base, t), "audit": audit})
	if len(changes) > 0 {
		rep.out = d.events(c.a, t, c.me.id, changes...)
	}
	return rep
}
