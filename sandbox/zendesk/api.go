package zendesk

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// reply is an endpoint's answer, written after d.mu is released and the
// webhooks in out are delivered.
type reply struct {
	status int
	body   any
	out    []*delivery
}

// call is one authenticated API request.
type call struct {
	r    *http.Request
	a    *account
	me   *user
	base string // scheme://host/zendesk/{account}
}

type endpoint func(d *Desk, c *call) reply

// Query parameters each endpoint knows; others are ignored by Zendesk and
// recorded as violations here (they are heard's mistakes).
var (
	noParams      = []string{"include"}
	cursorParams  = []string{"page[size]", "page[after]", "page[before]", "page", "per_page"}
	commentParams = append([]string{"include", "include_inline_images", "sort_order", "sort"}, cursorParams...)
	ticketsParams = append([]string{"include", "sort", "sort_by", "sort_order"}, cursorParams...)
	articleParams = append([]string{"include", "sort_by", "sort_order", "label_names", "locale"}, cursorParams...)
	incParams     = []string{"start_time", "include", "per_page", "page"}
	// searchParams include the cursor parameters so that getSearch, not
	// the generic check, answers them: search.json rejects them.
	searchParams = []string{"query", "sort_by", "sort_order", "page", "per_page", "include", "page[size]", "page[after]", "page[before]"}
)

func (d *Desk) routes() {
	const p = "/" + Vendor + "/{account}/api/v2"
	d.route("GET "+p+"/tickets/{id}", noParams, (*Desk).getTicket)
	d.route("PUT "+p+"/tickets/{id}", []string{}, (*Desk).putTicket)
	d.route("GET "+p+"/tickets/{id}/comments", commentParams, (*Desk).getComments)
	d.route("GET "+p+"/users/me", noParams, (*Desk).getMe)
	d.route("GET "+p+"/users/{id}", noParams, (*Desk).getUser)
	d.route("GET "+p+"/users/{id}/tickets/requested", ticketsParams, (*Desk).getRequested)
	d.route("GET "+p+"/organizations/{id}", noParams, (*Desk).getOrg)
	d.route("GET "+p+"/help_center/articles", articleParams, (*Desk).getArticles)
	d.route("GET "+p+"/help_center/incremental/articles", incParams, (*Desk).getIncremental)
	d.route("GET "+p+"/search", searchParams, (*Desk).getSearch)
	d.route("GET "+p+"/search.json", searchParams, (*Desk).getSearch)
}

func (d *Desk) route(pattern string, params []string, h endpoint) {
	d.sb.Handle(pattern, func(w http.ResponseWriter, r *http.Request) { d.serve(w, r, params, h) })
}

// Zendesk's error bodies.
var (
	errAuth     = map[string]any{"error": "Couldn't authenticate you"}
	errNotFound = map[string]any{"error": "RecordNotFound", "description": "Not found"}
	// errForbidden answers an end-user's write (Account.ReadOnly).
	errForbidden = map[string]any{"error": "Forbidden", "description": "You do not have access to this page. Please contact the account owner of this help desk for further help."}
	errConflict  = map[string]any{"error": "UpdateConflict",
		"description": "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again."}
)

func badRequest(problem string) map[string]any {
	return map[string]any{"error": "InvalidValue", "description": problem}
}

func recordInvalid(field, problem string) map[string]any {
	return map[string]any{"error": "RecordInvalid", "description": "Record validation errors",
		"details": map[string]any{field: []map[string]string{{"description": problem}}}}
}

// serve authenticates, rate-limits and checks the query, runs h under
// d.mu, delivers the webhooks h produced, then answers.
func (d *Desk) serve(w http.ResponseWriter, r *http.Request, params []string, h endpoint) {
	d.mu.Lock()
	a, ok := d.accounts[r.PathValue("account")]
	if !ok {
		d.mu.Unlock()
		writeJSON(w, http.StatusNotFound, errNotFound, nil)
		return
	}
	me := d.authenticate(a, r)
	if me == nil {
		d.mu.Unlock()
		writeJSON(w, http.StatusUnauthorized, errAuth, nil)
		return
	}
	hdr, wait := d.limit(a)
	if wait > 0 {
		d.mu.Unlock()
		hdr.Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "APIRateLimitExceeded",
			"description": "Number of allowed API requests per minute exceeded"}, hdr)
		return
	}
	for k := range r.URL.Query() {
		if !slices.Contains(params, k) {
			d.sb.Violate(r, "unknown query parameter %q (Zendesk ignores it)", k)
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	rep := h(d, &call{r: r, a: a, me: me, base: scheme + "://" + r.Host + "/" + Vendor + "/" + a.cfg.Name})
	d.mu.Unlock()
	if len(rep.out) > 0 {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 15*time.Second)
		if err := d.send(ctx, rep.out); err != nil {
			d.log.WarnContext(ctx, "delivering webhooks after an API write", "account", a.cfg.Name, "err", err)
		}
		cancel()
	}
	writeJSON(w, rep.status, rep.body, hdr)
}

// authenticate returns the API user for Basic "{email}/token:{token}"
// credentials, or nil. d.mu must be held.
func (d *Desk) authenticate(a *account, r *http.Request) *user {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return nil
	}
	email, token, ok := strings.Cut(string(raw), "/token:")
	if !ok || !strings.EqualFold(email, a.cfg.Email) || subtle.ConstantTimeCompare([]byte(token), []byte(a.cfg.APIToken)) != 1 {
		return nil
	}
	return a.users[a.byEmail[strings.ToLower(email)]]
}

// limit counts the call against the account's per-minute budget. It returns
// the rate headers and, when over budget, how long to wait. d.mu must be
// held.
func (d *Desk) limit(a *account) (http.Header, time.Duration) {
	hdr := http.Header{}
	n := a.cfg.RatePerMinute
	if n <= 0 {
		return hdr, 0
	}
	now := d.now()
	a.calls = slices.DeleteFunc(a.calls, func(t time.Time) bool { return now.Sub(t) >= time.Minute })
	hdr.Set("X-Rate-Limit", strconv.Itoa(n))
	if len(a.calls) >= n {
		hdr.Set("X-Rate-Limit-Remaining", "0")
		wait := a.calls[0].Add(time.Minute).Sub(now)
		return hdr, max(time.Second, (wait + time.Second - 1).Truncate(time.Second)) // whole seconds, rounded up
	}
	a.calls = append(a.calls, now)
	hdr.Set("X-Rate-Limit-Remaining", strconv.Itoa(n-len(a.calls)))
	return hdr, 0
}

func writeJSON(w http.ResponseWriter, status int, body any, hdr http.Header) {
	for k, vs := range hdr {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"InternalError"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// pathID parses the {id} path segment; 0 when it is not a positive integer.
func pathID(r *http.Request) int64 {
	id, err := strconv.ParseInt(strings.TrimSuffix(r.PathValue("id"), ".json"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func notFound() reply { return reply{status: http.StatusNotFound, body: errNotFound} }

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }

// invalid records a violation and answers 400 or 422 with Zendesk's body.
func (d *Desk) invalid(c *call, status int, field, format string, args ...any) reply {
	problem := fmt.Sprintf(format, args...)
	d.sb.Violate(c.r, "%s", problem)
	if status == http.StatusUnprocessableEntity {
		return reply{status: status, body: recordInvalid(field, problem)}
	}
	return reply{status: status, body: badRequest(problem)}
}

func (d *Desk) getTicket(c *call) reply {
	t := c.a.tickets[pathID(c.r)]
	if t == nil {
		return notFound()
	}
	return ok(map[string]any{"ticket": c.a.wireTicket(c.base, t)})
}

func (d *Desk) getComments(c *call) reply {
	t := c.a.tickets[pathID(c.r)]
	if t == nil {
		return notFound()
	}
	cs := slices.Clone(t.comments)
	if order := c.r.URL.Query().Get("sort_order"); order == "desc" || c.r.URL.Query().Get("sort") == "-created_at" {
		slices.Reverse(cs)
	}
	pg, problem := paginate(c.r, len(cs), 100)
	if problem != "" {
		return d.invalid(c, http.StatusBadRequest, "page", "%s", problem)
	}
	body := pg.body(c.r)
	body["comments"] = wireComments(cs[pg.start:pg.end])
	return ok(body)
}

func (d *Desk) getMe(c *call) reply {
	return ok(map[string]any{"user": c.a.wireUser(c.base, c.me)})
}

func (d *Desk) getUser(c *call) reply {
	u := c.a.users[pathID(c.r)]
	if u == nil {
		return notFound()
	}
	return ok(map[string]any{"user": c.a.wireUser(c.base, u)})
}

func (d *Desk) getOrg(c *call) reply {
	o := c.a.orgs[pathID(c.r)]
	if o == nil {
		return notFound()
	}
	return ok(map[string]any{"organization": c.a.wireOrg(c.base, o)})
}

// ticketSorts are the sort orders the ticket lists accept.
var ticketSorts = map[string]func(a, b *ticket) int{
	"id":         func(a, b *ticket) int { return cmp.Compare(a.id, b.id) },
	"updated_at": func(a, b *ticket) int { return cmp.Or(a.updated.Compare(b.updated), cmp.Compare(a.id, b.id)) },
	"created_at": func(a, b *ticket) int { return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.id, b.id)) },
	"status":     func(a, b *ticket) int { return cmp.Or(cmp.Compare(a.status, b.status), cmp.Compare(a.id, b.id)) },
}

func (d *Desk) getRequested(c *call) reply {
	u := c.a.users[pathID(c.r)]
	if u == nil {
		return notFound()
	}
	var ts []*ticket
	for _, t := range c.a.tickets {
		if t.requesterID == u.id {
			ts = append(ts, t)
		}
	}
	q := c.r.URL.Query()
	key, desc := "id", false
	if s := q.Get("sort"); s != "" { // cursor pagination: sort=-updated_at
		key, desc = strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-")
	} else if s := q.Get("sort_by"); s != "" { // offset pagination: sort_by + sort_order
		key, desc = s, q.Get("sort_order") == "desc"
	}
	less, known := ticketSorts[key]
	if !known {
		return d.invalid(c, http.StatusBadRequest, "sort", "sort %q: want one of id, updated_at, created_at, status", key)
	}
	slices.SortFunc(ts, less)
	if desc {
		slices.Reverse(ts)
	}
	pg, problem := paginate(c.r, len(ts), 100)
	if problem != "" {
		return d.invalid(c, http.StatusBadRequest, "page", "%s", problem)
	}
	out := make([]wireTicket, 0, pg.end-pg.start)
	for _, t := range ts[pg.start:pg.end] {
		out = append(out, c.a.wireTicket(c.base, t))
	}
	body := pg.body(c.r)
	body["tickets"] = out
	return ok(body)
}

// sortedArticles lists the account's articles by id.
func (a *account) sortedArticles() []*article {
	out := make([]*article, 0, len(a.articles))
	for _, art := range a.articles {
		out = append(out, art)
	}
	slices.SortFunc(out, func(x, y *article) int { return cmp.Compare(x.id, y.id) })
	return out
}

func (d *Desk) getArticles(c *call) reply {
	arts := c.a.sortedArticles()
	pg, problem := paginate(c.r, len(arts), 30)
	if problem != "" {
		return d.invalid(c, http.StatusBadRequest, "page", "%s", problem)
	}
	out := make([]wireArticle, 0, pg.end-pg.start)
	for _, art := range arts[pg.start:pg.end] {
		out = append(out, c.a.wireArticle(c.base, art))
	}
	body := pg.body(c.r)
	body["articles"] = out
	return ok(body)
}

// incrementalLimit is how many articles one incremental page holds.
const incrementalLimit = 100

// getIncremental is the time-based incremental export: articles updated at
// or after start_time, oldest change first, with next_page (start_time =
// end_time, the last article's update) while pages are full.
func (d *Desk) getIncremental(c *call) reply {
	raw := c.r.URL.Query().Get("start_time")
	start, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || start < 0 {
		return d.invalid(c, http.StatusBadRequest, "start_time", "start_time %q: want a Unix time in seconds", raw)
	}
	var arts []*article
	for _, art := range c.a.sortedArticles() {
		if art.updated.Unix() >= start {
			arts = append(arts, art)
		}
	}
	slices.SortStableFunc(arts, func(x, y *article) int { return x.updated.Compare(y.updated) })
	arts = arts[:min(len(arts), incrementalLimit)]
	out := make([]wireArticle, 0, len(arts))
	end := start
	for _, art := range arts {
		out = append(out, c.a.wireArticle(c.base, art))
		end = art.updated.Unix()
	}
	var next *string
	if len(arts) == incrementalLimit {
		u := c.base + "/api/v2/help_center/incremental/articles?start_time=" + strconv.FormatInt(end, 10)
		next = &u
	}
	return ok(map[string]any{"articles": out, "next_page": next, "count": len(out), "end_time": end})
}

// page is the window of a list a request asks for.
type page struct {
	start, end, n int
	cursor        bool
	size          int // cursor: page[size]; offset: per_page
	number        int // offset: page
}

// paginate picks the window of n items r asks for: cursor pagination when a
// page[...] parameter is present (page[size] ≤ 100), else offset pagination
// (page ≤ 100, per_page ≤ 100, default def). problem is set for a request
// Zendesk answers 400.
func paginate(r *http.Request, n, def int) (page, string) {
	q := r.URL.Query()
	cursor := false
	for k := range q {
		if strings.HasPrefix(k, "page[") {
			cursor = true
		}
	}
	pg := page{n: n, cursor: cursor, size: def, number: 1}
	sizeKey := "per_page"
	if cursor {
		sizeKey = "page[size]"
	}
	if s := q.Get(sizeKey); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 100 {
			return pg, fmt.Sprintf("%s %q: want an integer from 1 to 100", sizeKey, s)
		}
		pg.size = v
	}
	if !cursor {
		if s := q.Get("page"); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 {
				return pg, fmt.Sprintf("page %q: want a positive integer", s)
			}
			if v > 100 {
				return pg, fmt.Sprintf("page %d: offset pagination is limited to 100 pages; use cursor pagination", v)
			}
			pg.number = v
		}
		pg.start = min(n, (pg.number-1)*pg.size)
		pg.end = min(n, pg.start+pg.size)
		return pg, ""
	}
	switch after, before := q.Get("page[after]"), q.Get("page[before]"); {
	case after != "":
		i, ok := decodeCursor(after)
		if !ok || i > n {
			return pg, fmt.Sprintf("page[after] %q: invalid cursor", after)
		}
		pg.start = i
		pg.end = min(n, i+pg.size)
	case before != "":
		i, ok := decodeCursor(before)
		if !ok || i > n {
			return pg, fmt.Sprintf("page[before] %q: invalid cursor", before)
		}
		pg.start = max(0, i-pg.size)
		pg.end = i
	default:
		pg.end = min(n, pg.size)
	}
	return pg, ""
}

func encodeCursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("sbx:" + strconv.Itoa(i)))
}

func decodeCursor(s string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), "sbx:") {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimPrefix(string(b), "sbx:"))
	return i, err == nil && i >= 0
}

// body returns the pagination part of a list response.
func (pg page) body(r *http.Request) map[string]any {
	link := func(set map[string]string, drop ...string) *string {
		q := r.URL.Query()
		for _, k := range drop {
			q.Del(k)
		}
		for k, v := range set {
			q.Set(k, v)
		}
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		u := (&url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}).String()
		return &u
	}
	if pg.cursor {
		meta := wireMeta{HasMore: pg.end < pg.n}
		links := wireLinks{}
		if pg.end > pg.start {
			after, before := encodeCursor(pg.end), encodeCursor(pg.start)
			meta.AfterCursor, meta.BeforeCursor = &after, &before
			if meta.HasMore {
				links.Next = link(map[string]string{"page[after]": after}, "page[before]")
			}
			if pg.start > 0 {
				links.Prev = link(map[string]string{"page[before]": before}, "page[after]")
			}
		}
		return map[string]any{"meta": meta, "links": links}
	}
	body := map[string]any{"count": pg.n, "next_page": nil, "previous_page": nil}
	if pg.end < pg.n {
		body["next_page"] = link(map[string]string{"page": strconv.Itoa(pg.number + 1), "per_page": strconv.Itoa(pg.size)})
	}
	if pg.number > 1 {
		body["previous_page"] = link(map[string]string{"page": strconv.Itoa(pg.number - 1), "per_page": strconv.Itoa(pg.size)})
	}
	return body
}
