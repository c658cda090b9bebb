package freshdesk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/heardhq/heard/sandbox"
)

// Vendor is the path segment and connector type.
const Vendor = "freshdesk"

// HeaderSecret is the custom header the emulated automation rules send the
// account's Webhook.Secret in.
const HeaderSecret = "X-Heard-Secret"

// Freshdesk's numbers (CONTRACTS.md §2.5, §2.7).
const (
	statusOpen     = 2
	statusPending  = 3
	statusResolved = 4
	statusClosed   = 5

	priorityLow = 1

	sourceEmail = 1
	sourceReply = 0 // conversation source of an e-mail reply
	sourceNote  = 2 // conversation source of a note

	articleDraft     = 1
	articlePublished = 2
)

// firstID is where the account-wide id counter for users, companies,
// conversations and solutions starts; tickets count from 1. Distinct
// ranges make an id passed to the wrong endpoint a 404.
const firstID = 43000000000

var _ sandbox.Desk = (*Desk)(nil)

// Desk emulates Freshdesk. Create it with New; it is safe for concurrent
// use.
type Desk struct {
	sb  *sandbox.Server
	log *slog.Logger
	// Now is the emulation's clock; nil means time.Now. Set it before use.
	Now func() time.Time

	mu       sync.Mutex
	accounts map[string]*account
}

// account is one emulated Freshdesk account.
type account struct {
	cfg        sandbox.Account
	hookUser   string // webhook basic auth, when set
	hookPass   string
	nextTicket int64
	nextID     int64
	bot, human int64 // agent ids
	users      map[int64]*user
	companies  map[int64]*company
	tickets    map[int64]*ticket
	categories []*category
	folders    []*folder
	articles   []*article
	last       map[int64]*delivery // last webhook per ticket
	hits       []time.Time         // API calls in the last minute
}

type user struct {
	id        int64
	name      string
	email     string
	agent     bool
	companyID int64
	custom    map[string]any
	created   time.Time
}

type company struct {
	id      int64
	name    string
	custom  map[string]any
	created time.Time
}

type ticket struct {
	id              int64
	subject         string
	description     string // HTML
	descriptionText string
	status          int
	priority        int
	source          int
	requesterID     int64
	companyID       int64
	tags            []string
	custom          map[string]any // cf_ key → string, json.Number, bool or nil
	created         time.Time
	updated         time.Time
	resolved        time.Time
	convs           []*conversation
	writes          int
	responderID     int64   // the assigned agent, 0: none
	groupID         int64   // the assigned group, 0: none
	ratings         []*csat // customer satisfaction survey results, oldest first
}

// csat is one answer to the customer satisfaction survey.
type csat struct {
	id       int64
	userID   int64
	agentID  int64
	groupID  int64
	value    int // Freshdesk's scale: 103 extremely happy .. -103 extremely unhappy
	feedback string
	created  time.Time
}

type conversation struct {
	id       int64
	body     string // HTML
	bodyText string
	incoming bool
	private  bool
	userID   int64
	source   int
	created  time.Time
}

type category struct {
	id          int64
	name        string
	created     time.Time
	description string
}

type folder struct {
	id         int64
	categoryID int64
	name       string
	created    time.Time
}

type article struct {
	id       int64
	folderID int64
	title    string
	body     string
	status   int
	agentID  int64
	created  time.Time
	updated  time.Time
}

// delivery is one webhook, kept for Redeliver.
type delivery struct {
	url    string
	body   []byte
	header http.Header
}

// New returns the emulation with its routes registered on sb.
func New(sb *sandbox.Server) *Desk {
	d := &Desk{sb: sb, log: sb.Logger().With("vendor", Vendor), accounts: map[string]*account{}}
	d.routes()
	return d
}

// Vendor returns "freshdesk".
func (d *Desk) Vendor() string { return Vendor }

// BaseURL returns root + "/freshdesk/" + account: the connector's base_url.
func (d *Desk) BaseURL(root, account string) string {
	return strings.TrimRight(root, "/") + "/" + Vendor + "/" + account
}

var (
	accountRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	idRE      = regexp.MustCompile(`^[1-9][0-9]{0,18}$`)
)

// AddAccount creates an account with a bot agent (BotUserID, or a new id)
// and a human agent who resolves tickets.
func (d *Desk) AddAccount(a sandbox.Account) error {
	if !accountRE.MatchString(a.Name) {
		return fmt.Errorf("adding freshdesk account %q: want a lower-case helpdesk name", a.Name)
	}
	if a.APIToken == "" {
		return fmt.Errorf("adding freshdesk account %q: APIToken (the API key) is required", a.Name)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.accounts[a.Name]; dup {
		return fmt.Errorf("adding freshdesk account %q: already exists", a.Name)
	}
	now := d.now()
	acct := &account{
		cfg: a, nextTicket: 1, nextID: firstID,
		users: map[int64]*user{}, companies: map[int64]*company{}, tickets: map[int64]*ticket{},
		last: map[int64]*delivery{},
	}
	acct.bot = acct.id()
	if a.BotUserID != "" {
		if !idRE.MatchString(a.BotUserID) {
			return fmt.Errorf("adding freshdesk account %q: BotUserID %q is not a Freshdesk id", a.Name, a.BotUserID)
		}
		acct.bot, _ = strconv.ParseInt(a.BotUserID, 10, 64)
	}
	email := a.Email
	if email == "" {
		email = "heard@" + a.Name + ".example"
	}
	acct.users[acct.bot] = &user{id: acct.bot, name: "heard", email: email, agent: true, created: now}
	acct.human = acct.id()
	acct.users[acct.human] = &user{id: acct.human, name: "Sam Support", email: "sam@" + a.Name + ".example", agent: true, created: now}
	d.accounts[a.Name] = acct
	return nil
}

// BotAgentID returns the id of the account's bot agent (the API key's
// owner, as GET /api/v2/agents/me reports it).
func (d *Desk) BotAgentID(account string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.account(account)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(a.bot, 10), nil
}

// SetWebhookBasicAuth makes the account's rules send HTTP Basic
// credentials with every later webhook, besides the secret header (which
// is left out when Webhook.Secret is empty).
func (d *Desk) SetWebhookBasicAuth(account, username, password string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.account(account)
	if err != nil {
		return err
	}
	a.hookUser, a.hookPass = username, password
	return nil
}

// CreateTicket stores a ticket opened by e-mail and delivers ticket_created.
// Body is taken as HTML, as Freshdesk keeps e-mail bodies. The requester's
// contact and the organization's company are found by e-mail and name or
// created; Customer attributes go to the company's custom fields when an
// Organization is given, else the contact's, under the keys of
// Account.CustomFields (unmapped attributes are not stored).
func (d *Desk) CreateTicket(ctx context.Context, account string, nt sandbox.NewTicket) (string, error) {
	d.mu.Lock()
	a, err := d.account(account)
	if err != nil {
		d.mu.Unlock()
		return "", err
	}
	now := d.now()
	created := now
	if !nt.Created.IsZero() {
		created = nt.Created.UTC().Truncate(time.Second)
	}
	req := a.contact(nt.Requester, now)
	var co *company
	if nt.Organization != "" {
		co = a.company(nt.Organization, now)
		req.companyID = co.id
	}
	for attr, v := range nt.Customer {
		key, ok := a.cfg.CustomFields[attr]
		if !ok {
			continue
		}
		if co != nil {
			co.custom[key] = v
		} else {
			req.custom[key] = v
		}
	}
	t := &ticket{
		id: a.nextTicket, subject: nt.Subject,
		description: "<div>" + nt.Body + "</div>", descriptionText: htmlToText(nt.Body),
		status: statusOpen, priority: priorityLow, source: sourceEmail,
		requesterID: req.id, tags: uniqueTags(nt.Tags), custom: map[string]any{},
		created: created, updated: latest(created, now),
	}
	if co != nil {
		t.companyID = co.id
	}
	a.nextTicket++
	a.tickets[t.id] = t
	dl := a.hook(t, "ticket_created", req.id)
	d.mu.Unlock()
	return strconv.FormatInt(t.id, 10), d.deliver(ctx, dl)
}

// Reply adds the requester's e-mail reply (Body as HTML), reopens a pending
// or resolved ticket and delivers customer_replied.
func (d *Desk) Reply(ctx context.Context, account, id, body string) error {
	d.mu.Lock()
	a, t, err := d.ticket(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	now := d.now()
	t.convs = append(t.convs, &conversation{
		id: a.id(), body: "<div>" + body + "</div>", bodyText: htmlToText(body),
		incoming: true, userID: t.requesterID, source: sourceReply, created: now,
	})
	if t.status == statusPending || t.status == statusResolved {
		t.status = statusOpen
	}
	t.updated = now
	dl := a.hook(t, "customer_replied", t.requesterID)
	d.mu.Unlock()
	return d.deliver(ctx, dl)
}

// Solve is the human agent resolving the ticket (status 4) with a final
// priority ("P0".."P3"; "" keeps it) and tags (nil keeps them, otherwise
// they replace the list); it delivers ticket_resolved.
func (d *Desk) Solve(ctx context.Context, account, id string, priority string, tags []string) error {
	p := 0
	if priority != "" {
		var ok bool
		if p, ok = map[string]int{"P0": 4, "P1": 3, "P2": 2, "P3": 1}[strings.ToUpper(priority)]; !ok {
			return fmt.Errorf("solving freshdesk ticket %s: priority %q: want P0..P3", id, priority)
		}
	}
	d.mu.Lock()
	a, t, err := d.ticket(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	if p != 0 {
		t.priority = p
	}
	if tags != nil {
		t.tags = uniqueTags(tags)
	}
	now := d.bump(t)
	t.status, t.resolved = statusResolved, now
	dl := a.hook(t, "ticket_resolved", a.human)
	d.mu.Unlock()
	return d.deliver(ctx, dl)
}

// Redeliver sends the ticket's last webhook again, byte for byte.
func (d *Desk) Redeliver(ctx context.Context, account, id string) error {
	d.mu.Lock()
	a, t, err := d.ticket(account, id)
	var dl *delivery
	if err == nil {
		dl = a.last[t.id]
	}
	d.mu.Unlock()
	if err != nil {
		return err
	}
	if dl == nil {
		return fmt.Errorf("redelivering freshdesk ticket %s: no webhook was sent for it", id)
	}
	return d.deliver(ctx, dl)
}

// State reads the ticket back as an agent sees it: Status and Priority as
// Freshdesk's numbers ("2", "3"), Fields by cf_ key, Notes (the notes, each
// with its private flag; body as text), Messages (description and public
// replies), Writes (successful API writes).
func (d *Desk) State(account, id string) (sandbox.TicketState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, t, err := d.ticket(account, id)
	if err != nil {
		return sandbox.TicketState{}, err
	}
	st := sandbox.TicketState{
		ID: strconv.FormatInt(t.id, 10), Subject: t.subject,
		Status: strconv.Itoa(t.status), Priority: strconv.Itoa(t.priority),
		Tags: slices.Sorted(slices.Values(t.tags)), Fields: map[string]string{},
		Messages: 1, Writes: t.writes,
	}
	if t.responderID != 0 {
		st.Assignee = strconv.FormatInt(t.responderID, 10)
	}
	if t.groupID != 0 {
		st.Group = strconv.FormatInt(t.groupID, 10)
	}
	if n := len(t.ratings); n > 0 {
		st.Rating = strconv.Itoa(t.ratings[n-1].value)
	}
	for k, v := range t.custom {
		if s, ok := fieldText(v); ok {
			st.Fields[k] = s
		}
	}
	for _, c := range t.convs {
		switch {
		case c.source == sourceNote:
			author := strconv.FormatInt(c.userID, 10)
			if u := a.users[c.userID]; u != nil {
				author = u.name
			}
			st.Notes = append(st.Notes, sandbox.Note{Body: c.bodyText, Private: c.private, Author: author, At: c.created})
		case !c.private:
			st.Messages++
			if !c.incoming && c.userID == a.bot {
				st.Replies = append(st.Replies, sandbox.Note{Body: c.bodyText, Author: strconv.FormatInt(c.userID, 10), At: c.created})
			}
		}
	}
	return st, nil
}

// AddArticle adds a Solutions article. Section "Category/Folder" names both;
// a bare "Folder" goes to category "General"; "" to General/General. Drafts
// get status 1, the others 2 (published).
func (d *Desk) AddArticle(account string, art sandbox.Article) (string, error) {
	if art.Title == "" {
		return "", fmt.Errorf("adding freshdesk article: title is required")
	}
	catName, folderName := "General", "General"
	if s := strings.TrimSpace(art.Section); s != "" {
		if c, f, ok := strings.Cut(s, "/"); ok {
			catName, folderName = strings.TrimSpace(c), strings.TrimSpace(f)
		} else {
			folderName = s
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.account(account)
	if err != nil {
		return "", err
	}
	now := d.now()
	updated := now
	if !art.Updated.IsZero() {
		updated = art.Updated.UTC().Truncate(time.Second)
	}
	f := a.folder(catName, folderName, now)
	st := articlePublished
	if art.Draft {
		st = articleDraft
	}
	ar := &article{id: a.id(), folderID: f.id, title: art.Title, body: art.Body, status: st, agentID: a.human, created: updated, updated: updated}
	a.articles = append(a.articles, ar)
	return strconv.FormatInt(ar.id, 10), nil
}

// now returns the clock, truncated to seconds as Freshdesk's timestamps are.
func (d *Desk) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

// account returns the named account; d.mu must be held.
func (d *Desk) account(name string) (*account, error) {
	a, ok := d.accounts[name]
	if !ok {
		return nil, fmt.Errorf("freshdesk account %q does not exist", name)
	}
	return a, nil
}

// ticket returns the account and ticket; d.mu must be held.
func (d *Desk) ticket(account, id string) (*account, *ticket, error) {
	a, err := d.account(account)
	if err != nil {
		return nil, nil, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || a.tickets[n] == nil {
		return nil, nil, fmt.Errorf("freshdesk account %q has no ticket %q", account, id)
	}
	return a, a.tickets[n], nil
}

// id hands out the next account-wide id.
func (a *account) id() int64 {
	a.nextID++
	return a.nextID
}

// contact finds the contact by e-mail or creates it.
func (a *account) contact(p sandbox.Person, now time.Time) *user {
	for _, u := range a.users {
		if !u.agent && strings.EqualFold(u.email, p.Email) {
			return u
		}
	}
	u := &user{id: a.id(), name: p.Name, email: p.Email, custom: map[string]any{}, created: now}
	a.users[u.id] = u
	return u
}

// company finds the company by name or creates it.
func (a *account) company(name string, now time.Time) *company {
	for _, c := range a.companies {
		if c.name == name {
			return c
		}
	}
	c := &company{id: a.id(), name: name, custom: map[string]any{}, created: now}
	a.companies[c.id] = c
	return c
}

// folder finds the folder by category and folder name or creates both.
func (a *account) folder(catName, name string, now time.Time) *folder {
	var cat *category
	for _, c := range a.categories {
		if c.name == catName {
			cat = c
		}
	}
	if cat == nil {
		cat = &category{id: a.id(), name: catName, created: now}
		a.categories = append(a.categories, cat)
	}
	for _, f := range a.folders {
		if f.categoryID == cat.id && f.name == name {
			return f
		}
	}
	f := &folder{id: a.id(), categoryID: cat.id, name: name, created: now}
	a.folders = append(a.folders, f)
	return f
}

// hookBody is the Advanced rule body the emulated rules send: only
// {{ticket.id}} is a placeholder, and event is fixed text per rule.
type hookBody struct {
	TicketID string `json:"ticket_id"`
	Event    string `json:"event"`
}

// hook builds the webhook for event on t, performed by actor, and
// remembers it for Redeliver. It returns nil when the account has no
// webhook URL, and when actor is the bot agent: the emulated rules carry
// the condition heard documents, "performed by" is not heard's agent.
// d.mu must be held.
func (a *account) hook(t *ticket, event string, actor int64) *delivery {
	if a.cfg.Webhook.URL == "" || actor == a.bot {
		return nil
	}
	body, err := json.Marshal(hookBody{TicketID: strconv.FormatInt(t.id, 10), Event: event})
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	if a.cfg.Webhook.Secret != "" {
		h.Set(HeaderSecret, a.cfg.Webhook.Secret)
	}
	if a.hookUser != "" || a.hookPass != "" {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.hookUser+":"+a.hookPass)))
	}
	dl := &delivery{url: a.cfg.Webhook.URL, body: body, header: h}
	a.last[t.id] = dl
	return dl
}

// deliver sends dl (nil: nothing). A receiver answering non-2xx is
// logged: Freshdesk does not care either.
func (d *Desk) deliver(ctx context.Context, dl *delivery) error {
	if dl == nil {
		return nil
	}
	status, err := d.sb.Deliver(ctx, dl.url, dl.body, dl.header.Clone())
	if err != nil {
		return fmt.Errorf("freshdesk webhook: %w", err)
	}
	if status/100 != 2 {
		d.log.WarnContext(ctx, "webhook receiver answered non-2xx", "status", status, "url", dl.url)
	}
	return nil
}

// uniqueTags drops empty and repeated tags, keeping the first spelling.
func uniqueTags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// fieldText renders a custom field value as text; nil is absent.
func fieldText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return fmt.Sprint(v), true
}

// latest returns the later of a and b.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// stamp formats t as Freshdesk does: RFC 3339 in UTC, whole seconds.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// sortedTickets returns the account's tickets by id.
func (a *account) sortedTickets() []*ticket {
	out := make([]*ticket, 0, len(a.tickets))
	for _, t := range a.tickets {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
