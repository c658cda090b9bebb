package zendeskapi

import (
	"fmt"
	"time"
)

// Timestamp is a Zendesk time exactly as the API sent it, e.g.
// "2025-01-08T14:25:30Z". It is kept verbatim so a ticket's updated_at can be
// echoed back as updated_stamp without any reformatting.
type Timestamp string

// Time parses t as RFC 3339. An empty Timestamp (JSON null) is the zero time.
func (t Timestamp) Time() (time.Time, error) {
	if t == "" {
		return time.Time{}, nil
	}
	at, err := time.Parse(time.RFC3339Nano, string(t))
	if err != nil {
		return time.Time{}, fmt.Errorf("parsing zendesk time %.40q: %w", string(t), err)
	}
	return at, nil
}

// Ticket is the part of a Support ticket heard reads. JSON null decodes to
// the zero value: 0 for a missing organization or assignee, "" for a
// missing priority.
type Ticket struct {
	ID          int64  `json:"id"`
	Subject     string `json:"subject"`
	Description string `json:"description"`
	Status      string `json:"status"`   // new | open | pending | hold | solved | closed
	Priority    string `json:"priority"` // urgent | high | normal | low, "" when unset
	RequesterID int64  `json:"requester_id"`
	SubmitterID int64  `json:"submitter_id"`
	AssigneeID  int64  `json:"assignee_id"`
	GroupID     int64  `json:"group_id"`
	// SatisfactionRating is the ticket's rating; Score is "offered",
	// "unoffered", "good" or "bad". nil when absent.
	SatisfactionRating *struct {
		Score string `json:"score"`
	} `json:"satisfaction_rating"`
	OrganizationID int64         `json:"organization_id"`
	Tags           []string      `json:"tags"`
	CustomFields   []CustomField `json:"custom_fields"`
	CreatedAt      Timestamp     `json:"created_at"`
	UpdatedAt      Timestamp     `json:"updated_at"`
}

// CustomField is one ticket custom field value: {"id": 360012345678,
// "value": "refund"}. Value is whatever JSON the field holds: a string, a
// number (float64), a bool, a list (multi-select) or nil.
type CustomField struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

// Comment is one ticket comment. Body is Zendesk's plain-text rendering;
// PlainBody and HTMLBody are the other renderings, any of which may be empty.
type Comment struct {
	ID        int64     `json:"id"`
	Type      string    `json:"type"`
	AuthorID  int64     `json:"author_id"`
	Body      string    `json:"body"`
	HTMLBody  string    `json:"html_body"`
	PlainBody string    `json:"plain_body"`
	Public    bool      `json:"public"`
	CreatedAt Timestamp `json:"created_at"`
}

// User is a Zendesk user. Role is "end-user", "agent" or "admin".
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"`
	// RoleType is 1 for a light agent (internal notes only), 0 for a
	// custom role, 4 for an admin; absent for end-users and plain agents
	// on plans without roles.
	RoleType       *int           `json:"role_type"`
	OrganizationID int64          `json:"organization_id"`
	UserFields     map[string]any `json:"user_fields"`
}

// Organization is a Zendesk organization.
type Organization struct {
	ID                 int64          `json:"id"`
	Name               string         `json:"name"`
	OrganizationFields map[string]any `json:"organization_fields"`
}

// Article is a Help Center article. Body is HTML; HTMLURL is the public
// page, URL the API resource.
type Article struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	HTMLURL   string    `json:"html_url"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Locale    string    `json:"locale"`
	SectionID int64     `json:"section_id"`
	Draft     bool      `json:"draft"`
	CreatedAt Timestamp `json:"created_at"`
	UpdatedAt Timestamp `json:"updated_at"`
}

// Meta is a cursor-paginated response's meta object.
type Meta struct {
	HasMore      bool   `json:"has_more"`
	AfterCursor  string `json:"after_cursor"`
	BeforeCursor string `json:"before_cursor"`
}

// Links is a cursor-paginated response's links object.
type Links struct {
	Next string `json:"next"`
	Prev string `json:"prev"`
}

// ArticlesPage is one page of an article listing. The cursor listing fills
// Meta and Links; the incremental export fills NextPage, EndTime and Count
// (which of these it sends is not verified, so both are decoded).
type ArticlesPage struct {
	Articles    []Article `json:"articles"`
	Meta        Meta      `json:"meta"`
	Links       Links     `json:"links"`
	NextPage    string    `json:"next_page"`
	EndTime     int64     `json:"end_time"`
	Count       int       `json:"count"`
	EndOfStream bool      `json:"end_of_stream"`
}

// TicketUpdate is the body of one combined PUT /api/v2/tickets/{id}.
// Empty fields are left out, so the update changes only what is set.
// Tags, when set, is the ticket's complete new tag list: a ticket PUT
// replaces the list, so callers send the union of the old and new tags.
type TicketUpdate struct {
	Priority     string        `json:"priority,omitempty"`
	Tags         []string      `json:"tags,omitempty"`
	CustomFields []CustomField `json:"custom_fields,omitempty"`
	Comment      *NewComment   `json:"comment,omitempty"`
	// SafeUpdate with UpdatedStamp (the updated_at just read) makes Zendesk
	// answer 409 instead of overwriting a concurrent change.
	SafeUpdate   bool      `json:"safe_update,omitempty"`
	UpdatedStamp Timestamp `json:"updated_stamp,omitempty"`
}

// Empty reports whether u changes nothing on the ticket.
func (u TicketUpdate) Empty() bool {
	return u.Priority == "" && len(u.Tags) == 0 && len(u.CustomFields) == 0 && u.Comment == nil
}

// NewComment is a comment added by a ticket update. Public false makes it
// an internal note; it is always sent, because Zendesk's default is public.
type NewComment struct {
	HTMLBody string `json:"html_body"`
	Public   bool   `json:"public"`
}

// SearchResult is one search result. Searches for type:ticket return
// tickets, with ResultType "ticket".
type SearchResult struct {
	Ticket
	ResultType string `json:"result_type"`
}

// SearchPage is one page of search results. Count is the number of
// matches, which may exceed what the query can page through.
type SearchPage struct {
	Results      []SearchResult `json:"results"`
	Count        int            `json:"count"`
	NextPage     string         `json:"next_page"`
	PreviousPage string         `json:"previous_page"`
}
