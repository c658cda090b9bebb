package zendesk

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultSearchLimit is how many results one Zendesk search query can page
// through: "up to 1,000 results per query, with a maximum of 100 results
// per page" (Search API, "Results limit").
const DefaultSearchLimit = 1000

// searchSorts are the search API's sort_by values.
var searchSorts = map[string]func(a, b *ticket) int{
	"updated_at": ticketSorts["updated_at"],
	"created_at": ticketSorts["created_at"],
	"status": func(a, b *ticket) int {
		return cmp.Or(cmp.Compare(statusRank(a.status), statusRank(b.status)), cmp.Compare(a.id, b.id))
	},
	"priority": func(a, b *ticket) int {
		return cmp.Or(cmp.Compare(priorityRank(a.priority), priorityRank(b.priority)), cmp.Compare(a.id, b.id))
	},
	"ticket_type": ticketSorts["id"], // the emulation keeps no ticket type
}

// statusRank orders statuses as search comparisons do: new < open <
// pending < hold < solved < closed; -1 for an unknown status.
func statusRank(s string) int { return slices.Index(statuses, s) }

// priorityRank orders priorities low < normal < high < urgent; -1 for none.
func priorityRank(p string) int { return slices.Index([]string{"low", "normal", "high", "urgent"}, p) }

// getSearch serves GET /api/v2/search.json?query=…: tickets only, with
// offset pagination (page, per_page ≤ 100) over at most SearchLimit
// results, answered with results, count, next_page and previous_page.
// The query language is emulated for the terms heard sends (type, status,
// priority, tags, created, updated); any other term is recorded as a
// violation, since the emulation could not answer it faithfully.
func (d *Desk) getSearch(c *call) reply {
	q := c.r.URL.Query()
	for k := range q {
		if strings.HasPrefix(k, "page[") {
			return d.invalid(c, http.StatusBadRequest, "page", "%s: search.json has offset pagination only (page, per_page); cursor pagination is the export endpoint's", k)
		}
	}
	raw := strings.TrimSpace(q.Get("query"))
	if raw == "" {
		return d.invalid(c, http.StatusBadRequest, "query", "query is required")
	}
	match, problem := compileSearch(raw)
	if problem != "" {
		return d.invalid(c, http.StatusBadRequest, "query", "query %q: %s", raw, problem)
	}
	key, order := cmp.Or(q.Get("sort_by"), "relevance"), cmp.Or(q.Get("sort_order"), "desc")
	less, known := searchSorts[key]
	if !known && key != "relevance" {
		return d.invalid(c, http.StatusBadRequest, "sort_by", "sort_by %q: want one of updated_at, created_at, priority, status, ticket_type", key)
	}
	if order != "asc" && order != "desc" {
		return d.invalid(c, http.StatusBadRequest, "sort_order", "sort_order %q: want asc or desc", order)
	}
	if !known {
		less = ticketSorts["id"] // relevance: the emulation has no text ranking
	}
	per, page := 100, 1
	for name, dst := range map[string]*int{"per_page": &per, "page": &page} {
		if s := q.Get(name); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || (name == "per_page" && v > 100) {
				return d.invalid(c, http.StatusBadRequest, name, "%s %q: want a positive integer (per_page at most 100)", name, s)
			}
			*dst = v
		}
	}
	limit := d.SearchLimit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	start := (page - 1) * per
	if start >= limit {
		d.sb.Violate(c.r, "page %d at per_page %d is past the search results limit of %d", page, per, limit)
		return reply{status: http.StatusUnprocessableEntity, body: map[string]any{"error": "InsufficientResourceError",
			"description": fmt.Sprintf("Search results are limited to %d per query; narrow the query, e.g. by date", limit)}}
	}
	var hits []*ticket
	for _, t := range c.a.tickets {
		if match(t) {
			hits = append(hits, t)
		}
	}
	slices.SortFunc(hits, less)
	if order == "desc" {
		slices.Reverse(hits)
	}
	reachable := min(len(hits), limit)
	start = min(start, reachable)
	end := min(reachable, start+per)
	results := make([]wireSearchResult, 0, end-start)
	for _, t := range hits[start:end] {
		results = append(results, wireSearchResult{wireTicket: c.a.wireTicket(c.base, t), ResultType: "ticket"})
	}
	link := func(p int) *string {
		v := c.r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		v.Set("per_page", strconv.Itoa(per))
		u := c.base + "/api/v2/search.json?" + v.Encode()
		return &u
	}
	body := map[string]any{"results": results, "facets": nil, "count": len(hits), "next_page": nil, "previous_page": nil}
	if end < reachable {
		body["next_page"] = link(page + 1)
	}
	if page > 1 {
		body["previous_page"] = link(page - 1)
	}
	return ok(body)
}

// wireSearchResult is one search result: the ticket and its result_type.
type wireSearchResult struct {
	wireTicket
	ResultType string `json:"result_type"`
}

// compileSearch turns a query into a predicate over tickets. Terms are
// separated by spaces and all must hold. It returns a problem for a query
// Zendesk would reject or the emulation cannot evaluate.
func compileSearch(query string) (func(*ticket) bool, string) {
	var preds []func(*ticket) bool
	typed := false
	for term := range strings.FieldsSeq(query) {
		if strings.ContainsAny(term, `"*`) || strings.HasPrefix(term, "-") {
			return nil, fmt.Sprintf("term %q: phrases, wildcards and negation are not emulated by the sandbox", term)
		}
		i := strings.IndexAny(term, ":<>")
		if i <= 0 {
			return nil, fmt.Sprintf("term %q: free-text search is not emulated by the sandbox", term)
		}
		key, rest := term[:i], term[i:]
		op := rest[:1]
		if strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, ">=") {
			op = rest[:2]
		}
		value := rest[len(op):]
		if value == "" {
			return nil, fmt.Sprintf("term %q has no value", term)
		}
		var p func(*ticket) bool
		switch key {
		case "type":
			if op != ":" || value != "ticket" {
				return nil, fmt.Sprintf("term %q: only type:ticket is emulated by the sandbox", term)
			}
			typed = true
			continue
		case "status":
			want := statusRank(value)
			if want < 0 {
				return nil, fmt.Sprintf("term %q: status must be one of %s", term, strings.Join(statuses, ", "))
			}
			p = func(t *ticket) bool { return compareInts(statusRank(t.status), op, want) }
		case "priority":
			want := priorityRank(value)
			if want < 0 && value != "none" {
				return nil, fmt.Sprintf("term %q: priority must be one of low, normal, high, urgent, none", term)
			}
			p = func(t *ticket) bool { return compareInts(priorityRank(t.priority), op, want) }
		case "tags", "tag":
			if op != ":" {
				return nil, fmt.Sprintf("term %q: tags take only ':'", term)
			}
			p = func(t *ticket) bool { return slices.Contains(t.tags, value) }
		case "created", "updated":
			from, to, problem := searchTime(value)
			if problem != "" {
				return nil, fmt.Sprintf("term %q: %s", term, problem)
			}
			created := key == "created"
			p = func(t *ticket) bool {
				at := t.updated
				if created {
					at = t.created
				}
				return compareTime(at, op, from, to)
			}
		default:
			return nil, fmt.Sprintf("term %q: keyword %q is not emulated by the sandbox", term, key)
		}
		preds = append(preds, p)
	}
	if !typed {
		return nil, "without type:ticket the search also returns users, organizations and groups, which the sandbox does not emulate"
	}
	return func(t *ticket) bool {
		for _, p := range preds {
			if !p(t) {
				return false
			}
		}
		return true
	}, ""
}

// compareInts applies a search operator to ranks.
func compareInts(have int, op string, want int) bool {
	switch op {
	case ":":
		return have == want
	case "<":
		return have < want
	case "<=":
		return have <= want
	case ">":
		return have > want
	case ">=":
		return have >= want
	}
	return false
}

// searchTime parses a date (YYYY-MM-DD, the whole day in the account's
// time zone, UTC here) or a time (RFC 3339, one instant) into [from, to).
func searchTime(v string) (from, to time.Time, problem string) {
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d, d.AddDate(0, 0, 1), ""
	}
	if at, err := time.Parse(time.RFC3339, v); err == nil {
		return at, at.Add(time.Second), ""
	}
	return time.Time{}, time.Time{}, fmt.Sprintf("%q is not a date (YYYY-MM-DD) or an ISO 8601 time; relative times are not emulated by the sandbox", v)
}

// compareTime applies a search operator to at and the span [from, to):
// ':' within it, '>' after it, '>=' from its start, '<' before it, '<='
// up to its end.
func compareTime(at time.Time, op string, from, to time.Time) bool {
	switch op {
	case ":":
		return !at.Before(from) && at.Before(to)
	case ">":
		return !at.Before(to)
	case ">=":
		return !at.Before(from)
	case "<":
		return at.Before(from)
	case "<=":
		return at.Before(to)
	}
	return false
}
