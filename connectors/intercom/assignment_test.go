package intercom

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// The admin and team assignees and the conversation rating reach
// sdk.Ticket (the ticket timeline reads them); 0 is unassigned, and a
// rating of 0 is not rated yet.
func TestTicketAssignmentAndRating(t *testing.T) {
	tests := []struct {
		name, extra         string
		wantAdmin, wantTeam string
		wantRatings         []sdk.Rating
	}{
		{"assigned and rated", `"admin_assignee_id":274,"team_assignee_id":"5","conversation_rating":{"rating":4,"created_at":1700000200}`,
			"274", "5", []sdk.Rating{{Scale: sdk.RatingCSAT, Score: "4", At: time.Unix(1700000200, 0).UTC()}}},
		{"unassigned, not rated", `"admin_assignee_id":0,"team_assignee_id":null,"conversation_rating":{"rating":0}`, "", "", nil},
		{"no rating object", `"admin_assignee_id":"12"`, "12", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := `{"type":"conversation","id":"5","title":"Refund","created_at":1700000000,"updated_at":1700000100,"state":"open",` + tt.extra + `,
			  "source":{"type":"email","id":"s1","body":"<p>Help</p>","author":{"type":"user","id":"c9","name":"Lee","email":"lee@example.com"}},
			  "contacts":{"contacts":[{"type":"contact","id":"c9"}]}}`
			_, base := newFake(t, map[string]func(http.ResponseWriter, *http.Request, []byte){
				"GET /conversations/5":       answer(conv),
				"GET /contacts/c9":           fail(http.StatusNotFound),
				"POST /conversations/search": answer(`{"type":"conversation.list","conversations":[]}`),
			})
			c := fakeConnector(t, base, nil)
			tk, err := c.Ticket(t.Context(), c.ref("5"))
			if err != nil {
				t.Fatal(err)
			}
			if tk.Assignee != tt.wantAdmin || tk.Group != tt.wantTeam {
				t.Errorf("assignee %q, group %q; want %q, %q", tk.Assignee, tk.Group, tt.wantAdmin, tt.wantTeam)
			}
			if len(tk.Ratings) != len(tt.wantRatings) || !slices.EqualFunc(tk.Ratings, tt.wantRatings, func(a, b sdk.Rating) bool {
				return a.Scale == b.Scale && a.Score == b.Score && a.At.Equal(b.At)
			}) {
				t.Errorf("ratings %+v, want %+v", tk.Ratings, tt.wantRatings)
			}
		})
	}
}
