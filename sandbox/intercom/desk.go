package intercom

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Intercom signs webhooks with HMAC-SHA1
	"encoding/hex"
	"encoding/json"
	"errors"
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

	"github.com/heardhq/heard/internal/openapicheck"
	"github.com/heardhq/heard/sandbox"
)

// Vendor is the path segment and connector type.
const Vendor = "intercom"

// Webhook topics the desk delivers.
const (
	TopicUserCreated = "conversation.user.created"
	TopicUserReplied = "conversation.user.replied"
	TopicAdminClosed = "conversation.admin.closed"
	TopicAdminNoted  = "conversation.admin.noted"
	TopicPartTagged  = "conversation_part.tag.created"

	TopicAdminReplied   = "conversation.admin.replied"
	TopicAdminOpened    = "conversation.admin.opened"
	TopicAdminAssigned  = "conversation.admin.assigned"
	TopicPriorityUpdate = "conversation.priority.updated"
	TopicRatingAdded    = "conversation.rating.added"
)

// HeaderSignature carries "sha1=" + hex(HMAC-SHA1(client secret, body)).
const HeaderSignature = "X-Hub-Signature"

// DefaultRateWindow is the window Intercom enforces rate limits in.
const DefaultRateWindow = 10 * time.Second

var _ sandbox.Desk = (*Desk)(nil)

// Desk emulates Intercom for every workspace added to it. It is safe for
// concurrent use.
type Desk struct {
	sb  *sandbox.Server
	log *slog.Logger
	api *openapicheck.Spec

	// RateWindow is the window Account.RatePerMinute is enforced in
	// (RatePerMinute × RateWindow / 1 min requests per window); zero means
	// DefaultRateWindow. Set it before serving.
	RateWindow time.Duration

	mu       sync.Mutex
	accounts map[string]*workspace
	seq      int64
	now      func() time.Time
}

// New loads the API description (once per process) and registers the
// emulation's routes on sb under /intercom/{account}/.
func New(sb *sandbox.Server) (*Desk, error) {
	if sb == nil {
		return nil, errors.New("building the intercom sandbox: nil sandbox server")
	}
	api, err := loadContract()
	if err != nil {
		return nil, fmt.Errorf("building the intercom sandbox: %w", err)
	}
	d := &Desk{sb: sb, log: sb.Logger().With("vendor", Vendor), api: api, accounts: map[string]*workspace{}, seq: 1000, now: time.Now}
	sb.Handle("/"+Vendor+"/{account}/", d.serve)
	return d, nil
}

// Vendor returns "intercom".
func (d *Desk) Vendor() string { return Vendor }

// BaseURL is root + "/intercom/" + account.
func (d *Desk) BaseURL(root, account string) string {
	return strings.TrimRight(root, "/") + "/" + Vendor + "/" + account
}

var accountRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// AddAccount creates a workspace with a bot admin (the access token's
// admin: a.BotUserID, or an assigned id) and a human agent admin.
func (d *Desk) AddAccount(a sandbox.Account) error {
	if !accountRE.MatchString(a.Name) {
		return fmt.Errorf("adding intercom workspace %q: want letters, digits, '.', '_' or '-'", a.Name)
	}
	if a.APIToken == "" {
		return fmt.Errorf("adding intercom workspace %q: an access token is required", a.Name)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.accounts[a.Name]; dup {
		return fmt.Errorf("adding intercom workspace %q: already exists", a.Name)
	}
	if a.APIVersion == "" {
		a.APIVersion = SpecVersion
	}
	bot := a.BotUserID
	if bot == "" {
		bot = d.next()
	}
	d.accounts[a.Name] = &workspace{
		cfg:       a,
		bot:       admin{id: bot, name: "heard", email: "heard-bot@" + a.Name + ".example"},
		agent:     admin{id: d.next(), name: "Alex Agent", email: "alex@" + a.Name + ".example"},
		convs:     map[string]*conversation{},
		contacts:  map[string]*contact{},
		companies: map[string]*company{},
		last:      map[string]delivery{},
	}
	return nil
}

// next returns a fresh numeric id. Callers hold d.mu.
func (d *Desk) next() string {
	d.seq++
	return strconv.FormatInt(d.seq, 10)
}

// workspace returns the account's workspace. Callers hold d.mu.
func (d *Desk) workspace(account string) (*workspace, error) {
	ws := d.accounts[account]
	if ws == nil {
		return nil, fmt.Errorf("intercom sandbox: no workspace %q", account)
	}
	return ws, nil
}

// conversation returns a conversation. Callers hold d.mu.
func (d *Desk) conversation(account, id string) (*workspace, *conversation, error) {
	ws, err := d.workspace(account)
	if err != nil {
		return nil, nil, err
	}
	c := ws.convs[id]
	if c == nil {
		return nil, nil, fmt.Errorf("intercom sandbox: workspace %q has no conversation %q", account, id)
	}
	return ws, c, nil
}

// CreateTicket opens a conversation as the requester (found by e-mail or
// created) and delivers conversation.user.created. Customer attributes are
// stored through Account.CustomFields on the organization's company when
// there is one, else on the contact.
func (d *Desk) CreateTicket(ctx context.Context, account string, t sandbox.NewTicket) (string, error) {
	d.mu.Lock()
	ws, err := d.workspace(account)
	if err != nil {
		d.mu.Unlock()
		return "", err
	}
	at := t.Created
	if at.IsZero() {
		at = d.now()
	}
	ts := at.Unix()
	var ct *contact
	for _, c := range ws.contacts {
		if t.Requester.Email != "" && strings.EqualFold(c.email, t.Requester.Email) {
			ct = c
		}
	}
	if ct == nil {
		ct = &contact{id: hexID(), name: t.Requester.Name, email: t.Requester.Email, created: ts, attrs: map[string]any{}}
		ws.contacts[ct.id] = ct
	}
	attrs := ct.attrs
	if t.Organization != "" {
		var co *company
		for _, c := range ws.companies {
			if c.name == t.Organization {
				co = c
			}
		}
		if co == nil {
			co = &company{id: hexID(), name: t.Organization, companyID: slug(t.Organization), created: ts, attrs: map[string]any{}}
			ws.companies[co.id] = co
		}
		if !slices.Contains(ct.companyIDs, co.id) {
			ct.companyIDs = append(ct.companyIDs, co.id)
		}
		attrs = co.attrs
	}
	for attr, v := range t.Customer {
		if key := ws.cfg.CustomFields[attr]; key != "" {
			attrs[key] = v
		}
	}
	c := &conversation{
		id: d.next(), created: ts, updated: ts, state: "open", priority: "not_priority",
		sourceID: d.next(), subject: t.Subject, body: asHTML(t.Body), contactID: ct.id, attrs: map[string]any{},
	}
	for _, name := range t.Tags {
		c.tags = append(c.tags, applied{tag: d.tagNamed(ws, name), at: ts, by: ws.agent.id})
	}
	ws.convs[c.id] = c
	dl := d.notification(ws, c, TopicUserCreated, nil)
	d.mu.Unlock()
	return c.id, d.deliver(ctx, dl)
}

// Reply adds a customer comment (body is HTML, or text made a paragraph),
// reopens a closed conversation and delivers conversation.user.replied.
func (d *Desk) Reply(ctx context.Context, account, id, body string) error {
	d.mu.Lock()
	ws, c, err := d.conversation(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	ct := ws.contacts[c.contactID]
	p := &part{id: d.next(), partType: "comment", body: asHTML(body), created: d.now().Unix(),
		author: author{typ: "user", id: ct.id, name: ct.name, email: ct.email}}
	c.parts = append(c.parts, p)
	c.updated, c.state = p.created, "open"
	dl := d.notification(ws, c, TopicUserReplied, []*part{p})
	d.mu.Unlock()
	return d.deliver(ctx, dl)
}

// Solve is the human agent closing the conversation: priority "P0"/"P1"
// flag it priority, "P2"/"P3" not_priority (2.15 has nothing finer), ""
// keeps it; tags, unless nil, replace the conversation's tags. It delivers
// conversation.admin.closed.
func (d *Desk) Solve(ctx context.Context, account, id string, priority string, tags []string) error {
	d.mu.Lock()
	ws, c, err := d.conversation(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	switch strings.ToUpper(priority) {
	case "":
	case "P0", "P1":
		c.priority = "priority"
	case "P2", "P3":
		c.priority = "not_priority"
	default:
		d.mu.Unlock()
		return fmt.Errorf("intercom sandbox: solving %s: priority %q: want P0..P3 or empty", id, priority)
	}
	now := d.now().Unix()
	if tags != nil {
		c.tags = nil
		for _, name := range tags {
			if !slices.ContainsFunc(c.tags, func(a applied) bool { return strings.EqualFold(a.tag.name, name) }) {
				c.tags = append(c.tags, applied{tag: d.tagNamed(ws, name), at: now, by: ws.agent.id})
			}
		}
	}
	p := &part{id: d.next(), partType: "close", created: now, author: author{typ: "admin", id: ws.agent.id, name: ws.agent.name, email: ws.agent.email}}
	c.parts = append(c.parts, p)
	c.updated, c.state = now, "closed"
	dl := d.notification(ws, c, TopicAdminClosed, []*part{p})
	d.mu.Unlock()
	return d.deliver(ctx, dl)
}

// Redeliver sends the conversation's last webhook again, byte for byte.
func (d *Desk) Redeliver(ctx context.Context, account, id string) error {
	d.mu.Lock()
	ws, _, err := d.conversation(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	dl, ok := ws.last[id]
	d.mu.Unlock()
	if !ok {
		return fmt.Errorf("intercom sandbox: conversation %s has had no webhook", id)
	}
	return d.deliver(ctx, dl)
}

// State reads back the conversation: Status is its state, Priority its
// 2.15 priority field, Tags sorted names, Fields its custom attributes,
// Notes its note parts (plain text), Messages the public messages.
func (d *Desk) State(account, id string) (sandbox.TicketState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ws, c, err := d.conversation(account, id)
	if err != nil {
		return sandbox.TicketState{}, err
	}
	st := sandbox.TicketState{
		ID: c.id, Subject: c.subject, Status: c.state, Priority: c.priority, Tags: sortedTagNames(c),
		Fields: map[string]string{}, Messages: 1, Writes: c.writes,
	}
	if c.adminAssignee != 0 {
		st.Assignee = strconv.FormatInt(c.adminAssignee, 10)
	}
	if c.teamAssignee != 0 {
		st.Group = strconv.FormatInt(c.teamAssignee, 10)
	}
	if c.rating != nil {
		st.Rating = strconv.Itoa(c.rating.value)
	}
	if c.title != "" {
		st.Subject = c.title
	}
	for k, v := range c.attrs {
		st.Fields[k] = fmt.Sprint(v)
	}
	for _, p := range c.parts {
		switch p.partType {
		case "note":
			st.Notes = append(st.Notes, sandbox.Note{Body: plainText(p.body), Private: true, Author: p.author.id, At: time.Unix(p.created, 0).UTC()})
		case "comment":
			st.Messages++
			if p.author.typ == "admin" && p.author.id == ws.bot.id {
				st.Replies = append(st.Replies, sandbox.Note{Body: plainText(p.body), Author: p.author.id, At: time.Unix(p.created, 0).UTC()})
			}
		}
	}
	return st, nil
}

// AddArticle adds a help-center article, published unless a.Draft.
func (d *Desk) AddArticle(account string, a sandbox.Article) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ws, err := d.workspace(account)
	if err != nil {
		return "", err
	}
	at := a.Updated
	if at.IsZero() {
		at = d.now()
	}
	state := "published"
	if a.Draft {
		state = "draft"
	}
	locale := strings.ToLower(strings.SplitN(a.Locale, "-", 2)[0])
	if locale == "" {
		locale = "en"
	}
	ar := &article{id: d.next(), title: a.Title, body: asHTML(a.Body), locale: locale, section: a.Section, state: state,
		created: at.Unix(), updated: at.Unix()}
	ar.url = "https://intercom.help/" + ws.cfg.Name + "/" + locale + "/articles/" + ar.id + "-" + slug(a.Title)
	ws.articles = append(ws.articles, ar)
	return ar.id, nil
}

// tagNamed finds a tag by name (case-insensitive) or creates it. Callers
// hold d.mu.
func (d *Desk) tagNamed(ws *workspace, name string) *tag {
	for _, t := range ws.tags {
		if strings.EqualFold(t.name, name) {
			return t
		}
	}
	t := &tag{id: d.next(), name: name}
	ws.tags = append(ws.tags, t)
	return t
}

// ---- webhooks ----

// delivery is one signed webhook, kept for Redeliver.
type delivery struct {
	url    string
	body   []byte
	header http.Header
}

// envelope is the notification_event every delivery carries, fields in
// the order Intercom sends them.
type envelope struct {
	Type             string       `json:"type"`
	AppID            string       `json:"app_id"`
	Data             envelopeData `json:"data"`
	Links            struct{}     `json:"links"`
	ID               string       `json:"id"`
	Topic            string       `json:"topic"`
	DeliveryStatus   string       `json:"delivery_status"`
	DeliveryAttempts int          `json:"delivery_attempts"`
	DeliveredAt      int64        `json:"delivered_at"`
	FirstSentAt      int64        `json:"first_sent_at"`
	CreatedAt        int64        `json:"created_at"`
	Self             *string      `json:"self"`
}

type envelopeData struct {
	Type string           `json:"type"`
	Item wireConversation `json:"item"`
}

// notification builds (and remembers for Redeliver) the signed webhook
// for topic on c, carrying only the parts that triggered it, bodies as
// plain text as 2.15+ payloads do. Callers hold d.mu.
func (d *Desk) notification(ws *workspace, c *conversation, topic string, parts []*part) delivery {
	now := d.now().Unix()
	env := envelope{
		Type: "notification_event", AppID: ws.cfg.Name,
		Data: envelopeData{Type: "notification_event_data", Item: ws.render(c, parts, true, true)},
		ID:   "notif_" + uuid(), Topic: topic, DeliveryStatus: "pending", DeliveryAttempts: 1,
		FirstSentAt: now, CreatedAt: now,
	}
	body, err := json.Marshal(env)
	if err != nil { // only plain data: cannot happen
		panic(fmt.Sprintf("intercom sandbox: encoding a notification: %v", err))
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(HeaderSignature, Sign(ws.cfg.Webhook.Secret, body))
	dl := delivery{url: ws.cfg.Webhook.URL, body: body, header: h}
	ws.last[c.id] = dl
	return dl
}

// deliver posts dl unless the workspace has no webhook URL. A receiver that
// does not answer 2xx is an error.
func (d *Desk) deliver(ctx context.Context, dl delivery) error {
	if dl.url == "" {
		return nil
	}
	status, err := d.sb.Deliver(ctx, dl.url, dl.body, dl.header.Clone())
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("intercom sandbox: webhook receiver %s answered %d", dl.url, status)
	}
	return nil
}

// Sign returns the X-Hub-Signature Intercom sends for body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return "sha1=" + hex.EncodeToString(m.Sum(nil))
}

// sortedConversations lists the workspace's conversations, most recently
// updated first. Callers hold d.mu.
func (ws *workspace) sortedConversations() []*conversation {
	out := make([]*conversation, 0, len(ws.convs))
	for _, c := range ws.convs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].updated != out[j].updated {
			return out[i].updated > out[j].updated
		}
		return len(out[i].id) > len(out[j].id) || len(out[i].id) == len(out[j].id) && out[i].id > out[j].id
	})
	return out
}
