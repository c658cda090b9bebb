package sdk

import (
	"context"
	"time"
)

// Article is one help-center article as a connector lists it.
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"` // HTML as the vendor stores it
	URL       string    `json:"url"`  // public URL agents and customers can open
	Locale    string    `json:"locale,omitempty"`
	Section   string    `json:"section,omitempty"`
	Draft     bool      `json:"draft,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ListArticlesRequest asks for one page of articles.
type ListArticlesRequest struct {
	// UpdatedSince, when not zero, asks only for articles changed since
	// then, where the vendor supports it (others return everything).
	UpdatedSince time.Time
	// Cursor is the previous page's NextCursor; "" for the first page.
	Cursor string
}

// ListArticlesResponse is one page.
type ListArticlesResponse struct {
	Articles   []Article
	NextCursor string // "" when this was the last page
}

// ArticleLister is implemented by connectors whose help desk has a
// knowledge base. It is optional: find it by type assertion.
type ArticleLister interface {
	ListArticles(ctx context.Context, req *ListArticlesRequest) (*ListArticlesResponse, error)
}
