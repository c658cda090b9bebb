package intercom

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/internal/openapicheck"
)

// request is one API call being answered.
type request struct {
	d      *Desk
	ws     *workspace
	w      http.ResponseWriter
	r      *http.Request
	params map[string]string
	body   []byte
}

// handlers are the emulated operations, by operationId of the description.
var handlers = map[string]func(*request){
	"identifyAdmin":             (*request).me,
	"listAdmins":                (*request).admins,
	"retrieveConversation":      (*request).getConversation,
	"updateConversation":        (*request).updateConversation,
	"replyConversation":         (*request).reply,
	"attachTagToConversation":   (*request).attachTag,
	"detachTagFromConversation": (*request).detachTag,
	"listTags":                  (*request).listTags,
	"createTag":                 (*request).createTag,
	"ShowContact":               (*request).getContact,
	"listCompaniesForAContact":  (*request).contactCompanies,
	"RetrieveACompanyById":      (*request).getCompany,
	"searchConversations":       (*request).search,
	"listArticles":              (*request).listArticles,
}

// serve answers /intercom/{account}/...: token, rate limit, contract, then
// the operation.
func (d *Desk) serve(w http.ResponseWriter, r *http.Request) {
	account := r.PathValue("account")
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "parameter_invalid", "unreadable request body")
		return
	}
	d.mu.Lock()
	ws := d.accounts[account]
	d.mu.Unlock()
	if ws == nil || !bearer(r, ws.cfg.APIToken) {
		writeError(w, http.StatusUnauthorized, "unauthorized", "Access Token Invalid")
		return
	}
	if !d.admit(w, ws) {
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/"+Vendor+"/"+account)
	if path == "" {
		path = "/"
	}
	op, err := d.api.Find(r.Method, path, r.URL.RawQuery)
	if err != nil {
		d.sb.Violate(r, "%s %s is not an operation of the Intercom %s API description", r.Method, path, SpecVersion)
		writeError(w, http.StatusNotFound, "not_found", "Resource Not Found")
		return
	}
	// The Bearer token was checked above.
	if err := op.CheckRequest(r.Context(), r.Header, body, openapicheck.AuthSkip); err != nil {
		d.sb.Violate(r, "request does not match the Intercom %s API description (%s %s): %s", SpecVersion, op.Method, op.Path, err)
		writeError(w, http.StatusBadRequest, "parameter_invalid", err.Error())
		return
	}
	switch v := r.Header.Get("Intercom-Version"); {
	case v == "":
		d.sb.Violate(r, "no Intercom-Version header: Intercom then answers in the app's default version, so heard must pin %s", ws.cfg.APIVersion)
	case v != ws.cfg.APIVersion:
		d.sb.Violate(r, "Intercom-Version %s, but the workspace's app is on %s", v, ws.cfg.APIVersion)
	}
	h := handlers[op.ID]
	if h == nil {
		d.sb.Violate(r, "%s %s (%s) is in the Intercom API description but not emulated by the sandbox", op.Method, op.Path, op.ID)
		writeError(w, http.StatusNotImplemented, "not_implemented", "not emulated by the heard sandbox")
		return
	}
	h(&request{d: d, ws: ws, w: w, r: r, params: op.Params, body: body})
}

// bearer checks Authorization: Bearer <token> in constant time.
func bearer(r *http.Request, token string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// admit applies Account.RatePerMinute in fixed windows and answers 429 with
// X-RateLimit-Reset (Unix seconds) when the window is used up.
func (d *Desk) admit(w http.ResponseWriter, ws *workspace) bool {
	if ws.cfg.RatePerMinute <= 0 {
		return true
	}
	window := d.RateWindow
	if window <= 0 {
		window = DefaultRateWindow
	}
	limit := max(1, int(float64(ws.cfg.RatePerMinute)*window.Seconds()/60))
	d.mu.Lock()
	now := d.now()
	start := now.Truncate(window)
	if !ws.windowStart.Equal(start) {
		ws.windowStart, ws.used = start, 0
	}
	ok := ws.used < limit
	if ok {
		ws.used++
	}
	remaining := limit - ws.used
	d.mu.Unlock()
	reset := int64(math.Ceil(float64(start.Add(window).UnixNano()) / float64(time.Second)))
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
	if !ok {
		writeError(w, http.StatusTooManyRequests, "rate_limit_exceeded", fmt.Sprintf("Exceeded rate limit of %d in %s", limit, window))
	}
	return ok
}

// writeJSON answers 200 with v.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// writeError answers with an error.list.
func writeError(w http.ResponseWriter, status int, code, message string) {
	b, _ := json.Marshal(wireError{Type: "error.list", RequestID: uuid(), Errors: []wireErrorItem{{Code: code, Message: message}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// reject records a violation and answers 400: Intercom would have refused
// the request.
func (q *request) reject(code, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	q.d.sb.Violate(q.r, "%s", msg)
	writeError(q.w, http.StatusBadRequest, code, msg)
}

// notEmulated records a violation for a valid request the sandbox cannot
// answer faithfully.
func (q *request) notEmulated(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	q.d.sb.Violate(q.r, "not emulated by the sandbox: %s", msg)
	writeError(q.w, http.StatusNotImplemented, "not_implemented", msg)
}

// decodeObject decodes the JSON object body into its top-level keys.
func (q *request) decodeObject() (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(q.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		q.reject("parameter_invalid", "request body is not a JSON object")
		return nil, false
	}
	return m, true
}

// str reads a string member ("" when absent or not a string).
func str(m map[string]json.RawMessage, key string) string {
	var s string
	_ = json.Unmarshal(m[key], &s)
	return s
}

// conversation looks up the path's conversation, answering 404 itself.
// Callers hold d.mu.
func (q *request) conversation() *conversation {
	c := q.ws.convs[q.params["conversation_id"]]
	if c == nil {
		writeError(q.w, http.StatusNotFound, "not_found", "Conversation not found")
	}
	return c
}

// adminByID finds an admin of the workspace.
func (q *request) adminByID(id string) (admin, bool) {
	for _, a := range []admin{q.ws.bot, q.ws.agent} {
		if a.id == id {
			return a, true
		}
	}
	return admin{}, false
}

// ---- operations ----

type wireApp struct {
	Type   string `json:"type"`
	IDCode string `json:"id_code"`
	Name   string `json:"name"`
	Region string `json:"region"`
}

type wireAdmin struct {
	Type            string   `json:"type"`
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Email           string   `json:"email"`
	AwayModeEnabled bool     `json:"away_mode_enabled"`
	HasInboxSeat    bool     `json:"has_inbox_seat"`
	TeamIDs         []int64  `json:"team_ids"`
	App             *wireApp `json:"app,omitempty"`
}

func (q *request) me() {
	a := q.ws.bot
	writeJSON(q.w, wireAdmin{Type: "admin", ID: a.id, Name: a.name, Email: a.email, HasInboxSeat: !q.ws.cfg.ReadOnly, TeamIDs: []int64{},
		App: &wireApp{Type: "app", IDCode: q.ws.cfg.Name, Name: q.ws.cfg.Name, Region: "US"}})
}

func (q *request) admins() {
	list := struct {
		Type   string      `json:"type"`
		Admins []wireAdmin `json:"admins"`
	}{Type: "admin.list"}
	for _, a := range []admin{q.ws.bot, q.ws.agent} {
		seat := a != q.ws.bot || !q.ws.cfg.ReadOnly
		list.Admins = append(list.Admins, wireAdmin{Type: "admin", ID: a.id, Name: a.name, Email: a.email, HasInboxSeat: seat, TeamIDs: []int64{}})
	}
	writeJSON(q.w, list)
}

func (q *request) getConversation() {
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	c := q.conversation()
	if c == nil {
		return
	}
	parts := c.parts
	if len(parts) > 500 { // Intercom returns the 500 most recent parts
		parts = parts[len(parts)-500:]
	}
	writeJSON(q.w, q.ws.render(c, parts, true, q.r.URL.Query().Get("display_as") == "plaintext"))
}

// updatableFields are the members of update_conversation_request.
var updatableFields = map[string]bool{"read": true, "title": true, "custom_attributes": true, "company_id": true}

func (q *request) updateConversation() {
	m, ok := q.decodeObject()
	if !ok {
		return
	}
	for k := range m {
		if !updatableFields[k] {
			if k == "priority" {
				q.reject("parameter_invalid", "priority cannot be written in API %s (update_conversation_request has no priority; only the Preview API has)", q.ws.cfg.APIVersion)
			} else {
				q.reject("parameter_invalid", "%q is not a member of update_conversation_request", k)
			}
			return
		}
	}
	var attrs map[string]any
	if raw, ok := m["custom_attributes"]; ok {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&attrs); err != nil {
			q.reject("parameter_invalid", "custom_attributes is not an object")
			return
		}
	}
	if _, ok := m["company_id"]; ok {
		q.notEmulated("setting a conversation's company")
		return
	}
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	c := q.conversation()
	if c == nil {
		return
	}
	for k, v := range attrs {
		if v == nil {
			delete(c.attrs, k)
		} else {
			c.attrs[k] = v
		}
	}
	if raw, ok := m["title"]; ok {
		c.title = str(map[string]json.RawMessage{"t": raw}, "t")
	}
	c.updated = q.d.now().Unix()
	c.writes++
	// Intercom documents no webhook topic for attribute updates.
	writeJSON(q.w, q.ws.render(c, c.parts, true, false))
}

func (q *request) reply() {
	if q.ws.cfg.ReadOnly {
		writeError(q.w, http.StatusForbidden, "forbidden", "Admin has no inbox seat")
		return
	}
	m, ok := q.decodeObject()
	if !ok {
		return
	}
	typ, mt, adminID, body := str(m, "type"), str(m, "message_type"), str(m, "admin_id"), str(m, "body")
	switch {
	case typ != "admin":
		q.notEmulated("replies on behalf of a contact (type %q): heard writes as an admin", typ)
		return
	case mt != "note" && mt != "comment":
		q.notEmulated("admin replies of message_type %q", mt)
		return
	case strings.TrimSpace(body) == "":
		q.reject("parameter_invalid", "body is required for %s replies", mt)
		return
	}
	a, ok := q.adminByID(adminID)
	if !ok {
		q.d.sb.Violate(q.r, "admin_id %q is no admin of the workspace", adminID)
		writeError(q.w, http.StatusNotFound, "admin_not_found", "Admin not found")
		return
	}
	if mt == "comment" && a.id == q.ws.bot.id {
		q.d.sb.PublicReply(q.r, q.ws.cfg, "message_type comment")
	}
	q.d.mu.Lock()
	c := q.conversation()
	if c == nil {
		q.d.mu.Unlock()
		return
	}
	p := &part{id: q.d.next(), partType: mt, body: body, created: q.d.now().Unix(), author: author{typ: "admin", id: a.id, name: a.name, email: a.email}}
	c.parts = append(c.parts, p)
	c.updated = p.created
	c.writes++
	topic := TopicAdminNoted
	if mt == "comment" {
		topic = "conversation.admin.replied"
	}
	dl := q.d.notification(q.ws, c, topic, []*part{p})
	resp, _ := json.Marshal(q.ws.render(c, c.parts, true, false))
	q.d.mu.Unlock()
	q.deliverWrite(dl)
	q.w.Header().Set("Content-Type", "application/json")
	_, _ = q.w.Write(resp)
}

// deliverWrite delivers the webhook a write caused before the write is
// answered; a failing receiver is logged, not the API caller's problem.
func (q *request) deliverWrite(dl delivery) {
	if err := q.d.deliver(q.r.Context(), dl); err != nil {
		q.d.log.WarnContext(q.r.Context(), "delivering the webhook of a write failed", "account", q.ws.cfg.Name, "err", err)
	}
}

func (q *request) attachTag() {
	m, ok := q.decodeObject()
	if !ok {
		return
	}
	tagID, adminID := str(m, "id"), str(m, "admin_id")
	a, ok := q.adminByID(adminID)
	if !ok {
		q.d.sb.Violate(q.r, "admin_id %q is no admin of the workspace", adminID)
		writeError(q.w, http.StatusNotFound, "admin_not_found", "Admin not found")
		return
	}
	q.d.mu.Lock()
	c := q.conversation()
	if c == nil {
		q.d.mu.Unlock()
		return
	}
	var t *tag
	for _, x := range q.ws.tags {
		if x.id == tagID {
			t = x
		}
	}
	if t == nil {
		q.d.mu.Unlock()
		writeError(q.w, http.StatusNotFound, "not_found", "Tag not found")
		return
	}
	now := q.d.now().Unix()
	var dl delivery
	fresh := true
	for _, x := range c.tags {
		if x.tag == t {
			fresh = false
		}
	}
	if fresh {
		c.tags = append(c.tags, applied{tag: t, at: now, by: a.id})
		c.updated = now
		dl = q.d.notification(q.ws, c, TopicPartTagged, nil)
	}
	c.writes++
	q.d.mu.Unlock()
	if fresh {
		q.deliverWrite(dl)
	}
	writeJSON(q.w, wireTag{Type: "tag", ID: t.id, Name: t.name, AppliedAt: &now, AppliedBy: &wireRef{Type: "admin", ID: a.id}})
}

func (q *request) detachTag() {
	m, ok := q.decodeObject()
	if !ok {
		return
	}
	a, ok := q.adminByID(str(m, "admin_id"))
	if !ok {
		q.d.sb.Violate(q.r, "admin_id %q is no admin of the workspace", str(m, "admin_id"))
		writeError(q.w, http.StatusNotFound, "admin_not_found", "Admin not found")
		return
	}
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	c := q.conversation()
	if c == nil {
		return
	}
	for i, x := range c.tags {
		if x.tag.id == q.params["tag_id"] {
			c.tags = append(c.tags[:i], c.tags[i+1:]...)
			c.writes++
			now := q.d.now().Unix()
			writeJSON(q.w, wireTag{Type: "tag", ID: x.tag.id, Name: x.tag.name, AppliedAt: &now, AppliedBy: &wireRef{Type: "admin", ID: a.id}})
			return
		}
	}
	writeError(q.w, http.StatusNotFound, "not_found", "Tag not found")
}

func (q *request) listTags() {
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	list := struct {
		Type string    `json:"type"`
		Data []wireTag `json:"data"`
	}{Type: "list", Data: []wireTag{}}
	for _, t := range q.ws.tags {
		list.Data = append(list.Data, wireTag{Type: "tag", ID: t.id, Name: t.name})
	}
	writeJSON(q.w, list)
}

func (q *request) createTag() {
	m, ok := q.decodeObject()
	if !ok {
		return
	}
	if _, ok := m["companies"]; ok {
		q.notEmulated("tagging companies")
		return
	}
	if _, ok := m["users"]; ok {
		q.notEmulated("tagging contacts")
		return
	}
	name := strings.TrimSpace(str(m, "name"))
	if name == "" {
		q.reject("parameter_invalid", "name is required")
		return
	}
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	var t *tag
	if id := str(m, "id"); id != "" {
		for _, x := range q.ws.tags {
			if x.id == id {
				t = x
			}
		}
		if t == nil {
			writeError(q.w, http.StatusNotFound, "not_found", "Tag not found")
			return
		}
		t.name = name
	} else {
		t = q.d.tagNamed(q.ws, name)
	}
	writeJSON(q.w, wireTag{Type: "tag", ID: t.id, Name: t.name})
}

func (q *request) getContact() {
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	c := q.ws.contacts[q.params["contact_id"]]
	if c == nil {
		writeError(q.w, http.StatusNotFound, "not_found", "User Not Found")
		return
	}
	writeJSON(q.w, q.ws.renderContact(c))
}

func (q *request) contactCompanies() {
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	c := q.ws.contacts[q.params["contact_id"]]
	if c == nil {
		writeError(q.w, http.StatusNotFound, "not_found", "User Not Found")
		return
	}
	list := struct {
		Type       string        `json:"type"`
		Companies  []wireCompany `json:"companies"`
		TotalCount int           `json:"total_count"`
		Pages      wirePages     `json:"pages"`
	}{Type: "list", Companies: []wireCompany{}, Pages: wirePages{Type: "pages", Page: 1, PerPage: 50, TotalPages: 1}}
	for _, id := range c.companyIDs {
		list.Companies = append(list.Companies, q.ws.renderCompany(q.ws.companies[id]))
	}
	list.TotalCount = len(list.Companies)
	writeJSON(q.w, list)
}

func (q *request) getCompany() {
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	c := q.ws.companies[q.params["company_id"]]
	if c == nil {
		writeError(q.w, http.StatusNotFound, "not_found", "Company Not Found")
		return
	}
	writeJSON(q.w, q.ws.renderCompany(c))
}

// Search limits documented for POST /conversations/search.
const (
	searchDefaultPerPage = 20
	searchMaxPerPage     = 150
	searchMaxNesting     = 2
	searchMaxFilters     = 15
)

func (q *request) search() {
	var req struct {
		Query      json.RawMessage `json:"query"`
		Pagination *struct {
			PerPage       *int    `json:"per_page"`
			StartingAfter *string `json:"starting_after"`
		} `json:"pagination"`
	}
	if err := json.Unmarshal(q.body, &req); err != nil {
		q.reject("parameter_invalid", "request body is not a search_request")
		return
	}
	pred, err := compileQuery(req.Query, 0)
	if err != nil {
		var ne notEmulatedError
		if errors.As(err, &ne) {
			q.notEmulated("%s", err)
		} else {
			q.reject("parameter_invalid", "query: %s", err)
		}
		return
	}
	perPage, offset := searchDefaultPerPage, 0
	if p := req.Pagination; p != nil {
		if p.PerPage != nil {
			if *p.PerPage < 1 || *p.PerPage > searchMaxPerPage {
				q.reject("parameter_invalid", "pagination.per_page %d: want 1..%d", *p.PerPage, searchMaxPerPage)
				return
			}
			perPage = *p.PerPage
		}
		if p.StartingAfter != nil && *p.StartingAfter != "" {
			n, err := decodeCursor(*p.StartingAfter)
			if err != nil {
				q.reject("parameter_invalid", "pagination.starting_after: not a cursor this API returned")
				return
			}
			offset = n
		}
	}
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	var hits []*conversation
	for _, c := range q.ws.sortedConversations() {
		if pred(c) {
			hits = append(hits, c)
		}
	}
	list := struct {
		Type          string             `json:"type"`
		Conversations []wireConversation `json:"conversations"`
		TotalCount    int                `json:"total_count"`
		Pages         wirePages          `json:"pages"`
	}{Type: "conversation.list", Conversations: []wireConversation{}, TotalCount: len(hits)}
	end := min(len(hits), offset+perPage)
	for _, c := range hits[min(offset, end):end] {
		list.Conversations = append(list.Conversations, q.ws.render(c, nil, false, false))
	}
	list.Pages = wirePages{Type: "pages", Page: offset/perPage + 1, PerPage: perPage, TotalPages: max(1, (len(hits)+perPage-1)/perPage)}
	if end < len(hits) {
		list.Pages.Next = &wireNext{PerPage: perPage, StartingAfter: encodeCursor(end)}
	}
	writeJSON(q.w, list)
}

// notEmulatedError marks a valid query the sandbox cannot evaluate.
type notEmulatedError struct{ what string }

func (e notEmulatedError) Error() string { return e.what }

// compileQuery turns a search query into a predicate, checking Intercom's
// documented limits (2 levels of nesting, 15 filters per group).
func compileQuery(raw json.RawMessage, depth int) (func(*conversation) bool, error) {
	var f struct {
		Field    *string         `json:"field"`
		Operator string          `json:"operator"`
		Value    json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errors.New("not a filter object")
	}
	if f.Field == nil {
		if f.Operator != "AND" && f.Operator != "OR" {
			return nil, fmt.Errorf("operator %q without a field: want AND or OR", f.Operator)
		}
		if depth >= searchMaxNesting {
			return nil, fmt.Errorf("more than %d levels of nested filters", searchMaxNesting)
		}
		var subs []json.RawMessage
		if err := json.Unmarshal(f.Value, &subs); err != nil || len(subs) == 0 {
			return nil, fmt.Errorf("%s needs a non-empty array of filters", f.Operator)
		}
		if len(subs) > searchMaxFilters {
			return nil, fmt.Errorf("%d filters in one %s group: at most %d", len(subs), f.Operator, searchMaxFilters)
		}
		preds := make([]func(*conversation) bool, 0, len(subs))
		for _, s := range subs {
			p, err := compileQuery(s, depth+1)
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
		}
		and := f.Operator == "AND"
		return func(c *conversation) bool {
			for _, p := range preds {
				if p(c) != and {
					return !and
				}
			}
			return and
		}, nil
	}
	get, date := searchField(*f.Field)
	if get == nil {
		return nil, notEmulatedError{fmt.Sprintf("searching conversations by %q", *f.Field)}
	}
	op := f.Operator
	switch {
	case !slices.Contains(conversationOperators, op):
		return nil, fmt.Errorf("operator %q: searching conversations accepts %s", op, strings.Join(conversationOperators, " "))
	case date && !slices.Contains([]string{"=", "<", ">"}, op):
		return nil, fmt.Errorf("operator %q on %s: date fields accept =, < and > only", op, *f.Field)
	case !date && (op == "<" || op == ">"):
		return nil, fmt.Errorf("operator %q on %s: > and < compare integers and dates only", op, *f.Field)
	}
	var values []string
	if op == "IN" || op == "NIN" {
		var arr []json.Number
		var sarr []string
		if json.Unmarshal(f.Value, &sarr) == nil {
			values = sarr
		} else if json.Unmarshal(f.Value, &arr) == nil {
			for _, n := range arr {
				values = append(values, n.String())
			}
		} else {
			return nil, fmt.Errorf("%s needs an array value", op)
		}
	} else {
		var s string
		var n json.Number
		switch {
		case !date && json.Unmarshal(f.Value, &s) == nil:
			values = []string{s}
		case json.Unmarshal(f.Value, &n) == nil:
			if _, err := n.Int64(); err != nil {
				return nil, fmt.Errorf("field %q needs an integer value, got %s", *f.Field, n)
			}
			values = []string{n.String()}
		case date:
			return nil, fmt.Errorf("field %q is a date: its value must be a UNIX timestamp, not %s", *f.Field, f.Value)
		default:
			return nil, fmt.Errorf("field %q needs a string or integer value", *f.Field)
		}
	}
	return func(c *conversation) bool {
		have := get(c)
		switch op {
		case "=", "IN":
			return slices.ContainsFunc(have, func(h string) bool { return slices.Contains(values, h) })
		case "!=", "NIN":
			return !slices.ContainsFunc(have, func(h string) bool { return slices.Contains(values, h) })
		case "~", "!~", "^", "$":
			hit := slices.ContainsFunc(have, func(h string) bool {
				switch op {
				case "^":
					return strings.HasPrefix(h, values[0])
				case "$":
					return strings.HasSuffix(h, values[0])
				}
				return strings.Contains(h, values[0])
			})
			return hit != (op == "!~")
		case "<", ">":
			// The description: ">" is "Greater (or equal) than", "<"
			// "Lower (or equal) than".
			if len(have) == 0 {
				return false
			}
			a, _ := strconv.ParseInt(have[0], 10, 64)
			b, _ := strconv.ParseInt(values[0], 10, 64)
			return op == "<" && a <= b || op == ">" && a >= b
		}
		return false
	}, nil
}

// conversationOperators are the operators the conversation search
// description lists ("Accepted Operators").
var conversationOperators = []string{"=", "!=", "IN", "NIN", ">", "<", "~", "!~", "^", "$"}

// searchField returns a getter for an emulated search field and whether
// the field is a date (UNIX timestamp).
func searchField(name string) (get func(*conversation) []string, date bool) {
	switch name {
	case "id":
		return func(c *conversation) []string { return []string{c.id} }, false
	case "contact_ids":
		return func(c *conversation) []string { return []string{c.contactID} }, false
	case "state":
		return func(c *conversation) []string { return []string{c.state} }, false
	case "created_at":
		return func(c *conversation) []string { return []string{strconv.FormatInt(c.created, 10)} }, true
	case "updated_at":
		return func(c *conversation) []string { return []string{strconv.FormatInt(c.updated, 10)} }, true
	}
	return nil, false
}

func encodeCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(n)))
}

func decodeCursor(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), "o:") {
		return 0, errors.New("bad cursor")
	}
	return strconv.Atoi(string(b[2:]))
}

// Article list paging. GET /articles declares no query parameters in the
// description; page and per_page are what its answers report.
const (
	articlesDefaultPerPage = 25
	articlesMaxPerPage     = 150
)

func (q *request) listArticles() {
	query := q.r.URL.Query()
	page, perPage := 1, articlesDefaultPerPage
	if v := query.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			q.reject("parameter_invalid", "page %q: want a positive integer", v)
			return
		}
		page = n
	}
	if v := query.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > articlesMaxPerPage {
			q.reject("parameter_invalid", "per_page %q: want 1..%d", v, articlesMaxPerPage)
			return
		}
		perPage = n
	}
	q.d.mu.Lock()
	defer q.d.mu.Unlock()
	all := append([]*article(nil), q.ws.articles...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].updated > all[j].updated })
	list := struct {
		Type       string        `json:"type"`
		Pages      wirePages     `json:"pages"`
		TotalCount int           `json:"total_count"`
		Data       []wireArticle `json:"data"`
	}{Type: "list", TotalCount: len(all), Data: []wireArticle{},
		Pages: wirePages{Type: "pages", Page: page, PerPage: perPage, TotalPages: max(1, (len(all)+perPage-1)/perPage)}}
	start := min(len(all), (page-1)*perPage)
	for _, a := range all[start:min(len(all), start+perPage)] {
		u := a.url
		list.Data = append(list.Data, wireArticle{
			Type: "article", ID: a.id, WorkspaceID: q.ws.cfg.Name, Title: a.title, Body: a.body, AuthorID: mustInt(q.ws.agent.id),
			State: a.state, CreatedAt: a.created, UpdatedAt: a.updated, URL: &u, ParentIDs: []int64{}, DefaultLocale: a.locale,
			Tags: wireTags{Type: "tag.list", Tags: []wireTag{}},
		})
	}
	writeJSON(q.w, list)
}

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
