package freshdesk

import (
	"encoding/base64"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handler serves one route for an authenticated, rate-limited account.
type handler func(w http.ResponseWriter, r *http.Request, a *account)

// routes registers every emulated endpoint.
func (d *Desk) routes() {
	const p = "/" + Vendor + "/{account}/api/v2"
	d.route("GET "+p+"/tickets", d.listTickets)
	d.route("GET "+p+"/tickets/{id}", d.getTicket)
	d.route("PUT "+p+"/tickets/{id}", d.updateTicket)
	d.route("GET "+p+"/tickets/{id}/conversations", d.listConversations)
	d.route("POST "+p+"/tickets/{id}/notes", d.addNote)
	d.route("POST "+p+"/tickets/{id}/reply", d.addReply)
	d.route("GET "+p+"/tickets/{id}/satisfaction_ratings", d.listRatings)
	d.route("GET "+p+"/contacts/{id}", d.getContact)
	d.route("GET "+p+"/companies/{id}", d.getCompany)
	d.route("GET "+p+"/agents/me", d.me)
	d.route("GET "+p+"/solutions/categories", d.listCategories)
	d.route("GET "+p+"/solutions/categories/{id}/folders", d.listFolders)
	d.route("GET "+p+"/solutions/folders/{id}/articles", d.listArticles)
	d.route("GET "+p+"/solutions/articles/{id}", d.getArticle)
}

// route wraps h with the account lookup, authentication and rate limit.
func (d *Desk) route(pattern string, h handler) {
	d.sb.Handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		a := d.accounts[r.PathValue("account")]
		d.mu.Unlock()
		if a == nil {
			d.sb.Violate(r, "no freshdesk account %q", r.PathValue("account"))
			writeJSON(w, http.StatusNotFound, map[string]string{"code": "account_not_found", "message": "no such helpdesk"})
			return
		}
		if !authorized(r, a.cfg.APIToken) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{
				"code": "invalid_credentials", "message": "You have to be logged in to perform this action.",
			})
			return
		}
		if wait, ok := d.admit(w, a); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			writeJSON(w, http.StatusTooManyRequests, map[string]string{
				"code": "rate_limit_exceeded", "message": "You have exceeded the limit of requests per minute",
			})
			return
		}
		if a.cfg.ReadOnly && r.Method != http.MethodGet {
			writeJSON(w, http.StatusForbidden, map[string]string{
				"code": "access_denied", "message": "You are not authorized to perform this action.",
			})
			return
		}
		h(w, r, a)
	})
}

// authorized checks Basic base64(api_key:anything).
func authorized(r *http.Request, apiKey string) bool {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return false
	}
	user, _, _ := strings.Cut(string(raw), ":")
	return user != "" && user == apiKey
}

// admit counts a call against Account.RatePerMinute (0: unlimited) and
// sets Freshdesk's rate-limit headers. Over the limit it returns the
// Retry-After seconds and false.
func (d *Desk) admit(w http.ResponseWriter, a *account) (int, bool) {
	limit := a.cfg.RatePerMinute
	if limit <= 0 {
		return 0, true
	}
	now := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	keep := a.hits[:0]
	for _, t := range a.hits {
		if now.Sub(t) < time.Minute {
			keep = append(keep, t)
		}
	}
	a.hits = keep
	w.Header().Set("X-RateLimit-Total", strconv.Itoa(limit))
	if len(a.hits) >= limit {
		w.Header().Set("X-RateLimit-Remaining", "0")
		return max(1, int(math.Ceil(a.hits[0].Add(time.Minute).Sub(now).Seconds()))), false
	}
	a.hits = append(a.hits, now)
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(limit-len(a.hits)))
	w.Header().Set("X-RateLimit-Used-CurrentRequest", "1")
	return 0, true
}

// pathID parses the {id} segment; a non-numeric id is a violation and 404.
func (d *Desk) pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	s := r.PathValue("id")
	if !idRE.MatchString(s) {
		d.sb.Violate(r, "id %q is not a Freshdesk id", s)
		notFound(w)
		return 0, false
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n, true
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{"code": "access_denied", "message": "The requested resource does not exist"})
}

// getTicket serves GET /tickets/{id}?include=requester,company,stats,conversations.
func (d *Desk) getTicket(w http.ResponseWriter, r *http.Request, a *account) {
	q := r.URL.Query()
	errs := checkQuery(q, "include")
	errs = append(errs, checkList(q, "include", "requester", "company", "stats", "conversations")...)
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	id, ok := d.pathID(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t := a.tickets[id]
	if t == nil {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, a.ticketJSON(t, includes(q.Get("include")), true))
}

// ticketUpdateFields are the fields PUT /tickets/{id} accepts.
var ticketUpdateFields = []string{
	"name", "requester_id", "email", "phone", "twitter_id", "facebook_id", "unique_external_id",
	"subject", "type", "status", "priority", "description", "responder_id", "attachments",
	"custom_fields", "due_by", "fr_due_by", "email_config_id", "group_id", "product_id",
	"source", "tags", "company_id", "internal_agent_id", "internal_group_id",
}

// updateTicket serves PUT /tickets/{id}: validates, applies, counts the
// write, delivers ticket_updated (actor: the bot) and answers the ticket.
func (d *Desk) updateTicket(w http.ResponseWriter, r *http.Request, a *account) {
	id, obj, ok := d.writeRequest(w, r)
	if !ok {
		return
	}
	var (
		errs   []fieldError
		apply  []func(t *ticket, now time.Time)
		intsOf = map[string]bool{
			"requester_id": false, "responder_id": true, "email_config_id": true, "group_id": true, "product_id": true,
			"source": false, "company_id": true, "internal_agent_id": true, "internal_group_id": true,
		}
	)
	for _, k := range sortedRaw(obj) {
		raw := obj[k]
		switch {
		case !slices.Contains(ticketUpdateFields, k):
			errs = append(errs, invalidField(k))
		case k == "priority":
			n, _, e := asInt(k, raw, false)
			if e == nil && (n < 1 || n > 4) {
				e = []fieldError{invalidValue(k, "It should be one of these values: '1,2,3,4'")}
			}
			errs = append(errs, e...)
			apply = append(apply, func(t *ticket, _ time.Time) { t.priority = int(n) })
		case k == "status":
			n, _, e := asInt(k, raw, false)
			if e == nil && (n < statusOpen || n > statusClosed) {
				e = []fieldError{invalidValue(k, "It should be one of these values: '2,3,4,5'")}
			}
			errs = append(errs, e...)
			apply = append(apply, func(t *ticket, now time.Time) {
				t.status = int(n)
				if n == statusResolved || n == statusClosed {
					t.resolved = now
				}
			})
		case k == "tags":
			tags, e := asStrings(k, raw)
			for _, tag := range tags {
				if strings.TrimSpace(tag) == "" || strings.Contains(tag, ",") {
					e = append(e, invalidValue(k, "It should not contain empty tags or commas"))
					break
				}
			}
			errs = append(errs, e...)
			apply = append(apply, func(t *ticket, _ time.Time) { t.tags = uniqueTags(tags) })
		case k == "custom_fields":
			cf, e := asCustomFields(raw)
			errs = append(errs, e...)
			apply = append(apply, func(t *ticket, _ time.Time) {
				for key, v := range cf {
					t.custom[key] = v
				}
			})
		case k == "subject":
			s, e := asString(k, raw)
			errs = append(errs, e...)
			apply = append(apply, func(t *ticket, _ time.Time) { t.subject = s })
		case k == "description":
			s, e := asString(k, raw)
			errs = append(errs, e...)
			apply = append(apply, func(t *ticket, _ time.Time) { t.description, t.descriptionText = s, htmlToText(s) })
		case k == "attachments":
			errs = append(errs, invalidValue(k, "Attachments must be sent as multipart/form-data"))
		default:
			if nullable, isInt := intsOf[k]; isInt {
				_, _, e := asInt(k, raw, nullable)
				errs = append(errs, e...)
			} else {
				_, e := asString(k, raw)
				errs = append(errs, e...)
			}
		}
	}
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	d.mu.Lock()
	t := a.tickets[id]
	if t == nil {
		d.mu.Unlock()
		notFound(w)
		return
	}
	now := d.now()
	for _, f := range apply {
		f(t, now)
	}
	t.updated, t.writes = now, t.writes+1
	body := a.ticketJSON(t, nil, true)
	dl := a.hook(t, "ticket_updated", a.bot)
	d.mu.Unlock()
	if err := d.deliver(r.Context(), dl); err != nil {
		d.log.WarnContext(r.Context(), "ticket_updated webhook failed", "err", err.Error())
	}
	writeJSON(w, http.StatusOK, body)
}

// addNote serves POST /tickets/{id}/notes. It accepts body, private,
// incoming, notify_emails and user_id (an agent).
func (d *Desk) addNote(w http.ResponseWriter, r *http.Request, a *account) {
	d.addConversation(w, r, a, false)
}

// addReply serves POST /tickets/{id}/reply, a public reply e-mailed to the
// requester. It accepts body, cc_emails, bcc_emails, from_email and user_id
// (an agent). A reply by heard's agent to an account without AutoReply is
// a violation.
func (d *Desk) addReply(w http.ResponseWriter, r *http.Request, a *account) {
	d.addConversation(w, r, a, true)
}

// addConversation validates and stores a note or (reply) a public reply.
func (d *Desk) addConversation(w http.ResponseWriter, r *http.Request, a *account, reply bool) {
	id, obj, ok := d.writeRequest(w, r)
	if !ok {
		return
	}
	var (
		errs     []fieldError
		body     string
		private  = !reply // Freshdesk's default for a note
		incoming bool
		userID   = a.bot
	)
	for _, k := range sortedRaw(obj) {
		raw := obj[k]
		var e []fieldError
		switch {
		case k == "body":
			body, e = asString(k, raw)
		case k == "user_id":
			var n int64
			n, _, e = asInt(k, raw, false)
			userID = n
		case k == "attachments":
			e = []fieldError{invalidValue(k, "Attachments must be sent as multipart/form-data")}
		case !reply && k == "private":
			private, e = asBool(k, raw)
		case !reply && k == "incoming":
			incoming, e = asBool(k, raw)
		case !reply && k == "notify_emails", reply && (k == "cc_emails" || k == "bcc_emails"):
			_, e = asStrings(k, raw)
		case reply && k == "from_email":
			_, e = asString(k, raw)
		default:
			e = []fieldError{invalidField(k)}
		}
		errs = append(errs, e...)
	}
	if _, has := obj["body"]; !has {
		errs = append(errs, missing("body", "String"))
	} else if strings.TrimSpace(body) == "" && jsonType(obj["body"]) == "String" {
		errs = append(errs, invalidValue("body", "It should not be blank"))
	}
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	d.mu.Lock()
	t := a.tickets[id]
	if t == nil {
		d.mu.Unlock()
		notFound(w)
		return
	}
	if a.users[userID] == nil || !a.users[userID].agent {
		d.mu.Unlock()
		d.reject(w, r, []fieldError{invalidValue("user_id", "There is no agent with this user_id")})
		return
	}
	if reply && userID == a.bot {
		d.sb.PublicReply(r, a.cfg, "POST /tickets/{id}/reply")
	}
	now := d.now()
	source := sourceNote
	if reply {
		source = sourceReply
	}
	c := &conversation{id: a.id(), body: body, bodyText: htmlToText(body), incoming: incoming, private: private, userID: userID, source: source, created: now}
	t.convs = append(t.convs, c)
	t.updated, t.writes = now, t.writes+1
	out := a.convJSON(t, c)
	dl := a.hook(t, "ticket_updated", a.bot)
	d.mu.Unlock()
	if err := d.deliver(r.Context(), dl); err != nil {
		d.log.WarnContext(r.Context(), "ticket_updated webhook failed", "err", err.Error())
	}
	writeJSON(w, http.StatusCreated, out)
}

// listConversations serves GET /tickets/{id}/conversations, oldest first.
func (d *Desk) listConversations(w http.ResponseWriter, r *http.Request, a *account) {
	id, ok := d.pagedChild(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t := a.tickets[id]
	if t == nil {
		notFound(w)
		return
	}
	lo, hi, page, per, next, errs := pageBounds(r.URL.Query(), len(t.convs))
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	out := make([]map[string]any, 0, hi-lo)
	for _, c := range t.convs[lo:hi] {
		out = append(out, a.convJSON(t, c))
	}
	if next {
		setNextLink(w, r, page, per)
	}
	writeJSON(w, http.StatusOK, out)
}

// listTickets serves GET /tickets with Freshdesk's filters. Without
// updated_since only tickets created in the last 30 days are listed.
func (d *Desk) listTickets(w http.ResponseWriter, r *http.Request, a *account) {
	q := r.URL.Query()
	errs := checkQuery(q, "filter", "requester_id", "email", "company_id", "updated_since", "order_by", "order_type", "include", "page", "per_page")
	errs = append(errs, checkList(q, "filter", "new_and_my_open", "watching", "spam", "deleted")...)
	errs = append(errs, checkList(q, "order_by", "created_at", "due_by", "updated_at", "status")...)
	errs = append(errs, checkList(q, "order_type", "asc", "desc")...)
	errs = append(errs, checkList(q, "include", "stats", "requester", "description")...)
	var requester, companyID int64
	for name, dst := range map[string]*int64{"requester_id": &requester, "company_id": &companyID} {
		if q.Has(name) {
			n, err := strconv.ParseInt(q.Get(name), 10, 64)
			if err != nil || n < 1 {
				errs = append(errs, invalidValue(name, "It should be a Positive Integer"))
			}
			*dst = n
		}
	}
	var since time.Time
	if q.Has("updated_since") {
		t, err := time.Parse(time.RFC3339, q.Get("updated_since"))
		if err != nil {
			errs = append(errs, invalidValue("updated_since", "It should be in the 'valid date-time' format"))
		}
		since = t
	}
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	var list []*ticket
	for _, t := range a.sortedTickets() {
		switch {
		case requester != 0 && t.requesterID != requester,
			companyID != 0 && t.companyID != companyID,
			q.Has("email") && !a.hasEmail(t.requesterID, q.Get("email")),
			!since.IsZero() && t.updated.Before(since),
			since.IsZero() && now.Sub(t.created) > 30*24*time.Hour:
			continue
		}
		list = append(list, t)
	}
	by := q.Get("order_by")
	if by == "" {
		by = "created_at"
	}
	key := func(t *ticket) int64 {
		switch by {
		case "updated_at":
			return t.updated.Unix()
		case "status":
			return int64(t.status)
		}
		return t.created.Unix()
	}
	desc := q.Get("order_type") != "asc"
	slices.SortStableFunc(list, func(x, y *ticket) int {
		kx, ky := key(x), key(y)
		if kx == ky {
			kx, ky = x.id, y.id
		}
		if desc {
			kx, ky = ky, kx
		}
		switch {
		case kx < ky:
			return -1
		case kx > ky:
			return 1
		}
		return 0
	})
	lo, hi, page, per, next, errs := pageBounds(q, len(list))
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	inc := includes(q.Get("include"))
	out := make([]map[string]any, 0, hi-lo)
	for _, t := range list[lo:hi] {
		out = append(out, a.ticketJSON(t, inc, inc["description"]))
	}
	if next {
		setNextLink(w, r, page, per)
	}
	writeJSON(w, http.StatusOK, out)
}

// hasEmail reports whether user id has e-mail address email.
func (a *account) hasEmail(id int64, email string) bool {
	u := a.users[id]
	return u != nil && strings.EqualFold(u.email, email)
}

// getContact serves GET /contacts/{id}. Agents are not contacts here.
func (d *Desk) getContact(w http.ResponseWriter, r *http.Request, a *account) {
	if errs := checkQuery(r.URL.Query()); errs != nil {
		d.reject(w, r, errs)
		return
	}
	id, ok := d.pathID(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	u := a.users[id]
	if u == nil || u.agent {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": u.id, "name": u.name, "email": u.email, "active": true, "address": nil, "description": nil,
		"company_id": nullID(u.companyID), "job_title": nil, "language": "en", "mobile": nil, "phone": nil,
		"time_zone": "UTC", "twitter_id": nil, "other_emails": []string{}, "tags": []string{},
		"custom_fields": u.custom, "created_at": stamp(u.created), "updated_at": stamp(u.created),
	})
}

// getCompany serves GET /companies/{id}.
func (d *Desk) getCompany(w http.ResponseWriter, r *http.Request, a *account) {
	if errs := checkQuery(r.URL.Query()); errs != nil {
		d.reject(w, r, errs)
		return
	}
	id, ok := d.pathID(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	c := a.companies[id]
	if c == nil {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": c.id, "name": c.name, "description": nil, "domains": []string{}, "note": nil,
		"custom_fields": c.custom, "created_at": stamp(c.created), "updated_at": stamp(c.created),
	})
}

// me serves GET /agents/me: the bot agent, who owns the API key.
func (d *Desk) me(w http.ResponseWriter, r *http.Request, a *account) {
	if errs := checkQuery(r.URL.Query()); errs != nil {
		d.reject(w, r, errs)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	u := a.users[a.bot]
	scope := 1 // global access
	if a.cfg.ReadOnly {
		scope = 3 // restricted access: only tickets assigned to the agent
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": u.id, "available": true, "occasional": false, "signature": nil, "ticket_scope": scope,
		"contact":    map[string]any{"active": true, "email": u.email, "name": u.name, "language": "en", "time_zone": "UTC"},
		"created_at": stamp(u.created), "updated_at": stamp(u.created),
	})
}

// listCategories serves GET /solutions/categories.
func (d *Desk) listCategories(w http.ResponseWriter, r *http.Request, a *account) {
	if !d.pagedQuery(w, r) {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]map[string]any, 0, len(a.categories))
	for _, c := range a.categories {
		out = append(out, map[string]any{
			"id": c.id, "name": c.name, "description": c.description, "visible_in_portals": []int64{},
			"created_at": stamp(c.created), "updated_at": stamp(c.created),
		})
	}
	d.page(w, r, out)
}

// listFolders serves GET /solutions/categories/{id}/folders.
func (d *Desk) listFolders(w http.ResponseWriter, r *http.Request, a *account) {
	id, ok := d.pagedChild(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if !slices.ContainsFunc(a.categories, func(c *category) bool { return c.id == id }) {
		notFound(w)
		return
	}
	out := []map[string]any{}
	for _, f := range a.folders {
		if f.categoryID == id {
			out = append(out, map[string]any{
				"id": f.id, "name": f.name, "description": nil, "visibility": 1, "category_id": f.categoryID,
				"created_at": stamp(f.created), "updated_at": stamp(f.created),
			})
		}
	}
	d.page(w, r, out)
}

// listArticles serves GET /solutions/folders/{id}/articles, drafts included.
func (d *Desk) listArticles(w http.ResponseWriter, r *http.Request, a *account) {
	id, ok := d.pagedChild(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	f := a.folderByID(id)
	if f == nil {
		notFound(w)
		return
	}
	out := []map[string]any{}
	for _, ar := range a.articles {
		if ar.folderID == id {
			out = append(out, a.articleJSON(f, ar))
		}
	}
	d.page(w, r, out)
}

// getArticle serves GET /solutions/articles/{id}.
func (d *Desk) getArticle(w http.ResponseWriter, r *http.Request, a *account) {
	if errs := checkQuery(r.URL.Query()); errs != nil {
		d.reject(w, r, errs)
		return
	}
	id, ok := d.pathID(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, ar := range a.articles {
		if ar.id == id {
			writeJSON(w, http.StatusOK, a.articleJSON(a.folderByID(ar.folderID), ar))
			return
		}
	}
	notFound(w)
}

// page answers one page of items per page/per_page, with a Link header
// when more follow.
func (d *Desk) page(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	lo, hi, page, per, next, errs := pageBounds(r.URL.Query(), len(items))
	if errs != nil {
		d.reject(w, r, errs)
		return
	}
	if next {
		setNextLink(w, r, page, per)
	}
	writeJSON(w, http.StatusOK, items[lo:hi])
}

func (a *account) folderByID(id int64) *folder {
	for _, f := range a.folders {
		if f.id == id {
			return f
		}
	}
	return nil
}

// includes parses include=a,b.
func includes(s string) map[string]bool {
	m := map[string]bool{}
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			m[v] = true
		}
	}
	return m
}

// ticketJSON renders t as Freshdesk does; description only when asked.
func (a *account) ticketJSON(t *ticket, include map[string]bool, description bool) map[string]any {
	tags := t.tags
	if tags == nil {
		tags = []string{}
	}
	m := map[string]any{
		"id": t.id, "subject": t.subject, "status": t.status, "priority": t.priority, "source": t.source,
		"requester_id": t.requesterID, "responder_id": nullID(t.responderID), "company_id": nullID(t.companyID), "group_id": nullID(t.groupID),
		"product_id": nil, "email_config_id": nil, "type": nil, "tags": tags, "custom_fields": t.custom,
		"cc_emails": []string{}, "fwd_emails": []string{}, "reply_cc_emails": []string{}, "to_emails": nil,
		"fr_escalated": false, "is_escalated": false, "spam": false, "attachments": []any{},
		"due_by": stamp(t.created.Add(72 * time.Hour)), "fr_due_by": stamp(t.created.Add(24 * time.Hour)),
		"created_at": stamp(t.created), "updated_at": stamp(t.updated),
	}
	if description {
		m["description"], m["description_text"] = t.description, t.descriptionText
	}
	if include["requester"] {
		if u := a.users[t.requesterID]; u != nil {
			m["requester"] = map[string]any{"id": u.id, "name": u.name, "email": u.email, "mobile": nil, "phone": nil}
		}
	}
	if include["company"] {
		if c := a.companies[t.companyID]; c != nil {
			m["company"] = map[string]any{"id": c.id, "name": c.name}
		} else {
			m["company"] = map[string]any{}
		}
	}
	if include["stats"] {
		m["stats"] = map[string]any{"agent_responded_at": nil, "requester_responded_at": nil, "first_responded_at": nil,
			"status_updated_at": stamp(t.updated), "reopened_at": nil, "resolved_at": nullTime(t.resolved), "closed_at": nil, "pending_since": nil}
	}
	if include["conversations"] {
		convs := []map[string]any{}
		for _, c := range t.convs[:min(len(t.convs), 10)] {
			convs = append(convs, a.convJSON(t, c))
		}
		m["conversations"] = convs
	}
	return m
}

// convJSON renders a conversation.
func (a *account) convJSON(t *ticket, c *conversation) map[string]any {
	return map[string]any{
		"id": c.id, "body": c.body, "body_text": c.bodyText, "incoming": c.incoming, "private": c.private,
		"user_id": c.userID, "support_email": nil, "source": c.source, "ticket_id": t.id,
		"to_emails": []string{}, "from_email": nil, "cc_emails": []string{}, "bcc_emails": []string{},
		"attachments": []any{}, "created_at": stamp(c.created), "updated_at": stamp(c.created),
	}
}

// articleJSON renders a Solutions article.
func (a *account) articleJSON(f *folder, ar *article) map[string]any {
	var cat int64
	if f != nil {
		cat = f.categoryID
	}
	return map[string]any{
		"id": ar.id, "type": 1, "category_id": cat, "folder_id": ar.folderID, "title": ar.title,
		"description": ar.body, "description_text": htmlToText(ar.body), "status": ar.status, "agent_id": ar.agentID,
		"thumbs_up": 0, "thumbs_down": 0, "hits": 0, "tags": []string{}, "seo_data": map[string]any{},
		"created_at": stamp(ar.created), "updated_at": stamp(ar.updated),
	}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return stamp(t)
}

// pagedQuery rejects a list request with query parameters other than page
// and per_page; it reports whether the request may go on.
func (d *Desk) pagedQuery(w http.ResponseWriter, r *http.Request) bool {
	if errs := checkQuery(r.URL.Query(), "page", "per_page"); errs != nil {
		d.reject(w, r, errs)
		return false
	}
	return true
}

// pagedChild is pagedQuery for a list under a parent: it also reads the
// parent's {id}.
func (d *Desk) pagedChild(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if !d.pagedQuery(w, r) {
		return 0, false
	}
	return d.pathID(w, r)
}
