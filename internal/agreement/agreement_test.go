package agreement

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

var at = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func pred(field, value string, confidence float64) sdk.Prediction {
	return sdk.Prediction{Field: field, Value: value, Confidence: confidence, Reason: "test"}
}

func TestCompare(t *testing.T) {
	row := func(field, predicted string, confidence float64, final string, agreed bool) Feedback {
		return Feedback{Connector: "acme-zendesk", TicketID: "42", Field: field, Predicted: predicted,
			Confidence: confidence, Final: final, Agreed: agreed, At: at}
	}
	tests := []struct {
		name  string
		preds []sdk.Prediction
		final *sdk.Ticket
		want  []Feedback
	}{
		{
			name: "every field, agreed and not",
			preds: []sdk.Prediction{
				pred(sdk.FieldSecondaryTag, "refund", 0.7),
				pred(sdk.FieldPriority, "P1", 0.8),
				pred(sdk.FieldPrimaryTag, "billing", 0.9),
				pred(sdk.FieldSecondaryTag, "vip-escalation", 0.4),
				pred(sdk.FieldSentiment, sdk.SentimentAngry, 0.9),
			},
			final: &sdk.Ticket{Priority: sdk.P2, Tags: []string{"vip", "billing", "refund"}},
			want: []Feedback{
				row(sdk.FieldPriority, "P1", 0.8, "P2", false),
				row(sdk.FieldPrimaryTag, "billing", 0.9, "billing,refund,vip", true),
				row(sdk.FieldSecondaryTag, "refund", 0.7, "billing,refund,vip", true),
				row(sdk.FieldSecondaryTag, "vip-escalation", 0.4, "billing,refund,vip", false),
			},
		},
		{
			name:  "unknown final priority is skipped",
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P1", 0.8), pred(sdk.FieldPrimaryTag, "billing", 0.6)},
			final: &sdk.Ticket{Tags: []string{"outage"}},
			want:  []Feedback{row(sdk.FieldPrimaryTag, "billing", 0.6, "outage", false)},
		},
		{
			name:  "priority is normalized before comparing",
			preds: []sdk.Prediction{pred(sdk.FieldPriority, " p0 ", 0.9)},
			final: &sdk.Ticket{Priority: sdk.P0},
			want:  []Feedback{row(sdk.FieldPriority, "P0", 0.9, "P0", true)},
		},
		{
			name:  "a priority that does not parse disagrees",
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "urgent", 0.9)},
			final: &sdk.Ticket{Priority: sdk.P0},
			want:  []Feedback{row(sdk.FieldPriority, "urgent", 0.9, "P0", false)},
		},
		{
			name: "the most confident of repeated predictions counts",
			preds: []sdk.Prediction{
				pred(sdk.FieldPriority, "P1", 0.6), pred(sdk.FieldPriority, "P2", 0.9), pred(sdk.FieldPriority, "P3", 0.9),
				pred(sdk.FieldPrimaryTag, "bug", 0.5), pred(sdk.FieldPrimaryTag, "outage", 0.7),
				pred(sdk.FieldSecondaryTag, "api", 0.3), pred(sdk.FieldSecondaryTag, "API", 0.8), pred(sdk.FieldSecondaryTag, "api", 0.5),
			},
			final: &sdk.Ticket{Priority: sdk.P2, Tags: []string{"Outage", "api"}},
			want: []Feedback{
				row(sdk.FieldPriority, "P2", 0.9, "P2", true),
				row(sdk.FieldPrimaryTag, "outage", 0.7, "Outage,api", true),
				row(sdk.FieldSecondaryTag, "API", 0.8, "Outage,api", true),
			},
		},
		{
			name:  "no final tags",
			preds: []sdk.Prediction{pred(sdk.FieldPrimaryTag, "billing", 0.9), pred(sdk.FieldSecondaryTag, "", 0.9)},
			final: &sdk.Ticket{Priority: sdk.P3, Tags: []string{" ", ""}},
			want:  []Feedback{row(sdk.FieldPrimaryTag, "billing", 0.9, "", false)},
		},
		{
			name:  "no final ticket",
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P1", 0.8)},
		},
		{
			name:  "no predictions",
			final: &sdk.Ticket{Priority: sdk.P1, Tags: []string{"billing"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compare("acme-zendesk", "42", tc.preds, tc.final, at)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Compare =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// priorityRows are ten priority predictions on ten tickets:
//
//	ticket  predicted  confidence  final  agreed
//	t1      P1         0.95        P1     yes
//	t2      P2         0.85        P2     yes
//	t3      P2         0.75        P1     no   P2→P1
//	t4      P3         0.65        P2     no   P3→P2
//	t5      P2         0.55        P1     no   P2→P1
//	t6      P1         0.45        P1     yes
//	t7      P0         0.92        P0     yes
//	t8      P2         0.50        P2     yes  (exactly at a threshold)
//	t9      P3         0.70        P3     yes  (exactly at a threshold)
//	t10     P1         0.30        P0     no   P1→P0
func priorityRows() []Feedback {
	rows := []struct {
		ticket, predicted string
		confidence        float64
		final             string
	}{
		{"t1", "P1", 0.95, "P1"}, {"t2", "P2", 0.85, "P2"}, {"t3", "P2", 0.75, "P1"}, {"t4", "P3", 0.65, "P2"},
		{"t5", "P2", 0.55, "P1"}, {"t6", "P1", 0.45, "P1"}, {"t7", "P0", 0.92, "P0"}, {"t8", "P2", 0.50, "P2"},
		{"t9", "P3", 0.70, "P3"}, {"t10", "P1", 0.30, "P0"},
	}
	out := make([]Feedback, 0, len(rows))
	for i, r := range rows {
		out = append(out, Feedback{Connector: "acme-zendesk", TicketID: r.ticket, Field: sdk.FieldPriority, Predicted: r.predicted,
			Confidence: r.confidence, Final: r.final, Agreed: r.predicted == r.final, At: at.Add(time.Duration(i) * time.Hour)})
	}
	return out
}

// primaryRows are twelve primary-tag predictions, one agreed and eleven
// corrected: how-to→bug 3, billing→refund 2, bug→outage 2, and
// account→billing, api→bug, feature→how-to, security→outage once each.
func primaryRows() []Feedback {
	var out []Feedback
	add := func(from, to string, n int, agreed bool) {
		for range n {
			out = append(out, Feedback{Connector: "acme-zendesk", TicketID: "p" + string(rune('a'+len(out))), Field: sdk.FieldPrimaryTag,
				Predicted: from, Confidence: 0.9, Final: to, Agreed: agreed, At: at.Add(-time.Hour)})
		}
	}
	add("security", "outage", 1, false)
	add("bug", "outage", 2, false)
	add("how-to", "bug", 3, false)
	add("feature", "how-to", 1, false)
	add("billing", "refund", 2, false)
	add("api", "bug", 1, false)
	add("account", "billing", 1, false)
	add("billing", "billing,vip", 1, true)
	return out
}

func TestSummarize(t *testing.T) {
	rows := append(priorityRows(), primaryRows()...)
	rows = append(rows, Feedback{Connector: "acme-zendesk", TicketID: "s1", Field: sdk.FieldSecondaryTag, Predicted: "refund",
		Confidence: 0.4, Final: "billing", Agreed: false, At: at})
	got := Summarize(rows)
	want := Report{
		Since:     at.Add(-time.Hour),
		Connector: "acme-zendesk",
		Fields: []FieldStats{
			{
				Field: sdk.FieldPriority, Predictions: 10, Agreed: 6, Rate: 0.6,
				Corrections: []Correction{{From: "P2", To: "P1", Count: 2}, {From: "P1", To: "P0", Count: 1}, {From: "P3", To: "P2", Count: 1}},
				ByThreshold: []ThresholdPoint{
					{Threshold: 0.0, Kept: 10, Coverage: 1.0, Rate: 0.6},
					{Threshold: 0.5, Kept: 8, Coverage: 0.8, Rate: 5.0 / 8},
					{Threshold: 0.6, Kept: 6, Coverage: 0.6, Rate: 4.0 / 6},
					{Threshold: 0.7, Kept: 5, Coverage: 0.5, Rate: 0.8},
					{Threshold: 0.8, Kept: 3, Coverage: 0.3, Rate: 1.0},
					{Threshold: 0.9, Kept: 2, Coverage: 0.2, Rate: 1.0},
				},
			},
			{
				Field: sdk.FieldPrimaryTag, Predictions: 12, Agreed: 1, Rate: 1.0 / 12,
				Corrections: []Correction{
					{From: "how-to", To: "bug", Count: 3}, {From: "billing", To: "refund", Count: 2}, {From: "bug", To: "outage", Count: 2},
					{From: "account", To: "billing", Count: 1}, {From: "api", To: "bug", Count: 1},
				},
				ByThreshold: []ThresholdPoint{
					{Threshold: 0.0, Kept: 12, Coverage: 1, Rate: 1.0 / 12}, {Threshold: 0.5, Kept: 12, Coverage: 1, Rate: 1.0 / 12},
					{Threshold: 0.6, Kept: 12, Coverage: 1, Rate: 1.0 / 12}, {Threshold: 0.7, Kept: 12, Coverage: 1, Rate: 1.0 / 12},
					{Threshold: 0.8, Kept: 12, Coverage: 1, Rate: 1.0 / 12}, {Threshold: 0.9, Kept: 12, Coverage: 1, Rate: 1.0 / 12},
				},
			},
			{
				Field: sdk.FieldSecondaryTag, Predictions: 1, Agreed: 0, Rate: 0,
				Corrections: []Correction{{From: "refund", To: "billing", Count: 1}},
				ByThreshold: []ThresholdPoint{
					{Threshold: 0.0, Kept: 1, Coverage: 1}, {Threshold: 0.5}, {Threshold: 0.6},
					{Threshold: 0.7}, {Threshold: 0.8}, {Threshold: 0.9},
				},
			},
		},
	}
	checkReport(t, got, want)
}

func TestSummarizeEdges(t *testing.T) {
	row := func(connector, ticket, field, predicted, final string, hour int) Feedback {
		return Feedback{Connector: connector, TicketID: ticket, Field: field, Predicted: predicted, Confidence: 0.8,
			Final: final, Agreed: predicted == final, At: at.Add(time.Duration(hour) * time.Hour)}
	}
	points := func(kept int, rate float64) []ThresholdPoint {
		var out []ThresholdPoint
		for _, th := range []float64{0, 0.5, 0.6, 0.7, 0.8} {
			out = append(out, ThresholdPoint{Threshold: th, Kept: kept, Coverage: 1, Rate: rate})
		}
		return append(out, ThresholdPoint{Threshold: 0.9})
	}
	tests := []struct {
		name string
		rows []Feedback
		want Report
	}{
		{name: "no rows", want: Report{}},
		{
			name: "a prediction seen again counts once, with its latest final value",
			rows: []Feedback{
				row("z", "1", sdk.FieldPriority, "P1", "P0", 5), // the agent changed it again later
				row("z", "1", sdk.FieldPriority, "P1", "P1", 2),
				row("z", "1", sdk.FieldPriority, "P1", "P1", 3),
			},
			want: Report{Since: at.Add(5 * time.Hour), Connector: "z", Fields: []FieldStats{{
				Field: sdk.FieldPriority, Predictions: 1, Agreed: 0, Rate: 0,
				Corrections: []Correction{{From: "P1", To: "P0", Count: 1}}, ByThreshold: points(1, 0),
			}}},
		},
		{
			name: "equal times: the later row wins",
			rows: []Feedback{row("z", "1", sdk.FieldPriority, "P1", "P0", 1), row("z", "1", sdk.FieldPriority, "P1", "P1", 1)},
			want: Report{Since: at.Add(time.Hour), Connector: "z", Fields: []FieldStats{{
				Field: sdk.FieldPriority, Predictions: 1, Agreed: 1, Rate: 1, Corrections: []Correction{}, ByThreshold: points(1, 1),
			}}},
		},
		{
			name: "several connectors, fields in report order",
			rows: []Feedback{
				row("b", "1", sdk.FieldSentiment, "angry", "angry", 1),
				row("a", "1", sdk.FieldSecondaryTag, "api", "api", 2),
				row("b", "1", sdk.FieldLanguage, "de", "de", 3),
				row("a", "1", sdk.FieldPriority, "P1", "P1", 4),
				row("b", "1", sdk.FieldPriority, "P2", "P2", 0), // same ticket id, other connector
			},
			want: Report{Since: at, Connector: "", Fields: []FieldStats{
				{Field: sdk.FieldPriority, Predictions: 2, Agreed: 2, Rate: 1, Corrections: []Correction{}, ByThreshold: points(2, 1)},
				{Field: sdk.FieldSecondaryTag, Predictions: 1, Agreed: 1, Rate: 1, Corrections: []Correction{}, ByThreshold: points(1, 1)},
				{Field: sdk.FieldLanguage, Predictions: 1, Agreed: 1, Rate: 1, Corrections: []Correction{}, ByThreshold: points(1, 1)},
				{Field: sdk.FieldSentiment, Predictions: 1, Agreed: 1, Rate: 1, Corrections: []Correction{}, ByThreshold: points(1, 1)},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkReport(t, Summarize(tc.rows), tc.want)
		})
	}
}

// checkReport compares reports, rates and coverages to within 1e-9.
func checkReport(t *testing.T, got, want Report) {
	t.Helper()
	if !got.Since.Equal(want.Since) || got.Connector != want.Connector || len(got.Fields) != len(want.Fields) {
		t.Fatalf("report since %s, connector %q, %d fields; want since %s, connector %q, %d fields\n%+v",
			got.Since, got.Connector, len(got.Fields), want.Since, want.Connector, len(want.Fields), got)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for i, g := range got.Fields {
		w := want.Fields[i]
		if g.Field != w.Field || g.Predictions != w.Predictions || g.Agreed != w.Agreed || !near(g.Rate, w.Rate) {
			t.Errorf("field %d = %s %d predictions, %d agreed, rate %v; want %s %d, %d, %v",
				i, g.Field, g.Predictions, g.Agreed, g.Rate, w.Field, w.Predictions, w.Agreed, w.Rate)
		}
		if !reflect.DeepEqual(g.Corrections, w.Corrections) {
			t.Errorf("%s corrections = %+v; want %+v", g.Field, g.Corrections, w.Corrections)
		}
		if len(g.ByThreshold) != len(w.ByThreshold) {
			t.Errorf("%s thresholds = %+v; want %+v", g.Field, g.ByThreshold, w.ByThreshold)
			continue
		}
		for j, gp := range g.ByThreshold {
			wp := w.ByThreshold[j]
			if !near(gp.Threshold, wp.Threshold) || gp.Kept != wp.Kept || !near(gp.Coverage, wp.Coverage) || !near(gp.Rate, wp.Rate) {
				t.Errorf("%s at threshold %.1f = %+v; want %+v", g.Field, wp.Threshold, gp, wp)
			}
		}
	}
}

func TestJSONNames(t *testing.T) {
	rep := Summarize(priorityRows()[:1])
	b, err := json.Marshal(struct {
		Report
		Row Feedback `json:"row"`
	}{rep, priorityRows()[0]})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{
		`"since":`, `"connector":`, `"fields":`, `"field":`, `"predictions":`, `"agreed":`, `"rate":`, `"corrections":[]`,
		`"by_threshold":`, `"threshold":`, `"kept":`, `"coverage":`,
		`"ticket_id":"t1"`, `"predicted":"P1"`, `"confidence":0.95`, `"final":"P1"`, `"agreed":true`, `"at":"2026-03-02T10:00:00Z"`,
	} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

func TestWriteText(t *testing.T) {
	rep := Summarize(priorityRows())
	rep.Fields = append(rep.Fields, Summarize([]Feedback{{Connector: "acme-zendesk", TicketID: "x", Field: sdk.FieldSecondaryTag,
		Predicted: "refund", Confidence: 0.55, Final: "", At: at}}).Fields...)
	rep.Fields = append(rep.Fields, Summarize([]Feedback{{Connector: "acme-zendesk", TicketID: "y", Field: sdk.FieldPrimaryTag,
		Predicted: "billing", Confidence: 0.99, Final: "billing", Agreed: true, At: at}}).Fields...)
	want := `Agreement with agents' final values — acme-zendesk, since 2026-03-02 10:00:00 UTC

priority: 10 predictions, 6 agreed (60.0%)
   confidence ≥   kept   coverage   agreement
            0.0     10     100.0%       60.0%
            0.5      8      80.0%       62.5%
            0.6      6      60.0%       66.7%
            0.7      5      50.0%       80.0%
            0.8      3      30.0%      100.0%
            0.9      2      20.0%      100.0%
  most common corrections (heard → agents):
    P2  → P1  2×
    P1  → P0  1×
    P3  → P2  1×

tag.secondary: 1 predictions, 0 agreed (0.0%)
   confidence ≥   kept   coverage   agreement
            0.0      1     100.0%        0.0%
            0.5      1     100.0%        0.0%
            0.6      0       0.0%           –
            0.7      0       0.0%           –
            0.8      0       0.0%           –
            0.9      0       0.0%           –
  most common corrections (heard → agents):
    refund  → (none)  1×

tag.primary: 1 predictions, 1 agreed (100.0%)
   confidence ≥   kept   coverage   agreement
            0.0      1     100.0%      100.0%
            0.5      1     100.0%      100.0%
            0.6      1     100.0%      100.0%
            0.7      1     100.0%      100.0%
            0.8      1     100.0%      100.0%
            0.9      1     100.0%      100.0%
  no corrections
`
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	if b.String() != want {
		t.Errorf("WriteText =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteTextEmpty(t *testing.T) {
	var b strings.Builder
	if err := (Report{}).WriteText(&b); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	want := "Agreement with agents' final values — all connectors, since all time\n\nNo predictions have final values to compare with yet.\n"
	if b.String() != want {
		t.Errorf("WriteText = %q; want %q", b.String(), want)
	}
}

// failAfter accepts n writes, then fails.
type failAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errDiskFull
	}
	f.n--
	return len(p), nil
}

func TestWriteTextError(t *testing.T) {
	for _, n := range []int{0, 1, 3, 8} {
		err := Summarize(priorityRows()).WriteText(&failAfter{n: n})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("after %d writes: WriteText = %v; want the writer's error", n, err)
		}
	}
}
