package intercomapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// FlexString is an id that Intercom may send as a JSON string or number.
// null and absent decode to "".
type FlexString string

// UnmarshalJSON accepts a string, a number or null.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = FlexString(strings.TrimSpace(v))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("id %.40s: want a string or a number", b)
		}
		*s = FlexString(n.String())
	}
	return nil
}

// Unix is a timestamp in Unix seconds, sent as a number or (in API 1.x
// payloads) a numeric string. null and absent decode to 0.
type Unix int64

// UnmarshalJSON accepts a number, a numeric string or null.
func (u *Unix) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*u = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s == "" {
			*u = 0
			return nil
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %.40s: want Unix seconds", b)
	}
	*u = Unix(f)
	return nil
}

// Time returns the timestamp in UTC, or the zero time for 0.
func (u Unix) Time() time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(int64(u), 0).UTC()
}

// Reference is a typed pointer to another object: {"type":"admin","id":"1"}.
type Reference struct {
	Type string     `json:"type"`
	ID   FlexString `json:"id"`
}

// Admin is a teammate (schema admin / admin_with_app).
type Admin struct {
	Type  string     `json:"type"`
	ID    FlexString `json:"id"`
	Name  string     `json:"name"`
	Email string     `json:"email"`
	// HasInboxSeat says the admin has an Inbox seat; without one Intercom
	// refuses its replies and notes on conversations. Absent in some
	// answers (nil).
	HasInboxSeat *bool `json:"has_inbox_seat"`
}

// Author is who wrote a conversation part or source (schema
// conversation_part_author). Type is "user", "lead", "contact", "admin",
// "bot" or "team".
type Author struct {
	Type  string     `json:"type"`
	ID    FlexString `json:"id"`
	Name  string     `json:"name"`
	Email string     `json:"email"`
}

// Source is the message that started a conversation (schema
// conversation_source). Body may contain HTML.
type Source struct {
	Type        string     `json:"type"`
	ID          FlexString `json:"id"`
	DeliveredAs string     `json:"delivered_as"`
	Subject     string     `json:"subject"`
	Body        string     `json:"body"`
	Author      Author     `json:"author"`
	URL         string     `json:"url"`
	Redacted    bool       `json:"redacted"`
}

// Part is one conversation part (schema conversation_part). PartType is
// "comment", "note", "close", "open", "assignment", … Body may be null
// (decoded as "") and may contain HTML.
type Part struct {
	Type      string     `json:"type"`
	ID        FlexString `json:"id"`
	PartType  string     `json:"part_type"`
	Body      string     `json:"body"`
	CreatedAt Unix       `json:"created_at"`
	UpdatedAt Unix       `json:"updated_at"`
	Author    Author     `json:"author"`
	Redacted  bool       `json:"redacted"`
	Tags      []Tag      `json:"tags"`
}

// Parts is schema conversation_parts.
type Parts struct {
	Type       string `json:"type"`
	Parts      []Part `json:"conversation_parts"`
	TotalCount int    `json:"total_count"`
}

// ContactRef is schema contact_reference.
type ContactRef struct {
	Type       string     `json:"type"`
	ID         FlexString `json:"id"`
	ExternalID string     `json:"external_id"`
}

// Contacts is schema conversation_contacts.
type Contacts struct {
	Type     string       `json:"type"`
	Contacts []ContactRef `json:"contacts"`
}

// Tag is schema tag (AppliedAt and AppliedBy only when it was returned by
// a tagging operation or as part of a conversation).
type Tag struct {
	Type      string     `json:"type"`
	ID        FlexString `json:"id"`
	Name      string     `json:"name"`
	AppliedAt Unix       `json:"applied_at"`
	AppliedBy *Reference `json:"applied_by"`
}

// Tags is schema tags: the tags on a conversation.
type Tags struct {
	Type string `json:"type"`
	Tags []Tag  `json:"tags"`
}

// TagList is schema tag_list: every tag of the workspace.
type TagList struct {
	Type string `json:"type"`
	Data []Tag  `json:"data"`
}

// CustomAttributes maps attribute names to their JSON values: strings,
// numbers, booleans, or (for custom object references) arrays.
type CustomAttributes map[string]json.RawMessage

// Conversation is schema conversation. Priority is "priority" or
// "not_priority" in 2.15 and "none", "low", "medium", "high" or "urgent" in
// 2.16.
type Conversation struct {
	Type             string           `json:"type"`
	ID               FlexString       `json:"id"`
	Title            string           `json:"title"`
	CreatedAt        Unix             `json:"created_at"`
	UpdatedAt        Unix             `json:"updated_at"`
	Open             bool             `json:"open"`
	State            string           `json:"state"`
	Read             bool             `json:"read"`
	Priority         string           `json:"priority"`
	AdminAssigneeID  FlexString       `json:"admin_assignee_id"`
	TeamAssigneeID   FlexString       `json:"team_assignee_id"`
	Company          *Company         `json:"company"`
	Tags             Tags             `json:"tags"`
	Source           Source           `json:"source"`
	Contacts         Contacts         `json:"contacts"`
	CustomAttributes CustomAttributes `json:"custom_attributes"`
	Parts            Parts            `json:"conversation_parts"`
	// Rating is the customer's rating of the conversation; nil when none.
	Rating *ConversationRating `json:"conversation_rating"`
}

// ConversationRating is schema conversation_rating: Rating 1–5 (0 when
// not rated yet).
type ConversationRating struct {
	Rating    int  `json:"rating"`
	CreatedAt Unix `json:"created_at"`
}

// Company is schema company.
type Company struct {
	Type             string           `json:"type"`
	ID               FlexString       `json:"id"`
	Name             string           `json:"name"`
	CompanyID        string           `json:"company_id"`
	CustomAttributes CustomAttributes `json:"custom_attributes"`
}

// Contact is schema contact (the fields heard reads).
type Contact struct {
	Type             string           `json:"type"`
	ID               FlexString       `json:"id"`
	ExternalID       string           `json:"external_id"`
	Role             string           `json:"role"`
	Email            string           `json:"email"`
	Name             string           `json:"name"`
	CustomAttributes CustomAttributes `json:"custom_attributes"`
}

// CompanyList is schema contact_attached_companies.
type CompanyList struct {
	Type       string    `json:"type"`
	Companies  []Company `json:"companies"`
	TotalCount int       `json:"total_count"`
}

// NextPage is the pages.next of a list: schema starting_after_paging, or
// (pages_link, older answers) the URL of the next page, whose query's page
// and starting_after are then read into Page and StartingAfter.
type NextPage struct {
	PerPage       int    `json:"per_page"`
	StartingAfter string `json:"starting_after"`
	Page          int    `json:"-"` // only from a URL
}

// UnmarshalJSON accepts the object form, a URL string, or null.
func (n *NextPage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*n = NextPage{}
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		u, err := url.Parse(s)
		if err != nil {
			return fmt.Errorf("pages.next %.80q: not a URL: %w", s, err)
		}
		q := u.Query()
		*n = NextPage{StartingAfter: q.Get("starting_after")}
		n.Page, _ = strconv.Atoi(q.Get("page"))
		n.PerPage, _ = strconv.Atoi(q.Get("per_page"))
		return nil
	}
	type plain NextPage
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*n = NextPage(p)
	return nil
}

// Pages is schema cursor_pages.
type Pages struct {
	Type       string    `json:"type"`
	Page       int       `json:"page"`
	PerPage    int       `json:"per_page"`
	TotalPages int       `json:"total_pages"`
	Next       *NextPage `json:"next"`
}

// ConversationList is schema conversation_list (search results).
type ConversationList struct {
	Type          string         `json:"type"`
	Conversations []Conversation `json:"conversations"`
	TotalCount    int            `json:"total_count"`
	Pages         *Pages         `json:"pages"`
}

// Article is schema article_list_item. State is "published" or "draft".
type Article struct {
	Type          string     `json:"type"`
	ID            FlexString `json:"id"`
	WorkspaceID   string     `json:"workspace_id"`
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Body          string     `json:"body"`
	AuthorID      FlexString `json:"author_id"`
	State         string     `json:"state"`
	CreatedAt     Unix       `json:"created_at"`
	UpdatedAt     Unix       `json:"updated_at"`
	URL           string     `json:"url"`
	ParentID      FlexString `json:"parent_id"`
	ParentType    string     `json:"parent_type"`
	DefaultLocale string     `json:"default_locale"`
}

// ArticleList is schema article_list.
type ArticleList struct {
	Type       string    `json:"type"`
	Pages      *Pages    `json:"pages"`
	TotalCount int       `json:"total_count"`
	Data       []Article `json:"data"`
}

// Reply message types and author types (schema
// admin_reply_conversation_request).
const (
	MessageTypeNote    = "note"
	MessageTypeComment = "comment"
	ReplyTypeAdmin     = "admin"
)

// AdminReplyRequest is schema admin_reply_conversation_request: a reply or
// note by an admin. MessageType, Type and AdminID are required; Body is
// required for comments and notes and may hold some HTML.
type AdminReplyRequest struct {
	MessageType string `json:"message_type"`
	Type        string `json:"type"`
	AdminID     string `json:"admin_id"`
	Body        string `json:"body,omitempty"`
}

// UpdateConversationRequest is schema update_conversation_request (2.15
// and 2.16 alike: neither has a priority field).
type UpdateConversationRequest struct {
	Read             *bool          `json:"read,omitempty"`
	Title            *string        `json:"title,omitempty"`
	CustomAttributes map[string]any `json:"custom_attributes,omitempty"`
	CompanyID        *string        `json:"company_id,omitempty"`
}

// PreviewUpdateConversationRequest is the update body of Intercom's Preview
// API version ("Unstable"), the only version whose description lets
// priority be written: UpdateConversationRequest plus Priority ("none",
// "low", "medium", "high", "urgent") and the AdminID making the change.
// Sending it with 2.15 or 2.16 is a contract violation.
type PreviewUpdateConversationRequest struct {
	UpdateConversationRequest
	Priority string `json:"priority,omitempty"`
	AdminID  string `json:"admin_id,omitempty"`
}

// CreateTagRequest is schema create_or_update_tag_request without an id:
// create the tag, or find it when one by that name (case-insensitive)
// exists.
type CreateTagRequest struct {
	Name string `json:"name"`
}

// AttachTagRequest is the body of POST /conversations/{id}/tags. Both ids
// are strings in the schema.
type AttachTagRequest struct {
	ID      string `json:"id"`
	AdminID string `json:"admin_id"`
}

// Search operators (schema single_filter_search_request and
// multiple_filter_search_request). On timestamps Greater and Less include
// the value itself: the 2.15 description documents ">" as "Greater (or
// equal) than" and "<" as "Lower (or equal) than" for conversations.
const (
	OpEquals  = "="
	OpIn      = "IN"
	OpGreater = ">"
	OpLess    = "<"
	OpAnd     = "AND"
	OpOr      = "OR"
)

// SearchQuery is a search query: a SearchFilter or a SearchGroup.
type SearchQuery interface {
	searchQuery()
}

// SearchFilter is schema single_filter_search_request.
type SearchFilter struct {
	Field    string `json:"field"`
	Operator string `json:"operator"`
	Value    any    `json:"value"`
}

func (SearchFilter) searchQuery() {}

// SearchGroup is schema multiple_filter_search_request: Operator (OpAnd
// or OpOr) over Value, at most 15 queries, nested at most two levels. The
// schema wants Value to be all filters or all groups.
type SearchGroup struct {
	Operator string        `json:"operator"`
	Value    []SearchQuery `json:"value"`
}

func (SearchGroup) searchQuery() {}

// SearchRequest is schema search_request.
type SearchRequest struct {
	Query      SearchQuery `json:"query"`
	Pagination *Pagination `json:"pagination,omitempty"`
}

// Pagination is schema starting_after_paging as sent: PerPage ≤ 150.
type Pagination struct {
	PerPage       int    `json:"per_page,omitempty"`
	StartingAfter string `json:"starting_after,omitempty"`
}

// ArticlesPage selects a page of GET /articles. The 2.15 description
// declares no query parameters for it; page and per_page are what
// Intercom's list answers report (pages.page, pages.per_page), and
// starting_after is honoured when an answer carries a cursor.
type ArticlesPage struct {
	Page          int
	PerPage       int
	StartingAfter string
}
