package draft

import (
	"os"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

// labelledCase is one entry of testdata/labelled_drafts.yaml.
type labelledCase struct {
	Name    string `yaml:"name"`
	Label   string `yaml:"label"`
	Why     string `yaml:"why"`
	Request struct {
		Name            string            `yaml:"name"`
		Subject         string            `yaml:"subject"`
		Body            string            `yaml:"body"`
		Customer        map[string]string `yaml:"customer"`
		Priority        string            `yaml:"priority"`
		PrimaryTag      string            `yaml:"primary_tag"`
		Tags            []string          `yaml:"tags"`
		Sentiment       string            `yaml:"sentiment"`
		Language        string            `yaml:"language"`
		Signals         map[string]string `yaml:"signals"`
		Articles        []Article         `yaml:"articles"`
		FirstResponseIn string            `yaml:"first_response_in"`
		ResolutionIn    string            `yaml:"resolution_in"`
		Now             time.Time         `yaml:"now"`
		AnswerThreshold float64           `yaml:"answer_threshold"`
		RetentionOffer  string            `yaml:"retention_offer"`
	} `yaml:"request"`
	Draft string `yaml:"draft"`
}

func loadLabelled(t *testing.T) []labelledCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/labelled_drafts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []labelledCase
	if err := yaml.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("labelled_drafts.yaml: %v", err)
	}
	return cases
}

// request builds the draft request of a labelled case. The label is not
// part of it.
func (c labelledCase) request(t *testing.T) Request {
	t.Helper()
	r := c.Request
	due := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		return r.Now.Add(d)
	}
	tk := &sdk.Ticket{
		Ref: sdk.TicketRef{Connector: "zendesk", Account: "crewbook", ID: "1"}, Subject: r.Subject,
		Requester: sdk.Party{ID: "u1", Name: r.Name}, Customer: r.Customer,
		Messages: []sdk.Message{{Body: r.Body, CreatedAt: r.Now.Add(-10 * time.Minute)}},
	}
	return Request{
		Ticket: tk, Priority: sdk.Priority(r.Priority), PrimaryTag: r.PrimaryTag, Tags: r.Tags, Sentiment: r.Sentiment,
		Language: r.Language, Signals: r.Signals, Articles: r.Articles, AnswerThreshold: r.AnswerThreshold,
		RetentionOffer: r.RetentionOffer, FirstResponseDue: due(r.FirstResponseIn), ResolutionDue: due(r.ResolutionIn), Now: r.Now,
	}
}

// TestRubricSeparatesLabelledDrafts is issue 14's rubric test: on drafts a
// support lead labelled (every bad draft the issue quotes among them),
// every bad one scores under PassMark and every good one at PassMark or
// more. The rubric sees only the draft and the request.
func TestRubricSeparatesLabelledDrafts(t *testing.T) {
	cases := loadLabelled(t)
	var good, bad, agree int
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := Score(c.Draft, c.request(t))
			switch c.Label {
			case "good":
				good++
				if r.Total >= PassMark && r.Pass {
					agree++
				} else {
					t.Errorf("good draft scores %s:%s", r, rubricDetail(r))
				}
			case "bad":
				bad++
				if r.Total < PassMark && !r.Pass {
					agree++
				} else {
					t.Errorf("bad draft (%s) scores %s:%s", c.Why, r, rubricDetail(r))
				}
			default:
				t.Fatalf("label %q: want good or bad", c.Label)
			}
		})
	}
	if good < 8 || bad < 10 {
		t.Errorf("the set has %d good and %d bad drafts; want at least 8 and 10", good, bad)
	}
	t.Logf("rubric agrees with the labels on %d of %d drafts (%d good, %d bad)", agree, len(cases), good, bad)
}
