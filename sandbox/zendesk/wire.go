package zendesk

import (
	"maps"
	"slices"
	"strconv"
	"time"
)

// JSON shapes the API answers with (CONTRACTS.md §1.5–§1.8), with the
// fields real Zendesk objects carry that heard might plausibly read.

type wireTicket struct {
	URL             string      `json:"url"`
	ID              int64       `json:"id"`
	ExternalID      *string     `json:"external_id"`
	Via             wireVia     `json:"via"`
	CreatedAt       string      `json:"created_at"`
	UpdatedAt       string      `json:"updated_at"`
	Type            *string     `json:"type"`
	Subject         string      `json:"subject"`
	RawSubject      string      `json:"raw_subject"`
	Description     string      `json:"description"`
	Priority        *string     `json:"priority"`
	Status          string      `json:"status"`
	RequesterID     int64       `json:"requester_id"`
	SubmitterID     int64       `json:"submitter_id"`
	AssigneeID      *int64      `json:"assignee_id"`
	OrganizationID  *int64      `json:"organization_id"`
	GroupID         *int64      `json:"group_id"`
	CollaboratorIDs []int64     `json:"collaborator_ids"`
	FollowerIDs     []int64     `json:"follower_ids"`
	IsPublic        bool        `json:"is_public"`
	Tags            []string    `json:"tags"`
	CustomFields    []wireField `json:"custom_fields"`
	Fields          []wireField `json:"fields"`
	BrandID         int64       `json:"brand_id"`
	// SatisfactionRating is left out until the customer rated the ticket.
	SatisfactionRating *wireRating `json:"satisfaction_rating,omitempty"`
}

// wireRating is a ticket's satisfaction_rating.
type wireRating struct {
	Score   string `json:"score"`
	Comment string `json:"comment,omitempty"`
}

type wireVia struct {
	Channel string `json:"channel"`
}

type wireField struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

type wireComment struct {
	ID          int64    `json:"id"`
	Type        string   `json:"type"`
	AuthorID    int64    `json:"author_id"`
	Body        string   `json:"body"`
	HTMLBody    string   `json:"html_body"`
	PlainBody   string   `json:"plain_body"`
	Public      bool     `json:"public"`
	Attachments []any    `json:"attachments"`
	Via         wireVia  `json:"via"`
	CreatedAt   string   `json:"created_at"`
	Metadata    struct{} `json:"metadata"`
}

type wireUser struct {
	ID             int64          `json:"id"`
	URL            string         `json:"url"`
	Name           string         `json:"name"`
	Email          string         `json:"email"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
	TimeZone       string         `json:"time_zone"`
	Locale         string         `json:"locale"`
	OrganizationID *int64         `json:"organization_id"`
	Role           string         `json:"role"`
	Verified       bool           `json:"verified"`
	Active         bool           `json:"active"`
	Tags           []string       `json:"tags"`
	UserFields     map[string]any `json:"user_fields"`
}

type wireOrg struct {
	ID                 int64          `json:"id"`
	URL                string         `json:"url"`
	Name               string         `json:"name"`
	SharedTickets      bool           `json:"shared_tickets"`
	SharedComments     bool           `json:"shared_comments"`
	ExternalID         *string        `json:"external_id"`
	CreatedAt          string         `json:"created_at"`
	UpdatedAt          string         `json:"updated_at"`
	DomainNames        []string       `json:"domain_names"`
	Tags               []string       `json:"tags"`
	OrganizationFields map[string]any `json:"organization_fields"`
}

type wireArticle struct {
	ID               int64    `json:"id"`
	URL              string   `json:"url"`
	HTMLURL          string   `json:"html_url"`
	AuthorID         int64    `json:"author_id"`
	CommentsDisabled bool     `json:"comments_disabled"`
	Draft            bool     `json:"draft"`
	Promoted         bool     `json:"promoted"`
	Position         int      `json:"position"`
	VoteSum          int      `json:"vote_sum"`
	VoteCount        int      `json:"vote_count"`
	SectionID        int64    `json:"section_id"`
	CreatedAt        string   `json:"created_at"`
	UpdatedAt        string   `json:"updated_at"`
	EditedAt         string   `json:"edited_at"`
	Name             string   `json:"name"`
	Title            string   `json:"title"`
	SourceLocale     string   `json:"source_locale"`
	Locale           string   `json:"locale"`
	Outdated         bool     `json:"outdated"`
	LabelNames       []string `json:"label_names"`
	Body             string   `json:"body"`
}

// wireMeta and wireLinks are the cursor pagination objects.
type wireMeta struct {
	HasMore      bool    `json:"has_more"`
	AfterCursor  *string `json:"after_cursor"`
	BeforeCursor *string `json:"before_cursor"`
}

type wireLinks struct {
	Prev *string `json:"prev"`
	Next *string `json:"next"`
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (a *account) wireTicket(base string, t *ticket) wireTicket {
	fields := make([]wireField, 0, len(t.custom))
	for _, id := range slices.Sorted(maps.Keys(t.custom)) {
		fields = append(fields, wireField{ID: id, Value: t.custom[id]})
	}
	w := wireTicket{
		URL: base + "/api/v2/tickets/" + strconv.FormatInt(t.id, 10) + ".json", ID: t.id,
		Via: wireVia{Channel: "web"}, CreatedAt: ts(t.created), UpdatedAt: ts(t.updated),
		Subject: t.subject, RawSubject: t.subject, Description: t.description, Status: t.status,
		RequesterID: t.requesterID, SubmitterID: t.requesterID, OrganizationID: optID(t.orgID),
		CollaboratorIDs: []int64{}, FollowerIDs: []int64{}, IsPublic: true,
		Tags: nonNil(t.tags), CustomFields: fields, Fields: fields, BrandID: 360000000001,
	}
	if t.priority != "" {
		p := t.priority
		w.Priority = &p
	}
	w.AssigneeID, w.GroupID = optID(t.assigneeID), optID(t.groupID)
	if t.rating != "" {
		w.SatisfactionRating = &wireRating{Score: t.rating, Comment: t.ratingNote}
	}
	return w
}

func wireComments(cs []*comment) []wireComment {
	out := make([]wireComment, 0, len(cs))
	for _, c := range cs {
		out = append(out, wireComment{
			ID: c.id, Type: "Comment", AuthorID: c.authorID, Body: c.body, HTMLBody: c.html, PlainBody: c.body,
			Public: c.public, Attachments: []any{}, Via: wireVia{Channel: "web"}, CreatedAt: ts(c.created),
		})
	}
	return out
}

// fieldsOf returns every custom field key the account defines, with the
// value from set or null: Zendesk lists all defined fields.
func (a *account) fieldsOf(set map[string]any) map[string]any {
	out := map[string]any{}
	for _, key := range a.cfg.CustomFields {
		out[key] = nil
	}
	for k, v := range set {
		out[k] = v
	}
	return out
}

func (a *account) wireUser(base string, u *user) wireUser {
	return wireUser{
		ID: u.id, URL: base + "/api/v2/users/" + strconv.FormatInt(u.id, 10) + ".json", Name: u.name, Email: u.email,
		CreatedAt: ts(u.created), UpdatedAt: ts(u.created), TimeZone: "UTC", Locale: "en-US",
		OrganizationID: optID(u.orgID), Role: u.role, Verified: true, Active: true, Tags: []string{},
		UserFields: a.fieldsOf(u.fields),
	}
}

func (a *account) wireOrg(base string, o *org) wireOrg {
	return wireOrg{
		ID: o.id, URL: base + "/api/v2/organizations/" + strconv.FormatInt(o.id, 10) + ".json", Name: o.name,
		CreatedAt: ts(o.created), UpdatedAt: ts(o.created), DomainNames: []string{}, Tags: []string{},
		OrganizationFields: a.fieldsOf(o.fields),
	}
}

func (a *account) wireArticle(base string, art *article) wireArticle {
	id := strconv.FormatInt(art.id, 10)
	return wireArticle{
		ID: art.id, URL: base + "/api/v2/help_center/" + art.locale + "/articles/" + id + ".json",
		HTMLURL:  "https://" + a.cfg.Name + ".zendesk.com/hc/" + art.locale + "/articles/" + id,
		AuthorID: a.agentID, Draft: art.draft, SectionID: art.sectionID,
		CreatedAt: ts(art.created), UpdatedAt: ts(art.updated), EditedAt: ts(art.updated),
		Name: art.title, Title: art.title, SourceLocale: art.locale, Locale: art.locale, LabelNames: []string{}, Body: art.body,
	}
}
