package freshdeskapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// Ticket priorities (CONTRACTS.md §2.5).
const (
	PriorityLow    = 1
	PriorityMedium = 2
	PriorityHigh   = 3
	PriorityUrgent = 4
)

// Ticket statuses (CONTRACTS.md §2.5). Accounts may define more (custom
// statuses); those have other numbers.
const (
	StatusOpen     = 2
	StatusPending  = 3
	StatusResolved = 4
	StatusClosed   = 5
)

// Solution article statuses (CONTRACTS.md §2.7).
const (
	ArticleDraft     = 1
	ArticlePublished = 2
)

// Fields is a custom_fields object. Values keep their JSON form, because
// Freshdesk mixes strings, numbers, booleans and null.
type Fields map[string]json.RawMessage

// String returns field key as text: a string as-is, a number or boolean as
// written. ok is false for a missing key, null, and arrays or objects.
func (f Fields) String(key string) (s string, ok bool) {
	raw := bytes.TrimSpace(f[key])
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", false
	}
	switch raw[0] {
	case '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	}
	return string(raw), true
}

// IsNumber reports whether field key currently holds a JSON number.
func (f Fields) IsNumber(key string) bool {
	raw := bytes.TrimSpace(f[key])
	if len(raw) == 0 {
		return false
	}
	_, err := strconv.ParseFloat(string(raw), 64)
	return err == nil
}

// Ticket is a ticket as GET /api/v2/tickets/{id} returns it. Requester and
// Company are set only when asked for with include=requester,company.
type Ticket struct {
	ID              int64       `json:"id"`
	Subject         string      `json:"subject"`
	Description     string      `json:"description"`      // HTML
	DescriptionText string      `json:"description_text"` // plain text
	Status          int         `json:"status"`
	Priority        int         `json:"priority"`
	Source          int         `json:"source"`
	Type            *string     `json:"type"`
	RequesterID     int64       `json:"requester_id"`
	ResponderID     *int64      `json:"responder_id"`
	CompanyID       *int64      `json:"company_id"`
	GroupID         *int64      `json:"group_id"`
	Tags            []string    `json:"tags"`
	CustomFields    Fields      `json:"custom_fields"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
	Requester       *Requester  `json:"requester,omitempty"`
	Company         *CompanyRef `json:"company,omitempty"`
}

// Requester is the requester embedded by include=requester.
type Requester struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Email string  `json:"email"`
	Phone *string `json:"phone"`
}

// CompanyRef is the company embedded by include=company.
type CompanyRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Conversation is a reply or a note on a ticket
// (GET /api/v2/tickets/{id}/conversations).
type Conversation struct {
	ID        int64     `json:"id"`
	Body      string    `json:"body"`      // HTML
	BodyText  string    `json:"body_text"` // plain text
	Incoming  bool      `json:"incoming"`  // came from outside the help desk (a customer)
	Private   bool      `json:"private"`
	UserID    int64     `json:"user_id"`
	Source    int       `json:"source"`
	TicketID  int64     `json:"ticket_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Contact is GET /api/v2/contacts/{id}. Contact custom field keys have no
// cf_ prefix.
type Contact struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	CompanyID    *int64 `json:"company_id"`
	CustomFields Fields `json:"custom_fields"`
}

// Company is GET /api/v2/companies/{id}.
type Company struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	CustomFields Fields `json:"custom_fields"`
}

// Agent is GET /api/v2/agents/me: the agent the API key belongs to.
type Agent struct {
	ID int64 `json:"id"`
	// TicketScope is what tickets the agent may see and change: 1 all
	// (global access), 2 its groups' tickets, 3 only tickets assigned to
	// it (restricted access).
	TicketScope int `json:"ticket_scope"`
	// Occasional marks an occasional agent, who needs a day pass to work.
	Occasional bool `json:"occasional"`
	Contact    struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"contact"`
}

// Category is a Solutions category.
type Category struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Folder is a Solutions folder inside a category.
type Folder struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Article is a Solutions article. Status is ArticleDraft or
// ArticlePublished.
type Article struct {
	ID              int64     `json:"id"`
	Title           string    `json:"title"`
	Description     string    `json:"description"` // HTML
	DescriptionText string    `json:"description_text"`
	Status          int       `json:"status"`
	CategoryID      int64     `json:"category_id"`
	FolderID        int64     `json:"folder_id"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// TicketUpdate is the body of PUT /api/v2/tickets/{id}. Zero fields are
// left out. Tags, when sent, replace the ticket's whole list, so callers
// send the merged list.
type TicketUpdate struct {
	Priority     int            `json:"priority,omitempty"`
	Status       int            `json:"status,omitempty"`
	Tags         []string       `json:"tags,omitempty"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
}

// Empty reports whether u changes nothing.
func (u TicketUpdate) Empty() bool {
	return u.Priority == 0 && u.Status == 0 && len(u.Tags) == 0 && len(u.CustomFields) == 0
}

// Note is the body of POST /api/v2/tickets/{id}/notes. Body is HTML.
type Note struct {
	Body    string `json:"body"`
	Private bool   `json:"private"`
}

// Reply is the body of POST /api/v2/tickets/{id}/reply: HTML sent to the
// requester as the API key's agent.
type Reply struct {
	Body string `json:"body"`
}

// ListTickets filters GET /api/v2/tickets. Zero fields are left out.
type ListTickets struct {
	RequesterID int64
	// UpdatedSince lists tickets updated at or after it, of any age;
	// without it Freshdesk lists only tickets created in the last 30 days.
	UpdatedSince time.Time
	OrderBy      string // created_at, due_by, updated_at, status
	OrderType    string // asc, desc
	Page         int    // from 1
	PerPage      int    // 1..100
}
