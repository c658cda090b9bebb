package zendesk_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// The ticket's assignee, group and satisfaction rating reach sdk.Ticket
// (the ticket timeline reads them); "offered" is no rating yet. The
// sandbox does not model them, so the test adds them to its answer.
func TestTicketAssignmentAndRating(t *testing.T) {
	for _, tt := range []struct {
		score string
		want  []sdk.Rating
	}{
		{"good", []sdk.Rating{{Scale: sdk.RatingGoodBad, Score: "good"}}},
		{"bad", []sdk.Rating{{Scale: sdk.RatingGoodBad, Score: "bad"}}},
		{"offered", nil},
	} {
		t.Run(tt.score, func(t *testing.T) {
			f := newFixture(t, nil, func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					resp, err := next.RoundTrip(r)
					_, tail, _ := strings.Cut(r.URL.Path, "/api/v2/tickets/")
					if err != nil || r.Method != http.MethodGet || tail == "" || strings.Contains(tail, "/") {
						return resp, err
					}
					var body map[string]map[string]any
					raw, _ := io.ReadAll(resp.Body)
					_ = resp.Body.Close()
					if err := json.Unmarshal(raw, &body); err != nil {
						t.Errorf("sandbox ticket answer %s: %v", raw, err)
						return resp, nil
					}
					body["ticket"]["assignee_id"] = 9001
					body["ticket"]["group_id"] = 77
					body["ticket"]["satisfaction_rating"] = map[string]any{"score": tt.score}
					raw, _ = json.Marshal(body)
					resp.Body = io.NopCloser(bytes.NewReader(raw))
					resp.ContentLength = int64(len(raw))
					resp.Header.Set("Content-Length", strconv.Itoa(len(raw)))
					return resp, nil
				})
			})
			ref := f.create(t, newTicket())
			tk, err := f.conn.Ticket(t.Context(), ref)
			if err != nil {
				t.Fatalf("Ticket: %v", err)
			}
			if tk.Assignee != "9001" || tk.Group != "77" {
				t.Errorf("assignee %q, group %q; want 9001 and 77", tk.Assignee, tk.Group)
			}
			if !slices.Equal(tk.Ratings, tt.want) {
				t.Errorf("ratings %+v, want %+v", tk.Ratings, tt.want)
			}
		})
	}
}
