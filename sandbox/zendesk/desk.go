package zendesk

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

// Vendor is the path segment and connector type.
const Vendor = "zendesk"

var _ sandbox.Desk = (*Desk)(nil)

// Desk is the Zendesk emulation. It is safe for concurrent use.
type Desk struct {
	sb  *sandbox.Server
	log *slog.Logger
	now func() time.Time

	// SearchLimit is how many results one search query can page through
	// (Zendesk: 1,000); zero means DefaultSearchLimit. Set it before
	// serving.
	SearchLimit int

	mu       sync.Mutex
	accounts map[string]*account
	seq      int64 // ids of users, organizations, comments, sections, articles
	acctSeq  int64 // Zendesk account ids
}

// account is one Zendesk account (subdomain).
type account struct {
	cfg       sandbox.Account
	id        int64  // account_id in webhook payloads
	webhookID string // x-zendesk-webhook-id
	botID     int64  // the API user (role admin)
	agentID   int64  // the agent who solves tickets

	users      map[int64]*user
	byEmail    map[string]int64
	orgs       map[int64]*org
	orgByName  map[string]int64
	tickets    map[int64]*ticket
	lastTicket int64
	articles   map[int64]*article
	sections   map[string]int64
	last       map[int64]*delivery // the last webhook per ticket
	calls      []time.Time         // API calls in the last minute
}

type user struct {
	id      int64
	name    string
	email   string
	role    string // end-user | agent | admin
	orgID   int64
	fields  map[string]any
	created time.Time
}

type org struct {
	id      int64
	name    string
	fields  map[string]any
	created time.Time
}

type ticket struct {
	id          int64
	subject     string
	description string
	status      string // new | open | pending | hold | solved | closed
	priority    string // urgent | high | normal | low | ""
	requesterID int64
	orgID       int64
	tags        []string
	custom      map[int64]any
	comments    []*comment
	created     time.Time
	updated     time.Time
	writes      int
	assigneeID  int64  // 0: unassigned
	groupID     int64  // 0: no group
	rating      string // satisfaction_rating.score once rated: good | bad
	ratingNote  string // satisfaction_rating.comment
}

type comment struct {
	id       int64
	authorID int64
	body     string // plain text
	html     string
	public   bool
	created  time.Time
}

type article struct {
	id        int64
	sectionID int64
	title     string
	body      string
	locale    string
	draft     bool
	created   time.Time
	updated   time.Time
}

// New returns the Zendesk emulation with its routes registered on sb.
func New(sb *sandbox.Server) *Desk {
	d := &Desk{
		sb: sb, log: sb.Logger().With("vendor", Vendor), now: time.Now,
		accounts: map[string]*account{}, seq: 8447388090000, acctSeq: 22129800,
	}
	d.routes()
	return d
}

// Vendor implements sandbox.Desk.
func (d *Desk) Vendor() string { return Vendor }

// BaseURL implements sandbox.Desk: root + "/zendesk/" + account.
func (d *Desk) BaseURL(root, account string) string {
	return strings.TrimRight(root, "/") + "/" + Vendor + "/" + account
}

var accountRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// AddAccount implements sandbox.Desk. The account's API user (Email) is an
// admin with id BotUserID, or a new id when that is empty.
func (d *Desk) AddAccount(a sandbox.Account) error {
	if !accountRE.MatchString(a.Name) {
		return fmt.Errorf("adding zendesk account %q: want a lower-case subdomain: %w", a.Name, sdk.ErrInvalid)
	}
	if a.Email == "" || a.APIToken == "" {
		return fmt.Errorf("adding zendesk account %q: Email and APIToken are required: %w", a.Name, sdk.ErrInvalid)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.accounts[a.Name]; dup {
		return fmt.Errorf("adding zendesk account %q: already exists: %w", a.Name, sdk.ErrInvalid)
	}
	now := d.now().UTC().Truncate(time.Second)
	d.acctSeq++
	acct := &account{
		cfg: a, id: d.acctSeq, webhookID: fmt.Sprintf("01HZSANDBOX%015d", d.acctSeq),
		users: map[int64]*user{}, byEmail: map[string]int64{}, orgs: map[int64]*org{}, orgByName: map[string]int64{},
		tickets: map[int64]*ticket{}, articles: map[int64]*article{}, sections: map[string]int64{}, last: map[int64]*delivery{},
	}
	acct.cfg.CustomFields = maps.Clone(a.CustomFields)
	botID := d.nextID()
	if a.BotUserID != "" {
		id, err := strconv.ParseInt(a.BotUserID, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("adding zendesk account %q: BotUserID %q: want a positive integer: %w", a.Name, a.BotUserID, sdk.ErrInvalid)
		}
		botID = id
		d.seq = max(d.seq, id) // generated ids never collide with it
	}
	acct.botID = botID
	role := "admin"
	if a.ReadOnly {
		role = "end-user"
	}
	acct.addUser(&user{id: botID, name: "heard", email: a.Email, role: role, created: now})
	acct.agentID = d.nextID()
	acct.addUser(&user{id: acct.agentID, name: "Alex Agent", email: "agent@" + a.Name + ".example", role: "agent", created: now})
	d.accounts[a.Name] = acct
	return nil
}

func (d *Desk) nextID() int64 {
	d.seq++
	return d.seq
}

func (a *account) addUser(u *user) {
	a.users[u.id] = u
	a.byEmail[strings.ToLower(u.email)] = u.id
}

// lookup returns the account and ticket; d.mu must be held.
func (d *Desk) lookup(accountName, id string) (*account, *ticket, error) {
	a, ok := d.accounts[accountName]
	if !ok {
		return nil, nil, fmt.Errorf("zendesk account %q: %w", accountName, sdk.ErrNotFound)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, nil, fmt.Errorf("zendesk ticket %q in %s: %w", id, accountName, sdk.ErrNotFound)
	}
	t, ok := a.tickets[n]
	if !ok {
		return nil, nil, fmt.Errorf("zendesk ticket %q in %s: %w", id, accountName, sdk.ErrNotFound)
	}
	return a, t, nil
}

// numericAttrs are the customer attributes kept in numeric (decimal) fields.
var numericAttrs = []string{sdk.AttrMRR, sdk.AttrLTV, sdk.AttrUsageTrend, sdk.AttrNegativeInteractions}

// CreateTicket implements sandbox.Desk: the requester (an end-user, found
// or created by e-mail) opens a ticket whose first public comment is
// t.Body (HTML allowed). Customer attributes go to the user fields or, for
// plan and mrr when t.Organization is set, to the organization fields named
// by the account's CustomFields. It delivers ticket.created.
func (d *Desk) CreateTicket(ctx context.Context, accountName string, nt sandbox.NewTicket) (string, error) {
	if strings.TrimSpace(nt.Body) == "" || strings.TrimSpace(nt.Requester.Email) == "" {
		return "", fmt.Errorf("creating zendesk ticket: Body and Requester.Email are required: %w", sdk.ErrInvalid)
	}
	d.mu.Lock()
	a, ok := d.accounts[accountName]
	if !ok {
		d.mu.Unlock()
		return "", fmt.Errorf("creating zendesk ticket: account %q: %w", accountName, sdk.ErrNotFound)
	}
	created := nt.Created.UTC().Truncate(time.Second)
	if nt.Created.IsZero() {
		created = d.now().UTC().Truncate(time.Second)
	}
	req := d.requester(a, nt.Requester, created)
	var o *org
	if nt.Organization != "" {
		o = d.organization(a, nt.Organization, created)
		if req.orgID == 0 {
			req.orgID = o.id
		}
	}
	for attr, v := range nt.Customer {
		key := a.cfg.CustomFields[attr]
		if key == "" {
			continue // the account keeps no field for it
		}
		var val any = v
		if f, err := strconv.ParseFloat(v, 64); err == nil && slices.Contains(numericAttrs, attr) {
			val = f
		}
		if o != nil && (attr == sdk.AttrPlan || attr == sdk.AttrMRR) {
			o.fields[key] = val
		} else {
			req.fields[key] = val
		}
	}
	a.lastTicket++
	t := &ticket{
		id: a.lastTicket, subject: nt.Subject, status: "new", requesterID: req.id, orgID: req.orgID,
		tags: uniq(nt.Tags), custom: map[int64]any{}, created: created, updated: created,
	}
	c := d.newComment(req.id, nt.Body, true, created)
	t.description = c.body
	t.comments = append(t.comments, c)
	a.tickets[t.id] = t
	out := d.events(a, t, req.id, change{typ: "created"})
	d.mu.Unlock()
	id := strconv.FormatInt(t.id, 10)
	if err := d.send(ctx, out); err != nil {
		return id, fmt.Errorf("creating zendesk ticket %s: %w", id, err)
	}
	return id, nil
}

// requester finds or creates the end-user for p; d.mu must be held.
func (d *Desk) requester(a *account, p sandbox.Person, at time.Time) *user {
	if id, ok := a.byEmail[strings.ToLower(p.Email)]; ok {
		u := a.users[id]
		if p.Name != "" {
			u.name = p.Name
		}
		return u
	}
	u := &user{id: d.nextID(), name: p.Name, email: p.Email, role: "end-user", fields: map[string]any{}, created: at}
	a.addUser(u)
	return u
}

// organization finds or creates the organization named name; d.mu must be held.
func (d *Desk) organization(a *account, name string, at time.Time) *org {
	if id, ok := a.orgByName[name]; ok {
		return a.orgs[id]
	}
	o := &org{id: d.nextID(), name: name, fields: map[string]any{}, created: at}
	a.orgs[o.id] = o
	a.orgByName[name] = o.id
	return o
}

// newComment builds a comment from body, which may be HTML; d.mu must be held.
func (d *Desk) newComment(author int64, body string, public bool, at time.Time) *comment {
	c := &comment{id: d.nextID(), authorID: author, public: public, created: at}
	c.body = plainText(body)
	c.html = body
	if !looksHTML(body) {
		c.html = "<p>" + escapeLines(body) + "</p>"
	}
	return c
}

// touch moves the ticket's updated_at to now, strictly later than before, so
// every change is visible to safe_update.
func (d *Desk) touch(t *ticket) time.Time {
	now := d.now().UTC().Truncate(time.Second)
	if !now.After(t.updated) {
		now = t.updated.Add(time.Second)
	}
	t.updated = now
	return now
}

// Reply implements sandbox.Desk: the requester adds a public comment (HTML
// allowed); a pending, on-hold or solved ticket reopens. It delivers
// ticket.comment_added.
func (d *Desk) Reply(ctx context.Context, accountName, id, body string) error {
	d.mu.Lock()
	a, t, err := d.lookup(accountName, id)
	if err != nil {
		d.mu.Unlock()
		return fmt.Errorf("replying: %w", err)
	}
	at := d.touch(t)
	c := d.newComment(t.requesterID, body, true, at)
	t.comments = append(t.comments, c)
	changes := []change{{typ: "comment_added", comment: c}}
	if t.status == "pending" || t.status == "hold" || t.status == "solved" {
		changes = append(changes, change{typ: "status_changed", prev: t.status, cur: "open"})
		t.status = "open"
	}
	out := d.events(a, t, t.requesterID, changes...)
	d.mu.Unlock()
	if err := d.send(ctx, out); err != nil {
		return fmt.Errorf("replying to zendesk ticket %s: %w", id, err)
	}
	return nil
}

// zendeskPriority maps heard's P0..P3 to Zendesk's values.
var zendeskPriority = map[string]string{"P0": "urgent", "P1": "high", "P2": "normal", "P3": "low"}

// Solve implements sandbox.Desk: an agent sets the priority (P0..P3, ""
// keeps it), replaces the tags (nil keeps them) and solves the ticket. It
// delivers the priority_changed and tags_changed events the update caused
// and, last, status_changed.
func (d *Desk) Solve(ctx context.Context, accountName, id string, priority string, tags []string) error {
	zp := ""
	if priority != "" {
		var ok bool
		if zp, ok = zendeskPriority[strings.ToUpper(priority)]; !ok {
			return fmt.Errorf("solving zendesk ticket %s: priority %q: want P0..P3: %w", id, priority, sdk.ErrInvalid)
		}
	}
	d.mu.Lock()
	a, t, err := d.lookup(accountName, id)
	if err != nil {
		d.mu.Unlock()
		return fmt.Errorf("solving: %w", err)
	}
	d.touch(t)
	var changes []change
	if zp != "" && zp != t.priority {
		changes = append(changes, change{typ: "priority_changed", prev: t.priority, cur: zp})
		t.priority = zp
	}
	if tags != nil {
		if nt := uniq(tags); !slices.Equal(sortedCopy(nt), sortedCopy(t.tags)) {
			changes = append(changes, change{typ: "tags_changed", prevTags: t.tags, curTags: nt})
			t.tags = nt
		}
	}
	changes = append(changes, change{typ: "status_changed", prev: t.status, cur: "solved"})
	t.status = "solved"
	out := d.events(a, t, a.agentID, changes...)
	d.mu.Unlock()
	if err := d.send(ctx, out); err != nil {
		return fmt.Errorf("solving zendesk ticket %s: %w", id, err)
	}
	return nil
}

// Redeliver implements sandbox.Desk: the ticket's last webhook is sent
// again with the same body bytes and invocation id, signed afresh.
func (d *Desk) Redeliver(ctx context.Context, accountName, id string) error {
	d.mu.Lock()
	a, t, err := d.lookup(accountName, id)
	if err != nil {
		d.mu.Unlock()
		return fmt.Errorf("redelivering: %w", err)
	}
	last := a.last[t.id]
	d.mu.Unlock()
	if last == nil {
		return fmt.Errorf("redelivering for zendesk ticket %s: nothing was delivered yet: %w", id, sdk.ErrNotFound)
	}
	return d.send(ctx, []*delivery{last})
}

// State implements sandbox.Desk. Priority is Zendesk's value ("high"),
// Fields are keyed by custom field id, Notes are the private comments.
func (d *Desk) State(accountName, id string) (sandbox.TicketState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, t, err := d.lookup(accountName, id)
	if err != nil {
		return sandbox.TicketState{}, fmt.Errorf("reading state: %w", err)
	}
	st := sandbox.TicketState{
		ID: strconv.FormatInt(t.id, 10), Subject: t.subject, Status: t.status, Priority: t.priority,
		Tags: sortedCopy(t.tags), Fields: map[string]string{}, Writes: t.writes, Rating: t.rating,
	}
	if t.assigneeID != 0 {
		st.Assignee = strconv.FormatInt(t.assigneeID, 10)
	}
	if t.groupID != 0 {
		st.Group = strconv.FormatInt(t.groupID, 10)
	}
	for fid, v := range t.custom {
		st.Fields[strconv.FormatInt(fid, 10)] = valueString(v)
	}
	for _, c := range t.comments {
		if c.public {
			st.Messages++
			if c.authorID == a.botID {
				st.Replies = append(st.Replies, sandbox.Note{Body: c.body, Author: strconv.FormatInt(c.authorID, 10), At: c.created})
			}
			continue
		}
		st.Notes = append(st.Notes, sandbox.Note{Body: c.body, Private: true, Author: strconv.FormatInt(c.authorID, 10), At: c.created})
	}
	return st, nil
}

// AddArticle implements sandbox.Desk. The locale defaults to en-us and the
// update time to now; sections are created by name.
func (d *Desk) AddArticle(accountName string, in sandbox.Article) (string, error) {
	if strings.TrimSpace(in.Title) == "" {
		return "", fmt.Errorf("adding zendesk article: Title is required: %w", sdk.ErrInvalid)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, ok := d.accounts[accountName]
	if !ok {
		return "", fmt.Errorf("adding zendesk article: account %q: %w", accountName, sdk.ErrNotFound)
	}
	updated := in.Updated.UTC().Truncate(time.Second)
	if in.Updated.IsZero() {
		updated = d.now().UTC().Truncate(time.Second)
	}
	locale := strings.ToLower(in.Locale)
	if locale == "" {
		locale = "en-us"
	}
	sec := in.Section
	if sec == "" {
		sec = "General"
	}
	sid, ok := a.sections[sec]
	if !ok {
		sid = d.nextID()
		a.sections[sec] = sid
	}
	art := &article{id: d.nextID(), sectionID: sid, title: in.Title, body: in.Body, locale: locale, draft: in.Draft, created: updated, updated: updated}
	a.articles[art.id] = art
	return strconv.FormatInt(art.id, 10), nil
}

// BotUserID returns the id of the account's API user, the actor of every
// write heard makes.
func (d *Desk) BotUserID(accountName string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, ok := d.accounts[accountName]
	if !ok {
		return "", fmt.Errorf("zendesk account %q: %w", accountName, sdk.ErrNotFound)
	}
	return strconv.FormatInt(a.botID, 10), nil
}

// uniq drops empty and repeated tags, keeping the first occurrence.
func uniq(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}
