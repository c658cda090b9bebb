package intercom

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/heardhq/heard/sandbox"
)

// workspace is one emulated Intercom workspace. Guarded by Desk.mu, except
// cfg, bot and agent, which never change after AddAccount.
type workspace struct {
	cfg        sandbox.Account
	bot, agent admin

	convs     map[string]*conversation
	contacts  map[string]*contact
	companies map[string]*company
	tags      []*tag // creation order
	articles  []*article
	last      map[string]delivery // conversation id → last webhook

	windowStart time.Time // rate limit window
	used        int
}

type admin struct{ id, name, email string }

type conversation struct {
	id                string
	created, updated  int64
	state, priority   string
	title             string
	sourceID, subject string
	body              string // HTML
	contactID         string
	tags              []applied
	attrs             map[string]any
	parts             []*part
	writes            int
	adminAssignee     int64 // 0: unassigned
	teamAssignee      int64 // 0: no team
	rating            *rating
}

// rating is the contact's conversation rating.
type rating struct {
	value            int // 1..5
	remark           string
	created, updated int64
	teammate         string // the admin rated
}

type applied struct {
	tag *tag
	at  int64
	by  string // admin id
}

type part struct {
	id, partType, body string // body HTML, "" for none
	created            int64
	author             author
}

type author struct{ typ, id, name, email string }

type contact struct {
	id, name, email string
	created         int64
	attrs           map[string]any
	companyIDs      []string
}

type company struct {
	id, name, companyID string
	created             int64
	attrs               map[string]any
}

type tag struct{ id, name string }

type article struct {
	id, title, body, locale, section, state, url string
	created, updated                             int64
}

// ---- wire shapes (schemas of the 2.15 description) ----

type wireAuthor struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

type wireRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type wireTag struct {
	Type      string   `json:"type"`
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	AppliedAt *int64   `json:"applied_at,omitempty"`
	AppliedBy *wireRef `json:"applied_by,omitempty"`
}

type wireTags struct {
	Type string    `json:"type"`
	Tags []wireTag `json:"tags"`
}

type wireSource struct {
	Type        string     `json:"type"`
	ID          string     `json:"id"`
	DeliveredAs string     `json:"delivered_as"`
	Subject     string     `json:"subject"`
	Body        string     `json:"body"`
	Author      wireAuthor `json:"author"`
	Attachments []any      `json:"attachments"`
	URL         *string    `json:"url"`
	Redacted    bool       `json:"redacted"`
}

type wireContactRef struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	ExternalID *string `json:"external_id"`
}

type wireContacts struct {
	Type     string           `json:"type"`
	Contacts []wireContactRef `json:"contacts"`
}

type wirePart struct {
	Type        string     `json:"type"`
	ID          string     `json:"id"`
	PartType    string     `json:"part_type"`
	Body        *string    `json:"body"`
	CreatedAt   int64      `json:"created_at"`
	UpdatedAt   int64      `json:"updated_at"`
	NotifiedAt  int64      `json:"notified_at"`
	Author      wireAuthor `json:"author"`
	Attachments []any      `json:"attachments"`
	Redacted    bool       `json:"redacted"`
	Tags        []any      `json:"tags"`
}

type wireParts struct {
	Type       string     `json:"type"`
	Parts      []wirePart `json:"conversation_parts"`
	TotalCount int        `json:"total_count"`
}

type wireConversation struct {
	Type             string         `json:"type"`
	ID               string         `json:"id"`
	Title            *string        `json:"title"`
	CreatedAt        int64          `json:"created_at"`
	UpdatedAt        int64          `json:"updated_at"`
	Source           wireSource     `json:"source"`
	Contacts         wireContacts   `json:"contacts"`
	Open             bool           `json:"open"`
	State            string         `json:"state"`
	Read             bool           `json:"read"`
	Tags             wireTags       `json:"tags"`
	Priority         string         `json:"priority"`
	CustomAttributes map[string]any `json:"custom_attributes"`
	AdminAssigneeID  *int64         `json:"admin_assignee_id"`
	TeamAssigneeID   *int64         `json:"team_assignee_id"`
	Rating           *wireRating    `json:"conversation_rating,omitempty"`
	Parts            *wireParts     `json:"conversation_parts,omitempty"`
}

// wireRating is the conversation_rating schema of 2.15.
type wireRating struct {
	Rating    int     `json:"rating"`
	Remark    string  `json:"remark"`
	CreatedAt int64   `json:"created_at"`
	UpdatedAt int64   `json:"updated_at"`
	Contact   wireRef `json:"contact"`
	Teammate  wireRef `json:"teammate"`
}

// render shapes a conversation. parts nil leaves conversation_parts out
// (as lists do); text renders bodies as plain text (as webhook payloads of
// 2.15+ and display_as=plaintext do).
func (ws *workspace) render(c *conversation, parts []*part, withParts, text bool) wireConversation {
	body := func(s string) string {
		if text {
			return plainText(s)
		}
		return s
	}
	ct := ws.contacts[c.contactID]
	w := wireConversation{
		Type: "conversation", ID: c.id, CreatedAt: c.created, UpdatedAt: c.updated,
		Source: wireSource{
			Type: "email", ID: c.sourceID, DeliveredAs: "customer_initiated", Subject: body(c.subject), Body: body(c.body),
			Author: wireAuthor{Type: "user", ID: ct.id, Name: ct.name, Email: ct.email}, Attachments: []any{},
		},
		Contacts:         wireContacts{Type: "contact.list", Contacts: []wireContactRef{{Type: "contact", ID: ct.id}}},
		Open:             c.state == "open",
		State:            c.state,
		Tags:             wireTags{Type: "tag.list", Tags: []wireTag{}},
		Priority:         c.priority,
		CustomAttributes: map[string]any{},
	}
	if c.title != "" {
		t := c.title
		w.Title = &t
	}
	for k, v := range c.attrs {
		w.CustomAttributes[k] = v
	}
	if c.adminAssignee != 0 {
		id := c.adminAssignee
		w.AdminAssigneeID = &id
	}
	if c.teamAssignee != 0 {
		id := c.teamAssignee
		w.TeamAssigneeID = &id
	}
	if r := c.rating; r != nil {
		w.Rating = &wireRating{Rating: r.value, Remark: r.remark, CreatedAt: r.created, UpdatedAt: r.updated,
			Contact: wireRef{Type: "contact", ID: ct.id}, Teammate: wireRef{Type: "admin", ID: r.teammate}}
	}
	for _, a := range c.tags {
		at := a.at
		w.Tags.Tags = append(w.Tags.Tags, wireTag{Type: "tag", ID: a.tag.id, Name: a.tag.name, AppliedAt: &at, AppliedBy: &wireRef{Type: "admin", ID: a.by}})
	}
	if withParts {
		w.Parts = &wireParts{Type: "conversation_part.list", Parts: []wirePart{}}
		for _, p := range parts {
			wp := wirePart{
				Type: "conversation_part", ID: p.id, PartType: p.partType, CreatedAt: p.created, UpdatedAt: p.created, NotifiedAt: p.created,
				Author:      wireAuthor{Type: p.author.typ, ID: p.author.id, Name: p.author.name, Email: p.author.email},
				Attachments: []any{}, Tags: []any{},
			}
			if p.body != "" {
				b := body(p.body)
				wp.Body = &b
			}
			w.Parts.Parts = append(w.Parts.Parts, wp)
		}
		w.Parts.TotalCount = len(w.Parts.Parts)
	}
	return w
}

type wireCompanyRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	URL  string `json:"url"`
}

type wireContactCompanies struct {
	Type       string           `json:"type"`
	Data       []wireCompanyRef `json:"data"`
	URL        string           `json:"url"`
	TotalCount int              `json:"total_count"`
	HasMore    bool             `json:"has_more"`
}

type wireContact struct {
	Type             string               `json:"type"`
	ID               string               `json:"id"`
	WorkspaceID      string               `json:"workspace_id"`
	ExternalID       *string              `json:"external_id"`
	Role             string               `json:"role"`
	Email            string               `json:"email"`
	Name             string               `json:"name"`
	CreatedAt        int64                `json:"created_at"`
	UpdatedAt        int64                `json:"updated_at"`
	CustomAttributes map[string]any       `json:"custom_attributes"`
	Companies        wireContactCompanies `json:"companies"`
}

func (ws *workspace) renderContact(c *contact) wireContact {
	w := wireContact{
		Type: "contact", ID: c.id, WorkspaceID: ws.cfg.Name, Role: "user", Email: c.email, Name: c.name,
		CreatedAt: c.created, UpdatedAt: c.created, CustomAttributes: map[string]any{},
		Companies: wireContactCompanies{Type: "list", Data: []wireCompanyRef{}, URL: "/contacts/" + c.id + "/companies", TotalCount: len(c.companyIDs)},
	}
	for k, v := range c.attrs {
		w.CustomAttributes[k] = v
	}
	for _, id := range c.companyIDs {
		w.Companies.Data = append(w.Companies.Data, wireCompanyRef{Type: "company", ID: id, URL: "/companies/" + id})
	}
	return w
}

type wireCompany struct {
	Type             string            `json:"type"`
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	AppID            string            `json:"app_id"`
	CompanyID        string            `json:"company_id"`
	CreatedAt        int64             `json:"created_at"`
	UpdatedAt        int64             `json:"updated_at"`
	CustomAttributes map[string]string `json:"custom_attributes"`
}

func (ws *workspace) renderCompany(c *company) wireCompany {
	w := wireCompany{Type: "company", ID: c.id, Name: c.name, AppID: ws.cfg.Name, CompanyID: c.companyID,
		CreatedAt: c.created, UpdatedAt: c.created, CustomAttributes: map[string]string{}}
	for k, v := range c.attrs {
		w.CustomAttributes[k] = fmt.Sprint(v)
	}
	return w
}

type wireArticle struct {
	Type          string   `json:"type"`
	ID            string   `json:"id"`
	WorkspaceID   string   `json:"workspace_id"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Body          string   `json:"body"`
	AuthorID      int64    `json:"author_id"`
	State         string   `json:"state"`
	CreatedAt     int64    `json:"created_at"`
	UpdatedAt     int64    `json:"updated_at"`
	URL           *string  `json:"url"`
	ParentID      *int64   `json:"parent_id"`
	ParentType    *string  `json:"parent_type"`
	ParentIDs     []int64  `json:"parent_ids"`
	DefaultLocale string   `json:"default_locale,omitempty"`
	Tags          wireTags `json:"tags"`
}

type wirePages struct {
	Type       string    `json:"type"`
	Page       int       `json:"page"`
	PerPage    int       `json:"per_page"`
	TotalPages int       `json:"total_pages"`
	Next       *wireNext `json:"next,omitempty"`
}

type wireNext struct {
	PerPage       int    `json:"per_page"`
	StartingAfter string `json:"starting_after"`
}

type wireError struct {
	Type      string          `json:"type"`
	RequestID string          `json:"request_id"`
	Errors    []wireErrorItem `json:"errors"`
}

type wireErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ---- helpers ----

// plainText strips tags and decodes entities, as Intercom's plaintext
// rendering does (roughly: block ends become line breaks).
func plainText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:lt])
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			b.WriteString(s[lt:])
			break
		}
		name := strings.ToLower(strings.Trim(strings.Fields(s[lt+1:lt+gt] + " ")[0], "/"))
		if name == "br" || name == "p" || name == "div" || name == "li" {
			b.WriteString("\n")
		}
		s = s[lt+gt+1:]
	}
	lines := strings.Split(html.UnescapeString(b.String()), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// asHTML stores a body the way Intercom does: text that is not already
// HTML becomes one paragraph; HTML is kept as written.
func asHTML(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") {
		return s
	}
	return "<p>" + s + "</p>"
}

// hexID returns a 24-hex-digit id like Intercom's contact and company ids.
func hexID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// uuid returns a random version 4 UUID.
func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// slug makes the URL slug of an article title.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// sortedTagNames returns the conversation's tag names, sorted.
func sortedTagNames(c *conversation) []string {
	out := make([]string, 0, len(c.tags))
	for _, a := range c.tags {
		out = append(out, a.tag.name)
	}
	sort.Strings(out)
	return out
}
